import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFeeds, presentContent } from '../../src/feeds/render.js';
import { renderOpml } from '../../src/feeds/opml.js';
import type { FeedArticle } from '../../src/types.js';
import { HAVE_PY_FEEDPARSER, expectWellFormed, pyFeedparser, readFeed } from '../helpers/feeds.js';
import { tempDir } from '../helpers/tmp.js';
import { escapeHtml } from '../../src/content/escape.js';

const LINK =
  'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516897&idx=1&sn=f1e158dc91284eb64c5daebc25ee1b5a';
const HOSTILE = 'A ]]> B ]]> C <b>x</b> & &amp; 🎉 中文 "q" \'s\'';

function article(over: Partial<FeedArticle> = {}): FeedArticle {
  return {
    key: 'sn:f1e158dc91284eb64c5daebc25ee1b5a',
    id: LINK,
    link: LINK,
    title: '标题',
    date: Date.UTC(2024, 6, 11, 16),
    datePrecision: 'day',
    mid: '2247516897',
    idx: '1',
    state: 'full',
    contentHtml: '<p>正文</p>',
    summary: '正文',
    contentHash: 'h',
    ...over,
  };
}

const META = {
  id: 'urn:wxfeed:feed:x',
  title: '小米安全中心',
  description: 'd',
  selfBase: 'http://localhost:8080/x/',
  home: 'http://localhost:8080/#x',
  author: '小米安全中心',
};

describe('renderFeeds', () => {
  const items = [
    article({
      title: HOSTILE,
      summary: HOSTILE,
      contentHtml: '<p>]]&gt; x ]]&gt;</p><pre><code>a &lt; b &amp;&amp; c ]]&gt; d</code></pre>',
      account: '小米安全中心',
      author: '作者 <x> & y',
      cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg&from=appmsg',
    }),
    article({
      key: 'sn:2',
      id: `${LINK}2`,
      link: `${LINK}2`,
      title: 'Second',
      date: Date.UTC(2024, 6, 10, 16),
      cover: 'https://mmbiz.qpic.cn/mmbiz_png/def/640?wx_fmt=png',
    }),
  ];
  const out = renderFeeds(META, items);

  it('writes well-formed XML that a feed parser reads back exactly', () => {
    for (const xml of [out.atom, out.rss]) {
      const feed = readFeed(xml);
      expect(feed.items.map((i) => i.id)).toEqual([LINK, `${LINK}2`]);
      // An RSS title is HTML written with character references, which this parser gives as the HTML it is.
      expect(feed.items[0]!.title).toBe(xml === out.atom ? HOSTILE : escapeHtml(HOSTILE));
      expect(feed.items[0]!.url).toBe(LINK);
      expect(feed.items[0]!.published?.toISOString()).toBe('2024-07-11T16:00:00.000Z');
      expect(feed.title).toBe('小米安全中心');
    }
  });

  it('Atom: html title escaped inside CDATA; feed updated is the newest item', () => {
    expect(out.atom).toContain('<updated>2024-07-12T00:00:00+08:00</updated>');
    expect(out.atom).toContain('<link rel="self" href="http://localhost:8080/x/atom.xml"/>');
    expect(out.atom).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('RSS: no <author> (it needs an e-mail); dc:creator instead; enclosure MIME from wx_fmt', () => {
    expect(out.rss).not.toContain('<author>');
    expect(out.rss).toContain('<dc:creator>小米安全中心</dc:creator>');
    expect(out.rss).toContain('<dc:contributor>作者 &lt;x&gt; &amp; y</dc:contributor>');
    expect(out.rss).toContain('<category>小米安全中心</category>');
    expect(out.rss).toContain(
      '<enclosure length="0" type="image/jpeg" url="https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg&amp;from=appmsg"/>',
    );
    expect(out.rss).toContain('type="image/png"');
    expect(out.rss).toContain(
      '<atom:link href="http://localhost:8080/x/rss.xml" rel="self" type="application/rss+xml"/>',
    );
  });

  it('JSON Feed: ids, titles, image and content', () => {
    const json = JSON.parse(out.json) as { version: string; feed_url: string; items: Array<Record<string, unknown>> };
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.feed_url).toBe('http://localhost:8080/x/feed.json');
    expect(json.items[0]).toMatchObject({
      id: LINK,
      url: LINK,
      title: HOSTILE,
      image: 'https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg&from=appmsg',
      date_published: '2024-07-12T00:00:00+08:00',
    });
  });

  it('strips characters XML 1.0 forbids', () => {
    const bad = renderFeeds(META, [
      article({ title: 'a\u0000b\u001Fc\uFFFEd', contentHtml: '<p>x\u0008y</p>', summary: 's\u000B' }),
    ]);
    expectWellFormed(bad.atom);
    expectWellFormed(bad.rss);
    expect(readFeed(bad.rss).items[0]!.title).toBe('abcd');
  });

  it.skipIf(!HAVE_PY_FEEDPARSER)('python3-feedparser reads both without bozo, with the same ids', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'atom.xml'), out.atom);
      writeFileSync(join(t.dir, 'rss.xml'), out.rss);
      const [atom, rss] = pyFeedparser([join(t.dir, 'atom.xml'), join(t.dir, 'rss.xml')]);
      for (const f of [atom!, rss!]) {
        expect(f.bozo, f.bozo_exception ?? '').toBe(0);
        expect(f.entries.map((e) => e.id)).toEqual([LINK, `${LINK}2`]);
        expect(f.entries[0]!.title).toBe(HOSTILE);
        expect(f.entries[0]!.published).toBe('2024-07-11T16:00:00Z');
      }
      expect(atom!.version).toBe('atom10');
      expect(rss!.version).toBe('rss20');
      expect(rss!.entries[0]!.enclosures).toEqual([
        { href: 'https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg&from=appmsg', type: 'image/jpeg' },
      ]);
    } finally {
      t.cleanup();
    }
  });

  it('an empty feed is still valid', () => {
    const empty = renderFeeds(META, []);
    expect(readFeed(empty.atom).items).toEqual([]);
    expect(readFeed(empty.rss).items).toEqual([]);
  });
});

