import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from './helpers/log.js';
import { liveFor } from '../src/commands/live.js';
import type { Config } from '../src/types.js';
import type { BuildSummary } from '../src/stages/summary.js';
import { CAPTCHA_HTML, startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { readFeed } from './helpers/feeds.js';
import { OWN_FIXTURES } from './helpers/paths.js';

const page = (name: string) => readFileSync(`${OWN_FIXTURES}pages/${name}`, 'utf8');
const A_URL =
  'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111';
const A_PATH = '/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111';
const SHORT_SN = '0123456789abcdef0123456789abcdef';
const SHORT_CANON = `https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000002&idx=2&sn=${SHORT_SN}`;
const DAY = 86_400_000;

let t: { dir: string; cleanup: () => void };
let srv: FaultServer;
let now = Date.UTC(2024, 6, 12, 6);

function config(extra: Record<string, unknown> = {}): Config {
  return resolveConfig(
    {
      dumps: ['dumps'],
      output: 'out',
      store: 'data/wxfeed.db',
      urlFiles: ['urls.txt'],
      fetch: {
        origin: srv.origin,
        delayMs: 0,
        concurrency: 2,
        retries: 2,
        retryBaseMs: 5,
        timeoutMs: 2000,
        maxBytes: 1024 * 1024,
      },
      ...extra,
    },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
}
function run(c: Config, opts: { refetch?: boolean; offline?: boolean } = {}): Promise<BuildSummary> {
  return build(c, {
    log: silentLogger,
    now: () => now,
    live: liveFor(c, { offline: opts.offline ?? false, refetch: opts.refetch ?? false }),
  });
}
const urls = (...list: string[]) => writeFileSync(join(t.dir, 'urls.txt'), `${list.join('\n')}\n`);
const feedOf = (c: Config, slug: string, file = 'atom.xml') =>
  readFeed(readFileSync(join(c.output, slug, file), 'utf8'));

beforeEach(async () => {
  t = tempDir();
  writeFile(join(t.dir, 'dumps/.keep.md'), '');
  srv = await startFaultServer();
  now = Date.UTC(2024, 6, 12, 6);
});
afterEach(async () => {
  await srv.close();
  t.cleanup();
});

describe('following URLs with live fetching', () => {
  it('an account followed from URLs alone: title, account, exact time, content', async () => {
    srv.pages.set(A_PATH, page('article.html'));
    urls(`${A_URL}&chksm=zz&scene=1#rd`, '# a comment', 'https://example.com/not-wechat');
    const c = config();
    const s = await run(c);
    expect(s.fetch).toMatchObject({ listed: 1, due: 1, fetched: 1, failed: 0 });
    expect(s.fetch!.failures.map((f) => f.reason)).toEqual(['bad URL']);
    const feed = feedOf(c, '3000000001'); // the number inside __biz MzAwMDAwMDAwMQ==
    expect(feed.title).toBe('测试账号');
    expect(feed.items.map((i) => [i.id, i.title, i.published?.toISOString()])).toEqual([
      [A_URL, '测试文章：懒加载与语音', '2024-07-12T05:20:00.000Z'],
    ]);
    expect(feed.items[0]!.content).toContain('第一段正文。');
    // Re-read schedule: younger than a day, fetched again on the next build; a week later, daily.
    const again = await run(c);
    expect(again.fetch).toMatchObject({ fetched: 0, unchanged: 1 });
    now += 3 * DAY;
    expect((await run(c)).fetch).toMatchObject({ due: 1, unchanged: 1 });
    now += 3600_000;
    expect((await run(c)).fetch).toMatchObject({ due: 0 });
    expect(srv.hits.get('/s')).toBe(3);
    const status = (await run(c, { offline: true })).feeds!.find((f) => f.slug === '3000000001')!;
    expect(status).toMatchObject({ title: '测试账号', items: 1, lastFetch: { result: 'ok' } });
  });

  it('a dump and a live page of one article are one item: the page wins when ok, its exact time replaces the day', async () => {
    writeFile(
      join(t.dir, 'dumps/a.md'),
      dump(
        { title: '旧标题', url: `${A_URL}&scene=58#rd`, source: '测试账号', date: '2024-07-12' },
        '# 旧标题\n\n：\n，\n。\n\n视频\n小程序\n赞',
      ),
    );
    srv.pages.set(A_PATH, page('article.html'));
    const c = config();
    const s = await run(c);
    expect(s.articles).toBe(1);
    expect(s.fetch).toMatchObject({ listed: 0, due: 1, fetched: 1 });
    const items = readFeed(readFileSync(join(c.output, 'all/atom.xml'), 'utf8')).items;
    expect(items.map((i) => [i.title, i.published?.toISOString()])).toEqual([
      ['测试文章：懒加载与语音', '2024-07-12T05:20:00.000Z'],
    ]);
    expect(items[0]!.content).toContain('第二段正文');
    // fetch.dumps: false leaves shells alone.
    const t2 = await run(config({ fetch: { origin: srv.origin, dumps: false } }), { refetch: true });
    expect(t2.fetch!.due).toBe(0);
  });

  it('a short link whose page reveals an sn already known from a dump: one article', async () => {
    writeFile(
      join(t.dir, 'dumps/b.md'),
      dump(
        { title: '短链文章', url: `${SHORT_CANON}&chksm=1#rd`, source: '测试账号', date: '2024-07-13' },
        '这是 dump 里的全文。',
      ),
    );
    srv.pages.set('/s/ShortTok3n', page('short-link.html'));
    urls('https://mp.weixin.qq.com/s/ShortTok3n');
    const c = config();
    const s = await run(c);
    expect(s.fetch).toMatchObject({ listed: 1, fetched: 1 });
    expect(s.articles).toBe(1);
    const items = readFeed(readFileSync(join(c.output, 'all/rss.xml'), 'utf8')).items;
    expect(items.map((i) => i.id)).toEqual([SHORT_CANON]);
    const db = new Database(c.store, { readonly: true });
    expect(db.prepare('SELECT key FROM articles').pluck().all()).toEqual([`sn:${SHORT_SN}`]);
    expect(db.prepare("SELECT key FROM aliases WHERE alias = 'short:ShortTok3n'").pluck().get()).toBe(`sn:${SHORT_SN}`);
    db.close();
  });

  it('no bad response loses or overwrites what is stored: 500s, reset, truncated, huge, gzip bomb, captcha', async () => {
    srv.pages.set(A_PATH, page('article.html'));
    urls(A_URL);
    const c = config();
    await run(c);
    const before = readFileSync(join(c.output, 'all/atom.xml'), 'utf8');
    const faults: Array<
      [string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void]
    > = [
      ['500', (_q, r) => void r.writeHead(500).end('x')],
      [
        'reset',
        (q, r) => {
          r.writeHead(200);
          r.write('<html>');
          setTimeout(() => q.socket.destroy(), 5);
        },
      ],
      [
        'truncated',
        (q, r) => {
          r.writeHead(200, { 'content-length': '5000' });
          r.write('<html>');
          setTimeout(() => q.socket.end(), 5);
        },
      ],
      [
        'huge',
        (_q, r) => {
          r.writeHead(200);
          const b = Buffer.alloc(2 * 1024 * 1024, 0x61);
          r.end(b);
        },
      ],
      ['empty', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body></body></html>')],
      [
        'gzip bomb',
        (_q, r) => void r.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(16 * 1024 * 1024))),
      ],
      ['captcha', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end(CAPTCHA_HTML)],
    ];
    const rss0 = process.memoryUsage().rss;
    for (const [name, handler] of faults) {
      srv.pages.set(A_PATH, handler);
      const s = await run(c, { refetch: true });
      expect(s.fetch!.fetched, name).toBe(0);
      expect(readFileSync(join(c.output, 'all/atom.xml'), 'utf8'), name).toBe(before);
    }
    expect(process.memoryUsage().rss - rss0).toBeLessThan(150 * 1024 * 1024);
  });

  it('deleted after it was read: the item stays with its text and a notice; keepDeleted: false drops it from feeds only', async () => {
    srv.pages.set(A_PATH, page('article.html'));
    urls(A_URL);
    const c = config();
    await run(c);
    srv.pages.set(A_PATH, page('deleted.html'));
    now += DAY / 2;
    const s = await run(c);
    expect(s.fetch).toMatchObject({ deleted: 1 });
    const item = readFeed(readFileSync(join(c.output, 'all/atom.xml'), 'utf8')).items[0]!;
    expect(item.title).toBe('测试文章：懒加载与语音');
    expect(item.content).toContain('原文已被作者删除');
    expect(item.content).toContain('第一段正文。');
    const hidden = config({ feed: { keepDeleted: false } });
    await run(hidden, { offline: true });
    expect(readFeed(readFileSync(join(c.output, 'all/atom.xml'), 'utf8')).items).toEqual([]);
    const db = new Database(c.store, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM articles').pluck().get()).toBe(1);
    db.close();
  });

  it('a captcha page stops all fetching for a cool-down that doubles on each repeat, then expires', async () => {
    const list: string[] = [];
    for (let i = 0; i < 6; i++) {
      const sn = String(i).repeat(32);
      srv.pages.set(
        `/s?__biz=MzAwMDAwMDAwMQ==&mid=${2650001000 + i}&idx=1&sn=${sn}`,
        page('article.html')
          .replace(/aaaabbbbccccddddeeeeffff00001111/g, sn)
          .replace(/2650000001/g, String(2650001000 + i)),
      );
      list.push(`https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=${2650001000 + i}&idx=1&sn=${sn}`);
    }
    urls(...list);
    srv.captchaAfter = 2;
    const c = config({
      fetch: {
        origin: srv.origin,
        delayMs: 0,
        concurrency: 1,
        retries: 0,
        cooldownMinutes: 15,
        cooldownMaxMinutes: 360,
      },
    });
    const first = await run(c);
    expect(first.fetch!.fetched).toBe(2);
    expect(first.fetch!.cooldownUntil).toBe(now + 15 * 60_000);
    expect(first.fetch!.skippedByCooldown).toBe(4);
    const hits = srv.hits.get('/s');
    now += 10 * 60_000;
    const during = await run(c);
    // The URL that got the captcha page is not blamed for it: it is due like the others (read first after it).
    expect(during.fetch).toMatchObject({ fetched: 0, due: 6, skippedByCooldown: 6 });
    expect(srv.hits.get('/s')).toBe(hits);
    now += 10 * 60_000;
    const repeat = await run(c);
    expect(repeat.fetch!.cooldownUntil).toBe(now + 30 * 60_000);
    srv.captchaAfter = Number.POSITIVE_INFINITY;
    now += 31 * 60_000 + 2 * 3600_000;
    const after = await run(c);
    expect(after.fetch!.fetched).toBe(4);
    expect(after.fetch!.cooldownUntil).toBeUndefined();
    expect(readFeed(readFileSync(join(c.output, 'all/atom.xml'), 'utf8')).items).toHaveLength(6);
  });

  it('offline: no request at all', async () => {
    srv.pages.set(A_PATH, page('article.html'));
    urls(A_URL);
    const s = await run(config(), { offline: true });
    expect(s.fetch).toMatchObject({ offline: true, listed: 1, fetched: 0 });
    expect(srv.hits.size).toBe(0);
  });
});
