/**
 * The budgets of following (issue 20 item 5): one build makes at most `follow.maxRequestsPerRun` list and list-page
 * requests, starts at most `follow.maxNewAlbumsPerRun` first reads, follows at most `follow.maxAlbumsPerAccount`
 * albums of an account; a first read takes at most `follow.maxPages` × 20 articles whatever size the pages come in;
 * a walk cut by the budget goes on where it stopped in the next build; a cursor that comes back fails the album.
 * Against the loopback album server (test/helpers/album-server.ts).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Config } from '../../src/types.js';
import { useFollowing } from '../helpers/following.js';
import { startAlbumServer } from '../helpers/album-server.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const f = useFollowing();

const config = (urls: string[], extra: { fetch?: object; follow?: object } = {}): Config =>
  f.config({ urls, ...extra });
const run = (c: Config, opts: { refetch?: boolean } = {}) => f.run(c, opts);
/** List and list-page requests since the `n`th. */
const listAsks = (n: number) => f.srv.requests.slice(n).filter((r) => r.startsWith('/mp/appmsgalbum?')).length;
function rows<T>(c: Config, sql: string): T[] {
  const db = new Database(c.store, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('album explosion', () => {
  it('pages naming 50 albums each: 50 followed for the account, 10 first reads a build, within the request budget', async () => {
    f.srv = await startAlbumServer({ albums: 60, articles: 2, oneAccount: true });
    f.srv.faults.nameAlbums = 50;
    const c = config([f.srv.articleUrl(f.srv.albums[0]!.articles[0]!)]);
    const perBuild: Array<{ asks: number; read: number; deferred: number; overCap: number }> = [];
    for (let b = 0; b < 8; b++) {
      const n = f.srv.requests.length;
      const s = await run(c);
      const read = rows<{ n: number }>(c, 'SELECT COUNT(*) AS n FROM albums WHERE polled_at IS NOT NULL')[0]!.n;
      perBuild.push({
        asks: listAsks(n),
        read,
        deferred: s.fetch!.albums!.deferred,
        overCap: s.fetch!.albums!.overCap,
      });
      expect(listAsks(n)).toBeLessThanOrEqual(c.follow.maxRequestsPerRun);
      f.now += 5 * MIN;
    }
    // Each first read is the album's page and one list page; ten a build; five builds read the fifty.
    expect(perBuild.map((b) => [b.asks, b.read])).toEqual([
      [20, 10],
      [20, 20],
      [20, 30],
      [20, 40],
      [20, 50],
      [0, 50],
      [0, 50],
      [0, 50],
    ]);
    expect(perBuild.map((b) => b.deferred)).toEqual([40, 30, 20, 10, 0, 0, 0, 0]);
    expect(perBuild[0]!.overCap).toBeGreaterThan(0);
    expect(rows<{ n: number }>(c, 'SELECT COUNT(*) AS n FROM albums WHERE followed = 1')[0]!.n).toBe(50);
    // One feed folder per album read, the account's, all/.
    const folders = readdirSync(c.output).filter((f) => !f.includes('.'));
    expect(folders.filter((f) => f.startsWith('album-'))).toHaveLength(50);
    expect(folders).toHaveLength(52);
  });

  it('a first read takes at most follow.maxPages × 20 articles, whatever size the pages come in', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 2000 });
    f.srv.faults.pageSize = 100;
    const c = config([f.srv.albumUrl(0)], { fetch: { maxPerRun: 0 } });
    const n = f.srv.requests.length;
    await run(c);
    expect(rows<{ n: number }>(c, 'SELECT COUNT(*) AS n FROM album_items')[0]!.n).toBe(1000);
    // The page, then ten pages of 100.
    expect(listAsks(n)).toBe(11);
    const newest = f.srv.albums[0]!.articles.slice(-1000).map((a) => a.sn);
    const stored = rows<{ key: string }>(c, 'SELECT key FROM album_items').map((r) => r.key.slice(3));
    expect(new Set(stored)).toEqual(new Set(newest));
    expect(rows(c, 'SELECT walked, walk_cursor FROM albums')).toEqual([{ walked: 1, walk_cursor: null }]);
  });
});

