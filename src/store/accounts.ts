/**
 * The `accounts` table: WeChat accounts' names by account number (the digits `__biz` encodes), as fetched article
 * pages and album pages give them (`nickname`), with when each was given (first, or changed). By number, so that
 * every spelling of an account's `__biz` finds its name.
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from './db.js';

/** Account names by account number. */
export class AccountsTable {
  private readonly s;

  constructor(private readonly db: DB) {
    this.s = {
      name: db.prepare('SELECT name FROM accounts WHERE number = ?').pluck(),
      put: db.prepare(`INSERT INTO accounts (number, name, seen_at) VALUES (?, ?, ?)
        ON CONFLICT(number) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at`),
      all: db.prepare('SELECT number, name FROM accounts ORDER BY number'),
    };
  }

  /** `SELECT … WHERE biz IN (n spellings)`, prepared once per count. */
  private readonly bySpellings = new Map<number, Statement<unknown[]>>();

  /**
   * Record an account's name, given at `now`: true when it is new or changed. The same name writes nothing (every page
   * of an account gives it).
   */
  record(number: string, name: string, now: number): boolean {
    if ((this.s.name.get(number) as string | undefined) === name) return false;
    this.s.put.run(number, name, now);
    return true;
  }

  /** Every name, by account number. */
  all(): Map<string, string> {
    return new Map(
      (this.s.all.all() as Array<{ number: string; name: string }>).map((r) => [r.number, r.name] as const),
    );
  }

  /** The source labels with a copy of an article of the account, its `__biz` written any of `bizes`. */
  sourcesOf(bizes: readonly string[]): string[] {
    if (bizes.length === 0) return [];
    let st = this.bySpellings.get(bizes.length);
    if (!st) {
      // No index on biz: this runs only when an account's name is new or changed (once per account, or a rename).
      const marks = Array(bizes.length).fill('?').join(',');
      st = this.db.prepare(`SELECT DISTINCT source FROM observations WHERE biz IN (${marks}) ORDER BY source`).pluck();
      this.bySpellings.set(bizes.length, st);
    }
    return st.all(...bizes) as string[];
  }
}
