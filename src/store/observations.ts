/**
 * The `observations` table: one row per copy of an article (`file:<path>`, `page:<url>`, `notice:<url>`), under the
 * article's key. A fetched page's body (sanitized HTML) is kept here; a dump's body stays in its file.
 */
import type { Body, Observation, SourceStats, StoredObservation } from '../types.js';
import { type DB, upsertSql } from './db.js';
import { unpackTemplate } from './templates.js';

/** Columns read back as a StoredObservation. */
export const OBSERVATION_COLUMNS = `origin, key, source, id, link, biz, mid, idx, sn, title, author, date,
  date_precision AS datePrecision, captured_at AS capturedAt, state, body_hash AS bodyHash, text_length AS textLength,
  summary, cover`;

/** The columns `put` writes, in the order it gives their values. */
const UPSERT_COLUMNS = [
  'origin',
  'key',
  'source',
  'id',
  'link',
  'biz',
  'mid',
  'idx',
  'sn',
  'short_token',
  'title',
  'author',
  'date',
  'date_precision',
  'captured_at',
  'state',
  'body',
  'body_format',
  'body_hash',
  'text_length',
  'summary',
  'cover',
  'seen_at',
] as const;

const intOrNull = (v: string | undefined): number | null =>
  v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : null;

/** A string as SQLite keeps it: UTF-8, a lone surrogate replaced. */
const kept = (s: string): string => (s.isWellFormed() ? s : s.toWellFormed());
const storedOrNull = (s: string | undefined): string | null => (s === undefined ? null : kept(s));

/** An observation as the store keeps it and reads it back (`ObservationsTable.get`), without reading it. */
export function storedObservation(origin: string, key: string, o: Observation): StoredObservation {
  return {
    origin: kept(origin),
    key: kept(key),
    source: kept(o.source),
    id: kept(o.id),
    link: kept(o.link),
    biz: storedOrNull(o.ref.biz),
    mid: intOrNull(o.ref.mid),
    idx: intOrNull(o.ref.idx),
    sn: storedOrNull(o.ref.sn),
    title: kept(o.title),
    author: storedOrNull(o.author),
    date: o.date,
    datePrecision: o.datePrecision,
    capturedAt: o.capturedAt ?? null,
    state: o.state,
    bodyHash: kept(o.body.hash),
    textLength: o.textLength,
    summary: kept(o.summary),
    cover: storedOrNull(o.cover),
  };
}

/** Every copy of every article, under the article's key. */
export class ObservationsTable {
  private readonly s;
  /** SQLite's rowid of the last row `put` inserted. */
  private inserted = 0;

  constructor(db: DB) {
    this.s = {
      keyAndSource: db.prepare('SELECT key, source FROM observations WHERE origin = ?'),
      upsert: db.prepare(upsertSql('observations', UPSERT_COLUMNS, 'origin')),
      delete: db.prepare('DELETE FROM observations WHERE origin = ?'),
      byOrigin: db.prepare(`SELECT ${OBSERVATION_COLUMNS} FROM observations WHERE origin = ?`),
      byKey: db.prepare(`SELECT ${OBSERVATION_COLUMNS} FROM observations WHERE key = ?`),
      byRowid: db.prepare(`SELECT ${OBSERVATION_COLUMNS} FROM observations WHERE rowid = ?`),
      // A dump's body is read through its site's page template, when one is learned (store/templates.ts).
      body: db.prepare(`SELECT o.body_format AS format, o.body AS text, o.body_hash AS hash, g.prints AS template,
        g.template AS templateId
        FROM observations o LEFT JOIN dump_blocks b ON o.body_format = 'dump' AND b.path = substr(o.origin, 6)
        LEFT JOIN template_groups g ON g.id = b.grp AND g.template != '' WHERE o.origin = ?`),
      rekey: db.prepare('UPDATE observations SET key = ? WHERE key = ?'),
      hasKey: db.prepare('SELECT 1 FROM observations WHERE key = ? LIMIT 1').pluck(),
      sourceStats: db.prepare(
        'SELECT source, COUNT(DISTINCT key) AS articles, COUNT(DISTINCT biz) AS bizCount, MIN(biz) AS biz FROM observations GROUP BY source',
      ),
      count: db.prepare('SELECT COUNT(*) FROM observations').pluck(),
      any: db.prepare('SELECT 1 FROM observations LIMIT 1').pluck(),
    };
  }

  /** The key and source of the observation from an origin, if any. */
  keyAndSource(origin: string): { key: string; source: string } | undefined {
    return this.s.keyAndSource.get(origin) as { key: string; source: string } | undefined;
  }

  /** Put the observation from `origin` under `key`; returns it as `get` reads it back. */
  put(origin: string, key: string, o: Observation, now: number): StoredObservation {
    const stored = storedObservation(origin, key, o);
    // In the order of UPSERT_COLUMNS.
    const info = this.s.upsert.run(
      origin,
      key,
      stored.source,
      stored.id,
      stored.link,
      stored.biz,
      stored.mid,
      stored.idx,
      stored.sn,
      o.ref.shortToken ?? null,
      stored.title,
      stored.author,
      stored.date,
      stored.datePrecision,
      stored.capturedAt,
      stored.state,
      o.body.format === 'html' ? o.body.text : '',
      o.body.format,
      stored.bodyHash,
      stored.textLength,
      stored.summary,
      stored.cover,
      now,
    );
    this.inserted = Number(info.lastInsertRowid);
    return stored;
  }

  /** The rowid of the row the last `put` inserted: the new row when its origin was not stored before. */
  lastInserted(): number {
    return this.inserted;
  }

  /** The observation stored at a rowid (`lastInserted`), if any. */
  atRowid(rowid: number): StoredObservation | undefined {
    return this.s.byRowid.get(rowid) as StoredObservation | undefined;
  }

  /** Forget the observation from an origin. */
  delete(origin: string): void {
    this.s.delete.run(origin);
  }

  /** The observation from an origin, if any. */
  get(origin: string): StoredObservation | undefined {
    return this.s.byOrigin.get(origin) as StoredObservation | undefined;
  }

  /** Every observation filed under a key. */
  ofKey(key: string): StoredObservation[] {
    return this.s.byKey.all(key) as StoredObservation[];
  }

  /** The body of an observation: a page's HTML, or where a dump's is (`file:` origins) and its site's template. */
  body(origin: string): Body | undefined {
    const row = this.s.body.get(origin) as
      | { format: Body['format']; text: string; hash: string; template: Buffer | null; templateId: string | null }
      | undefined;
    if (!row) return undefined;
    if (row.format === 'dump') {
      const path = origin.replace(/^file:/, '');
      const template = unpackTemplate(row.template);
      return template && row.templateId
        ? { format: 'dump', path, hash: row.hash, template, templateId: row.templateId }
        : { format: 'dump', path, hash: row.hash };
    }
    return { format: 'html', text: row.text, hash: row.hash };
  }

  /** Move every observation filed under `from` to `to`; how many moved. */
  rekey(from: string, to: string): number {
    return this.s.rekey.run(to, from).changes;
  }

  /** True when some observation is filed under the key. */
  hasKey(key: string): boolean {
    return this.s.hasKey.get(key) !== undefined;
  }

  /** Per source label: its articles, and the bizes they carry. */
  sourceStats(): SourceStats[] {
    return this.s.sourceStats.all() as SourceStats[];
  }

  /** True when the store holds no observation at all (a first build). */
  isEmpty(): boolean {
    return this.s.any.get() === undefined;
  }

  /** How many observations are stored. */
  count(): number {
    return this.s.count.get() as number;
  }
}
