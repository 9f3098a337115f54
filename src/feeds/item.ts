/**
 * The model the three formats render (atom.ts, rss.ts, json.ts): the feed's metadata, and each article as a feed
 * item (its content presented with the archive state, its cover as image and enclosure, its image URLs for the image
 * mode, every string cleaned of what XML 1.0 forbids); and the escaping the two XML formats share. Pure.
 */
import type { FeedArticle } from '../types.js';
import { imageMime, isWechatImage, rewriteImages, type ImageMode, type ImageUrlRewriter } from '../content/images.js';
import { stateNotice } from './notices.js';
import { DEFAULT_LANGUAGE, type FeedLanguage, messages } from './messages.js';
import { hasText } from '../states.js';
import { cleanText, feedText, summaryLine } from '../content/text.js';
import { escapeHtml } from '../content/escape.js';

/** A feed's own fields, the same in the three formats. */
export interface FeedMeta {
  /** Feed id: stable, independent of baseUrl. */
  id: string;
  title: string;
  description: string;
  /** Absolute URL of the folder the three files are served from, ending in `/`. */
  selfBase: string;
  /** The page a reader opens for the feed (the index page). */
  home: string;
  /** The feed's author (the account). */
  author?: string;
  /** The feed's language (`feed.language`): marked in the feed, and the language of every text wxfeed adds. */
  language?: FeedLanguage;
  /** The WebSub hub readers may subscribe at (`websub.hub`). */
  hub?: string;
}

/** The generator every feed names. */
export const GENERATOR = 'wxfeed';

/** How images reach readers. */
export interface ImageOptions {
  mode: ImageMode;
  proxy?: ImageUrlRewriter;
}
const DIRECT: ImageOptions = { mode: 'direct' };

/** One article as every format shows it. Strings are clean (no character XML 1.0 forbids), not escaped. */
export interface FeedItem {
  id: string;
  link: string;
  title: string;
  /** Never blank: the title when the article has no summary (validators want one, some readers show only it). */
  summary: string;
  /** Published, and last updated. */
  date: Date;
  /** The body as readers see it (`presentContent`); empty when there is none. */
  content: string;
  /** The account that published the article: the item's author (first of its authors) and its category. */
  account?: string;
  /** The article's own author (a page's `var author`), when it names one other than the account. */
  author?: string;
  /** The cover, absolute, through the image proxy in proxy mode. */
  image?: string;
  /** The cover again, when its MIME type is known (from `wx_fmt=`, the extension or a `mmbiz_<fmt>` segment). */
  enclosure?: { url: string; type: string };
}

const absoluteUrl = (value: string): boolean => /^https?:\/\//.test(value);

