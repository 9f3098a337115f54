/**
 * What a reader sees, through whole builds (issue 12): the feeds' language and every text wxfeed writes into feeds
 * and the OPML, in `zh-CN` and `en`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from './helpers/log.js';
import type { Config } from '../src/types.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { HAVE_SHARED, REAL_DUMPS } from './helpers/paths.js';

const BIZ_A = 'MzI2NzI2OTExNA=='; // 3267269114
const sn = (n: number) => n.toString(16).padStart(32, 'a');
const url = (biz: string, mid: number, idx: number, n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=${idx}&sn=${sn(n)}`;
const SHELL = '：\n，\n。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看';

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

function makeConfig(extra: Record<string, unknown> = {}): Config {
  return resolveConfig(
    { dumps: ['dumps'], output: 'out', store: 'data/wxfeed.db', urlFiles: [], ...extra },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
}
const read = (config: Config, path: string) => readFileSync(join(config.output, path), 'utf8');

describe('feed.language', () => {
  beforeEach(() => {
    writeFile(
      join(t.dir, 'dumps/a.md'),
      dump({ title: '正文', url: url(BIZ_A, 100, 1, 1), source: '账号甲', date: '2024-07-10' }, '正文一。'),
    );
    writeFile(
      join(t.dir, 'dumps/b.md'),
      dump({ title: '空壳', url: url(BIZ_A, 101, 1, 2), source: '账号甲', date: '2024-07-11' }, SHELL),
    );
  });

  it('zh-CN (the default): the feeds are marked zh-CN, and notices, descriptions and the OPML title are Chinese', async () => {
    const config = makeConfig();
    await build(config, { log: silentLogger });
    const atom = read(config, '3267269114/atom.xml');
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">');
    expect(atom).toContain('<subtitle>账号甲 的文章，由 wxfeed 发布</subtitle>');
    expect(atom).toContain('存档只有页面框架，没有正文。请打开原文阅读。');
    expect(atom).toContain('>阅读原文</a>');
    expect(read(config, '3267269114/rss.xml')).toContain('<language>zh-CN</language>');
    expect(JSON.parse(read(config, '3267269114/feed.json'))).toMatchObject({ language: 'zh-CN' });
    expect(read(config, 'all/atom.xml')).toContain('<title>全部公众号</title>');
    expect(read(config, 'all/atom.xml')).toContain('<subtitle>用 wxfeed 订阅的全部公众号</subtitle>');
    expect(read(config, 'feeds.opml')).toContain('<title>全部公众号</title>');
  });

  it('en: the feeds are marked en, every text wxfeed adds is English; changing it renders the feeds again', async () => {
    await build(makeConfig(), { log: silentLogger });
    const config = makeConfig({ feed: { language: 'en' } });
    const summary = await build(config, { log: silentLogger });
    expect(summary.feedsWritten).toBeGreaterThan(0);
    const atom = read(config, '3267269114/atom.xml');
    expect(atom).toContain('xml:lang="en"');
    expect(atom).toContain('<subtitle>Articles of 账号甲, published by wxfeed</subtitle>');
    expect(atom).toContain('The archived copy holds only the page frame');
    expect(atom).toContain('>Open the original article</a>');
    expect(atom).not.toContain('存档只有页面框架');
    expect(read(config, '3267269114/rss.xml')).toContain('<language>en</language>');
    expect(read(config, 'all/atom.xml')).toContain('<title>All accounts</title>');
    expect(read(config, 'feeds.opml')).toContain('<title>All accounts</title>');
  });
});

describe('feed.placeholders', () => {
  beforeEach(() => {
    writeFile(
      join(t.dir, 'dumps/a.md'),
      dump({ title: '正文', url: url(BIZ_A, 100, 1, 1), source: '账号甲', date: '2024-07-10' }, '正文一。'),
    );
    writeFile(
      join(t.dir, 'dumps/b.md'),
      dump({ title: '空壳', url: url(BIZ_A, 101, 1, 2), source: '账号甲', date: '2024-07-11' }, SHELL),
    );
    writeFile(
      join(t.dir, 'dumps/c.md'),
      dump(
        { title: '验证页', url: url(BIZ_A, 102, 1, 3), source: '账号甲', date: '2024-07-12' },
        '## 环境异常\n\n当前环境异常，完成验证后即可继续访问。\n\n去验证',
      ),
    );
  });
  const titles = (config: Config, path: string) =>
    (JSON.parse(read(config, path)) as { items: Array<{ title: string }> }).items.map((i) => i.title);

  it('show (the default): shells and captcha pages are items that say what the archive holds', async () => {
    const config = makeConfig();
    await build(config, { log: silentLogger });
    expect(titles(config, '3267269114/feed.json')).toEqual(['验证页', '空壳', '正文']);
  });

  it('hide: only articles with text appear, in the account feed and in all/; show brings them back', async () => {
    const hidden = makeConfig({ feed: { placeholders: 'hide' } });
    await build(hidden, { log: silentLogger });
    expect(titles(hidden, '3267269114/feed.json')).toEqual(['正文']);
    expect(titles(hidden, 'all/feed.json')).toEqual(['正文']);
    expect(read(hidden, '3267269114/atom.xml')).not.toContain('空壳');
    const shown = makeConfig();
    await build(shown, { log: silentLogger });
    expect(titles(shown, 'all/feed.json')).toEqual(['验证页', '空壳', '正文']);
  });
});

describe('every item names its account', () => {
  const BIZ_B = 'MjM5NTU4NjgzMg=='; // 2395586832, an account no source names
  beforeEach(() => {
    writeFile(
      join(t.dir, 'dumps/acct/a.md'),
      dump(
        {
          title: '账号自己的文章',
          url: url(BIZ_A, 100, 1, 1),
          source: '小米安全中心',
          date: '2024-07-10',
          author: '轩辕之风',
        },
        '正文一。',
      ),
    );
    writeFile(
      join(t.dir, 'dumps/agg/b.md'),
      dump(
        { title: '聚合转发的文章', url: url(BIZ_A, 101, 1, 2), source: "Doonsec's feed", date: '2024-07-11' },
        '正文二。',
      ),
    );
    writeFile(
      join(t.dir, 'dumps/agg/c.md'),
      dump(
        { title: '不知道是哪个号', url: url(BIZ_B, 200, 1, 3), source: "Doonsec's feed", date: '2024-07-12' },
        '正文三。',
      ),
    );
    writeFile(
      join(t.dir, 'dumps/blog/d.md'),
      dump(
        { title: 'A blog post', url: 'https://blog.example.com/posts/1', source: 'Example Blog', date: '2024-07-13' },
        'Text.',
      ),
    );
  });

  interface JsonItem {
    title: string;
    authors?: Array<{ name: string }>;
    tags?: string[];
  }
  const items = (config: Config, path: string) =>
    new Map((JSON.parse(read(config, path)) as { items: JsonItem[] }).items.map((i) => [i.title, i]));

  it('the account (its source label, or the account of the article’s biz in an aggregator), then the page’s author', async () => {
    const config = makeConfig();
    await build(config, { log: silentLogger });
    for (const path of ['all/feed.json', 'doonsec-s-feed/feed.json', '3267269114/feed.json']) {
      const got = items(config, path);
      if (got.has('账号自己的文章'))
        expect(got.get('账号自己的文章')).toMatchObject({
          authors: [{ name: '小米安全中心' }, { name: '轩辕之风' }],
          tags: ['小米安全中心'],
        });
      if (got.has('聚合转发的文章'))
        expect(got.get('聚合转发的文章')).toMatchObject({
          authors: [{ name: '小米安全中心' }],
          tags: ['小米安全中心'],
        });
      // An account no source names, and no page either: credited to the source that carried it (issue 20 item 6).
      if (got.has('不知道是哪个号'))
        expect(got.get('不知道是哪个号')).toMatchObject({ authors: [{ name: "Doonsec's feed" }] });
    }
    expect(items(config, 'all/feed.json').get('A blog post')).toMatchObject({ authors: [{ name: 'Example Blog' }] });
    const atom = read(config, 'all/atom.xml');
    expect(atom).toContain(
      '<author>\n            <name>小米安全中心</name>\n        </author>\n        <contributor>\n            <name>轩辕之风</name>\n        </contributor>\n        <category term="小米安全中心"/>',
    );
    const rss = read(config, 'doonsec-s-feed/rss.xml');
    expect(rss).toContain('<category>小米安全中心</category>\n            <dc:creator>小米安全中心</dc:creator>');
  });
});

describe.skipIf(!HAVE_SHARED)('reprints credit their source (a real dump)', () => {
  const NAME = 'chainreactors__picker__2023-03-24__full__2247535561_1.md';
  beforeEach(() => writeFile(join(t.dir, 'dumps', NAME), readFileSync(`${REAL_DUMPS}${NAME}`)));
  const item = (config: Config) =>
    (JSON.parse(read(config, 'all/feed.json')) as { items: Array<{ content_html: string; summary: string }> })
      .items[0]!;

  it('one credit line at the top of the content; the summary starts with the article’s own text', async () => {
    const config = makeConfig();
    await build(config, { log: silentLogger });
    const { content_html, summary } = item(config);
    expect(content_html).toMatch(/^<p>转载自 中国信息安全 · 作者 郭威<\/p>\n<p>党的“十八大”以来/);
    expect(content_html).not.toContain('以下文章来源于');
    expect(content_html).not.toContain('wx.qlogo.cn/mmhead');
    expect(summary).toMatch(/^党的“十八大”以来，党中央、国务院高度重视网络安全产业发展工作。/);
    const en = makeConfig({ feed: { language: 'en' } });
    await build(en, { log: silentLogger });
    expect(item(en).content_html).toMatch(/^<p>Reprinted from 中国信息安全 · by 郭威<\/p>/);
  });
});

describe('same-day items get distinct seconds, the same in every feed', () => {
  const BIZ_B = 'MjM5NTU4NjgzMg=='; // 2395586832
  const add = (name: string, fields: Record<string, string>) =>
    writeFile(join(t.dir, 'dumps', `${name}.md`), dump(fields, `正文 ${name}。`));
  beforeEach(() => {
    add('a1', { title: '甲 头条', url: url(BIZ_A, 300, 1, 1), source: '账号甲', date: '2024-07-12' });
    add('a2', { title: '甲 次条', url: url(BIZ_A, 300, 2, 2), source: '账号甲', date: '2024-07-12' });
    add('b1', { title: '乙 头条', url: url(BIZ_B, 100, 1, 3), source: '账号乙', date: '2024-07-12' });
    add('b0', { title: '乙 昨天', url: url(BIZ_B, 99, 1, 4), source: '账号乙', date: '2024-07-11' });
  });
  const times = (config: Config, path: string) =>
    Object.fromEntries(
      (JSON.parse(read(config, path)) as { items: Array<{ title: string; date_published: string }> }).items.map((i) => [
        i.title,
        i.date_published,
      ]),
    );

  it('00:00:00, 00:00:01, … in feed order from the oldest; one time per article in every format and in all/', async () => {
    const config = makeConfig();
    await build(config, { log: silentLogger });
    const all = times(config, 'all/feed.json');
    // Feed order of the day: mid descending, then idx ascending (甲's mass-send 300 before 乙's 100).
    expect(all).toEqual({
      '甲 头条': '2024-07-12T00:00:02+08:00',
      '甲 次条': '2024-07-12T00:00:01+08:00',
      '乙 头条': '2024-07-12T00:00:00+08:00',
      '乙 昨天': '2024-07-11T00:00:00+08:00',
    });
    for (const feed of ['3267269114', '2395586832']) {
      for (const [title, time] of Object.entries(times(config, `${feed}/feed.json`))) expect(time).toBe(all[title]);
      const atom = read(config, `${feed}/atom.xml`);
      for (const [, time] of atom.matchAll(/<updated>([^<]+)<\/updated>/g)) expect(Object.values(all)).toContain(time);
    }
    expect(read(config, 'all/rss.xml')).toContain('<pubDate>Fri, 12 Jul 2024 00:00:02 +0800</pubDate>');
  });

  it('an article of the same day that arrives later goes after them: the times already published stay', async () => {
    const config = makeConfig();
    await build(config, { log: silentLogger, now: () => Date.UTC(2024, 6, 12, 6) });
    const before = times(config, 'all/feed.json');
    // A mass-send of a higher mid than any that day, and one of a lower one: both arrive after.
    add('b2', { title: '乙 晚到', url: url(BIZ_B, 50, 1, 5), source: '账号乙', date: '2024-07-12' });
    add('a3', { title: '甲 晚到', url: url(BIZ_A, 400, 1, 6), source: '账号甲', date: '2024-07-12' });
    await build(config, { log: silentLogger, now: () => Date.UTC(2024, 6, 12, 7) });
    const after = times(config, 'all/feed.json');
    for (const [title, time] of Object.entries(before)) expect(after[title]).toBe(time);
    expect([after['乙 晚到'], after['甲 晚到']].sort()).toEqual([
      '2024-07-12T00:00:03+08:00',
      '2024-07-12T00:00:04+08:00',
    ]);
    // Newest first by the time shown, in the account's feed as in all/.
    const titles = (path: string) =>
      (JSON.parse(read(config, path)) as { items: Array<{ title: string }> }).items.map((i) => i.title);
    expect(titles('2395586832/feed.json')).toEqual(['乙 晚到', '乙 头条', '乙 昨天']);
    expect(times(config, '2395586832/feed.json')['乙 晚到']).toBe(after['乙 晚到']);
  });
});
