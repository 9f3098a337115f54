/**
 * Pure: a WeChat article page (html + url) → what it is (ok, deleted, blocked, migrated, expired, captcha,
 * unavailable) and, for an article, its identity, title, account, author, exact publish time, cover, description
 * and readable, sanitized content. Show types 0 (article), 5 (video), 7 (audio), 8 (image post), 10 (text post)
 * and reposts; an unknown layout falls back to the og: meta tags. Also the albums (合集) of the page's own account it
 * names (album-refs.ts).
 */
import { load, type CheerioAPI } from 'cheerio';
import type { PageState } from '../states.js';
import { sanitizeHtml } from '../content/sanitize.js';
import { decodeAttr, escapeHtml } from '../content/escape.js';
import { htmlToText, unescapePageText } from '../content/text.js';
import { wechatImageUrl } from '../content/images.js';
import { parseDate } from '../time.js';
import { canonicalArticleUrl, parseUrl, unescapeUrl } from './url.js';
import { cutDepth, type DomNode } from './depth.js';
import { arrayEntries, field, htmlUnescape, objectBlock, ownField, scriptVars } from './page-scripts.js';
import { type PageAlbum, pageAlbums } from './album-refs.js';
import { hasVerifyMarker, VERIFY_TEXT } from './refusal.js';

/** An article page, parsed (pure: html + url). */
export interface ParsedPage {
  state: PageState;
  reason?: string;
  showType?: number;
  biz?: string;
  mid?: string;
  idx?: string;
  sn?: string;
  canonical?: string;
  title?: string;
  account?: string;
  accountId?: string;
  author?: string;
  /** Epoch ms, exact. */
  publishedAt?: number;
  cover?: string;
  description?: string;
  /** Sanitized body (ok pages). */
  contentHtml?: string;
  textLength?: number;
  migratedTo?: string;
  sourceUrl?: string;
  /** The albums (合集) of the page's own account that the page names (parseArticlePage always sets it; [] for none). */
  albums?: PageAlbum[];
}

type Vars = Map<string, string>;

/** A verification page: its markers, or its visible text on a page without an article body. */
function isCaptcha(html: string): boolean {
  if (hasVerifyMarker(html)) return true;
  return VERIFY_TEXT.test(html) && !html.includes('id="js_content"') && !html.includes('cgiDataNew');
}

/**
 * The first of the page's cover candidates (msg_cdn_url, og:image, cgiDataNew's cdn_url) on WeChat's image hosts:
 * readers fetch covers (`media:thumbnail`), so one naming anything else, an internal address above all, is never taken.
 */
function pageCover(candidates: Array<string | undefined>): string | undefined {
  for (const raw of candidates) {
    const cover = raw ? wechatImageUrl(unescapeUrl(raw)) : undefined;
    if (cover) return cover;
  }
  return undefined;
}

/** A meta tag's content, as text: image and text posts write theirs escaped for a script (`\x0a`, `\x26quot;`). */
function meta($: CheerioAPI, selector: string): string | undefined {
  const content = $(selector).attr('content')?.trim();
  return content ? unescapePageText(content).trim() || undefined : undefined;
}

/**
 * A name WeChat puts in an attribute of a voice or music element, HTML-encoded twice (`name="Day&amp;nbsp;15"`):
 * the parser undoes one encoding, this the other.
 */
const elementName = (value: string): string =>
  decodeAttr(value)
    .replace(/\u00a0/g, ' ')
    .trim();

/** Notices: deleted, blocked, unavailable, migrated, expired. */
function notice(
  $: CheerioAPI,
  html: string,
  vars: Vars,
): Pick<ParsedPage, 'state' | 'reason' | 'migratedTo'> | undefined {
  const msg = $('.weui-msg__title').first().text().replace(/\s+/g, ' ').trim();
  const title = $('title').first().text().trim();
  const text = `${msg} ${title}`;
  if (/该内容已被发布者删除|deleted by the author/i.test(text))
    return { state: 'deleted', reason: msg || '该内容已被发布者删除' };
  if (/此内容因违规无法查看|此内容发送失败无法查看|涉嫌侵权|violat/i.test(text)) {
    const cgi = objectBlock(html, 'window.cgiData');
    const why = field(cgi, 'del_reason');
    return { state: 'blocked', reason: why ? `${msg}: ${why}` : msg };
  }
  if (/链接已过期|link has expired/i.test(text)) return { state: 'expired', reason: msg || '链接已过期' };
  const transfer = vars.get('transfer_target_link');
  if (/该公众号已迁移/.test(text) || transfer)
    return { state: 'migrated', reason: '该公众号已迁移', ...(transfer ? { migratedTo: unescapeUrl(transfer) } : {}) };
  if (/该内容暂时无法查看|内容无法查看/.test(text)) return { state: 'unavailable', reason: msg || title };
  return undefined;
}

