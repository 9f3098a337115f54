/**
 * The `feeds` table: per published feed, what was last written (signature of its settings, item count, newest).
 */
import type { DB } from './db.js';

export interface FeedRecord {
  slug: string;
  title: string;
  signature: string;
  items: number;
  newestTitle: string | null;
  newestLink: string | null;
  newestDate: number | null;
}

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
    };
  }

  all(): Map<string, FeedRecord> {
    return new Map((this.s.all.all() as FeedRecord[]).map((f) => [f.slug, f]));
  }

  save(f: FeedRecord, now: number): void {
    this.s.upsert.run({ ...f, now });
  }

  delete(slug: string): void {
    this.s.delete.run(slug);
  }
}
