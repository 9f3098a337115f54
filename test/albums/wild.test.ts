/**
 * Following in the wild (issue 20 item 1): an answer about one album (it does not exist, a 404, the wrong shape, a
 * list of another account) fails that album alone, which backs off on its own while every other album and URL goes
 * on in the same build; only a refusal of the client (captcha, frequency control, 429, 403s in a row) pauses
 * everything, and then no URL is blamed for it. Against the loopback album server (test/helpers/album-server.ts),
 * with a real saved article page served beside the model's when ../shared is there.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { escapeDocument } from '../../src/content/escape.js';
import { formatFollowed, listFollowed } from '../../src/commands/list.js';
import { shanghaiIso } from '../../src/time.js';
import type { Config } from '../../src/types.js';
import type { BuildSummary } from '../../src/stages/summary.js';
import { useFollowing } from '../helpers/following.js';
import { bizToNumber } from '../../src/wechat/url.js';
import { type AlbumServer, startAlbumServer } from '../helpers/album-server.js';
import { readFeed } from '../helpers/feeds.js';
import { HAVE_SHARED, REAL_PAGES } from '../helpers/paths.js';

const MIN = 60_000;
/** A time as `wxfeed list` prints it. */
const beijingOf = (ms: number) => `${shanghaiIso(ms).slice(0, 10)} ${shanghaiIso(ms).slice(11, 16)} +08:00`;
const HOUR = 60 * MIN;
const f = useFollowing();

/** The reproduction: an album id nobody has (a typo, or an album its author deleted), and one article URL. */
const BAD_ALBUM =
  'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum&album_id=1234567#wechat_redirect';
const BAD_ALBUM_CANONICAL =
  'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum&album_id=1234567';
/** The real image post of ../shared (36氪, 2026-05-23). */
const REAL_ARTICLE =
  'https://mp.weixin.qq.com/s?__biz=MzI2NDk5NzA0Mw==&mid=2248889396&idx=1&sn=b5a55f448cd7738803901180abb1677f';
const REAL_SN = 'b5a55f448cd7738803901180abb1677f';

/** The reproduction's config: no delay, a 1-minute cool-down, every album on every build. */
const config = (urls: string[], extra: { fetch?: object; follow?: object } = {}): Config =>
  f.config({
    urls,
    fetch: { cooldownMinutes: 1, ...extra.fetch },
    follow: { albumIntervalMinutes: 0, ...extra.follow },
  });
const run = (c: Config, opts: { refetch?: boolean } = {}) => f.run(c, opts);
/** Requests since the `n`th whose path and query match. */
const asked = (n: number, re: RegExp) => f.srv.requests.slice(n).filter((r) => re.test(r)).length;
const BAD_LIST = /^\/mp\/appmsgalbum\?.*album_id=1234567.*f=json/;
const BAD_PAGE = /^\/mp\/appmsgalbum\?__biz=.*album_id=1234567$/;

