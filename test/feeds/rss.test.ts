/**
 * renderRss over the fixed corpus, read back by fast-xml-parser (strict, values as written), @rowanmanning/feed-parser
 * and python3-feedparser, each value compared exactly with the item it came from.
 */
import { describe, expect, it } from 'vitest';
import { decodeHTML } from 'entities';
import { parseFeed } from '@rowanmanning/feed-parser';
import { renderRss } from '../../src/feeds/rss.js';
import { feedItems, itemAuthors } from '../../src/feeds/item.js';
import { htmlToText } from '../../src/content/text.js';
import { escapeHtml } from '../../src/content/escape.js';
import { shanghaiRfc822 } from '../../src/time.js';
import { HAVE_PY_FEEDPARSER } from '../helpers/feeds.js';
import { COVERS, CONTROLS_CLEAN, EMPTY_META, HOSTILE, IMAGE_MODES, META, corpus } from './corpus.js';
import { attr, parseXml, pyRead, text, type Node } from './read.js';

type El = Record<string, Node[] | Node>;
function read(xml: string) {
  const rss = parseXml(xml).rss as El;
  const channel = rss.channel as El;
  return { rss, channel, items: (channel.item ?? []) as El[] };
}
/** Names and the guid are written as `feed` wrote them: a `&amp;` already there stays (reads as `&`). */
const asWritten = (s: string): string => s.replaceAll('&amp;', '&');
const bySecond = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

const items = feedItems(corpus(), IMAGE_MODES['no-referrer']);
const xml = renderRss(META, items);
const { rss, channel, items: written } = read(xml);

