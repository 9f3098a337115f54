/**
 * The only module that imports `feed`: one article list → Atom, RSS and JSON Feed text.
 * Works around what `feed` leaves to its caller: control characters XML 1.0 forbids, `]]>` inside CDATA, Atom's
 * `type="html"` titles, RSS `<author>` without an e-mail (we write `dc:creator` instead), and enclosure MIME types
 * guessed from a URL extension that WeChat image URLs do not have.
 */
import { randomBytes } from 'node:crypto';
import { Feed, type Item } from 'feed';
import type { FeedArticle, RenderedFeed } from '../types.js';
import { imageMime, isWechatImage, rewriteImages, type ImageMode, type ImageUrlRewriter } from '../content/images.js';
import { stateNotice } from './notices.js';
import { cleanText } from '../content/text.js';

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
}

export const GENERATOR = 'wxfeed';

/** How images reach readers. */
export interface ImageOptions {
  mode: ImageMode;
  proxy?: ImageUrlRewriter;
}
const DIRECT: ImageOptions = { mode: 'direct' };

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** HTML inside CDATA: `]]>` written as `]]&gt;`, which HTML reads back as the same text. */
const htmlCdata = (html: string): string => cleanText(html).replace(/]]>/g, ']]&gt;');

/**
 * Plain text inside CDATA. xml-js (under `feed`) splits only the first `]]>` of a string; we split the others the
 * same way so the XML stays well-formed and the text reads back exactly.
 */
function textCdata(text: string): string {
  const clean = cleanText(text);
  const first = clean.indexOf(']]>');
  if (first < 0) return clean;
  const head = clean.slice(0, first + 3);
  return head + clean.slice(first + 3).replace(/]]>/g, ']]]]><![CDATA[>');
}

/** What readers see as the body: the article, with the archive state said plainly when it is not the article. */
export function presentContent(a: FeedArticle, images: ImageOptions = DIRECT): string {
  return rewriteImages(presentBody(a), images.mode, images.proxy);
}

function presentBody(a: FeedArticle): string {
  const open = `<a href="${escapeHtml(a.link)}">Open the original article</a>`;
  const parts: string[] = [];
  if (a.notice)
    parts.push(`<p><strong>${escapeHtml(stateNotice(a.notice) ?? '')}</strong> The copy below was saved before.</p>`);
  if (a.state === 'full' || a.state === 'truncated') {
    parts.push(a.contentHtml);
    if (a.state === 'truncated') parts.push(`<p><em>${escapeHtml(stateNotice('truncated')!)}</em> ${open}</p>`);
  } else {
    parts.push(`<p>${escapeHtml(stateNotice(a.state) ?? '')} ${open}</p>`);
  }
  return parts.join('\n');
}

function enclosure(
  url: string | undefined,
  images: ImageOptions,
): { url: string; type: string; length: number } | undefined {
  if (!url) return undefined;
  const type = imageMime(url);
  return type ? { url: proxied(url, images), type, length: 0 } : undefined;
}

function proxied(url: string, images: ImageOptions): string {
  return images.mode === 'proxy' && images.proxy && isWechatImage(url) ? images.proxy(url) : url;
}

const absoluteUrl = (value: string): boolean => /^https?:\/\//.test(value);

function baseItem(a: FeedArticle): Item {
  return {
    title: '',
    id: cleanText(a.id),
    link: cleanText(a.link),
    date: new Date(a.date),
    published: new Date(a.date),
  };
}

/**
 * A marker for item bodies. `feed` serializes through xml-js, which joins strings level by level and so copies every
 * item body four or five times; the bodies are the bulk of a feed. Items get a marker instead, and the bodies are
 * put in place once, after serializing. The marker is random per call and checked against the text, so no article
 * can contain it.
 */
function bodyMarker(texts: readonly string[]): string {
  for (;;) {
    const marker = `wxfeedbody${randomBytes(8).toString('hex')}n`;
    if (!texts.some((t) => t.includes(marker))) return marker;
  }
}

/** Serialized text with `<marker><i>x` replaced by `bodies[i]` (as `encode` writes it). */
function spliceBodies(
  text: string,
  marker: string,
  bodies: readonly string[],
  encode: (body: string) => string,
): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, from)) {
    const end = text.indexOf('x', at + marker.length);
    parts.push(text.slice(from, at), encode(bodies[Number(text.slice(at + marker.length, end))]!));
    from = end + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

export function renderFeeds(
  meta: FeedMeta,
  articles: readonly FeedArticle[],
  images: ImageOptions = DIRECT,
): RenderedFeed {
  const updated = new Date(articles.length > 0 ? Math.max(...articles.map((a) => a.date)) : 0);
  const options = {
    id: meta.id,
    title: cleanText(meta.title),
    description: cleanText(meta.description),
    link: meta.home,
    updated,
    generator: GENERATOR,
    language: 'zh-CN',
    feedLinks: { atom: `${meta.selfBase}atom.xml`, rss: `${meta.selfBase}rss.xml`, json: `${meta.selfBase}feed.json` },
    author: { name: cleanText(meta.author ?? meta.title) },
  };
  const atom = new Feed({ ...options, title: options.title });
  const rss = new Feed(options);
  const json = new Feed(options);
  const bodies = articles.map((a) => cleanText(presentContent(a, images)));
  const marker = bodyMarker([
    ...bodies,
    ...articles.flatMap((a) => [a.title, a.summary, a.link, a.author ?? '', a.cover ?? '']),
  ]);
  articles.forEach((given, n) => {
    // Every item has a description: validators want it before content:encoded, and some readers show only it.
    const a = given.summary.trim() ? given : { ...given, summary: given.title };
    const content = bodies[n] ? `${marker}${n}x` : undefined;
    const author = a.author ? cleanText(a.author) : undefined;
    const original = a.cover && absoluteUrl(a.cover) ? a.cover : undefined;
    const enc = enclosure(original, images);
    const cover = original ? proxied(original, images) : undefined;
    atom.addItem({
      ...baseItem(a),
      title: htmlCdata(escapeHtml(a.title)),
      description: htmlCdata(escapeHtml(a.summary)),
      content,
      ...(author ? { author: [{ name: author }] } : {}),
    });
    rss.addItem({
      ...baseItem(a),
      title: textCdata(a.title),
      description: htmlCdata(escapeHtml(a.summary)),
      content,
      ...(enc ? { enclosure: { ...enc, url: enc.url.replace(/&/g, '&amp;') } } : {}),
      ...(author ? { extensions: [{ name: 'dc:creator', objects: { _text: author } }] } : {}),
    });
    json.addItem({
      ...baseItem(a),
      title: cleanText(a.title),
      description: cleanText(a.summary),
      content,
      ...(cover ? { image: cover } : {}),
      ...(author ? { author: [{ name: author }] } : {}),
    });
  });
  // Bodies are clean already (above): only `]]>` needs writing out inside CDATA.
  const cdata = (body: string): string => body.replace(/]]>/g, ']]&gt;');
  const jsonString = (body: string): string => JSON.stringify(body).slice(1, -1);
  return {
    atom: spliceBodies(atom.atom1(), marker, bodies, cdata),
    rss: spliceBodies(rss.rss2(), marker, bodies, cdata),
    json: spliceBodies(json.json1(), marker, bodies, jsonString),
  };
}