function proxied(url: string, images: ImageOptions): string {
  return images.mode === 'proxy' && images.proxy && isWechatImage(url) ? images.proxy(url) : url;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * An item's id as URI comparison expects it (RFC 3986 §6.2.2: escapes in upper case, unreserved ones unescaped), so
 * readers and the W3C validator (`NonCanonicalURI`) see it as canonical; WeChat ids have no escapes to change.
 */
export function canonicalId(id: string): string {
  if (!id.includes('%') || !/^https?:/i.test(id)) return id;
  return id.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
    const c = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/**
 * The summary readers see: for a copy that is not the article, what the archive holds in the feed's language (never
 * a summary stored with the copy); else the article's summary, or its title when it has none.
 */
function summaryOf(a: FeedArticle, language: FeedLanguage): string {
  if (!hasText(a.state)) return stateNotice(a.state, language) ?? a.title;
  return a.summary.trim() ? summaryLine(a.summary) : a.title;
}

/** One article as every format shows it: strings cleaned, content presented, the cover through the image mode. */
export function feedItem(a: FeedArticle, images: ImageOptions = DIRECT, language = DEFAULT_LANGUAGE): FeedItem {
  const account = a.account ? feedText(a.account) : '';
  const own = a.author ? feedText(a.author) : '';
  const author = own === account ? '' : own;
  const cover = a.cover && absoluteUrl(a.cover) ? a.cover : undefined;
  const image = cover === undefined ? undefined : proxied(cover, images);
  const type = cover === undefined ? undefined : imageMime(cover);
  return {
    id: canonicalId(cleanText(a.id)),
    link: cleanText(a.link),
    title: feedText(a.title),
    summary: feedText(summaryOf(a, language)),
    date: new Date(a.date),
    content: feedText(presentContent(a, images, language)),
    ...(account ? { account } : {}),
    ...(author ? { author } : {}),
    ...(image ? { image } : {}),
    ...(image && type ? { enclosure: { url: image, type } } : {}),
  };
}

/** The feed items of a feed's articles. */
export const feedItems = (
  articles: readonly FeedArticle[],
  images: ImageOptions = DIRECT,
  language = DEFAULT_LANGUAGE,
): FeedItem[] => articles.map((a) => feedItem(a, images, language));

/** Who an item names, account first (what readers show in their author column), then the article's own author. */
export const itemAuthors = (item: FeedItem): string[] =>
  [item.account, item.author].filter((a): a is string => Boolean(a));

/** The feed's `updated`: its newest item, or the epoch for an empty feed. */
export const feedUpdated = (items: readonly FeedItem[]): Date =>
  new Date(items.length === 0 ? 0 : items.reduce((max, i) => Math.max(max, i.date.getTime()), -Infinity));

/** What readers see as the body: the article, with the archive state said plainly when it is not the article. */
export function presentContent(a: FeedArticle, images: ImageOptions = DIRECT, language = DEFAULT_LANGUAGE): string {
  return rewriteImages(presentBody(a, language), images.mode, images.proxy);
}

function presentBody(a: FeedArticle, language: FeedLanguage): string {
  const m = messages(language);
  const open = `<a href="${escapeHtml(a.link)}">${escapeHtml(m.openOriginal)}</a>`;
  const parts: string[] = [];
  if (a.notice)
    parts.push(
      `<p><strong>${escapeHtml(stateNotice(a.notice, language) ?? '')}</strong> ${escapeHtml(m.savedBefore)}</p>`,
    );
  if (hasText(a.state)) {
    if (a.reprint) parts.push(`<p>${escapeHtml(m.reprint(a.reprint.from, a.reprint.author))}</p>`);
    parts.push(a.contentHtml);
    if (a.state === 'truncated')
      parts.push(`<p><em>${escapeHtml(stateNotice('truncated', language)!)}</em> ${open}</p>`);
  } else {
    parts.push(`<p>${escapeHtml(stateNotice(a.state, language) ?? '')} ${open}</p>`);
  }
  return parts.join('\n');
}

/** The Media RSS namespace: `media:thumbnail` names an item's cover for readers that show thumbnails. */
export const MEDIA_NS = 'http://search.yahoo.com/mrss/';

/**
 * Plain text in an RSS element readers take for text (a `<category>`): `&` and `<` as hexadecimal references, as the
 * RSS Best Practices Profile asks, so that a name holding `&amp;` is not taken for markup (`ContainsHTML`).
 */
export const rssText = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === '&' ? '&#x26;' : c === '<' ? '&#x3C;' : '&gt;'));

/** HTML in CDATA: `]]>` written as `]]&gt;`, which HTML reads back as the same text. */
export const cdataHtml = (html: string): string => `<![CDATA[${html.replaceAll(']]>', ']]&gt;')}]]>`;

/**
 * A title as RSS carries it: HTML, as Atom's `type="html"` title and most readers' RSS titles, each `&` written
 * `&#x26;`: the RSS Best Practices Profile's mark of text encoded on purpose (no W3C validator `ContainsHTML`).
 */
export const rssTitle = (text: string): string => escapeHtml(text).replaceAll('&', '&#x26;');
