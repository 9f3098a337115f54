/**
 * Store queries: file bookkeeping, observations, merged articles, per-source listings, feed bookkeeping.
 * Every write that changes observations marks the article key pending in the same transaction, and recomputing a
 * key marks its sources dirty in the same transaction, so a run killed at any point resumes where it stopped.
 */
import type { DB } from './db.js';
import type { ContentState, DatePrecision, RawArticle, StoredArticle, StoredBody } from '../types.js';
import { EMPTY_BODY } from '../content/body.js';
import { mergeObservations, type Observation } from '../merge.js';

export interface KnownFile {
  size: number;
  mtimeMs: number;
  problem: string | null;
  detail: string | null;
}

export interface SourceStats {
  source: string;
  articles: number;
  bizCount: number;
  biz: string | null;
}

export interface FeedRecord {
  slug: string;
  title: string;
  signature: string;
  items: number;
  newestTitle: string | null;
  newestLink: string | null;
  newestDate: number | null;
}

interface ObservationRow {
  origin: string;
  key: string;
  source: string;
  id: string;
  link: string;
  biz: string | null;
  mid: number | null;
  idx: number | null;
  sn: string | null;
  title: string;
  author: string | null;
  date: number;
  date_precision: DatePrecision;
  captured_at: number | null;
  state: ContentState;
  body_hash: string;
  text_length: number;
  summary: string;
  cover: string | null;
}

interface ArticleRow {
  key: string;
  id: string;
  link: string;
  title: string;
  author: string | null;
  mid: number | null;
  idx: number | null;
  date: number;
  date_precision: DatePrecision;
  state: ContentState;
  notice: ContentState | null;
  summary: string;
  cover: string | null;
  content_hash: string;
}

function toObservation(r: ObservationRow): Observation {
  return {
    origin: r.origin,
    key: r.key,
    source: r.source,
    id: r.id,
    link: r.link,
    biz: r.biz,
    mid: r.mid,
    idx: r.idx,
    sn: r.sn,
    title: r.title,
    author: r.author,
    date: r.date,
    datePrecision: r.date_precision,
    capturedAt: r.captured_at,
    state: r.state,
    bodyHash: r.body_hash,
    textLength: r.text_length,
    summary: r.summary,
    cover: r.cover,
  };
}

function toStoredArticle(r: ArticleRow, body: StoredBody): StoredArticle {
  return {
    key: r.key,
    id: r.id,
    link: r.link,
    title: r.title,
    author: r.author ?? undefined,
    date: r.date,
    datePrecision: r.date_precision,
    mid: r.mid === null ? undefined : String(r.mid),
    idx: r.idx === null ? undefined : String(r.idx),
    state: r.state,
    notice: r.notice ?? undefined,
    body,
    summary: r.summary,
    cover: r.cover ?? undefined,
    contentHash: r.content_hash,
  };
}

/** Meta key of the last complete read's walk fingerprint. */
const WALK_KEY = 'walk';

const OBS_COLUMNS =
  'origin, key, source, id, link, biz, mid, idx, sn, title, author, date, date_precision, captured_at, state, body_hash, text_length, summary, cover';

const intOrNull = (v: string | undefined): number | null =>
  v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : null;

export class ArticleStore {
  private readonly s;
  /** Sources marked dirty in the open transaction (forgotten when it ends: a rollback may have undone them). */
  private readonly dirtyMarked = new Set<string>();
  /** False while the store holds no alias: observations skip the lookup. */
  private hasAliases: boolean;

