/**
 * renderAtom over the fixed corpus, read back by fast-xml-parser (strict, values as written), @rowanmanning/feed-parser
 * and python3-feedparser, each value compared exactly with the item it came from.
 */
import { describe, expect, it } from 'vitest';
import { decodeHTML } from 'entities';
import { parseFeed } from '@rowanmanning/feed-parser';
import { renderAtom } from '../../src/feeds/atom.js';
import { feedItems, itemAuthors, type FeedItem } from '../../src/feeds/item.js';
import { htmlToText } from '../../src/content/text.js';
import { shanghaiIso } from '../../src/time.js';
import { HAVE_PY_FEEDPARSER } from '../helpers/feeds.js';
import { COVERS, CONTROLS_CLEAN, EMPTY_META, HOSTILE, IMAGE_MODES, META, corpus } from './corpus.js';
import { attr, parseXml, pyRead, text, type Node } from './read.js';

const items = feedItems(corpus(), IMAGE_MODES['no-referrer']);
const xml = renderAtom(META, items);
const feed = parseXml(xml).feed as Record<string, Node[]>;
const entries = feed.entry as Array<Record<string, Node[] | Node>>;
/** Names and titles in text nodes are written as `feed` wrote them: a `&amp;` already there stays (reads as `&`). */
const asWritten = (s: string): string => s.replaceAll('&amp;', '&');
const bySecond = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