describe('following one article URL under the default budget', () => {
  it('an account of 29 albums, one of 106 articles: that album whole in the first build, all 29 by the third', async () => {
    // As the real account of ../shared's album fixtures: its pages name 29 albums between them; here each page names
    // every album of the account.
    const sizes = [106, ...Array.from({ length: 28 }, (_, i) => 2 + (i % 5))];
    f.srv = await startAlbumServer({ albums: 29, articlesPer: sizes, oneAccount: true });
    f.srv.faults.nameAlbums = 28;
    const c = config([f.srv.articleUrl(f.srv.albums[0]!.articles[50]!)]);
    const progress: Array<{ asks: number; albumsRead: number; firstAlbum: number; fetched: number }> = [];
    for (let b = 0; b < 4; b++) {
      const n = f.srv.requests.length;
      const s = await run(c);
      const read = rows<{ n: number }>(c, 'SELECT COUNT(*) AS n FROM albums WHERE walked = 1')[0]!.n;
      const first = rows<{ n: number }>(
        c,
        `SELECT COUNT(*) AS n FROM album_items WHERE album_id = '${f.srv.albums[0]!.albumId}'`,
      )[0]!.n;
      progress.push({ asks: listAsks(n), albumsRead: read, firstAlbum: first, fetched: s.fetch!.fetched });
      f.now += 30 * MIN;
    }
    expect(progress.map((p) => p.firstAlbum)).toEqual([106, 106, 106, 106]);
    expect(progress.map((p) => p.albumsRead)).toEqual([10, 20, 29, 29]);
    for (const p of progress) expect(p.asks).toBeLessThanOrEqual(100);
    // Every article of the account is published by then, each once.
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(rows<{ n: number }>(c, 'SELECT COUNT(*) AS n FROM articles')[0]!.n).toBe(total);
  }, 60_000);
});

describe('a walk cut by the budget goes on in the next build', () => {
  it('100 articles at 3 requests a build: read over two builds, each article once; the head then finds a new one', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 100 });
    const c = config([f.srv.albumUrl(0)], { fetch: { maxPerRun: 0 }, follow: { maxRequestsPerRun: 3 } });
    const s1 = await run(c);
    expect(s1.fetch!.albums).toMatchObject({ listRequests: 2, pageRequests: 1, newItems: 40 });
    expect(rows(c, 'SELECT walked, walk_cursor IS NOT NULL AS cursor FROM albums')).toEqual([{ walked: 0, cursor: 1 }]);
    f.now += 10 * MIN;
    const s2 = await run(c);
    expect(s2.fetch!.albums).toMatchObject({ listRequests: 3, pageRequests: 0, newItems: 60 });
    expect(rows(c, 'SELECT walked, walk_cursor FROM albums')).toEqual([{ walked: 1, walk_cursor: null }]);
    const keys = rows<{ key: string }>(c, 'SELECT key FROM album_items').map((r) => r.key.slice(3));
    expect(keys.sort()).toEqual(f.srv.albums[0]!.articles.map((a) => a.sn).sort());
    // Walked: nothing more is asked until the head is due; then one request finds the new article.
    f.now += 10 * MIN;
    const s3 = await run(c);
    expect(s3.fetch!.albums).toMatchObject({ listRequests: 0, pageRequests: 0 });
    const added = f.srv.grow(0);
    f.now += HOUR;
    const s4 = await run(c);
    expect(s4.fetch!.albums).toMatchObject({ listRequests: 1, newItems: 1 });
    expect(rows(c, `SELECT COUNT(*) AS n FROM album_items WHERE key = 'sn:${added.sn}'`)).toEqual([{ n: 1 }]);
  });
});

describe('a cursor that comes back', () => {
  it('pages alternating A, B, A: the album fails on the third request, keeping the 40 articles it read', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 100 });
    f.srv.faults.alternate = true;
    const c = config([f.srv.albumUrl(0)], { fetch: { maxPerRun: 0 } });
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ listRequests: 3, failed: 1, newItems: 40 });
    expect(s.albums![0]!.lastPoll).toMatchObject({ result: 'failed' });
    expect(s.albums![0]!.lastPoll!.reason).toMatch(/^the list's cursor came back to a position it had/);
    expect(s.fetch!.cooldownUntil).toBeUndefined();
  });
});
