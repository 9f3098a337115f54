/**
 * The `urls` table: URLs followed (listed in the config and URL files, from dumps that are not the article yet, or
 * listed by an album polled now) with their fetch state.
 */
import { type FetchResult, NEEDS_ARTICLE } from '../states.js';
import type { FollowedUrl } from '../types.js';
import type { DB } from './db.js';

const NEEDS_ARTICLE_SQL = `(${NEEDS_ARTICLE.map((s) => `'${s}'`).join(', ')})`;

/** The URLs followed and their fetch state. */
export class UrlsTable {
  private readonly s;

  constructor(private readonly db: DB) {
    this.s = {
      clearListed: db.prepare('UPDATE urls SET listed = 0 WHERE listed = 1'),
      list: db.prepare(`INSERT INTO urls (url, key, listed, added_at) VALUES (?, ?, 1, ?)
        ON CONFLICT(url) DO UPDATE SET listed = 1, key = COALESCE(urls.key, excluded.key)`),
      fromDumps: db.prepare(`INSERT OR IGNORE INTO urls (url, key, source, from_dump, added_at)
        SELECT o.link, o.key, MIN(o.source), 1, ? FROM observations o JOIN articles a ON a.key = o.key
        WHERE o.origin LIKE 'file:%' AND o.key LIKE 'sn:%' AND a.state IN ${NEEDS_ARTICLE_SQL} GROUP BY o.link`),
      fromAlbum: db.prepare(`INSERT INTO urls (url, key, source, from_album, added_at) VALUES (?, ?, ?, 1, ?)
        ON CONFLICT(url) DO UPDATE SET from_album = 1, key = COALESCE(urls.key, excluded.key),
          source = COALESCE(urls.source, excluded.source)`),
      candidates:
        db.prepare(`SELECT u.url, u.key, u.source, u.last_fetch_at AS lastFetchAt, u.last_result AS lastResult,
          u.fail_count AS failCount, a.date AS publishedAt,
          CASE WHEN a.key IS NULL OR a.state IN ${NEEDS_ARTICLE_SQL} THEN 1 ELSE 0 END AS needsArticle,
          u.listed AS listed, u.from_dump AS fromDump, u.from_album AS fromAlbum
        FROM urls u LEFT JOIN articles a ON a.key = u.key
        WHERE u.listed = 1 OR (u.from_dump = 1 AND ?) OR (u.from_album = 1 AND EXISTS (SELECT 1 FROM album_items ai
          JOIN albums al ON al.album_id = ai.album_id WHERE ai.key = u.key AND al.active = 1))`),
      status: db.prepare(
        'SELECT last_fetch_at AS lastFetchAt, last_result AS lastResult, last_reason AS lastReason FROM urls WHERE url = ?',
      ),
      result: db.prepare(`UPDATE urls SET last_fetch_at = @now, last_result = @result, last_reason = @reason,
          fail_count = CASE WHEN @failed THEN fail_count + 1 ELSE 0 END, key = COALESCE(@key, key) WHERE url = @url`),
      // SQLite takes the bare columns from the row holding MAX().
      fetchBySource:
        db.prepare(`SELECT o.source AS source, u.last_result AS lastResult, MAX(u.last_fetch_at) AS lastFetchAt, u.last_reason AS lastReason
        FROM urls u JOIN observations o ON o.key = u.key WHERE u.last_fetch_at IS NOT NULL GROUP BY o.source`),
    };
  }

  /** The URLs listed in the config and URL files this run (others stay stored but are no longer re-read). */
  setListed(entries: Array<{ url: string; key: string | null }>, now: number): void {
    this.db.transaction(() => {
      this.s.clearListed.run();
      for (const e of entries) this.s.list.run(e.url, e.key, now);
    })();
  }

  /** Follow the URL of every dump whose merged article is not the article yet. */
  addDumpUrls(now: number): number {
    return this.s.fromDumps.run(now).changes;
  }

  /** Follow the page of an article an album lists (`source`: the label its page's observation takes). */
  addAlbumItem(url: string, key: string, source: string, now: number): void {
    this.s.fromAlbum.run(url, key, source, now);
  }

  /** The URLs to consider: listed, of dumps (when `includeDumps`), and those of the albums polled now. */
  candidates(includeDumps: boolean): FollowedUrl[] {
    type Row = Omit<FollowedUrl, 'needsArticle' | 'listed' | 'fromDump' | 'fromAlbum'> & {
      needsArticle: number;
      listed: number;
      fromDump: number;
      fromAlbum: number;
    };
    return (this.s.candidates.all(includeDumps ? 1 : 0) as Row[]).map((r) => ({
      ...r,
      needsArticle: r.needsArticle === 1,
      listed: r.listed === 1,
      fromDump: r.fromDump === 1,
      fromAlbum: r.fromAlbum === 1,
    }));
  }

  /** The last fetch of a URL, when it was fetched. */
  status(url: string): { lastFetchAt: number; lastResult: FetchResult; lastReason: string | null } | undefined {
    const row = this.s.status.get(url) as
      | { lastFetchAt: number | null; lastResult: FetchResult | null; lastReason: string | null }
      | undefined;
    if (!row || row.lastFetchAt === null || row.lastResult === null) return undefined;
    return { lastFetchAt: row.lastFetchAt, lastResult: row.lastResult, lastReason: row.lastReason };
  }

  /** Record a fetch of a URL: its result, why, whether it failed, and the key its page gave. */
  recordResult(
    url: string,
    result: FetchResult,
    reason: string | null,
    failed: boolean,
    key: string | null,
    now: number,
  ): void {
    this.s.result.run({ url, result, reason, failed: failed ? 1 : 0, key, now });
  }

  /** Per source label: the most recent fetch of any of its URLs. */
  fetchStateBySource(): Map<string, { lastResult: FetchResult; lastFetchAt: number; lastReason: string | null }> {
    const rows = this.s.fetchBySource.all() as Array<{
      source: string;
      lastResult: FetchResult;
      lastFetchAt: number;
      lastReason: string | null;
    }>;
    return new Map(
      rows.map((r) => [r.source, { lastResult: r.lastResult, lastFetchAt: r.lastFetchAt, lastReason: r.lastReason }]),
    );
  }
}
