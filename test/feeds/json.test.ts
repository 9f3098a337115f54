/**
 * renderJson over the fixed corpus, read back with JSON.parse, each value compared exactly with the item it came
 * from (no JSON Feed parser is used in the project; the format is JSON, its reading exact).
 */
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/feeds/json.js';
import { shanghaiIso } from '../../src/time.js';
import { feedItems, itemAuthors } from '../../src/feeds/item.js';
import { COVERS, CONTROLS_CLEAN, EMPTY_META, HOSTILE, IMAGE_MODES, META, corpus } from './corpus.js';

interface JsonFeed {
  version: string;
  title: string;
  home_page_url?: string;
  feed_url: string;
  description?: string;
  author: { name?: string };
  items: Array<Record<string, unknown>>;
}

const items = feedItems(corpus(), IMAGE_MODES.proxy);
const json = renderJson(META, items);
const feed = JSON.parse(json) as JsonFeed;

describe('renderJson', () => {
  it('the feed: version, title, links, description, author; four-space indent', () => {
    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: META.title,
      home_page_url: META.home,
      feed_url: `${META.selfBase}feed.json`,
      description: META.description,
      language: 'zh-CN',
      authors: [{ name: META.author }],
      author: { name: META.author },
    });
    expect(Object.keys(feed)).toEqual([
      'version',
      'title',
      'home_page_url',
      'feed_url',
      'description',
      'language',
      'authors',
      'author',
      'items',
    ]);
    expect(json).toBe(JSON.stringify(feed, null, 4));
  });

  it('one item per item, in order, every value exactly the item’s (text is never escaped for JSON)', () => {
    expect(feed.items).toHaveLength(items.length);
    feed.items.forEach((j, n) => {
      const item = items[n]!;
      expect(j).toEqual({
        id: item.id,
        // An item without content shows its summary.
        content_html: item.content || item.summary,
        url: item.link,
        ...(item.title ? { title: item.title } : {}),
        ...(item.content && item.summary ? { summary: item.summary } : {}),
        ...(item.image ? { image: item.image } : {}),
        date_modified: shanghaiIso(item.date.getTime()),
        date_published: shanghaiIso(item.date.getTime()),
        ...(itemAuthors(item).length > 0
          ? { authors: itemAuthors(item).map((name) => ({ name })), author: { name: itemAuthors(item)[0] } }
          : {}),
        ...(item.account ? { tags: [item.account] } : {}),
      });
    });
  });

  it('exact values: hostile text as it is, a cover through the proxy, a relative cover dropped', () => {
    const proxy = IMAGE_MODES.proxy.proxy!;
    const hostile = feed.items.find((j) => j.title === HOSTILE)!;
    expect(hostile).toMatchObject({
      summary: HOSTILE,
      authors: [{ name: '账号 <a> & b ]]>' }, { name: '作者 <x> & y &amp; z ]]>' }],
      author: { name: '账号 <a> & b ]]>' },
      image: proxy(COVERS.quoted),
    });
    expect(hostile.content_html).toContain('<p>]]&gt; x ]]> y</p>');
    const controls = feed.items.find((j) => String(j.title).startsWith('控制字符'))!;
    expect(controls).toMatchObject({ title: `控制字符 ${CONTROLS_CLEAN}`, author: { name: `账号${CONTROLS_CLEAN}` } });
    expect(controls.image).toBeUndefined();
    expect(feed.items.map((j) => j.image).filter(Boolean)).toEqual([
      proxy(COVERS.wxFmt),
      proxy(COVERS.mmbizSegment),
      proxy(COVERS.wxGif),
      COVERS.extension,
      COVERS.untyped,
      proxy(COVERS.quoted),
    ]);
    const untitled = feed.items.at(-1)!;
    expect(untitled).not.toHaveProperty('title');
    expect(untitled).not.toHaveProperty('summary');
    expect(feed.items.find((j) => j.title === '空正文')).toMatchObject({ content_html: '空正文' });
  });

  it('an empty feed: no items; the title as author', () => {
    const empty = JSON.parse(renderJson(EMPTY_META, [])) as JsonFeed;
    expect(empty.items).toEqual([]);
    expect(empty.author).toEqual({ name: EMPTY_META.title });
  });
});