/** The page's own identity: the URL, then script variables, then cgiDataNew, then msg_link / og:url. */
function identity(vars: Vars, url: string, cgi: string | undefined, $: CheerioAPI) {
  const fromUrl = parseUrl(url);
  const link = vars.get('msg_link') ?? field(cgi, 'link') ?? meta($, 'meta[property="og:url"]');
  const fromLink = link ? parseUrl(link) : undefined;
  const pick = (key: 'biz' | 'mid' | 'idx' | 'sn', script: string, cgiKey: string): string | undefined =>
    fromUrl?.[key] ?? vars.get(script) ?? field(cgi, cgiKey) ?? fromLink?.[key];
  return {
    biz: pick('biz', 'biz', 'bizuin'),
    mid: pick('mid', 'mid', 'mid'),
    idx: pick('idx', 'idx', 'idx'),
    sn: pick('sn', 'sn', 'sn'),
  };
}

function publishedAt(vars: Vars, cgi: string | undefined): number | undefined {
  const seconds = vars.get('ct') ?? field(cgi, 'ori_create_time') ?? vars.get('create_time');
  if (seconds && /^\d{9,11}$/.test(seconds)) return Number(seconds) * 1000;
  const text = field(cgi, 'create_time') ?? vars.get('createTime') ?? vars.get('publish_time');
  return parseDate(text)?.ms;
}

/** Paragraphs of plain text (text posts, image-post captions) as HTML. */
function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * The texts the parser writes into a body, in the feed's language (`feed.language`; feeds/messages.ts holds them in
 * each): the parser is pure and knows no config, so the caller passes them.
 */
export interface PageTexts {
  /** The link to a voice message that names no title. */
  voice: string;
  /** The link under a video's player. */
  video: string;
  /** A song that names no title. */
  music: string;
  /** A repost with no text of its own: the sentence around the link to the original. */
  repost: { before: string; link: string; after: string };
}

/** The article's body in the page (#js_content). */
const contentOf = ($: CheerioAPI) => $('#js_content').first();
type Content = ReturnType<typeof contentOf>;