describe('renderAtom', () => {
  it('the feed: id, title, updated (the newest item), generator, author, links, subtitle', () => {
    expect(text(feed.id)).toBe(META.id);
    expect(text(feed.title)).toBe(asWritten(META.title));
    expect(text(feed.updated)).toBe('2024-07-19T12:01:01+08:00');
    expect(text(feed.generator)).toBe('wxfeed');
    expect(text(((feed.author as Node[])[0] as Record<string, Node>).name)).toBe('丙号 & Co');
    expect(feed.link!.map((l) => [attr(l, 'rel'), attr(l, 'href')])).toEqual([
      ['alternate', META.home],
      ['self', `${META.selfBase}atom.xml`],
    ]);
    expect(text(feed.subtitle)).toBe(META.description);
    expect(attr(parseXml(xml).feed as Node, 'xml:lang')).toBe('zh-CN');
    expect(attr(parseXml(renderAtom({ ...META, language: 'en' }, items)).feed as Node, 'xml:lang')).toBe('en');
  });

  it('one entry per item, in order, every value exactly the item’s; the account the author, the article’s own author a contributor', () => {
    expect(entries).toHaveLength(items.length);
    entries.forEach((e, n) => {
      const item = items[n]!;
      expect(attr(e.title as Node, 'type')).toBe('html');
      // type="html": the CDATA holds the title escaped as HTML; a reader shows its text.
      expect(decodeHTML(text(e.title)!)).toBe(item.title);
      expect(text(e.id)).toBe(item.id);
      expect((e.link as Node[]).map((l) => [attr(l, 'rel'), attr(l, 'type'), attr(l, 'href')])).toEqual([
        [undefined, undefined, item.link],
        ...(item.enclosure ? [['enclosure', item.enclosure.type, item.enclosure.url]] : []),
      ]);
      expect(attr(e['media:thumbnail'] as Node, 'url')).toBe(item.image);
      expect(text(e.updated)).toBe(shanghaiIso(item.date.getTime()));
      expect(text(e.published)).toBe(shanghaiIso(item.date.getTime()));
      expect(e.summary === undefined ? undefined : decodeHTML(text(e.summary)!)).toBe(item.summary || undefined);
      expectContent(e.content, item);
      // The account first, then the article's own author; the account is the category.
      const author = e.author as Array<Record<string, Node>> | undefined;
      const [first, second] = itemAuthors(item).map(asWritten);
      expect(author?.map((a) => text(a.name))).toEqual(first ? [first] : undefined);
      expect(text((e.contributor as Record<string, Node> | undefined)?.name)).toBe(second);
      expect(attr(e.category as Node, 'term')).toBe(item.account);
    });
  });

  it('the cover: an enclosure link with its image type, and a Media RSS thumbnail (namespace declared only when used)', () => {
    expect(attr(parseXml(xml).feed as Node, 'xmlns:media')).toBe('http://search.yahoo.com/mrss/');
    const covers = (mode: keyof typeof IMAGE_MODES) =>
      ((parseXml(renderAtom(META, feedItems(corpus(), IMAGE_MODES[mode]))).feed as Record<string, Node[]>).entry ?? [])
        .flatMap((e) => (e as Record<string, Node[]>).link!)
        .filter((l) => attr(l, 'rel') === 'enclosure')
        .map((l) => [attr(l, 'type'), attr(l, 'href')]);
    expect(covers('direct')).toEqual([
      ['image/jpeg', COVERS.wxFmt],
      ['image/png', COVERS.mmbizSegment],
      ['image/gif', COVERS.wxGif],
      ['image/webp', COVERS.extension],
      ['image/jpeg', COVERS.quoted],
    ]);
    const proxy = IMAGE_MODES.proxy.proxy!;
    expect(covers('proxy')[0]).toEqual(['image/jpeg', proxy(COVERS.wxFmt)]);
    const bare = renderAtom(META, feedItems(corpus().map((a) => ({ ...a, cover: undefined }))));
    expect(bare).not.toContain('xmlns:media');
    expect(bare).not.toContain('rel="enclosure"');
  });

  it('hostile text reads back: `]]>`, markup, `&`, quotes, emoji, CJK; control characters and lone surrogates gone', () => {
    const hostile = entries.find((e) => decodeHTML(text(e.title)!) === HOSTILE);
    expect(hostile).toBeDefined();
    expect(decodeHTML(text(hostile!.summary)!)).toBe(HOSTILE);
    expect(htmlToText(text(hostile!.content)!)).toContain(`A ]]> B ]]> C <b>x</b> & &amp; 🎉 中文 "q" 's'`);
    const controls = entries.find((e) => text(e.title)!.startsWith('控制字符'))!;
    expect(text(controls.title)).toBe(`控制字符 ${CONTROLS_CLEAN}`);
    expect(text(controls.content)).toBe(`<p>${CONTROLS_CLEAN}</p><p>😀 emoji 🇨🇳 and 汉字</p>`);
  });

  it('an item without summary or title has none; one without content has no <content>', () => {
    const untitled = entries.at(-1)!;
    expect(text(untitled.title)).toBe('');
    expect(untitled.summary).toBeUndefined();
    const empty = entries.find((e) => text(e.title) === '空正文')!;
    expect(empty.content).toBeUndefined();
    expect(text(empty.summary)).toBe('空正文');
  });

  it('@rowanmanning/feed-parser reads every entry exactly', () => {
    const parsed = parseFeed(xml);
    expect(parsed.title).toBe(asWritten(META.title));
    expect(parsed.self).toBe(`${META.selfBase}atom.xml`);
    expect(parsed.url).toBe(META.home);
    expect(parsed.updated?.toISOString()).toBe('2024-07-19T04:01:01.000Z');
    expect(parsed.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(parsed.items.map((i) => i.title)).toEqual(items.map((i) => i.title || null));
    expect(parsed.items.map((i) => i.url)).toEqual(items.map((i) => i.link));
    expect(parsed.items.map((i) => i.published?.toISOString())).toEqual(items.map((i) => i.date.toISOString()));
    // An entry without an author has the feed's.
    expect(parsed.items.map((i) => i.authors.map((a) => a.name))).toEqual(
      items.map((i) => [itemAuthors(i)[0] ? asWritten(itemAuthors(i)[0]!) : '丙号 & Co']),
    );
    expect(parsed.items.map((i) => i.mediaImages.map((m) => [m.url, m.mimeType]))).toEqual(
      items.map((i) => (i.enclosure ? [[i.enclosure.url, i.enclosure.type]] : [])),
    );
    expect(parsed.items.map((i) => i.categories.map((c) => c.term))).toEqual(
      items.map((i) => (i.account ? [i.account] : [])),
    );
  });

  it.skipIf(!HAVE_PY_FEEDPARSER)('python3-feedparser reads it without bozo, every entry exactly', () => {
    const [py] = pyRead(xml);
    expect(py!.bozo, py!.bozo_exception ?? '').toBe(0);
    expect(py!.version).toBe('atom10');
    expect(py!).toMatchObject({
      title: asWritten(META.title),
      link: META.home,
      self: `${META.selfBase}atom.xml`,
      updated: '2024-07-19T04:01:01Z',
    });
    expect(py!.entries).toHaveLength(items.length);
    py!.entries.forEach((e, n) => {
      const item = items[n]!;
      expect(e.id).toBe(item.id);
      expect(e.title_type).toBe('text/html');
      expect(decodeHTML(e.title ?? '')).toBe(item.title);
      expect(e.link).toBe(item.link);
      expect(e.published).toBe(bySecond(item.date));
      expect(e.updated).toBe(bySecond(item.date));
      // The author column is the account.
      expect(e.author ?? undefined).toBe(itemAuthors(item)[0] ? asWritten(itemAuthors(item)[0]!) : undefined);
      // (feedparser takes the content as summary when there is none.)
      if (item.summary) expect(decodeHTML(e.summary ?? '')).toBe(item.summary);
      // feedparser sanitizes HTML (it drops referrerpolicy): the text is the same.
      expect(htmlToText(e.content ?? '')).toBe(htmlToText(item.content));
    });
  });

  it('an empty feed: the epoch as updated, the title as author, no entries', () => {
    const empty = renderAtom(EMPTY_META, []);
    const f = parseXml(empty).feed as Record<string, Node[]>;
    expect(text(f.updated)).toBe('1970-01-01T08:00:00+08:00');
    expect(text(((f.author as Node[])[0] as Record<string, Node>).name)).toBe(EMPTY_META.title);
    expect(f.entry).toBeUndefined();
    expect(parseFeed(empty).items).toEqual([]);
  });
});

/** The body as written: exactly the item's, `]]>` written as `]]&gt;` (the same HTML). */
function expectContent(node: Node | Node[] | undefined, item: FeedItem): void {
  if (!item.content) {
    expect(node).toBeUndefined();
    return;
  }
  expect(attr(node as Node, 'type')).toBe('html');
  expect(text(node)).toBe(item.content.replaceAll(']]>', ']]&gt;'));
  expect(htmlToText(text(node)!)).toBe(htmlToText(item.content));
}
