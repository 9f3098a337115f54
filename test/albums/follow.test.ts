/**
 * Following albums (合集) end to end, against the loopback album server (test/helpers/album-server.ts): a config with
 * one article URL follows its account's album; paging, both orders, the page shapes; blocked and malformed answers;
 * a list that grows; follow.albums off/urls/all; unfollow; the feeds read back by real parsers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { silentLogger } from '../helpers/log.js';
import { liveFor } from '../../src/commands/live.js';
import { addUrls } from '../../src/commands/add.js';
import { unfollowAlbums } from '../../src/commands/unfollow.js';
import { listFollowed, formatFollowed } from '../../src/commands/list.js';
import { bizToNumber } from '../../src/wechat/url.js';
import type { Config } from '../../src/types.js';
import type { BuildSummary } from '../../src/stages/summary.js';
import { type AlbumServer, type ModelArticle, startAlbumServer } from '../helpers/album-server.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';
import { HAVE_PY_FEEDPARSER, pyFeedparser, readFeed } from '../helpers/feeds.js';

const HOUR = 3600_000;
let t: { dir: string; cleanup: () => void };
let srv: AlbumServer;
let now: number;

function config(extra: Record<string, unknown> = {}, fetch: Record<string, unknown> = {}): Config {
  return resolveConfig(
    {
      dumps: ['dumps'],
      output: 'out',
      store: 'data/wxfeed.db',
      urlFiles: ['urls.txt'],
      fetch: { origin: srv.origin, delayMs: 0, concurrency: 2, retries: 0, timeoutMs: 5000, ...fetch },
      ...extra,
    },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
}
const run = (c: Config, opts: { refetch?: boolean } = {}): Promise<BuildSummary> =>
  build(c, { log: silentLogger, now: () => now, live: liveFor(c, { offline: false, refetch: opts.refetch ?? false }) });
const urls = (...list: string[]) => writeFileSync(join(t.dir, 'urls.txt'), `${list.join('\n')}\n`);
const feedText = (c: Config, slug: string, file = 'atom.xml') => readFileSync(join(c.output, slug, file), 'utf8');
const feed = (c: Config, slug: string, file = 'atom.xml') => readFeed(feedText(c, slug, file));
const accountSlug = (a: number) => bizToNumber(srv.albums[a]!.biz)!;
const albumSlug = (a: number) => `album-${srv.albums[a]!.albumId}`;
/** The counters since `before`. */
const delta = (before: AlbumServer['counts']) => ({
  list: srv.counts.list - before.list,
  albumPage: srv.counts.albumPage - before.albumPage,
  article: srv.counts.article - before.article,
});
/** Every request since the `n`th (a redirected one is counted by none of the counters). */
const since = (n: number) => srv.requests.slice(n);
/** An album's articles in feed order: newest first; the same time by mid descending, then idx ascending. */
const newestFirst = (a: number) =>
  [...srv.albums[a]!.articles].sort(
    (x, y) => y.createTime - x.createTime || Number(y.mid) - Number(x.mid) || Number(x.idx) - Number(y.idx),
  );
/** What a feed shows of an article once its page is read: the page's title and `ct`. */
const asRead = (a: ModelArticle) => [
  srv.articleUrl(a),
  `${a.title}（全文）`,
  new Date((a.createTime + 23) * 1000).toISOString(),
];
/**
 * Items as a feed shows them, newest first: the articles of one mass-send share their second, so the oldest of them
 * keeps it and each newer one takes the next free second (feeds/times.ts).
 */
const distinct = (items: string[][]): string[][] => {
  const out = items.map((i) => [...i]);
  let before = Number.NEGATIVE_INFINITY;
  for (let k = out.length - 1; k >= 0; k--) {
    const at = Math.max(Date.parse(out[k]![2]!), before + 1000);
    out[k]![2] = new Date(at).toISOString();
    before = at;
  }
  return out;
};
const shown = (c: Config, slug: string) => feed(c, slug).items.map((i) => [i.id, i.title, i.published?.toISOString()]);