/** Lazy images: their real address, absolute. */
function lazyImages($: CheerioAPI, content: Content): void {
  content.find('img').each((_, el) => {
    const img = $(el);
    const src = img.attr('data-src') ?? img.attr('src');
    if (src) img.attr('src', unescapeUrl(src).replace(/^\/\//, 'https://'));
  });
}

/** Voice messages: a player and a link to the sound, by its name. One without a file is dropped. */
function voices($: CheerioAPI, content: Content, label: string): void {
  content.find('mpvoice, mp-common-mpaudio').each((_, el) => {
    const node = $(el);
    const id = node.attr('voice_encode_fileid') ?? node.attr('voice-encode-fileid');
    const name = elementName(node.attr('name') ?? node.attr('title') ?? '') || label;
    if (!id) return void node.remove();
    const src = `https://res.wx.qq.com/voice/getvoice?mediaid=${encodeURIComponent(id)}`;
    node.replaceWith(
      `<p><audio controls preload="none" src="${escapeHtml(src)}"></audio> <a href="${escapeHtml(src)}">${escapeHtml(name)}</a></p>`,
    );
  });
}

/** Videos: Tencent Video's player for a `vid`, else the frame's own address; a link under it for feed readers. */
function videos($: CheerioAPI, content: Content, label: string): void {
  content.find('iframe').each((_, el) => {
    const frame = $(el);
    const src = frame.attr('data-src') ?? frame.attr('src');
    if (!src) return void frame.remove();
    const href = unescapeUrl(src).replace(/^\/\//, 'https://');
    const vid = /[?&]vid=([\w-]+)/.exec(href)?.[1];
    const player = vid ? `https://v.qq.com/txp/iframe/player.html?vid=${vid}` : href;
    frame.replaceWith(
      `<p><iframe src="${escapeHtml(player)}" width="640" height="360" allowfullscreen></iframe><br><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></p>`,
    );
  });
}

/** Songs: their name and singer as a line of text (the player needs WeChat's script). */
function songs($: CheerioAPI, content: Content, label: string): void {
  content.find('qqmusic, mp-common-qqmusic').each((_, el) => {
    const node = $(el);
    const name = elementName(node.attr('music_name') ?? node.attr('musicname') ?? '') || label;
    const singer = elementName(node.attr('singer') ?? '');
    node.replaceWith(`<p>♪ ${escapeHtml(name)}${singer ? ` — ${escapeHtml(singer)}` : ''}</p>`);
  });
}

/** #js_content made readable: lazy images, voice and video as players or links. */
function articleBody($: CheerioAPI, texts: PageTexts): string | undefined {
  const content = contentOf($);
  if (content.length === 0) return undefined;
  content.find('script, style, noscript').remove();
  lazyImages($, content);
  voices($, content, texts.voice);
  videos($, content, texts.video);
  songs($, content, texts.music);
  return content.html() ?? undefined;
}

function imagePost(cgi: string | undefined): string {
  return arrayEntries(cgi, 'picture_page_info_list')
    .map((entry) => ownField(entry, 'cdn_url'))
    .filter((u): u is string => Boolean(u))
    .map((u) => `<p><img src="${escapeHtml(u)}" alt=""></p>`)
    .join('\n');
}

/** The page as a tree, its nesting cut: walks of the tree recurse, and a hostile page nests deep. */
function loadPage(html: string): CheerioAPI {
  // htmlparser2, not parse5: far faster on the megabytes of a long article page.
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  cutDepth($.root()[0] as unknown as DomNode);
  return $;
}

/** A notice page (deleted, blocked…): its state and reason, with whatever identity and albums it still names. */
function noticePage(
  gone: Pick<ParsedPage, 'state' | 'reason' | 'migratedTo'>,
  html: string,
  url: string,
  vars: Vars,
  $: CheerioAPI,
): ParsedPage {
  const ids = identity(vars, url, undefined, $);
  return {
    ...gone,
    ...ids,
    account: field(objectBlock(html, 'window.cgiData'), 'nick_name'),
    albums: pageAlbums(html, ids.biz),
  };
}

/** What the page says of itself, read before its body is rewritten: title, account, author, description, cover. */
interface PageHead {
  title: string | undefined;
  ogTitle: string | undefined;
  account: string | undefined;
  author: string | undefined;
  description: string | undefined;
  cover: string | undefined;
}

function pageHead($: CheerioAPI, vars: Vars, cgi: string | undefined): PageHead {
  const ogTitle = meta($, 'meta[property="og:title"]');
  const title =
    vars.get('msg_title') ?? field(cgi, 'title') ?? ogTitle ?? ($('#activity-name').text().trim() || undefined);
  const account =
    ($('#js_name').first().text().trim() ||
      $('.wx_follow_nickname').first().text().trim() ||
      $('.profile_nickname').first().text().trim() ||
      undefined) ??
    vars.get('nickname') ??
    field(cgi, 'nick_name');
  const author = meta($, 'meta[name="author"]') ?? vars.get('author') ?? field(cgi, 'author');
  const description =
    vars.get('msg_desc') ?? meta($, 'meta[property="og:description"]') ?? meta($, 'meta[name="description"]');
  const cover = pageCover([vars.get('msg_cdn_url'), meta($, 'meta[property="og:image"]'), field(cgi, 'cdn_url')]);
  return { title, ogTitle, account, author, description, cover };
}

/** A body as its show type writes it; a type with a title rule of its own gives the title too. */
interface Body {
  html: string;
  title?: string | undefined;
  /** A repost: the original it points at. */
  sourceUrl?: string;
}

/** An image post (type 8): its images, then its caption. */
function imagePostBody(cgi: string | undefined, head: PageHead): Body {
  const caption = field(cgi, 'content_noencode') ?? field(cgi, 'desc') ?? head.description ?? '';
  return { html: `${imagePost(cgi)}\n${textToHtml(caption)}` };
}

/**
 * A text post (type 10): its text, then any images. og:title holds the whole text: the title is the post's own, else
 * its first line.
 */
function textPostBody(html: string, cgi: string | undefined, head: PageHead): Body {
  const text =
    field(objectBlock(html, 'text_page_info') ?? cgi, 'content') ??
    field(cgi, 'content_noencode') ??
    head.ogTitle ??
    '';
  const own = field(cgi, 'title');
  const title =
    own && own.length <= 64
      ? own
      : Array.from(
          text
            .split('\n')
            .find((l) => l.trim())
            ?.trim() ?? '',
        )
          .slice(0, 64)
          .join('') || head.title;
  return { html: `${textToHtml(text)}\n${imagePost(cgi)}`, title };
}

/** An article (or a layout we do not know): #js_content; a repost with no text of its own links to the original. */
function articleOrRepostBody($: CheerioAPI, texts: PageTexts): Body {
  const body = articleBody($, texts) ?? '';
  const share = $('#js_share_source').attr('data-url');
  if (htmlToText(body) || !share) return { html: body };
  const sourceUrl = unescapeUrl(htmlUnescape(share));
  const { before, link, after } = texts.repost;
  const original = `<a href="${escapeHtml(sourceUrl)}">${escapeHtml(link)}</a>`;
  return { html: `<p>${escapeHtml(before)}${original}${escapeHtml(after)}</p>${body}`, sourceUrl };
}

/** The body of the page's show type. */
function bodyOf(
  showType: number,
  html: string,
  cgi: string | undefined,
  head: PageHead,
  $: CheerioAPI,
  texts: PageTexts,
): Body {
  if (showType === 8) return imagePostBody(cgi, head);
  if (showType === 10) return textPostBody(html, cgi, head);
  return articleOrRepostBody($, texts);
}

/** The body sanitized; one with neither text nor image gives way to the page's description. */
function readableContent(body: string, description: string | undefined): string {
  const content = sanitizeHtml(body);
  if (!htmlToText(content) && !/<img /.test(content) && description) return sanitizeHtml(textToHtml(description));
  return content;
}

/** An article page (html + url) → what it is and, for an article, what it holds; `texts` in the feed's language. */
export function parseArticlePage(html: string, url: string, texts: PageTexts): ParsedPage {
  if (isCaptcha(html)) return { state: 'captcha', reason: 'verification page', albums: [] };
  const $ = loadPage(html);
  const vars = scriptVars(html);
  const gone = notice($, html, vars);
  if (gone) return noticePage(gone, html, url, vars, $);
  const cgi = objectBlock(html, 'window.cgiDataNew');
  const id = identity(vars, url, cgi, $);
  const showType = Number(field(cgi, 'item_show_type') ?? vars.get('item_show_type') ?? 0);
  const head = pageHead($, vars, cgi);
  const body = bodyOf(showType, html, cgi, head, $, texts);
  const title = body.title ?? head.title;
  const { account, author, cover, description } = head;
  const contentHtml = readableContent(body.html, description);
  const at = publishedAt(vars, cgi);
  const accountId = vars.get('user_name') ?? field(cgi, 'user_name');
  const canonical =
    id.biz && id.mid && id.idx && id.sn ? canonicalArticleUrl(id.biz, id.mid, id.idx, id.sn) : undefined;
  return {
    state: 'ok',
    showType,
    ...id,
    ...(canonical ? { canonical } : {}),
    ...(title ? { title } : {}),
    ...(account ? { account } : {}),
    ...(accountId ? { accountId } : {}),
    ...(author ? { author } : {}),
    ...(at !== undefined ? { publishedAt: at } : {}),
    ...(cover ? { cover } : {}),
    ...(description ? { description } : {}),
    contentHtml,
    textLength: htmlToText(contentHtml).length,
    ...(body.sourceUrl ? { sourceUrl: body.sourceUrl } : {}),
    albums: pageAlbums(html, id.biz, cgi),
  };
}
