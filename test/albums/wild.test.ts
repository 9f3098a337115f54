/**
 * Following in the wild (issue 20 item 1): an answer about one album (it does not exist, a 404, the wrong shape, a
 * list of another account) fails that album alone, which backs off on its own while every other album and URL goes
 * on in the same build; only a refusal of the client (captcha, frequency control, 429, 403s in a row) pauses
 * everything, and then no URL is blamed for it. Against the loopback album server (test/helpers/album-server.ts),
 * with a real saved article page served beside the model's when ../shared is there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from '../../src/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { liveFor } from '../../src/live.js';
import type { BuildSummary, Config } from '../../src/types.js';
import { bizToNumber } from '../../src/wechat/url.js';
import { type AlbumServer, startAlbumServer } from '../helpers/album-server.js';
import { readFeed } from '../helpers/feeds.js';
import { HAVE_SHARED, REAL_PAGES } from '../helpers/paths.js';
import { tempDir, writeFile } from '../helpers/tmp.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let t: { dir: string; cleanup: () => void };
let srv: AlbumServer;
let now: number;

/** The reproduction: an album id nobody has (a typo, or an album its author deleted), and one article URL. */
const BAD_ALBUM =
  'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum&album_id=1234567#wechat_redirect';
const BAD_ALBUM_CANONICAL =
  'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum&album_id=1234567';
/** The real image post of ../shared (36氪, 2026-05-23). */
const REAL_ARTICLE =
  'https://mp.weixin.qq.com/s?__biz=MzI2NDk5NzA0Mw==&mid=2248889396&idx=1&sn=b5a55f448cd7738803901180abb1677f';
const REAL_SN = 'b5a55f448cd7738803901180abb1677f';