/** Everything stored about articles, albums' items and followed URLs (what a blocked poll must leave alone). */
function snapshot(c: Config): unknown {
  const db = new Database(c.store, { readonly: true });
  try {
    return ['articles', 'observations', 'album_items', 'urls', 'pending_keys', 'dirty_sources'].map((table) =>
      db.prepare(`SELECT * FROM ${table} ORDER BY ${table === 'album_items' ? '1, 2' : '1'}`).all(),
    );
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  t = tempDir();
  writeFile(join(t.dir, 'dumps/.keep.md'), '');
  now = Date.UTC(2025, 0, 1);
});
afterEach(async () => {
  await srv.close();
  t.cleanup();
});

describe('following an account from one article URL', () => {
  it('the whole album in the account feed and the album feed, each with its page title and ct; growth costs 1 list + 1 page', async () => {
    srv = await startAlbumServer({ albums: 2, articles: 7 });
    srv.faults.pageTitleSuffix = '（全文）';
    const one = srv.albums[0]!.articles[2]!;
    urls(`${srv.articleUrl(one)}&chksm=abc&scene=27#wechat_redirect`);
    const c = config();
    const s = await run(c);
    expect(delta({ list: 0, albumPage: 0, article: 0, other: 0 })).toEqual({ list: 1, albumPage: 1, article: 7 });
    expect(s.fetch).toMatchObject({ listed: 1, fetched: 7, failed: 0, deferred: 0 });
    expect(s.fetch!.albums).toMatchObject({ active: 1, polled: 1, newItems: 7, discovered: 1, failed: 0, blocked: 0 });
    const expected = distinct(newestFirst(0).map(asRead));
    expect(shown(c, accountSlug(0))).toEqual(expected);
    expect(shown(c, albumSlug(0))).toEqual(expected);
    expect(feed(c, accountSlug(0)).title).toBe('测试账号0');
    expect(feed(c, albumSlug(0)).title).toBe('测试合集0 · 测试账号0');
    for (const file of ['rss.xml', 'feed.json'])
      expect(readFileSync(join(c.output, albumSlug(0), file), 'utf8')).toContain('测试合集0·第7篇（全文）');
    // The other album of the server (another account) is not followed.
    expect(readdirSync(c.output)).not.toContain(albumSlug(1));
    // Listed in albums.opml (its articles are in the account's feed, which feeds.opml lists) and the index page.
    const opml = readFileSync(join(c.output, 'albums.opml'), 'utf8');
    expect(readFileSync(join(c.output, 'feeds.opml'), 'utf8')).not.toContain(albumSlug(0));
    expect(opml).toContain(`title="测试合集0 · 测试账号0" xmlUrl="${c.baseUrl}${albumSlug(0)}/atom.xml"`);
    expect(readFileSync(join(c.output, 'index.html'), 'utf8')).toContain(`href="${c.baseUrl}${albumSlug(0)}/rss.xml"`);
    // Status: the album's feed and the album itself, with its last poll.
    const status = s.feeds!.find((f) => f.slug === albumSlug(0))!;
    expect(status).toMatchObject({ kind: 'album', items: 7, album: { items: 7, lastPoll: { result: 'ok' } } });
    expect(s.feeds!.find((f) => f.slug === accountSlug(0))).toMatchObject({ kind: 'source', items: 7 });
    expect(s.albums).toEqual([
      expect.objectContaining({
        albumId: srv.albums[0]!.albumId,
        title: '测试合集0',
        account: '测试账号0',
        followed: true,
        active: true,
        via: 'page',
        items: 7,
        lastPoll: { at: new Date(now).toISOString(), result: 'ok' },
      }),
    ]);
    if (HAVE_PY_FEEDPARSER) {
      const [atom, rss] = pyFeedparser([
        join(c.output, albumSlug(0), 'atom.xml'),
        join(c.output, albumSlug(0), 'rss.xml'),
      ]);
      for (const f of [atom!, rss!]) {
        expect(f.bozo).toBe(0);
        expect(f.entries.map((e) => [e.id, e.title, e.published])).toEqual(
          expected.map(([id, title, at]) => [id, title, at!.replace('.000Z', 'Z')]),
        );
      }
    }

    // A build within the interval polls nothing; one article added at the head: one list page, one article page.
    now += 10 * 60_000;
    let before = { ...srv.counts };
    await run(c);
    expect(delta(before)).toEqual({ list: 0, albumPage: 0, article: 0 });
    const added = srv.grow(0);
    now += HOUR;
    before = { ...srv.counts };
    const s2 = await run(c);
    const cost = delta(before);
    expect(cost.list).toBeLessThanOrEqual(2);
    expect(cost.article).toBeLessThanOrEqual(3);
    expect(cost).toEqual({ list: 1, albumPage: 0, article: 1 });
    expect(s2.fetch!.albums).toMatchObject({ polled: 1, newItems: 1, discovered: 0 });
    expect(shown(c, albumSlug(0))[0]).toEqual(asRead(added));
    expect(shown(c, accountSlug(0))).toEqual(distinct(newestFirst(0).map(asRead)));
    // Nothing new: one list request, no album page, and only the page of the article under a day old, read again
    // on every build (fetch/schedule.ts); no feed written (only the index page, which shows the last poll).
    now += HOUR;
    before = { ...srv.counts };
    const s3 = await run(c);
    expect(delta(before)).toEqual({ list: 1, albumPage: 0, article: 1 });
    expect(s3.filesWritten).toEqual([join(c.output, 'index.html')]);
    // The index page lists the album's feed as an album, with its last poll.
    const index = readFileSync(join(c.output, 'index.html'), 'utf8');
    expect(index).toContain(`id="${albumSlug(0)}"`);
    expect(index).toContain('上次轮询');
  });

  it('an item not read yet is published at once from the list (title, link, create_time, cover), then replaced by its page', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 4 });
    srv.faults.pageTitleSuffix = '（全文）';
    urls(srv.albumUrl(0));
    const c = config({}, { maxPerRun: 0 });
    const s = await run(c);
    expect(s.fetch).toMatchObject({ fetched: 0, deferred: 4 });
    const items = feed(c, albumSlug(0)).items;
    expect(items.map((i) => [i.id, i.title, i.published?.toISOString()])).toEqual(
      distinct(newestFirst(0).map((a) => [srv.articleUrl(a), a.title, new Date(a.createTime * 1000).toISOString()])),
    );
    // Each says in the feed's language that its page is not read yet.
    expect(items.every((i) => i.content?.includes('正文尚未读取'))).toBe(true);
    expect(feed(c, albumSlug(0), 'rss.xml').items[0]!.media[0]).toMatchObject({
      url: newestFirst(0)[0]!.cover,
      mimeType: 'image/jpeg',
    });
    const db = new Database(c.store, { readonly: true });
    expect(db.prepare('SELECT DISTINCT state FROM articles').pluck().all()).toEqual(['listed']);
    expect(db.prepare("SELECT COUNT(*) FROM observations WHERE origin LIKE 'album:sn:%'").pluck().get()).toBe(4);
    expect(db.prepare('SELECT COUNT(*) FROM urls WHERE from_album = 1').pluck().get()).toBe(4);
    db.close();
    // Now read under maxPerRun (2 a build): newest first.
    const c2 = config({}, { maxPerRun: 2 });
    now += 5 * 60_000;
    const s2 = await run(c2);
    expect(s2.fetch).toMatchObject({ fetched: 2, deferred: 2 });
    expect(feed(c2, albumSlug(0)).items.map((i) => i.title)).toEqual([
      `${newestFirst(0)[0]!.title}（全文）`,
      `${newestFirst(0)[1]!.title}（全文）`,
      newestFirst(0)[2]!.title,
      newestFirst(0)[3]!.title,
    ]);
  });
});

