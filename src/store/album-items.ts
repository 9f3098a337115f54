/**
 * The `album_items` table: which articles (by key) each album lists, with the list's msgid, itemidx and create_time.
 */
import type { DB } from './db.js';

/** One article an album lists, as its list gives it. */
export interface AlbumItemRow {
  key: string;
  msgid: string;
  itemidx: string;
  /** Epoch ms. */
  createTime: number;
}

/** The articles each album lists. */
export class AlbumItemsTable {
  private readonly s;
  /** False while the table is empty: lookups by key are skipped (a store without albums pays nothing). */
  private any: boolean;

  constructor(db: DB) {
    this.s = {
      count: db.prepare('SELECT COUNT(*) FROM album_items').pluck(),
      add: db.prepare(`INSERT OR IGNORE INTO album_items (album_id, key, msgid, itemidx, create_time, added_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
      keysOf: db.prepare('SELECT key FROM album_items WHERE album_id = ?').pluck(),
      albumsOf: db.prepare('SELECT album_id FROM album_items WHERE key = ? ORDER BY album_id').pluck(),
    };
    this.any = (this.s.count.get() as number) > 0;
  }

  /** Record that an album lists an article; false when it was recorded already. */
  add(albumId: string, item: AlbumItemRow, now: number): boolean {
    const added = this.s.add.run(albumId, item.key, item.msgid, item.itemidx, item.createTime, now).changes > 0;
    if (added) this.any = true;
    return added;
  }

  /** The keys of the articles an album lists. */
  keysOf(albumId: string): Set<string> {
    return new Set(this.s.keysOf.all(albumId) as string[]);
  }

  /** The albums that list an article. */
  albumsOf(key: string): string[] {
    return this.any ? (this.s.albumsOf.all(key) as string[]) : [];
  }
}
