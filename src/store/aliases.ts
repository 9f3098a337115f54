/**
 * The `aliases` table: a short link's key → the sn key its page revealed.
 */
import type { DB } from './db.js';

/** Short links' keys and the sn keys their pages revealed. */
export class AliasesTable {
  private readonly s;
  /** False while the table is empty: lookups are skipped. */
  private any: boolean;

  constructor(db: DB) {
    this.s = {
      count: db.prepare('SELECT COUNT(*) FROM aliases').pluck(),
      get: db.prepare('SELECT key FROM aliases WHERE alias = ?').pluck(),
      put: db.prepare(
        'INSERT INTO aliases (alias, key) VALUES (?, ?) ON CONFLICT(alias) DO UPDATE SET key = excluded.key',
      ),
    };
    this.any = (this.s.count.get() as number) > 0;
  }

  /** The key an alias stands for, or the key itself. */
  resolve(key: string): string {
    return this.any ? ((this.s.get.get(key) as string | undefined) ?? key) : key;
  }

  /** Record the key an alias stands for. */
  put(alias: string, key: string): void {
    this.s.put.run(alias, key);
    this.any = true;
  }
}