describe('following an account from one article URL: albums named in turn', () => {
  it("an album its articles' pages name is followed too, polled and read in the same build", async () => {
    srv = await startAlbumServer({ albums: 3, articles: 4, oneAccount: true });
    srv.faults.nameNextAlbum = true;
    urls(srv.articleUrl(srv.albums[0]!.articles[0]!));
    const c = config();
    const s = await run(c);
    // Round 1: the URL's page names album 0; round 2: its pages name album 1; round 3: album 1's pages name album 2.
    expect(s.albums!.map((a) => [a.title, a.via, a.items])).toEqual([
      ['测试合集0', 'page', 4],
      ['测试合集1', 'page', 4],
      ['测试合集2', 'page', 4],
    ]);
    expect(s.fetch).toMatchObject({ fetched: 12, deferred: 0 });
    expect(feed(c, accountSlug(0)).items).toHaveLength(12);
    for (const a of [0, 1, 2]) expect(feed(c, albumSlug(a)).items).toHaveLength(4);
    expect(delta({ list: 0, albumPage: 0, article: 0, other: 0 })).toEqual({ list: 3, albumPage: 3, article: 12 });
  });
});

describe('reading an album list', () => {
  it('pages with the exclusive cursor: 45 articles in 3 requests, each once, newest first', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 45 });
    urls(srv.albumUrl(0));
    const c = config({}, { maxPerRun: 0 });
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ listRequests: 3, newItems: 45 });
    const lists = srv.requests.filter((r) => r.includes('f=json'));
    const arts = [...srv.albums[0]!.articles].reverse();
    expect(lists.map((r) => new URL(r, 'http://x').searchParams.get('begin_msgid'))).toEqual([
      null,
      arts[19]!.mid,
      arts[39]!.mid,
    ]);
    expect(lists.map((r) => new URL(r, 'http://x').searchParams.get('begin_itemidx'))).toEqual([
      null,
      arts[19]!.idx,
      arts[39]!.idx,
    ]);
    expect(lists.every((r) => r.includes('is_reverse=1') && r.includes('count=20'))).toBe(true);
    const db = new Database(c.store, { readonly: true });
    expect(db.prepare('SELECT COUNT(DISTINCT key) FROM album_items').pluck().get()).toBe(45);
    db.close();
    expect(feed(config({ feed: { limit: 100 } }, { maxPerRun: 0 }), albumSlug(0)).items).toHaveLength(45);
  });

  it('a page of one item (an object) ends the list; a last page saying more follow gets the end of the list (no article_list)', async () => {
    srv = await startAlbumServer({ albums: 2, articles: 21 });
    urls(srv.albumUrl(0));
    const c = config({}, { maxPerRun: 0 });
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ listRequests: 2, newItems: 21, failed: 0 });
    srv.faults.falseContinue = true;
    urls(srv.albumUrl(0), srv.albumUrl(1));
    now += 2 * HOUR;
    const before = { ...srv.counts };
    const s2 = await run(c);
    // Album 0: one page (its newest are known); album 1: two pages and the empty end page.
    expect(delta(before).list).toBe(1 + 3);
    expect(s2.fetch!.albums).toMatchObject({ polled: 2, newItems: 21, failed: 0 });
  });

  it('both orders: a server that answers oldest first is walked to the end, and a new article is still found', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 30 });
    srv.faults.ignoreReverse = true;
    urls(srv.albumUrl(0));
    const c = config({}, { maxPerRun: 0 });
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ listRequests: 2, newItems: 30 });
    const added = srv.grow(0);
    now += 2 * HOUR;
    const s2 = await run(c);
    expect(s2.fetch!.albums).toMatchObject({ listRequests: 2, newItems: 1 });
    expect(feed(c, albumSlug(0)).items[0]!.id).toBe(srv.articleUrl(added));
    // Newest first (the server honours is_reverse again): the next poll stops at the first page.
    srv.faults.ignoreReverse = false;
    srv.grow(0);
    now += 2 * HOUR;
    expect((await run(c)).fetch!.albums).toMatchObject({ listRequests: 1, newItems: 1 });
  });

  it('follow.maxPages bounds the first read; later polls stop at the first known article', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 70 });
    urls(srv.albumUrl(0));
    const c = config({ follow: { maxPages: 2 } }, { maxPerRun: 0 });
    expect((await run(c)).fetch!.albums).toMatchObject({ listRequests: 2, newItems: 40 });
    srv.grow(0);
    srv.grow(0);
    now += 2 * HOUR;
    expect((await run(c)).fetch!.albums).toMatchObject({ listRequests: 1, newItems: 2 });
  });

  it('follow.albumIntervalMinutes: 0 polls on every build (the album listed in the config, as pasted)', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 3 });
    const pasted = `${srv.albumUrl(0).replace('https://', 'http://').replace(/&/g, '&amp;')}&scene=21#wechat_redirect`;
    const c = config({ urls: [pasted], follow: { albumIntervalMinutes: 0 } }, { maxPerRun: 0 });
    await run(c);
    await run(c);
    await run(c);
    expect(srv.counts.list).toBe(3);
    expect(srv.counts.albumPage).toBe(1);
  });
});