function config(urls: string[], extra: { fetch?: object; follow?: object } = {}): Config {
  return resolveConfig(
    {
      dumps: ['dumps'],
      output: 'out',
      store: 'data/wxfeed.db',
      urlFiles: [],
      urls,
      fetch: { origin: srv.origin, delayMs: 0, cooldownMinutes: 1, retries: 0, timeoutMs: 5000, ...extra.fetch },
      follow: { albumIntervalMinutes: 0, ...extra.follow },
    },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
}
const run = (c: Config): Promise<BuildSummary> =>
  build(c, { log: silentLogger, now: () => now, live: liveFor(c, { offline: false, refetch: false }) });
/** Requests since the `n`th whose path and query match. */
const asked = (n: number, re: RegExp) => srv.requests.slice(n).filter((r) => re.test(r)).length;
const BAD_LIST = /^\/mp\/appmsgalbum\?.*album_id=1234567.*f=json/;
const BAD_PAGE = /^\/mp\/appmsgalbum\?__biz=.*album_id=1234567$/;

beforeEach(() => {
  t = tempDir();
  writeFile(join(t.dir, 'dumps/.keep.md'), '');
  now = Date.UTC(2025, 0, 1);
});
afterEach(async () => {
  await srv.close();
  t.cleanup();
});

describe('one bad album does not stop fetching', () => {
  it('the reproduction: the album fails alone, the article is fetched and published in the same build', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 3 });
    const model = srv.albums[0]!.articles[0]!;
    const urls = [BAD_ALBUM, srv.articleUrl(model)];
    if (HAVE_SHARED) {
      srv.extra.set(
        REAL_SN,
        readFileSync(join(REAL_PAGES, 'wechat-article__wechat-article-exporter__image-share-c01.html'), 'utf8'),
      );
      urls.push(REAL_ARTICLE);
    }
    const c = config(urls);
    const s = await run(c);
    expect(s.fetch!.cooldownUntil).toBeUndefined();
    // The real page names an album of its account that the stand-in does not have: it fails too, alone.
    expect(s.fetch!.albums).toMatchObject({ failed: HAVE_SHARED ? 2 : 1, blocked: 0 });
    expect(s.fetch!.failures).toContainEqual({
      where: BAD_ALBUM_CANONICAL,
      reason: 'album poll failed',
      detail: 'base_resp.ret -2 ("invalid args")',
    });
    expect(s.fetch!.failures.map((f) => f.reason)).not.toContain('captcha / rate limit');
    // The article URL was read, and its account's album followed and read, all in this build.
    expect(s.fetch!.fetched).toBe(HAVE_SHARED ? 4 : 3);
    const account = readFeed(readFileSync(join(c.output, '3900000000', 'atom.xml'), 'utf8'));
    expect(account.items.map((i) => i.id)).toContain(srv.articleUrl(model));
    if (HAVE_SHARED) {
      const real = readFeed(readFileSync(join(c.output, bizToNumber('MzI2NDk5NzA0Mw==')!, 'atom.xml'), 'utf8'));
      expect(real.items.map((i) => [i.id, i.title])).toEqual([[REAL_ARTICLE, '英伟达霸权「瓦解」？半导体兴风作浪']]);
    }
    // The bad album is reported with its reason, and shown nowhere as a feed.
    const bad = s.albums!.find((a) => a.albumId === '1234567')!;
    expect(bad.lastPoll).toEqual({
      at: new Date(now).toISOString(),
      result: 'failed',
      reason: 'base_resp.ret -2 ("invalid args")',
    });
    expect(s.feeds!.map((f) => f.slug)).not.toContain('album-1234567');
  });

  it('the next builds poll the bad album on its own backoff (1 h, 2 h, 4 h …), never more; the rest goes on', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 3 });
    // No page is read again (fetch.maxAgeDays 0): the builds ask only for lists and new articles.
    const c = config([BAD_ALBUM, srv.albumUrl(0)], { fetch: { maxAgeDays: 0 } });
    const start = now;
    await run(c);
    expect(asked(0, BAD_LIST)).toBe(1);
    // An outside probe's pace: a build every minute for 12 minutes, with new articles coming to the good album.
    const n = srv.requests.length;
    for (let i = 0; i < 12; i++) {
      now += MIN;
      if (i % 4 === 0) srv.grow(0);
      await run(c);
    }
    expect(asked(n, BAD_LIST)).toBe(0);
    expect(asked(n, BAD_PAGE)).toBe(0);
    // The good album was read on every build (albumIntervalMinutes 0): its three new articles are in its feed.
    const good = readFeed(readFileSync(join(c.output, `album-${srv.albums[0]!.albumId}`, 'atom.xml'), 'utf8'));
    expect(good.items).toHaveLength(6);
    // The backoff doubles per failure in a row: polled again 1 h after the first failure, then 2 h, then 4 h after.
    const polledAt = async (offset: number): Promise<boolean> => {
      now = start + offset;
      const before = srv.requests.length;
      await run(c);
      return asked(before, BAD_LIST) > 0;
    };
    const steps: boolean[] = [];
    for (const at of [HOUR - 1000, HOUR, 3 * HOUR - 1000, 3 * HOUR, 7 * HOUR - 1000, 7 * HOUR])
      steps.push(await polledAt(at));
    expect(steps).toEqual([false, true, false, true, false, true]);
    const db = new Database(c.store, { readonly: true });
    const row = db.prepare("SELECT fail_count, failing_since FROM albums WHERE album_id = '1234567'").get();
    db.close();
    expect(row).toEqual({ fail_count: 4, failing_since: start });
  }, 60_000);

  for (const [name, fault, reason] of [
    ['HTTP 404', (s: AlbumServer) => Object.assign(s.faults, { status: 1, statusValue: 404 }), 'HTTP 404'],
    [
      'another non-zero ret',
      (s: AlbumServer) => Object.assign(s.faults, { ret: 1, retValue: 100001, retMessage: 'system error' }),
      'base_resp.ret 100001 ("system error")',
    ],
    [
      'an HTML page that is not a verification page',
      (s: AlbumServer) => Object.assign(s.faults, { status: 0 }),
      undefined,
    ],
  ] as const) {
    if (reason === undefined) continue;
    it(`${name} fails that album alone: the other album and the URLs go on in the same build`, async () => {
      srv = await startAlbumServer({ albums: 2, articles: 3 });
      fault(srv);
      const c = config([srv.albumUrl(0), srv.albumUrl(1)], { fetch: { concurrency: 1 } });
      const s = await run(c);
      expect(s.fetch!.albums).toMatchObject({ failed: 1, blocked: 0, polled: 1, newItems: 3 });
      expect(s.fetch!.fetched).toBe(3);
      expect(s.fetch!.cooldownUntil).toBeUndefined();
      const failed = s.albums!.find((a) => a.lastPoll?.result === 'failed')!;
      expect(failed.albumId).toBe(srv.albums[0]!.albumId);
      expect(failed.lastPoll!.reason).toBe(reason ?? `redirected to ${srv.origin}/mp/profile_ext?action=home`);
    });
  }
});

