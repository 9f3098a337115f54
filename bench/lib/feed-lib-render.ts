/**
 * The renderer as it was before issue 10 (src/feeds/render.ts at commit c0ac295), over the `feed` package, kept here
 * to be measured against: given a `Feed` class (feed 5.2.1 from node_modules, or feed 6.0.0 imported by path), it
 * renders the three formats with the same workarounds — control characters stripped, `]]>` in CDATA, Atom's html
 * titles, `dc:creator` instead of RSS `<author>`, enclosure MIME from `wx_fmt=` — and, unless `splice` is false, the
 * marker/splice step that keeps xml-js from copying the bodies. Feed 6 escapes `&` in enclosure URLs itself, so for
 * it the URL goes in as it is (escaping it first would write `&amp;amp;`).
 */
import { randomBytes } from 'node:crypto';
import type { FeedOptions, Item } from 'feed';
import { imageMime, isWechatImage } from '../../src/content/images.js';
import { cleanText } from '../../src/content/text.js';
import { GENERATOR, presentContent, type FeedMeta, type ImageOptions } from '../../src/feeds/item.js';
import type { FeedArticle } from '../../src/types.js';
import type { RenderedFeed } from '../../src/feeds/render.js';

/** What the two versions of `feed` have in common. */
interface FeedLike {
  addItem(item: Item): unknown;
  atom1(): string;
  rss2(): string;
  json1(): string;
}
export type FeedClass = new (options: FeedOptions) => FeedLike;

export type Format = 'atom' | 'rss' | 'json';

export interface LibRenderer {
  /** All three formats, the bodies presented once (as renderFeeds did). */
  feeds(meta: FeedMeta, articles: readonly FeedArticle[], images: ImageOptions): RenderedFeed;
  /** One format alone. */
  format(format: Format, meta: FeedMeta, articles: readonly FeedArticle[], images: ImageOptions): string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const htmlCdata = (html: string): string => cleanText(html).replace(/]]>/g, ']]&gt;');
function textCdata(text: string): string {
  const clean = cleanText(text);
  const first = clean.indexOf(']]>');
  if (first < 0) return clean;
  return clean.slice(0, first + 3) + clean.slice(first + 3).replace(/]]>/g, ']]]]><![CDATA[>');
}
const absoluteUrl = (value: string): boolean => /^https?:\/\//.test(value);
const proxied = (url: string, images: ImageOptions): string =>
  images.mode === 'proxy' && images.proxy && isWechatImage(url) ? images.proxy(url) : url;

const cdata = (body: string): string => body.replace(/]]>/g, ']]&gt;');

function bodyMarker(texts: readonly string[]): string {
  for (;;) {
    const marker = `wxfeedbody${randomBytes(8).toString('hex')}n`;
    if (!texts.some((t) => t.includes(marker))) return marker;
  }
}

function spliceBodies(text: string, marker: string, bodies: readonly string[], encode: (b: string) => string): string {
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

export function libRenderer(Feed: FeedClass, version: 5 | 6, splice: boolean): LibRenderer {
  function render(
    formats: readonly Format[],
    meta: FeedMeta,
    articles: readonly FeedArticle[],
    images: ImageOptions,
  ): Partial<RenderedFeed> {
    const updated = new Date(articles.length > 0 ? Math.max(...articles.map((a) => a.date)) : 0);
    const options: FeedOptions = {
      id: meta.id,
      title: cleanText(meta.title),
      description: cleanText(meta.description),
      link: meta.home,
      updated,
      generator: GENERATOR,
      language: 'zh-CN',
      feedLinks: {
        atom: `${meta.selfBase}atom.xml`,
        rss: `${meta.selfBase}rss.xml`,
        json: `${meta.selfBase}feed.json`,
      },
      author: { name: cleanText(meta.author ?? meta.title) },
    };
    const feeds = { atom: new Feed(options), rss: new Feed(options), json: new Feed(options) };
    const bodies = articles.map((a) => cleanText(presentContent(a, images)));
    const marker = splice
      ? bodyMarker([...bodies, ...articles.flatMap((a) => [a.title, a.summary, a.link, a.author ?? '', a.cover ?? ''])])
      : '';
    articles.forEach((given, n) => {
      const a = given.summary.trim() ? given : { ...given, summary: given.title };
      // Without the splice step the bodies go through xml-js, which splits only the first `]]>` of each: they go in
      // with `]]>` written out as `]]&gt;`, as the splice step writes them.
      const body = bodies[n];
      const xmlContent = body ? (splice ? `${marker}${n}x` : cdata(body)) : undefined;
      const jsonContent = body ? (splice ? `${marker}${n}x` : body) : undefined;
      const author = a.author ? cleanText(a.author) : undefined;
      const original = a.cover && absoluteUrl(a.cover) ? a.cover : undefined;
      const type = original ? imageMime(original) : undefined;
      const cover = original ? proxied(original, images) : undefined;
      const base = {
        id: cleanText(a.id),
        link: cleanText(a.link),
        date: new Date(a.date),
        published: new Date(a.date),
      };
      if (formats.includes('atom'))
        feeds.atom.addItem({
          ...base,
          title: htmlCdata(escapeHtml(a.title)),
          description: htmlCdata(escapeHtml(a.summary)),
          content: xmlContent,
          ...(author ? { author: [{ name: author }] } : {}),
        });
      if (formats.includes('rss')) {
        const url = cover && (version === 5 ? cover.replace(/&/g, '&amp;') : cover);
        feeds.rss.addItem({
          ...base,
          title: textCdata(a.title),
          description: htmlCdata(escapeHtml(a.summary)),
          content: xmlContent,
          ...(url && type ? { enclosure: { url, type, length: 0 } } : {}),
          ...(author ? { extensions: [{ name: 'dc:creator', objects: { _text: author } }] } : {}),
        });
      }
      if (formats.includes('json'))
        feeds.json.addItem({
          ...base,
          title: cleanText(a.title),
          description: cleanText(a.summary),
          content: jsonContent,
          ...(cover ? { image: cover } : {}),
          ...(author ? { author: [{ name: author }] } : {}),
        });
    });
    const jsonString = (body: string): string => JSON.stringify(body).slice(1, -1);
    const out: Partial<RenderedFeed> = {};
    if (formats.includes('atom'))
      out.atom = splice ? spliceBodies(feeds.atom.atom1(), marker, bodies, cdata) : feeds.atom.atom1();
    if (formats.includes('rss'))
      out.rss = splice ? spliceBodies(feeds.rss.rss2(), marker, bodies, cdata) : feeds.rss.rss2();
    if (formats.includes('json'))
      out.json = splice ? spliceBodies(feeds.json.json1(), marker, bodies, jsonString) : feeds.json.json1();
    return out;
  }
  return {
    feeds: (meta, articles, images) => render(['atom', 'rss', 'json'], meta, articles, images) as RenderedFeed,
    format: (format, meta, articles, images) => render([format], meta, articles, images)[format]!,
  };
}