describe('WeChat refusing an album list', () => {
  for (const [name, fault] of [
    ['an HTML answer', (s: AlbumServer) => void (s.faults.html = 1)],
    ['base_resp.ret ≠ 0', (s: AlbumServer) => void Object.assign(s.faults, { ret: 1, retValue: 200013 })],
    ['a 302', (s: AlbumServer) => void (s.faults.redirect = 1)],
  ] as const) {
    it(`${name}: nothing stored changes, fetching pauses (captcha cool-down), the next build after it reads the list`, async () => {
      srv = await startAlbumServer({ albums: 2, articles: 5, oneAccount: true });
      urls(srv.albumUrl(0), srv.albumUrl(1));
      const c = config({}, { concurrency: 1 });
      await run(c);
      const stored = snapshot(c);
      const files = readdirSync(join(c.output, albumSlug(0)));
      const atom = feedText(c, albumSlug(0));
      srv.grow(0);
      srv.grow(1);
      now += 2 * HOUR;
      fault(srv);
      const n = srv.requests.length;
      const s = await run(c);
      // The first list request is refused: no other request of any kind follows in this build.
      expect(since(n)).toHaveLength(1);
      expect(since(n)[0]).toMatch(/^\/mp\/appmsgalbum\?action=getalbum&.*&f=json$/);
      expect(s.fetch!.albums).toMatchObject({ blocked: 1, polled: 0, newItems: 0 });
      expect(s.fetch!.cooldownUntil).toBe(now + 15 * 60_000);
      expect(s.fetch!.failures.map((f) => f.reason)).toEqual(['album list refused', 'captcha / rate limit']);
      expect(snapshot(c)).toEqual(stored);
      expect(readdirSync(join(c.output, albumSlug(0)))).toEqual(files);
      expect(feedText(c, albumSlug(0))).toBe(atom);
      expect(s.albums!.map((a) => a.lastPoll?.result).sort()).toEqual(['blocked', 'ok']);
      // During the cool-down nothing is requested; after it, both albums are read.
      now += 10 * 60_000;
      const during = { ...srv.counts };
      await run(c);
      expect(delta(during)).toEqual({ list: 0, albumPage: 0, article: 0 });
      now += 10 * 60_000;
      const after = await run(c);
      expect(after.fetch!.albums).toMatchObject({ polled: 2, newItems: 2, blocked: 0 });
      expect(after.albums!.map((a) => a.lastPoll?.result)).toEqual(['ok', 'ok']);
    });
  }

  it('a malformed answer is a failed poll, recorded; the build goes on with the other albums and the pages', async () => {
    srv = await startAlbumServer({ albums: 2, articles: 3 });
    urls(srv.albumUrl(0), srv.albumUrl(1));
    srv.faults.malformed = 1;
    const c = config({}, { concurrency: 1 });
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ polled: 1, failed: 1, blocked: 0, newItems: 3 });
    expect(s.fetch!.failures).toEqual([
      {
        kind: 'list-failed',
        where: srv.albumUrl(0).replace('http://', 'https://'),
        reason: 'album poll failed',
        detail: 'getalbum_resp is not an object: "not an object"',
      },
    ]);
    expect(s.fetch!.fetched).toBe(3);
    expect(s.fetch!.cooldownUntil).toBeUndefined();
    expect(s.albums!.map((a) => [a.albumId, a.lastPoll?.result, a.lastPoll?.reason])).toEqual([
      [srv.albums[0]!.albumId, 'failed', 'getalbum_resp is not an object: "not an object"'],
      [srv.albums[1]!.albumId, 'ok', undefined],
    ]);
    // Retried after the interval.
    now += 2 * HOUR;
    expect((await run(c)).fetch!.albums).toMatchObject({ polled: 2, failed: 0, newItems: 3 });
  });
});