  constructor(private readonly db: DB) {
    this.s = {
      files: db.prepare('SELECT path, size, mtime_ms, problem, detail FROM files').raw(),
      upsertFile: db.prepare(
        'INSERT INTO files (path, size, mtime_ms, problem, detail) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, problem = excluded.problem, detail = excluded.detail',
      ),
      deleteFile: db.prepare('DELETE FROM files WHERE path = ?'),
      obsKey: db.prepare('SELECT key, source FROM observations WHERE origin = ?'),
      upsertObs:
        db.prepare(`INSERT INTO observations (origin, key, source, id, link, biz, mid, idx, sn, short_token, title, author,
          date, date_precision, captured_at, state, body, body_format, body_hash, text_length, summary, cover, seen_at)
        VALUES (@origin, @key, @source, @id, @link, @biz, @mid, @idx, @sn, @short_token, @title, @author, @date, @date_precision,
          @captured_at, @state, @body, @body_format, @body_hash, @text_length, @summary, @cover, @seen_at)
        ON CONFLICT(origin) DO UPDATE SET key = excluded.key, source = excluded.source, id = excluded.id, link = excluded.link,
          biz = excluded.biz, mid = excluded.mid, idx = excluded.idx, sn = excluded.sn, short_token = excluded.short_token,
          title = excluded.title, author = excluded.author, date = excluded.date, date_precision = excluded.date_precision,
          captured_at = excluded.captured_at, state = excluded.state, body = excluded.body,
          body_format = excluded.body_format, body_hash = excluded.body_hash,
          text_length = excluded.text_length, summary = excluded.summary, cover = excluded.cover, seen_at = excluded.seen_at`),
      deleteObs: db.prepare('DELETE FROM observations WHERE origin = ?'),
      markPending: db.prepare('INSERT OR IGNORE INTO pending_keys (key) VALUES (?)'),
      // A batch of pending keys in key order with their observations (none for a key whose last one went).
      pendingBatch: db.prepare(`SELECT p.key AS pending_key, ${OBS_COLUMNS.split(', ')
        .map((c) => `o.${c}`)
        .join(', ')}
        FROM (SELECT key FROM pending_keys ORDER BY key LIMIT ?) p LEFT JOIN observations o ON o.key = p.key ORDER BY p.key`),
      clearPendingUpTo: db.prepare('DELETE FROM pending_keys WHERE key <= ?'),
      aliasCount: db.prepare('SELECT COUNT(*) FROM aliases').pluck(),
      articleHash: db.prepare('SELECT content_hash FROM articles WHERE key = ?').pluck(),
      upsertArticle:
        db.prepare(`INSERT INTO articles (key, id, link, title, author, biz, mid, idx, sn, date, date_precision, state,
          notice, best_origin, summary, cover, content_hash, first_seen, last_changed)
        VALUES (@key, @id, @link, @title, @author, @biz, @mid, @idx, @sn, @date, @date_precision, @state, @notice, @best_origin,
          @summary, @cover, @content_hash, @now, @now)
        ON CONFLICT(key) DO UPDATE SET id = excluded.id, link = excluded.link, title = excluded.title, author = excluded.author,
          biz = excluded.biz, mid = excluded.mid, idx = excluded.idx, sn = excluded.sn, date = excluded.date,
          date_precision = excluded.date_precision, state = excluded.state, notice = excluded.notice,
          best_origin = excluded.best_origin, summary = excluded.summary, cover = excluded.cover,
          content_hash = excluded.content_hash, last_changed = excluded.last_changed`),
      deleteArticle: db.prepare('DELETE FROM articles WHERE key = ?'),
      obsByOrigin: db.prepare(`SELECT ${OBS_COLUMNS} FROM observations WHERE origin = ?`),
      alias: db.prepare('SELECT key FROM aliases WHERE alias = ?').pluck(),
      addAlias: db.prepare(
        'INSERT INTO aliases (alias, key) VALUES (?, ?) ON CONFLICT(alias) DO UPDATE SET key = excluded.key',
      ),
      rekey: db.prepare('UPDATE observations SET key = ? WHERE key = ?'),
      articleByKey: db.prepare('SELECT * FROM articles WHERE key = ?'),
      body: db.prepare(
        'SELECT body_format AS format, body AS text, body_hash AS hash FROM observations WHERE origin = ?',
      ),
      markStale: db.prepare('UPDATE files SET mtime_ms = -1 WHERE path = ?'),
      fileProblems: db.prepare('SELECT path, problem, detail FROM files WHERE problem IS NOT NULL ORDER BY path'),
      markDirty: db.prepare('INSERT OR IGNORE INTO dirty_sources (source) VALUES (?)'),
      dirty: db.prepare('SELECT source FROM dirty_sources').pluck(),
      clearDirty: db.prepare('DELETE FROM dirty_sources'),
      sourceStats: db.prepare(
        'SELECT source, COUNT(DISTINCT key) AS articles, COUNT(DISTINCT biz) AS bizCount, MIN(biz) AS biz FROM observations GROUP BY source',
      ),
      counts: db.prepare(
        'SELECT (SELECT COUNT(*) FROM articles) AS articles, (SELECT COUNT(*) FROM observations) AS observations',
      ),
      feeds: db.prepare(
        'SELECT slug, title, signature, items, newest_title AS newestTitle, newest_link AS newestLink, newest_date AS newestDate FROM feeds',
      ),
      upsertFeed:
        db.prepare(`INSERT INTO feeds (slug, title, signature, items, newest_title, newest_link, newest_date, written_at)
        VALUES (@slug, @title, @signature, @items, @newestTitle, @newestLink, @newestDate, @now)
        ON CONFLICT(slug) DO UPDATE SET title = excluded.title, signature = excluded.signature, items = excluded.items,
          newest_title = excluded.newest_title, newest_link = excluded.newest_link, newest_date = excluded.newest_date,
          written_at = excluded.written_at`),
      deleteFeed: db.prepare('DELETE FROM feeds WHERE slug = ?'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
    };
    this.hasAliases = (this.s.aliasCount.get() as number) > 0;
  }

  knownFiles(): Map<string, KnownFile> {
    const map = new Map<string, KnownFile>();
    for (const [path, size, mtimeMs, problem, detail] of this.s.files.iterate() as Iterable<
      [string, number, number, string | null, string | null]
    >) {
      map.set(path, { size, mtimeMs, problem, detail });
    }
    return map;
  }

  /**
   * Put (or, with no article, remove) the observation from one origin: `file:<path>`, `page:<url>` (a live page
   * that is the article) or `notice:<url>` (the latest notice a live page showed). Marks the keys it touches
   * pending and, when an article joins or leaves a source, that source dirty, in the caller's transaction.
   */
  putObservation(origin: string, article: RawArticle | undefined, now: number): void {
    const old = this.s.obsKey.get(origin) as { key: string; source: string } | undefined;
    const newSource = article?.source;
    if (old && old.source !== newSource) this.markDirty(old.source);
    if (newSource !== undefined && old?.source !== newSource) this.markDirty(newSource);
    if (article) {
      const a = article;
      const key = this.hasAliases ? ((this.s.alias.get(a.key) as string | undefined) ?? a.key) : a.key;
      this.s.upsertObs.run({
        origin,
        key,
        source: a.source,
        id: a.id,
        link: a.link,
        biz: a.ref.biz ?? null,
        mid: intOrNull(a.ref.mid),
        idx: intOrNull(a.ref.idx),
        sn: a.ref.sn ?? null,
        short_token: a.ref.shortToken ?? null,
        title: a.title,
        author: a.author ?? null,
        date: a.date,
        date_precision: a.datePrecision,
        captured_at: a.capturedAt ?? null,
        state: a.state,
        body: a.body.format === 'html' ? a.body.text : '',
        body_format: a.body.format,
        body_hash: a.body.hash,
        text_length: a.textLength,
        summary: a.summary,
        cover: a.cover ?? null,
        seen_at: now,
      });
      this.s.markPending.run(key);
    } else if (old) this.s.deleteObs.run(origin);
    if (old && old.key !== article?.key) this.s.markPending.run(old.key);
  }

  /** Record one dump file's outcome: its observation, or none with the problem. */
  recordFile(
    file: { path: string; size: number; mtimeMs: number },
    outcome: { article: RawArticle } | { problem: string; detail?: string },
    now: number,
  ): void {
    const problem = 'problem' in outcome ? outcome : undefined;
    this.s.upsertFile.run(file.path, file.size, file.mtimeMs, problem?.problem ?? null, problem?.detail ?? null);
    this.putObservation(`file:${file.path}`, 'article' in outcome ? outcome.article : undefined, now);
  }

  /** A dump file is gone: forget it and its observation. */
  forgetFile(path: string): void {
    this.s.deleteFile.run(path);
    this.putObservation(`file:${path}`, undefined, 0);
  }

  /** Stored observation from one origin, if any. */
  observation(origin: string): Observation | undefined {
    const row = this.s.obsByOrigin.get(origin) as ObservationRow | undefined;
    return row ? toObservation(row) : undefined;
  }

  /**
   * A short link's page revealed the article's sn: the short key becomes an alias and every observation filed
   * under it moves to the real key, so a dump and a live page of the same article are one item.
   */
  alias(alias: string, key: string): void {
    if (alias === key) return;
    this.s.addAlias.run(alias, key);
    this.hasAliases = true;
    const moved = this.s.rekey.run(key, alias);
    if (moved.changes > 0) {
      this.s.markPending.run(alias);
      this.s.markPending.run(key);
    }
  }

  resolveKey(key: string): string {
    return (this.s.alias.get(key) as string | undefined) ?? key;
  }

  /** The merged article of a key, without its body. */
  article(key: string): Omit<StoredArticle, 'body'> | undefined {
    const row = this.s.articleByKey.get(key) as ArticleRow | undefined;
    if (!row) return undefined;
    const { body: _body, ...rest } = toStoredArticle(row, EMPTY_BODY);
    return rest;
  }

  /**
   * Merge up to `limit` pending keys, in key order, reading their observations in one pass; call inside a
   * transaction. Returns how many keys were merged (0: none was pending).
   */
  recomputePending(limit: number, now: number): number {
    let key: string | undefined;
    let rows: Observation[] = [];
    let count = 0;
    // Read whole before writing: better-sqlite3 allows no write while a query is being stepped through.
    for (const row of this.s.pendingBatch.all(limit) as Array<ObservationRow & { pending_key: string }>) {
      if (row.pending_key !== key) {
        if (key !== undefined) this.mergeKey(key, rows, now);
        key = row.pending_key;
        rows = [];
        count++;
      }
      if (row.origin !== null) rows.push(toObservation(row));
    }
    if (key === undefined) return 0;
    this.mergeKey(key, rows, now);
    this.s.clearPendingUpTo.run(key);
    return count;
  }

  /** Merge one key's observations into its article; marks the sources dirty when what their feeds show changed. */
  private mergeKey(key: string, rows: Observation[], now: number): 'added' | 'changed' | 'removed' | 'unchanged' {
    const merged = mergeObservations(rows);
    const oldHash = this.s.articleHash.get(key) as string | undefined;
    let result: 'added' | 'changed' | 'removed' | 'unchanged';
    if (!merged) {
      if (oldHash !== undefined) this.s.deleteArticle.run(key);
      result = oldHash === undefined ? 'unchanged' : 'removed';
    } else {
      if (merged.contentHash !== oldHash) {
        this.s.upsertArticle.run({
          key,
          id: merged.id,
          link: merged.link,
          title: merged.title,
          author: merged.author ?? null,
          biz: merged.biz ?? null,
          mid: merged.mid ?? null,
          idx: merged.idx ?? null,
          sn: merged.sn ?? null,
          date: merged.date,
          date_precision: merged.datePrecision,
          state: merged.state,
          notice: merged.notice ?? null,
          best_origin: merged.bestOrigin,
          summary: merged.summary,
          cover: merged.cover ?? null,
          content_hash: merged.contentHash,
          now,
        });
      }
      result = oldHash === undefined ? 'added' : merged.contentHash !== oldHash ? 'changed' : 'unchanged';
    }
    if (result !== 'unchanged') for (const r of rows) this.markDirty(r.source);
    return result;
  }

  /** Mark a source's feeds for rendering; once per source per transaction. */
  private markDirty(source: string): void {
    if (this.dirtyMarked.has(source)) return;
    this.s.markDirty.run(source);
    this.dirtyMarked.add(source);
  }

  dirtySources(): Set<string> {
    return new Set(this.s.dirty.all() as string[]);
  }

  clearDirtySources(): void {
    this.s.clearDirty.run();
    this.dirtyMarked.clear();
  }

  sourceStats(): SourceStats[] {
    return this.s.sourceStats.all() as SourceStats[];
  }

  counts(): { articles: number; observations: number } {
    return this.s.counts.get() as { articles: number; observations: number };
  }

  /** Articles of the given source labels (all articles when `sources` is undefined), newest first. */
  *articlesFor(sources: readonly string[] | undefined): Generator<StoredArticle> {
    const order = 'ORDER BY a.date DESC, a.mid DESC, a.idx ASC, a.key ASC';
    const where = sources
      ? `WHERE a.key IN (SELECT key FROM observations WHERE source IN (${sources.map(() => '?').join(',')}))`
      : '';
    // Bodies are read only for the rows a feed takes (the generator stops at the limit).
    const list = this.db.prepare(`SELECT a.* FROM articles a ${where} ${order}`);
    for (const row of list.iterate(...(sources ?? [])) as Iterable<ArticleRow & { best_origin: string }>) {
      yield toStoredArticle(row, this.body(row.best_origin));
    }
  }

  /** The body of an observation: a page's HTML, or where a dump's is (`file:` origins). */
  private body(origin: string): StoredBody {
    const row = this.s.body.get(origin) as { format: StoredBody['format']; text: string; hash: string } | undefined;
    if (!row) return EMPTY_BODY;
    if (row.format === 'dump') return { format: 'dump', path: origin.replace(/^file:/, ''), hash: row.hash };
    return { format: 'html', text: row.text, hash: row.hash };
  }

  /** Page cache for a bulk write of `files` dump files: 32 MB from 100,000 files (random index inserts), else 8 MB. */
  sizeCacheFor(files: number): void {
    this.db.pragma(`cache_size = -${files >= 100_000 ? 32768 : 8192}`);
  }

  /** A dump file no longer holds what the store knows of it: read it again on the next build. */
  markFileStale(path: string): void {
    this.s.markStale.run(path);
    this.s.setMeta.run(WALK_KEY, '');
  }

  /** The files recorded as not dumps (empty, binary, no front matter…), with why, by path. */
  fileProblems(): Array<{ path: string; problem: string; detail: string | null }> {
    return this.s.fileProblems.all() as Array<{ path: string; problem: string; detail: string | null }>;
  }

  /** The fingerprint of the dump folders as last read in full (dumps/read.ts walkFingerprint), or ''. */
  walkFingerprint(): string {
    return (this.s.getMeta.get(WALK_KEY) as string | undefined) ?? '';
  }

  setWalkFingerprint(fingerprint: string): void {
    this.s.setMeta.run(WALK_KEY, fingerprint);
  }

  feeds(): Map<string, FeedRecord> {
    return new Map((this.s.feeds.all() as FeedRecord[]).map((f) => [f.slug, f]));
  }

  saveFeed(f: FeedRecord, now: number): void {
    this.s.upsertFeed.run({ ...f, now });
  }

  deleteFeed(slug: string): void {
    this.s.deleteFeed.run(slug);
  }

  meta(key: string): string | undefined {
    return this.s.getMeta.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } finally {
      this.dirtyMarked.clear();
    }
  }

  /**
   * A transaction that stays open across awaits, for writing a stream of results in large groups without holding
   * them: `add` runs each write inside it, `commit` ends it (the next `add` opens another), `rollback` drops it.
   * Nothing else may write to this store while it is open.
   */
  group(): { add(fn: () => void): void; size: number; commit(): void; rollback(): void } {
    const db = this.db;
    const marked = this.dirtyMarked;
    let open = false;
    const group = {
      size: 0,
      add(fn: () => void): void {
        if (!open) {
          db.exec('BEGIN');
          open = true;
        }
        fn();
        group.size++;
      },
      commit(): void {
        if (open) db.exec('COMMIT');
        open = false;
        group.size = 0;
        marked.clear();
      },
      rollback(): void {
        if (open && db.inTransaction) db.exec('ROLLBACK');
        open = false;
        group.size = 0;
        marked.clear();
      },
    };
    return group;
  }
}