describe('a refusal of the client pauses everything, and blames no URL', () => {
  it('HTTP 429 on an article page: no other request in the build; the URLs are read first when the cool-down ends', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 6 });
    const c = config([srv.albumUrl(0)], { fetch: { concurrency: 1, cooldownMinutes: 15 } });
    srv.faults.articleStatus = 1;
    srv.faults.statusValue = 429;
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ polled: 1, newItems: 6 });
    // The list, the album page, then the first article page answered 429: nothing more.
    expect(srv.counts).toMatchObject({ list: 1, albumPage: 1, article: 1 });
    expect(s.fetch!.failures.at(-1)).toMatchObject({ reason: 'captcha / rate limit' });
    expect(s.fetch!.failures.at(-1)!.detail).toMatch(/^HTTP 429 \(too many requests\); fetching paused until /);
    expect(s.fetch!.cooldownUntil).toBe(now + 15 * MIN);
    const db = new Database(c.store, { readonly: true });
    const failing = db
      .prepare('SELECT COUNT(*) FROM urls WHERE fail_count > 0 OR last_result IS NOT NULL')
      .pluck()
      .get();
    db.close();
    expect(failing).toBe(0);
    now += 16 * MIN;
    const after = await run(c);
    expect(after.fetch).toMatchObject({ fetched: 6, failed: 0 });
  });

  it('a captcha page: the URL that got it keeps its schedule (no backoff), read as soon as the cool-down ends', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 4 });
    const c = config([srv.albumUrl(0)], { fetch: { concurrency: 1, cooldownMinutes: 15 } });
    srv.faults.redirect = 0;
    const s1 = await run(c);
    expect(s1.fetch!.fetched).toBe(4);
    srv.grow(0);
    srv.grow(0);
    now += HOUR;
    // The list answers; the newest article's page, read first, is the verification page.
    const n = srv.requests.length;
    const first = srv.albums[0]!.articles.at(-1)!;
    srv.extra.set(first.sn, "<html><script>var PAGE_MID='mmbizwap:secitptpage/verify.html';</script></html>");
    const s2 = await run(c);
    // The client may have one more request in flight when the captcha comes back; nothing after.
    expect(srv.requests.slice(n).filter((r) => r.startsWith('/s?')).length).toBeLessThanOrEqual(2);
    const db = new Database(c.store, { readonly: true });
    const row = db.prepare('SELECT last_result, fail_count FROM urls WHERE url = ?').get(srv.articleUrl(first));
    db.close();
    expect(row).toEqual({ last_result: null, fail_count: 0 });
    expect(s2.fetch!.cooldownUntil).toBe(now + 15 * MIN);
    srv.extra.delete(first.sn);
    now += 16 * MIN;
    const s3 = await run(c);
    expect(s3.fetch).toMatchObject({ fetched: 2, failed: 0 });
  });
});

describe('a list of another account', () => {
  it("an album whose list holds only another account's articles fails, and nothing of it is published", async () => {
    srv = await startAlbumServer({ albums: 2, articles: 3 });
    // The second album's id under the first album's account: the server answers the second album's list.
    const [a0, a1] = srv.albums;
    const url = `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${a0!.biz}&action=getalbum&album_id=${a1!.albumId}`;
    srv.faults.ignoreBiz = true;
    const c = config([url]);
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ failed: 1, blocked: 0, newItems: 0 });
    expect(s.albums![0]!.lastPoll?.reason).toBe('every entry is an article of another account (3)');
    expect(s.fetch!.cooldownUntil).toBeUndefined();
  });
});