describe('presentContent', () => {
  it('says plainly when the copy is not the article', () => {
    expect(presentContent(article({ state: 'shell', contentHtml: '' }))).toBe(
      `<p>存档只有页面框架，没有正文。请打开原文阅读。 <a href="${LINK.replace(/&/g, '&amp;')}">阅读原文</a></p>`,
    );
    expect(presentContent(article({ state: 'shell', contentHtml: '' }), undefined, 'en')).toBe(
      `<p>The archived copy holds only the page frame, not the article text. Open the original to read it. <a href="${LINK.replace(/&/g, '&amp;')}">Open the original article</a></p>`,
    );
    expect(presentContent(article({ state: 'captcha' }))).not.toContain('<p>正文</p>');
  });
  it('keeps the saved text of a later-deleted article, with the notice on top', () => {
    const html = presentContent(article({ notice: 'deleted' }), undefined, 'en');
    expect(html.startsWith('<p><strong>The author has deleted this article')).toBe(true);
    expect(presentContent(article({ notice: 'deleted' }))).toMatch(/^<p><strong>原文已被作者删除。<\/strong>/);
    expect(html).toContain('<p>正文</p>');
  });
  it('marks a cut copy', () => {
    expect(presentContent(article({ state: 'truncated' }), undefined, 'en')).toContain('cut short');
    expect(presentContent(article({ state: 'truncated' }))).toContain('存档只保存了文章的前一部分');
  });
});

describe('renderOpml', () => {
  it('one escaped outline per feed', () => {
    const xml = renderOpml('T & "x"', [
      { title: `A&B <c> "d" 'e'`, xmlUrl: 'http://h/a?x=1&y=2', htmlUrl: 'http://h/#a' },
    ]);
    expectWellFormed(xml);
    expect(xml).toContain(
      `<outline type="rss" text="A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;" title="A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;" xmlUrl="http://h/a?x=1&amp;y=2" htmlUrl="http://h/#a"/>`,
    );
  });
});
