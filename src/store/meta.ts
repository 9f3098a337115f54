/**
 * The `meta` table: small named values (walk fingerprint, publish signature, cool-down, image secret, …).
 */
import type { DB } from './db.js';

export class MetaTable {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      get: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      set: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      delete: db.prepare('DELETE FROM meta WHERE key = ?'),
    };
  }

  get(key: string): string | undefined {
    return this.s.get.get(key) as string | undefined;
  }

  set(key: string, value: string): void {
    this.s.set.run(key, value);
  }

  delete(key: string): void {
    this.s.delete.run(key);
  }
}
