/**
 * Pure: a WeChat article page (html + url) → what it is (ok, deleted, blocked, migrated, expired, captcha,
 * unavailable) and, for an article, its identity, title, account, author, exact publish time, cover, description
 * and readable, sanitized content. Show types 0 (article), 5 (video), 7 (audio), 8 (image post), 10 (text post)
 * and reposts; an unknown layout falls back to the og: meta tags. Also the albums (合集) of the page's own account it
 * names (album-refs.ts).
 */
import { load, type CheerioAPI } from 'cheerio';
import type { ParsedPage } from '../types.js';
import { sanitizeHtml } from '../content/sanitize.js';
import { decodeAttr, escapeHtml } from '../content/escape.js';
import { htmlToText, unescapePageText } from '../content/text.js';
import { wechatImageUrl } from '../content/images.js';
import { parseDate } from '../time.js';
import { canonicalArticleUrl, parseUrl, unescapeUrl } from './url.js';
import { cutDepth, type DomNode } from './depth.js';
import { arrayEntries, field, htmlUnescape, objectBlock, ownField, scriptVars } from './page-scripts.js';
import { pageAlbums } from './album-refs.js';
import { hasVerifyMarker, VERIFY_TEXT } from './refusal.js';

type Vars = Map<string, string>;

/** A verification page: its markers, or its visible text on a page without an article body. */
function isCaptcha(html: string): boolean {
  if (hasVerifyMarker(html)) return true;
  return VERIFY_TEXT.test(html) && !html.includes('id="js_content"') && !html.includes('cgiDataNew');
}

/**
 * The cover: the first of the page's candidates (msg_cdn_url, og:image, cgiDataNew's cdn_url) that is an image on
 * WeChat's image hosts (content/images.ts). Readers fetch covers (`media:thumbnail`): one naming anything else, an
 * internal address above all, is never taken.
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

/** #js_content made readable: lazy images, voice and video as players or links. */
function articleBody($: CheerioAPI): string | undefined {
  const content = $('#js_content').first();
  if (content.length === 0) return undefined;
  content.find('script, style, noscript').remove();
  content.find('img').each((_, el) => {
    const img = $(el);
    const src = img.attr('data-src') ?? img.attr('src');
    if (src) img.attr('src', unescapeUrl(src).replace(/^\/\//, 'https://'));
  });
  content.find('mpvoice, mp-common-mpaudio').each((_, el) => {
    const node = $(el);
    const id = node.attr('voice_encode_fileid') ?? node.attr('voice-encode-fileid');
    const name = elementName(node.attr('name') ?? node.attr('title') ?? '') || '语音';
    if (!id) return void node.remove();
    const src = `https://res.wx.qq.com/voice/getvoice?mediaid=${encodeURIComponent(id)}`;
    node.replaceWith(
      `<p><audio controls preload="none" src="${escapeHtml(src)}"></audio> <a href="${escapeHtml(src)}">${escapeHtml(name)}</a></p>`,
    );
  });
  content.find('iframe').each((_, el) => {
    const frame = $(el);
    const src = frame.attr('data-src') ?? frame.attr('src');
    if (!src) return void frame.remove();
    const href = unescapeUrl(src).replace(/^\/\//, 'https://');
    const vid = /[?&]vid=([\w-]+)/.exec(href)?.[1];
    const player = vid ? `https://v.qq.com/txp/iframe/player.html?vid=${vid}` : href;
    frame.replaceWith(
      `<p><iframe src="${escapeHtml(player)}" width="640" height="360" allowfullscreen></iframe><br><a href="${escapeHtml(href)}">视频</a></p>`,
    );
  });
  content.find('qqmusic, mp-common-qqmusic').each((_, el) => {
    const node = $(el);
    const name = elementName(node.attr('music_name') ?? node.attr('musicname') ?? '') || '音乐';
    const singer = elementName(node.attr('singer') ?? '');
    node.replaceWith(`<p>♪ ${escapeHtml(name)}${singer ? ` — ${escapeHtml(singer)}` : ''}</p>`);
  });
  return content.html() ?? undefined;
}

function imagePost(cgi: string | undefined): string {
  return arrayEntries(cgi, 'picture_page_info_list')
    .map((entry) => ownField(entry, 'cdn_url'))
    .filter((u): u is string => Boolean(u))
    .map((u) => `<p><img src="${escapeHtml(u)}" alt=""></p>`)
    .join('\n');
}

export function parseArticlePage(html: string, url: string): ParsedPage {
  if (isCaptcha(html)) return { state: 'captcha', reason: 'verification page', albums: [] };
  // htmlparser2 (not parse5): a 3 MB page parses in ~30 ms instead of ~500 ms.
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  // Walks of the tree recurse: a hostile page's nesting is cut first.
  cutDepth($.root()[0] as unknown as DomNode);
  const vars = scriptVars(html);
  const gone = notice($, html, vars);
  if (gone) {
    const ids = identity(vars, url, undefined, $);
    return {
      ...gone,
      ...ids,
      account: field(objectBlock(html, 'window.cgiData'), 'nick_name'),
      albums: pageAlbums(html, ids.biz),
    };
  }
  const cgi = objectBlock(html, 'window.cgiDataNew');
  const id = identity(vars, url, cgi, $);
  const showType = Number(field(cgi, 'item_show_type') ?? vars.get('item_show_type') ?? 0);
  const ogTitle = meta($, 'meta[property="og:title"]');
  let title =
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

  let body = '';
  let sourceUrl: string | undefined;
  if (showType === 8) {
    body = `${imagePost(cgi)}\n${textToHtml(field(cgi, 'content_noencode') ?? field(cgi, 'desc') ?? description ?? '')}`;
  } else if (showType === 10) {
    const text =
      field(objectBlock(html, 'text_page_info') ?? cgi, 'content') ?? field(cgi, 'content_noencode') ?? ogTitle ?? '';
    body = `${textToHtml(text)}\n${imagePost(cgi)}`;
    // og:title holds the whole text of a text post: the title is its own title, else the first line.
    const own = field(cgi, 'title');
    title =
      own && own.length <= 64
        ? own
        : Array.from(
            text
              .split('\n')
              .find((l) => l.trim())
              ?.trim() ?? '',
          )
            .slice(0, 64)
            .join('') || title;
  } else {
    body = articleBody($) ?? '';
    const share = $('#js_share_source').attr('data-url');
    if (!htmlToText(body) && share) {
      sourceUrl = unescapeUrl(htmlUnescape(share));
      body = `<p>Repost of <a href="${escapeHtml(sourceUrl)}">the original article</a>.</p>${body}`;
    }
  }
  let contentHtml = sanitizeHtml(body);
  if (!htmlToText(contentHtml) && !/<img /.test(contentHtml) && description)
    contentHtml = sanitizeHtml(textToHtml(description));
  const text = htmlToText(contentHtml);
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
    textLength: text.length,
    ...(sourceUrl ? { sourceUrl } : {}),
    albums: pageAlbums(html, id.biz, cgi),
  };
}
