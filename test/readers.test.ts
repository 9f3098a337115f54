import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import Database from 'better-sqlite3';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from './helpers/log.js';
import { createApp, listen } from '../src/server/app.js';
import type { Config } from '../src/types.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { HAVE_PY_FEEDPARSER, type PyFeed, pyFeedparser } from './helpers/feeds.js';
import { HAVE_SHARED, REAL_DUMPS, SEED } from './helpers/paths.js';

const HAVE_NEWSBOAT = spawnSync('newsboat', ['-v'], { encoding: 'utf8' }).status === 0;
if (process.env.CI && !HAVE_NEWSBOAT) throw new Error('CI: newsboat is missing (.ci/run must install it)');

const url = (biz: string, mid: number, n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=1&sn=${n.toString(16).padStart(32, 'c')}`;
const ARTICLES = [
  { title: '第一篇 & <标签>', url: url('MzI2NzI2OTExNA==', 100, 1), source: '账号甲', date: '2024-07-01' },
  { title: 'Second: "quoted" ]]> 🎉', url: url('MzI2NzI2OTExNA==', 101, 2), source: '账号甲', date: '2024-07-02' },
  { title: '乙的文章', url: url('MjM5NTU4NjgzMg==', 200, 3), source: '账号乙', date: '2024-07-03' },
];

let t: { dir: string; cleanup: () => void };
let server: Server;
let config: Config;

beforeAll(async () => {
  t = tempDir();
  for (const [i, a] of ARTICLES.entries()) writeFile(join(t.dir, `dumps/${i}.md`), dump(a, `正文 ${i}。`));
  writeFile(join(t.dir, 'dumps/seed.txt'), readFileSync(SEED));
  server = createApp({
    output: join(t.dir, 'out'),
    baseUrl: 'http://127.0.0.1/',
    health: () => ({ ok: true, body: {} }),
  });
  const { port } = await listen(server, '127.0.0.1', 0);
  config = resolveConfig(
    { baseUrl: `http://127.0.0.1:${port}/`, dumps: ['dumps'], output: 'out', store: 'wxfeed.db', urlFiles: [] },
    join(t.dir, 'c.yaml'),
    t.dir,
  );
  await build(config, { log: silentLogger });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  t.cleanup();
});

describe('real feed readers', () => {
  it.skipIf(!HAVE_NEWSBOAT)(
    'newsboat imports feeds.opml over HTTP, reloads, and holds each article once with its exact title and link',
    async () => {
      const home = join(t.dir, 'nb');
      writeFile(join(home, 'config'), 'reload-threads 2\n');
      const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
      const opml = join(t.dir, 'feeds.opml');
      writeFileSync(opml, readFileSync(join(config.output, 'feeds.opml')));
      const common = ['-C', join(home, 'config'), '-u', join(home, 'urls'), '-c', join(home, 'cache.db')];
      const imp = spawnSync('newsboat', [...common, '-i', opml], { env, encoding: 'utf8', timeout: 30_000 });
      expect(imp.status, imp.stderr).toBe(0);
      expect(readFileSync(join(home, 'urls'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2); // 账号甲 and the seed's account share one biz: one feed
      // Asynchronously: the feed server runs in this process and must keep answering while newsboat reloads.
      const reload = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn('newsboat', [...common, '-x', 'reload'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, err }));
      });
      expect(reload.code, reload.err).toBe(0);
      const db = new Database(join(home, 'cache.db'), { readonly: true });
      const items = db.prepare('SELECT guid, title, url, feedurl FROM rss_item ORDER BY feedurl, url').all() as Array<{
        guid: string;
        title: string;
        url: string;
        feedurl: string;
      }>;
      db.close();
      const expected = [
        ...ARTICLES,
        {
          title: '小米获 NVDB “2023年度漏洞管理实践先进企业” 荣誉',
          url: 'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516897&idx=1&sn=f1e158dc91284eb64c5daebc25ee1b5a',
        },
      ];
      expect(items).toHaveLength(expected.length);
      for (const e of expected) {
        const found = items.filter((i) => i.url === e.url);
        expect(found, e.url).toHaveLength(1);
        expect(found[0]!.title).toBe(e.title);
        expect(found[0]!.guid).toBe(e.url);
      }
    },
  );

  it.skipIf(!HAVE_PY_FEEDPARSER)(
    'feedparser: every feed without bozo; each article once per feed; the same guid in Atom, RSS and all/',
    () => {
      const slugs = ['3267269114', '2395586832', 'all'];
      const files = slugs.flatMap((s) => [join(config.output, s, 'atom.xml'), join(config.output, s, 'rss.xml')]);
      const parsed = pyFeedparser(files);
      parsed.forEach((f, i) => {
        expect(f.bozo, `${files[i]}: ${f.bozo_exception}`).toBe(0);
      });
      const guids = (i: number) => parsed[i]!.entries.map((e) => e.id);
      for (let i = 0; i < parsed.length; i += 2) {
        expect(guids(i)).toEqual(guids(i + 1));
        expect(new Set(guids(i)).size).toBe(guids(i).length);
      }
      const all = new Map(parsed[4]!.entries.map((e) => [e.id, e]));
      for (const e of [...parsed[0]!.entries, ...parsed[2]!.entries]) {
        expect(all.get(e.id)).toMatchObject({ title: e.title, link: e.link });
      }
      expect(all.get(ARTICLES[1]!.url)?.title).toBe('Second: "quoted" ]]> 🎉');
    },
  );
});

