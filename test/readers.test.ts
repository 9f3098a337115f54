import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import Database from 'better-sqlite3';
import { build } from '../src/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { createApp, listen } from '../src/server/app.js';
import type { Config } from '../src/types.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { HAVE_PY_FEEDPARSER, pyFeedparser } from './helpers/feeds.js';
import { SEED } from './helpers/paths.js';

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
