/**
 * Work in progress, kept in the same transactions as the data so a build killed at any point resumes: the
 * `pending_keys` whose articles are to be merged again, and the `dirty_sources` whose feeds are to be rendered again.
 * A key marked is held here first: one merged in the same transaction (`takeRecent`, as a read of dumps does batch
 * by batch) never reaches the table; the others are written before the transaction commits (`flush`, which the
 * store calls) or before pending keys are read.
 */
import type { StoredObservation } from '../types.js';
import type { DB } from './db.js';
import { OBSERVATION_COLUMNS } from './observations.js';

/** The keys to merge again and the sources to render again, kept with the data they follow. */
export class PendingTable {
  private readonly s;
  /** Sources marked in the open transaction (forgotten when it ends: a rollback may have undone them). */
  private readonly marked = new Set<string>();
  /** Keys marked and not yet written nor taken (forgotten when a transaction ends: see `flush`, `forgetMarks`). */
  private recent = new Set<string>();
  /** Whether the table holds no key, as this transaction knows it (undefined: not looked). */
  private empty: boolean | undefined;

  constructor(db: DB) {
    this.s = {
      markKey: db.prepare('INSERT OR IGNORE INTO pending_keys (key) VALUES (?)'),
      // A batch of pending keys in key order with their observations (none for a key whose last one went).
      batch: db.prepare(`SELECT p.key AS pendingKey, ${OBSERVATION_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1o.$2')}
        FROM (SELECT key FROM pending_keys ORDER BY key LIMIT ?) p LEFT JOIN observations o ON o.key = p.key ORDER BY p.key`),
      clearUpTo: db.prepare('DELETE FROM pending_keys WHERE key <= ?'),
      clear: db.prepare('DELETE FROM pending_keys WHERE key = ?'),
      any: db.prepare('SELECT 1 FROM pending_keys LIMIT 1').pluck(),
      markSource: db.prepare('INSERT OR IGNORE INTO dirty_sources (source) VALUES (?)'),
      sources: db.prepare('SELECT source FROM dirty_sources').pluck(),
      clearSources: db.prepare('DELETE FROM dirty_sources'),
    };
  }

  /** Mark a key's article to be merged again; call inside a transaction. */
  markKey(key: string): void {
    this.recent.add(key);
  }

  /**
   * The keys marked since the last call (or flush), in key order, for the caller to merge in this transaction; they
   * are pending no more (a key marked in an earlier transaction stays in the table until `clear`).
   */
  takeRecent(): string[] {
    const keys = [...this.recent].sort();
    this.recent = new Set();
    return keys;
  }

  /** A key taken (`takeRecent`) and not merged: written into the table now, to be merged later. */
  keep(key: string): void {
    this.s.markKey.run(key);
    this.empty = false;
  }

  /** Write the keys marked and not taken into the table: before the transaction commits. */
  flush(): void {
    if (this.recent.size === 0) return;
    for (const key of this.recent) this.s.markKey.run(key);
    this.recent.clear();
    this.empty = false;
  }

  /** One key is merged (it may have been pending since an earlier transaction). */
  clear(key: string): void {
    this.empty ??= this.s.any.get() === undefined;
    if (!this.empty) this.s.clear.run(key);
  }

  /** Up to `limit` pending keys in key order, each with its stored observations (read whole: no writes meanwhile). */
  batch(limit: number): Array<{ key: string; observations: StoredObservation[] }> {
    this.flush();
    const out: Array<{ key: string; observations: StoredObservation[] }> = [];
    for (const row of this.s.batch.all(limit) as Array<StoredObservation & { pendingKey: string }>) {
      const last = out[out.length - 1];
      const entry = last?.key === row.pendingKey ? last : { key: row.pendingKey, observations: [] };
      if (entry !== last) out.push(entry);
      if (row.origin !== null) {
        const { pendingKey: _key, ...obs } = row;
        entry.observations.push(obs);
      }
    }
    return out;
  }

  /** The keys up to `key` (inclusive) are merged. */
  clearUpTo(key: string): void {
    this.s.clearUpTo.run(key);
    this.empty = undefined;
  }

  /** Mark a source's feeds for rendering; once per source per transaction. */
  markSource(source: string): void {
    if (this.marked.has(source)) return;
    this.s.markSource.run(source);
    this.marked.add(source);
  }

  /** The sources whose feeds are to be rendered again. */
  dirtySources(): Set<string> {
    return new Set(this.s.sources.all() as string[]);
  }

  /** Every marked source's feeds are rendered. */
  clearSources(): void {
    this.s.clearSources.run();
    this.marked.clear();
  }

  /** A transaction ended: what it marked may have been undone. */
  forgetMarks(): void {
    this.marked.clear();
    this.recent.clear();
    this.empty = undefined;
  }
}
