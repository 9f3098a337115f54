/**
 * Work in progress, kept in the same transactions as the data so a build killed at any point resumes: the
 * `pending_keys` whose articles are to be merged again, and the `dirty_sources` whose feeds are to be rendered again.
 */
import type { StoredObservation } from '../types.js';
import type { DB } from './db.js';
import { OBSERVATION_COLUMNS } from './observations.js';

export class PendingTable {
  private readonly s;
  /** Sources marked in the open transaction (forgotten when it ends: a rollback may have undone them). */
  private readonly marked = new Set<string>();
  /** Keys marked since `takeRecent` last ran (forgotten when a transaction ends without commit: see forgetMarks). */
  private recent = new Set<string>();

  constructor(db: DB) {
    this.s = {
      markKey: db.prepare('INSERT OR IGNORE INTO pending_keys (key) VALUES (?)'),
      // A batch of pending keys in key order with their observations (none for a key whose last one went).
      batch: db.prepare(`SELECT p.key AS pendingKey, ${OBSERVATION_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1o.$2')}
        FROM (SELECT key FROM pending_keys ORDER BY key LIMIT ?) p LEFT JOIN observations o ON o.key = p.key ORDER BY p.key`),
      clearUpTo: db.prepare('DELETE FROM pending_keys WHERE key <= ?'),
      clear: db.prepare('DELETE FROM pending_keys WHERE key = ?'),
      markSource: db.prepare('INSERT OR IGNORE INTO dirty_sources (source) VALUES (?)'),
      sources: db.prepare('SELECT source FROM dirty_sources').pluck(),
      clearSources: db.prepare('DELETE FROM dirty_sources'),
    };
  }

  markKey(key: string): void {
    this.s.markKey.run(key);
    this.recent.add(key);
  }

  /** The keys marked since the last call, in key order; the list starts again. */
  takeRecent(): string[] {
    const keys = [...this.recent].sort();
    this.recent = new Set();
    return keys;
  }

  /** One key is merged. */
  clear(key: string): void {
    this.s.clear.run(key);
  }

  /** Up to `limit` pending keys in key order, each with its stored observations (read whole: no writes meanwhile). */
  batch(limit: number): Array<{ key: string; observations: StoredObservation[] }> {
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
  }

  /** Mark a source's feeds for rendering; once per source per transaction. */
  markSource(source: string): void {
    if (this.marked.has(source)) return;
    this.s.markSource.run(source);
    this.marked.add(source);
  }

  dirtySources(): Set<string> {
    return new Set(this.s.sources.all() as string[]);
  }

  clearSources(): void {
    this.s.clearSources.run();
    this.marked.clear();
  }

  /** A transaction ended: what it marked may have been undone. */
  forgetMarks(): void {
    this.marked.clear();
    this.recent.clear();
  }
}