describe('one bad album does not stop fetching', () => {
  it('the reproduction: the album fails alone, the article is fetched and published in the same build', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 3 });
    const model = f.srv.albums[0]!.articles[0]!;
    const urls = [BAD_ALBUM, f.srv.articleUrl(model)];
    if (HAVE_SHARED) {
      f.srv.extra.set(
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
      kind: 'list-failed',
      where: BAD_ALBUM_CANONICAL,
      reason: 'album poll failed',
      detail: 'base_resp.ret -2 ("invalid args")',
    });
    expect(s.fetch!.failures.map((f) => f.reason)).not.toContain('captcha / rate limit');
    // The article URL was read, and its account's album followed and read, all in this build.
    expect(s.fetch!.fetched).toBe(HAVE_SHARED ? 4 : 3);
    const account = readFeed(readFileSync(join(c.output, '3900000000', 'atom.xml'), 'utf8'));
    expect(account.items.map((i) => i.id)).toContain(f.srv.articleUrl(model));
    if (HAVE_SHARED) {
      const real = readFeed(readFileSync(join(c.output, bizToNumber('MzI2NDk5NzA0Mw==')!, 'atom.xml'), 'utf8'));
      expect(real.items.map((i) => [i.id, i.title])).toEqual([[REAL_ARTICLE, '英伟达霸权「瓦解」？半导体兴风作浪']]);
    }
    // The bad album is reported with its reason, and shown nowhere as a feed.
    const bad = s.albums!.find((a) => a.albumId === '1234567')!;
    expect(bad.lastPoll).toEqual({
      at: new Date(f.now).toISOString(),
      result: 'failed',
      reason: 'base_resp.ret -2 ("invalid args")',
    });
    expect(s.feeds!.map((f) => f.slug)).not.toContain('album-1234567');
  });

  it('the next builds poll the bad album on its own backoff (1 h, 2 h, 4 h …), never more; the rest goes on', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 3 });
    // No page is read again (fetch.maxAgeDays 0): the builds ask only for lists and new articles.
    const c = config([BAD_ALBUM, f.srv.albumUrl(0)], { fetch: { maxAgeDays: 0 } });
    const start = f.now;
    await run(c);
    expect(asked(0, BAD_LIST)).toBe(1);
    // An outside probe's pace: a build every minute for 12 minutes, with new articles coming to the good album.
    const n = f.srv.requests.length;
    for (let i = 0; i < 12; i++) {
      f.now += MIN;
      if (i % 4 === 0) f.srv.grow(0);
      await run(c);
    }
    expect(asked(n, BAD_LIST)).toBe(0);
    expect(asked(n, BAD_PAGE)).toBe(0);
    // The good album was read on every build (albumIntervalMinutes 0): its three new articles are in its feed.
    const good = readFeed(readFileSync(join(c.output, `album-${f.srv.albums[0]!.albumId}`, 'atom.xml'), 'utf8'));
    expect(good.items).toHaveLength(6);
    // The backoff doubles per failure in a row: polled again 1 h after the first failure, then 2 h, then 4 h after.
    const polledAt = async (offset: number): Promise<boolean> => {
      f.now = start + offset;
      const before = f.srv.requests.length;
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
      f.srv = await startAlbumServer({ albums: 2, articles: 3 });
      fault(f.srv);
      const c = config([f.srv.albumUrl(0), f.srv.albumUrl(1)], { fetch: { concurrency: 1 } });
      const s = await run(c);
      expect(s.fetch!.albums).toMatchObject({ failed: 1, blocked: 0, polled: 1, newItems: 3 });
      expect(s.fetch!.fetched).toBe(3);
      expect(s.fetch!.cooldownUntil).toBeUndefined();
      const failed = s.albums!.find((a) => a.lastPoll?.result === 'failed')!;
      expect(failed.albumId).toBe(f.srv.albums[0]!.albumId);
      expect(failed.lastPoll!.reason).toBe(reason ?? `redirected to ${f.srv.origin}/mp/profile_ext?action=home`);
    });
  }
});

describe('an album failing for days', () => {
  it('is shown with its reason and next poll, then after 7 days as probably deleted with the command to unfollow it', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 3 });
    // The stand-in answers the unknown album with a hostile errmsg: it must stay text everywhere.
    const c = config([BAD_ALBUM, f.srv.albumUrl(0)]);
    const start = f.now;
    const s1 = await run(c);
    const bad = (s: BuildSummary) => s.albums!.find((a) => a.albumId === '1234567')!;
    expect(bad(s1)).toMatchObject({
      failing: { since: new Date(start).toISOString(), polls: 1 },
      nextPoll: { at: new Date(start + HOUR).toISOString(), due: false },
    });
    expect(bad(s1).probablyDeleted).toBeUndefined();
    let index = readFileSync(join(c.output, 'index.html'), 'utf8');
    expect(index).toContain('id="wxTrouble"');
    expect(index).toContain('1 个合集或主页轮询失败');
    expect(index).toContain('base_resp.ret -2 (&quot;invalid args&quot;)');
    expect(index).not.toContain('已连续失败 7 天');
    // Seven days on, still failing: probably deleted, never dropped.
    f.now = start + 7 * 24 * HOUR + MIN;
    const s2 = await run(c);
    const unfollow = `wxfeed unfollow '${BAD_ALBUM_CANONICAL}'`;
    expect(bad(s2)).toMatchObject({ failing: { since: new Date(start).toISOString() }, probablyDeleted: { unfollow } });
    index = readFileSync(join(c.output, 'index.html'), 'utf8');
    expect(index).toContain('已连续失败 7 天，可能已被删除（或编号有误）。停止关注：');
    expect(index).toContain(`<code>${escapeDocument(unfollow)}</code>`);
    const list = formatFollowed(await listFollowed(c, f.now));
    expect(list).toContain(`probably deleted (or its id is wrong): failing for 7 days; to stop: ${unfollow}`);
    expect(list).toContain(`failing since ${beijingOf(start)}`);
    // The good album goes on as ever.
    expect(s2.albums!.find((a) => a.albumId === f.srv.albums[0]!.albumId)!.failing).toBeUndefined();
  });

  it("an album's hostile errmsg stays text on the index page", async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 2 });
    Object.assign(f.srv.faults, { ret: 1, retValue: -3, retMessage: '<img src=x onerror=alert(1)>' });
    const c = config([f.srv.albumUrl(0)]);
    await run(c);
    const index = readFileSync(join(c.output, 'index.html'), 'utf8');
    expect(index).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(index).not.toContain('<img src=x');
  });
});