/**
 * Issue 12, what a reader shows, on the real dumps of ../shared (and one aggregator copy of a real account's
 * article): the author column is the account, dates read +08:00, and Atom carries the cover.
 */
describe.skipIf(!HAVE_SHARED)('real feed readers on real dumps (issue 12: items 1, 4, 5)', () => {
  const XIAOMI =
    'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516897&idx=1&sn=f1e158dc91284eb64c5daebc25ee1b5a';
  const XIAOMI_COVER =
    'https://mmbiz.qpic.cn/mmbiz_jpg/zabS4D3Aq5ibdDl8kBr0icAsYndyQR2aoibk8k3gicRU4pH5WicqVDVbnl6KJ8hicMHDbP8ZN9fhcGrqhG4H4icLUeSiaw/0?wx_fmt=jpeg';
  /** The aggregator's copy of another article of 小米安全中心 (its biz), captured as a shell. */
  const RELAYED =
    'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516999&idx=1&sn=0123456789abcdef0123456789abcdef';
  /** 2024-07-12 00:00 +08:00, in Unix seconds. */
  const JULY_12 = Date.parse('2024-07-12T00:00:00+08:00') / 1000;
  let r: { dir: string; cleanup: () => void };
  let realServer: Server;
  let real: Config;

  beforeAll(async () => {
    r = tempDir();
    for (const name of readdirSync(REAL_DUMPS).filter((n) => n.endsWith('.md') && n !== 'SOURCES.md'))
      writeFile(join(r.dir, 'dumps', name), readFileSync(join(REAL_DUMPS, name)));
    writeFile(
      join(r.dir, 'dumps/relayed.md'),
      dump(
        { title: '聚合转载的小米文章', url: RELAYED, source: "Doonsec's feed", date: '2024-07-13' },
        '：\n，\n。\n\n视频\n小程序\n赞',
      ),
    );
    realServer = createApp({
      output: join(r.dir, 'out'),
      baseUrl: 'http://127.0.0.1/',
      health: () => ({ ok: true, body: {} }),
    });
    const { port } = await listen(realServer, '127.0.0.1', 0);
    real = resolveConfig(
      { baseUrl: `http://127.0.0.1:${port}/`, dumps: ['dumps'], output: 'out', store: 'wxfeed.db', urlFiles: [] },
      join(r.dir, 'c.yaml'),
      r.dir,
    );
    await build(real, { log: silentLogger });
  });
  afterAll(async () => {
    await new Promise((done) => realServer.close(done));
    r.cleanup();
  });

  it.skipIf(!HAVE_NEWSBOAT)(
    'newsboat (subscribed to Atom through feeds.opml): the account as author, the instant of +08:00 midnight; the Atom it reads has the cover',
    async () => {
      const home = join(r.dir, 'nb');
      writeFile(join(home, 'config'), 'reload-threads 2\n');
      const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
      const opml = join(r.dir, 'feeds.opml');
      writeFileSync(opml, readFileSync(join(real.output, 'feeds.opml')));
      const common = ['-C', join(home, 'config'), '-u', join(home, 'urls'), '-c', join(home, 'cache.db')];
      const imp = spawnSync('newsboat', [...common, '-i', opml], { env, encoding: 'utf8', timeout: 30_000 });
      expect(imp.status, imp.stderr).toBe(0);
      const reload = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn('newsboat', [...common, '-x', 'reload'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, err }));
      });
      expect(reload.code, reload.err).toBe(0);
      const db = new Database(join(home, 'cache.db'), { readonly: true });
      const rows = db
        .prepare('SELECT url, author, pubDate, enclosure_url, enclosure_type, feedurl FROM rss_item')
        .all() as Array<{
        url: string;
        author: string;
        pubDate: number;
        enclosure_url: string;
        enclosure_type: string;
        feedurl: string;
      }>;
      db.close();
      const xiaomi = rows.find((i) => i.url === XIAOMI)!;
      expect(xiaomi).toMatchObject({ author: '小米安全中心', pubDate: JULY_12 });
      expect(xiaomi.feedurl).toMatch(/\/3267269114\/atom\.xml$/);
      // newsboat (2.21) keeps only audio and video enclosures (its podcast support), in Atom and RSS alike: the cover
      // is in the Atom file it fetched, as an enclosure link and a thumbnail (feedparser reads both, below).
      const fetched = await (await fetch(xiaomi.feedurl)).text();
      expect(fetched).toContain(
        `<link rel="enclosure" type="image/jpeg" href="${XIAOMI_COVER.replaceAll('&', '&amp;')}"/>`,
      );
      expect(fetched).toContain(`<media:thumbnail url="${XIAOMI_COVER}"/>`);
      // The aggregator's feed names the account of each article it carries, not itself.
      const relayed = rows.find((i) => i.url === RELAYED)!;
      expect(relayed.feedurl).toMatch(/\/doonsec-s-feed\/atom\.xml$/);
      expect(relayed.author).toBe('小米安全中心');
      expect(relayed.pubDate).toBe(JULY_12 + 86_400);
    },
  );

  it.skipIf(!HAVE_PY_FEEDPARSER)(
    'feedparser: the author is the account in every feed, all/ too; dates written +08:00 (+0800 in RSS); Atom has the cover',
    () => {
      const files = ['3267269114', 'doonsec-s-feed', 'all'].flatMap((s) => [
        join(real.output, s, 'atom.xml'),
        join(real.output, s, 'rss.xml'),
      ]);
      const parsed = pyFeedparser(files);
      parsed.forEach((f, i) => {
        expect(f.bozo, `${files[i]}: ${f.bozo_exception}`).toBe(0);
      });
      const [atom, rss, aggAtom, aggRss, allAtom, allRss] = parsed as [PyFeed, PyFeed, PyFeed, PyFeed, PyFeed, PyFeed];
      const entry = (f: PyFeed, id: string) => f.entries.find((e) => e.id === id)!;
      for (const f of [atom, allAtom]) {
        expect(entry(f, XIAOMI)).toMatchObject({
          author: '小米安全中心',
          tags: ['小米安全中心'],
          publishedRaw: '2024-07-12T00:00:00+08:00',
          published: '2024-07-11T16:00:00Z',
          enclosures: [{ href: XIAOMI_COVER, type: 'image/jpeg' }],
          thumbnails: [XIAOMI_COVER],
        });
      }
      for (const f of [rss, allRss])
        expect(entry(f, XIAOMI)).toMatchObject({
          author: '小米安全中心',
          publishedRaw: 'Fri, 12 Jul 2024 00:00:00 +0800',
          enclosures: [{ href: XIAOMI_COVER, type: 'image/jpeg' }],
          thumbnails: [XIAOMI_COVER],
        });
      for (const f of [aggAtom, aggRss, allAtom, allRss]) expect(entry(f, RELAYED).author).toBe('小米安全中心');
      // Every dated value of every feed is written in Beijing time; every item of all/ that has an account names it.
      for (const f of [atom, aggAtom, allAtom]) for (const e of f.entries) expect(e.publishedRaw).toMatch(/\+08:00$/);
      for (const f of [rss, aggRss, allRss]) for (const e of f.entries) expect(e.publishedRaw).toMatch(/ \+0800$/);
      const sources = new Set(
        readdirSync(REAL_DUMPS)
          .filter((n) => n.endsWith('.md') && n !== 'SOURCES.md')
          .map((n) => /^source: (.*)$/m.exec(readFileSync(join(REAL_DUMPS, n), 'utf8'))![1]!),
      );
      const named = allAtom.entries.filter((e) => e.author);
      expect(named.length).toBeGreaterThan(20);
      for (const e of named) expect(sources.has(e.author!), e.author!).toBe(true);
    },
  );
});