describe('follow.albums', () => {
  it('off: an article URL follows no album; an album URL listed is still read', async () => {
    srv = await startAlbumServer({ albums: 2, articles: 3 });
    urls(srv.articleUrl(srv.albums[0]!.articles[0]!));
    const c = config({ follow: { albums: 'off' } });
    const s = await run(c);
    expect(delta({ list: 0, albumPage: 0, article: 0, other: 0 })).toEqual({ list: 0, albumPage: 0, article: 1 });
    expect(s.albums).toBeUndefined();
    expect(feed(c, accountSlug(0)).items).toHaveLength(1);
    urls(srv.articleUrl(srv.albums[0]!.articles[0]!), srv.albumUrl(1));
    const s2 = await run(c);
    expect(s2.fetch!.albums).toMatchObject({ active: 1, newItems: 3 });
    expect(feed(c, albumSlug(1)).items).toHaveLength(3);
  });

  it('urls follows the albums named by followed pages only; all also those named by pages read for dumps', async () => {
    srv = await startAlbumServer({ albums: 2, articles: 3 });
    const a = srv.albums[1]!.articles[1]!;
    writeFile(
      join(t.dir, 'dumps/shell.md'),
      dump(
        { title: a.title, url: `${srv.articleUrl(a)}&scene=58#rd`, source: "Doonsec's feed", date: '2023-11-16' },
        '',
      ),
    );
    urls(srv.articleUrl(srv.albums[0]!.articles[0]!));
    const c = config();
    const s = await run(c);
    expect(s.albums!.map((x) => [x.albumId, x.via])).toEqual([[srv.albums[0]!.albumId, 'page']]);
    expect(readdirSync(c.output)).not.toContain(albumSlug(1));
    const all = config({ follow: { albums: 'all' } });
    const s2 = await run(all, { refetch: true });
    expect(s2.albums!.map((x) => [x.albumId, x.via, x.active, x.items])).toEqual([
      [srv.albums[0]!.albumId, 'page', true, 3],
      [srv.albums[1]!.albumId, 'dump', true, 3],
    ]);
    expect(feed(all, albumSlug(1)).items).toHaveLength(3);
    // Back to urls: the album a dump's page named is no longer polled; its articles and feed stay.
    now += 2 * HOUR;
    const before = { ...srv.counts };
    const s3 = await run(c);
    expect(delta(before).list).toBe(1);
    expect(s3.albums!.map((x) => x.active)).toEqual([true, false]);
    expect(feed(c, albumSlug(1)).items).toHaveLength(3);
  });
});