describe('a refusal of the client pauses everything, and blames no URL', () => {
  it('HTTP 429 on an article page: no other request in the build; the URLs are read first when the cool-down ends', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 6 });
    const c = config([f.srv.albumUrl(0)], { fetch: { concurrency: 1, cooldownMinutes: 15 } });
    f.srv.faults.articleStatus = 1;
    f.srv.faults.statusValue = 429;
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ polled: 1, newItems: 6 });
    // The list, the album page, then the first article page answered 429: nothing more.
    expect(f.srv.counts).toMatchObject({ list: 1, albumPage: 1, article: 1 });
    expect(s.fetch!.failures.at(-1)).toMatchObject({ reason: 'captcha / rate limit' });
    expect(s.fetch!.failures.at(-1)!.detail).toMatch(/^HTTP 429 \(too many requests\); fetching paused until /);
    expect(s.fetch!.cooldownUntil).toBe(f.now + 15 * MIN);
    const db = new Database(c.store, { readonly: true });
    const failing = db
      .prepare('SELECT COUNT(*) FROM urls WHERE fail_count > 0 OR last_result IS NOT NULL')
      .pluck()
      .get();
    db.close();
    expect(failing).toBe(0);
    f.now += 16 * MIN;
    const after = await run(c);
    expect(after.fetch).toMatchObject({ fetched: 6, failed: 0 });
  });

  it('a captcha page: the URL that got it keeps its schedule (no backoff), read as soon as the cool-down ends', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 4 });
    const c = config([f.srv.albumUrl(0)], { fetch: { concurrency: 1, cooldownMinutes: 15 } });
    f.srv.faults.redirect = 0;
    const s1 = await run(c);
    expect(s1.fetch!.fetched).toBe(4);
    f.srv.grow(0);
    f.srv.grow(0);
    f.now += HOUR;
    // The list answers; the newest article's page, read first, is the verification page.
    const n = f.srv.requests.length;
    const first = f.srv.albums[0]!.articles.at(-1)!;
    f.srv.extra.set(first.sn, "<html><script>var PAGE_MID='mmbizwap:secitptpage/verify.html';</script></html>");
    const s2 = await run(c);
    // The client may have one more request in flight when the captcha comes back; nothing after.
    expect(f.srv.requests.slice(n).filter((r) => r.startsWith('/s?')).length).toBeLessThanOrEqual(2);
    const db = new Database(c.store, { readonly: true });
    const row = db.prepare('SELECT last_result, fail_count FROM urls WHERE url = ?').get(f.srv.articleUrl(first));
    db.close();
    expect(row).toEqual({ last_result: null, fail_count: 0 });
    expect(s2.fetch!.cooldownUntil).toBe(f.now + 15 * MIN);
    f.srv.extra.delete(first.sn);
    f.now += 16 * MIN;
    const s3 = await run(c);
    expect(s3.fetch).toMatchObject({ fetched: 2, failed: 0 });
  });
});

describe('Retry-After, and lists too big to read', () => {
  it('HTTP 429 with Retry-After: 3600 pauses fetching for the hour WeChat asked, not the 15 minutes of the config', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 3 });
    const c = config([f.srv.albumUrl(0)], { fetch: { concurrency: 1, cooldownMinutes: 15 } });
    Object.assign(f.srv.faults, { articleStatus: 1, statusValue: 429, retryAfter: '3600' });
    const s = await run(c);
    expect(s.fetch!.cooldownUntil).toBe(f.now + HOUR);
    expect(s.pace).toMatchObject({ multiplier: 2, cooldown: { reason: 'refused', minutes: 60 } });
    // The pace it resumes at: half the configured rate, from the cool-down's end.
    f.now += HOUR;
    const after = await run(c);
    expect(after.pace).toMatchObject({ multiplier: 2, delayMs: 0 });
    expect(after.fetch!.fetched).toBe(3);
  });

  it('an answer over fetch.maxBytes fails the album, which then backs off like any failing album', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 300 });
    f.srv.faults.pageSize = 100;
    const c = config([f.srv.albumUrl(0)], { fetch: { maxBytes: 4096 } });
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ failed: 1, blocked: 0 });
    expect(s.albums![0]!.lastPoll).toMatchObject({ result: 'failed', reason: 'response over 4096 bytes' });
    const n = f.srv.requests.length;
    for (let i = 0; i < 5; i++) {
      f.now += 10 * MIN;
      await run(c);
    }
    expect(asked(n, /f=json/)).toBe(0);
  });
});

describe('a list of another account', () => {
  it("an album whose list holds only another account's articles fails, and nothing of it is published", async () => {
    f.srv = await startAlbumServer({ albums: 2, articles: 3 });
    // The second album's id under the first album's account: the server answers the second album's list.
    const [a0, a1] = f.srv.albums;
    const url = `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${a0!.biz}&action=getalbum&album_id=${a1!.albumId}`;
    f.srv.faults.ignoreBiz = true;
    const c = config([url]);
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ failed: 1, blocked: 0, newItems: 0 });
    expect(s.albums![0]!.lastPoll?.reason).toBe('every entry is an article of another account (3)');
    expect(s.fetch!.cooldownUntil).toBeUndefined();
  });
});