describe('renderRss', () => {
  it('the channel: namespaces, title, link, description, lastBuildDate (the newest item), self link', () => {
    expect(attr(rss, 'version')).toBe('2.0');
    expect(attr(rss, 'xmlns:dc')).toBe('http://purl.org/dc/elements/1.1/');
    expect(attr(rss, 'xmlns:content')).toBe('http://purl.org/rss/1.0/modules/content/');
    expect(attr(rss, 'xmlns:atom')).toBe('http://www.w3.org/2005/Atom');
    expect(text(channel.title)).toBe(asWritten(META.title));
    expect(text(channel.link)).toBe(META.home);
    expect(text(channel.description)).toBe(META.description);
    expect(text(channel.lastBuildDate)).toBe('Fri, 19 Jul 2024 12:01:01 +0800');
    expect(text(channel.generator)).toBe('wxfeed');
    expect(text(channel.language)).toBe('zh-CN');
    expect(text(read(renderRss({ ...META, language: 'en' }, items)).channel.language)).toBe('en');
    const self = channel['atom:link'] as Node;
    expect([attr(self, 'href'), attr(self, 'rel'), attr(self, 'type')]).toEqual([
      `${META.selfBase}rss.xml`,
      'self',
      'application/rss+xml',
    ]);
  });

  it('one item per item, in order, every value exactly the item’s; dc:creator, never <author>', () => {
    expect(written).toHaveLength(items.length);
    written.forEach((r, n) => {
      const item = items[n]!;
      // HTML, as Atom's type="html" title: a reader shows its text, exactly the title.
      expect(r.title === undefined ? undefined : decodeHTML(text(r.title)!)).toBe(item.title || undefined);
      expect(text(r.link)).toBe(item.link);
      expect(text(r.guid)).toBe(asWritten(item.id));
      expect(attr(r.guid as Node, 'isPermaLink')).toBe('false');
      expect(text(r.pubDate)).toBe(shanghaiRfc822(item.date.getTime()));
      expect(r.description === undefined ? '' : decodeHTML(text(r.description)!)).toBe(item.summary);
      expect(text(r['content:encoded'])).toBe(item.content ? item.content.replaceAll(']]>', ']]&gt;') : undefined);
      expect(r.author).toBeUndefined();
      // dc:creator the account (or the article's author when no account is known), dc:contributor the author.
      const [creator, contributor] = itemAuthors(item);
      expect((r['dc:creator'] as Node[] | undefined)?.map(text)).toEqual(creator ? [asWritten(creator)] : undefined);
      expect(text(r['dc:contributor'])).toBe(contributor ? asWritten(contributor) : undefined);
      expect(text(r.category)).toBe(item.account);
      const enclosure = r.enclosure as Node[] | undefined;
      expect(enclosure?.map((e) => [attr(e, 'url'), attr(e, 'type'), attr(e, 'length')])).toEqual(
        item.enclosure ? [[item.enclosure.url, item.enclosure.type, '0']] : undefined,
      );
      expect(attr(r['media:thumbnail'] as Node, 'url')).toBe(item.image);
    });
    expect(xml).not.toContain('<author>');
  });

  it('hostile text reads back exactly; control characters and lone surrogates gone', () => {
    const hostile = written.find((r) => decodeHTML(text(r.title) ?? '') === HOSTILE)!;
    // Markup in a title is text: escaped, never bold.
    expect(text(hostile.title)).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(decodeHTML(text(hostile.description)!)).toBe(HOSTILE);
    expect(text(hostile['dc:creator'])).toBe('账号 <a> & b ]]>');
    expect(text(hostile['dc:contributor'])).toBe('作者 <x> & y & z ]]>');
    const controls = written.find((r) => text(r.title)?.startsWith('控制字符'))!;
    expect(text(controls.title)).toBe(`控制字符 ${CONTROLS_CLEAN}`);
    expect(text(controls['dc:creator'])).toBe(`账号${CONTROLS_CLEAN}`);
  });

  it('the cover is the enclosure, its MIME type from wx_fmt=, a mmbiz_<fmt> segment or the extension', () => {
    const enclosures = (mode: keyof typeof IMAGE_MODES) =>
      read(renderRss(META, feedItems(corpus(), IMAGE_MODES[mode]))).items.flatMap((r) =>
        ((r.enclosure as Node[] | undefined) ?? []).map((e) => [attr(e, 'type'), attr(e, 'url')]),
      );
    expect(enclosures('direct')).toEqual([
      ['image/jpeg', COVERS.wxFmt],
      ['image/png', COVERS.mmbizSegment],
      ['image/gif', COVERS.wxGif],
      ['image/webp', COVERS.extension],
      ['image/jpeg', COVERS.quoted],
    ]);
    expect(enclosures('no-referrer')).toEqual(enclosures('direct'));
    // Through the proxy: WeChat images only.
    const proxy = IMAGE_MODES.proxy.proxy!;
    expect(enclosures('proxy')).toEqual([
      ['image/jpeg', proxy(COVERS.wxFmt)],
      ['image/png', proxy(COVERS.mmbizSegment)],
      ['image/gif', proxy(COVERS.wxGif)],
      ['image/webp', COVERS.extension],
      ['image/jpeg', proxy(COVERS.quoted)],
    ]);
  });

  it('@rowanmanning/feed-parser reads every item', () => {
    const parsed = parseFeed(xml);
    expect(parsed.title).toBe(asWritten(META.title));
    expect(parsed.self).toBe(`${META.selfBase}rss.xml`);
    expect(parsed.language).toBe('zh-CN');
    expect(parsed.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    // This parser decodes a title's text once more than XML does (a CDATA title's `&amp;` came back as `&`): a
    // title written with character references comes back as the HTML it is.
    expect(parsed.items.map((i) => i.title)).toEqual(items.map((i) => (i.title ? escapeHtml(i.title) : null)));
    expect(parsed.items.map((i) => i.url)).toEqual(items.map((i) => i.link));
    expect(parsed.items.map((i) => i.published?.toISOString())).toEqual(items.map((i) => i.date.toISOString()));
    expect(parsed.items.map((i) => i.authors.map((a) => a.name)[0])).toEqual(
      items.map((i) => (itemAuthors(i)[0] ? asWritten(itemAuthors(i)[0]!) : undefined)),
    );
    expect(parsed.items.map((i) => i.mediaImages.map((m) => [m.url, m.mimeType]))).toEqual(
      items.map((i) => (i.enclosure ? [[i.enclosure.url, i.enclosure.type]] : [])),
    );
  });

  it.skipIf(!HAVE_PY_FEEDPARSER)('python3-feedparser reads it without bozo, every item exactly', () => {
    const [py] = pyRead(xml);
    expect(py!.bozo, py!.bozo_exception ?? '').toBe(0);
    expect(py!.version).toBe('rss20');
    expect(py!).toMatchObject({ title: asWritten(META.title), link: META.home, language: 'zh-CN' });
    expect(py!.entries).toHaveLength(items.length);
    py!.entries.forEach((e, n) => {
      const item = items[n]!;
      expect(e.id).toBe(asWritten(item.id));
      // feedparser sees the HTML (title type text/html when it holds a reference) and gives it as it is.
      expect(decodeHTML(e.title ?? '')).toBe(item.title);
      if (/[&<>"]/.test(item.title)) expect(e.title_type).toBe('text/html');
      expect(e.link).toBe(item.link);
      expect(e.published).toBe(bySecond(item.date));
      // The author column is the account.
      expect(e.author ?? undefined).toBe(itemAuthors(item)[0] ? asWritten(itemAuthors(item)[0]!) : undefined);
      expect(htmlToText(e.content ?? '')).toBe(htmlToText(item.content));
      expect(e.enclosures).toEqual(
        item.enclosure ? [{ href: item.enclosure.url, type: item.enclosure.type, length: '0' }] : [],
      );
    });
  });

  it('an empty feed: the epoch as lastBuildDate, no items, and no namespace it does not use', () => {
    const empty = renderRss(EMPTY_META, []);
    const r = read(empty);
    expect(text(r.channel.lastBuildDate)).toBe('Thu, 01 Jan 1970 08:00:00 +0800');
    expect(r.items).toEqual([]);
    expect(attr(r.rss, 'xmlns:content')).toBeUndefined();
    expect(parseFeed(empty).items).toEqual([]);
  });
});

describe('renderRss: namespaces and attribute values', () => {
  const base = { ...corpus()[0]!, reprint: undefined };
  it.skipIf(!HAVE_PY_FEEDPARSER)('an author named where no item has content: dc is declared', () => {
    const out = renderRss(META, feedItems([{ ...base, contentHtml: '', state: 'full' }]));
    const r = read(out);
    expect(attr(r.rss, 'xmlns:dc')).toBe('http://purl.org/dc/elements/1.1/');
    expect(attr(r.rss, 'xmlns:content')).toBeUndefined();
    const [py] = pyRead(out);
    expect(py!.bozo, py!.bozo_exception ?? '').toBe(0);
    expect(py!.entries[0]!.author).toBe('丙号');
  });

  it.skipIf(!HAVE_PY_FEEDPARSER)(
    'a cover URL with `<`, `"` and `&` is a well-formed attribute and reads back exactly',
    () => {
      const cover = 'https://x.example/a<b>"c"&d.png';
      const out = renderRss(META, feedItems([{ ...base, cover }]));
      const [py] = pyRead(out);
      expect(py!.bozo, py!.bozo_exception ?? '').toBe(0);
      expect(py!.entries[0]!.enclosures).toEqual([{ href: cover, type: 'image/png', length: '0' }]);
      expect(read(out).items[0]!.enclosure).toBeDefined();
    },
  );
});