describe('unfollowing', () => {
  it('keeps the articles and the feed; no more polls; discovery never follows it again; add follows it again', async () => {
    srv = await startAlbumServer({ albums: 1, articles: 4 });
    const first = srv.albums[0]!.articles[0]!;
    urls(srv.articleUrl(first));
    const c = config();
    await run(c);
    expect(feed(c, albumSlug(0)).items).toHaveLength(4);
    const r = await unfollowAlbums(c, [`${srv.albumUrl(0).replace('https://', 'http://')}#wechat_redirect`]);
    expect(r.refused).toBe(0);
    expect(r.lines).toEqual([
      `unfollowed  测试合集0 · 测试账号0  ${srv.albumUrl(0)}: no more polls; its 4 articles and its feed stay`,
    ]);
    srv.grow(0);
    now += 2 * HOUR;
    const before = { ...srv.counts };
    const s = await run(c, { refetch: true }); // the followed article's page, naming the album, is read again
    expect(delta(before)).toEqual({ list: 0, albumPage: 0, article: 1 });
    expect(s.albums).toEqual([expect.objectContaining({ followed: false, active: false, items: 4 })]);
    expect(feed(c, albumSlug(0)).items).toHaveLength(4);
    expect(feed(c, accountSlug(0)).items).toHaveLength(4);
    expect((await unfollowAlbums(c, [`album-${srv.albums[0]!.albumId}`])).lines[0]).toMatch(/^already unfollowed/);
    expect(await unfollowAlbums(c, ['123'])).toMatchObject({ refused: 1 });
    const text = formatFollowed(await listFollowed(c));
    expect(text).toContain('unfollowed (1;');
    // add follows it again (and lists it).
    const added = await addUrls(c, [srv.albumUrl(0)]);
    expect(added.lines).toEqual([
      `following again (it was unfollowed)  ${srv.albumUrl(0)}`,
      `added album  ${srv.albumUrl(0)}`,
      `1 added to ${join(t.dir, 'urls.txt')}; the next build fetches them.`,
    ]);
    const s2 = await run(c);
    expect(s2.fetch!.albums).toMatchObject({ polled: 1, newItems: 1 });
    expect(feed(c, albumSlug(0)).items).toHaveLength(5);
  });
});

