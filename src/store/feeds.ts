/**
 * The `feeds` table: per published feed, what was last written (signature of its settings, item count, newest).
 * Also, read only, what the index page tells of each feed's live fetching: the latest fetch of each followed URL,
 * under the source labels of its article.
 */
import type { FetchHistoryRow } from '../types.js';
import type { DB } from './db.js';

/** What was last written of a feed. */
export interface FeedRecord {
  slug: string;
  title: string;
  signature: string;
  items: number;
  newestTitle: string | null;
  newestLink: string | null;
  newestDate: number | null;
}

/** The published feeds, and the fetch history the index page shows. */
export class FeedsTable {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      all: db.prepare(
        'SELECT slug, title, signature, items, newest_title AS newestTitle, newest_link AS newestLink, newest_date AS newestDate FROM feeds',
      ),
      upsert:
        db.prepare(`INSERT INTO feeds (slug, title, signature, items, newest_title, newest_link, newest_date, written_at)
        VALUES (@slug, @title, @signature, @items, @newestTitle, @newestLink, @newestDate, @now)
        ON CONFLICT(slug) DO UPDATE SET title = excluded.title, signature = excluded.signature, items = excluded.items,
          newest_title = excluded.newest_title, newest_link = excluded.newest_link, newest_date = excluded.newest_date,
          written_at = excluded.written_at`),
      delete: db.prepare('DELETE FROM feeds WHERE slug = ?'),
      fetchHistory: db.prepare(`SELECT DISTINCT o.source AS source, u.url AS url, u.last_fetch_at AS at,
          u.last_result AS result, u.last_reason AS reason
        FROM urls u JOIN observations o ON o.key = u.key WHERE u.last_fetch_at IS NOT NULL`),
      fetchMark: db.prepare('SELECT COUNT(*) AS n, MAX(last_fetch_at) AS at FROM urls WHERE last_fetch_at IS NOT NULL'),
    };
  }

  /** Every published feed, by slug. */
  all(): Map<string, FeedRecord> {
    return new Map((this.s.all.all() as FeedRecord[]).map((f) => [f.slug, f]));
  }

  /** Record what was written of a feed. */
  save(f: FeedRecord, now: number): void {
    this.s.upsert.run({ ...f, now });
  }

  /** Forget a feed no longer published. */
  delete(slug: string): void {
    this.s.delete.run(slug);
  }

  /** Every fetched URL with the source labels of its article (one row per URL and label). */
  fetchHistory(): FetchHistoryRow[] {
    return this.s.fetchHistory.all() as FetchHistoryRow[];
  }

  /** Changes whenever a URL is fetched (or a fetched one is forgotten): whether fetchHistory() may have changed. */
  fetchMark(): string {
    const r = this.s.fetchMark.get() as { n: number; at: number | null };
    return `${r.n}:${r.at ?? ''}`;
  }
}