describe('wxfeed list', () => {
  it('articles with their last read; albums with title, account, articles known, last poll and result', async () => {
    srv = await startAlbumServer({ albums: 2, articles: 3 });
    const art = srv.albums[0]!.articles[0]!;
    urls(srv.articleUrl(art), srv.albumUrl(1));
    const c = config();
    const before = await listFollowed(c);
    expect(before.albums).toEqual([
      expect.objectContaining({ albumId: srv.albums[1]!.albumId, items: 0, followed: true }),
    ]);
    expect(formatFollowed(before)).toContain('not polled yet');
    await run(c);
    const f = await listFollowed(c, now);
    expect(f.articles).toEqual([
      {
        url: srv.articleUrl(art),
        where: `${join(t.dir, 'urls.txt')}:1`,
        lastRead: { at: '2025-01-01T08:00:00+08:00', result: 'ok' },
      },
    ]);
    // Beijing time in JSON too.
    expect(f.albums.map((a) => a.lastPoll?.at)).toEqual(['2025-01-01T08:00:00+08:00', '2025-01-01T08:00:00+08:00']);
    const text = formatFollowed(f);
    // Beijing time, to the minute; grouped by account; the next poll by the activity schedule (articles a day old:
    // the base interval).
    const at = '2025-01-01 08:00 +08:00';
    const next = '2025-01-01 09:00 +08:00';
    expect(text).toBe(
      [
        'articles (1):',
        `  ${srv.articleUrl(art)}`,
        `      ${join(t.dir, 'urls.txt')}:1; last read ${at} ok`,
        'albums and homepages (2):',
        '  测试账号0 (3900000000):',
        `    测试合集0  ${srv.albumUrl(0)}`,
        `        3 articles known; last poll ${at} ok; next poll ${next}`,
        `        named by a followed article; feed ${albumSlug(0)}/`,
        '  测试账号1 (3900000001):',
        `    测试合集1  ${srv.albumUrl(1)}`,
        `        3 articles known; last poll ${at} ok; next poll ${next}`,
        `        listed at ${join(t.dir, 'urls.txt')}:2; feed ${albumSlug(1)}/`,
      ].join('\n'),
    );
  });
});
