/**
 * The `articles` table: one merged article per key, listed newest first for feeds.
 */
import type { Article } from '../types.js';
import type { ContentState } from '../states.js';
import type { DatePrecision } from '../time.js';
import type { Statement } from 'better-sqlite3';
import { type DB, upsertSql } from './db.js';

interface ArticleRow {
  key: string;
  id: string;
  link: string;
  title: string;
  author: string | null;
  biz: string | null;
  mid: number | null;
  idx: number | null;
  sn: string | null;
  date: number;
  date_precision: DatePrecision;
  state: ContentState;
  notice: ContentState | null;
  best_origin: string;
  summary: string;
  cover: string | null;
  content_hash: string;
}

function toArticle(r: ArticleRow): Article {
  return {
    key: r.key,
    id: r.id,
    link: r.link,
    title: r.title,
    ...(r.author !== null ? { author: r.author } : {}),
    ...(r.biz !== null ? { biz: r.biz } : {}),
    ...(r.mid !== null ? { mid: r.mid } : {}),
    ...(r.idx !== null ? { idx: r.idx } : {}),
    ...(r.sn !== null ? { sn: r.sn } : {}),
    date: r.date,
    datePrecision: r.date_precision,
    state: r.state,
    ...(r.notice !== null ? { notice: r.notice } : {}),
    summary: r.summary,
    ...(r.cover !== null ? { cover: r.cover } : {}),
    bestOrigin: r.best_origin,
    contentHash: r.content_hash,
  };
}

/** The columns `put` writes, in the order it gives their values; `first_seen` is kept when the article was there. */
const UPSERT_COLUMNS = [
  'key',
  'id',
  'link',
  'title',
  'author',
  'biz',
  'mid',
  'idx',
  'sn',
  'date',
  'date_precision',
  'state',
  'notice',
  'best_origin',
  'summary',
  'cover',
  'content_hash',
  'first_seen',
  'last_changed',
] as const;

/** Newest first; the same day by mass-send (mid) descending, then position (idx) ascending. */
const ORDER = 'ORDER BY a.date DESC, a.mid DESC, a.idx ASC, a.key ASC';

/** The merged articles, one per key. */
export class ArticlesTable {
  private readonly s;
  private readonly bySources = new Map<number, Statement<unknown[]>>();

  constructor(private readonly db: DB) {
    this.s = {
      hash: db.prepare('SELECT content_hash FROM articles WHERE key = ?').pluck(),
      upsert: db.prepare(upsertSql('articles', UPSERT_COLUMNS, 'key', ['first_seen'])),
      delete: db.prepare('DELETE FROM articles WHERE key = ?'),
      get: db.prepare('SELECT * FROM articles WHERE key = ?'),
      all: db.prepare(`SELECT a.* FROM articles a ${ORDER}`),
      inAlbum: db.prepare(
        `SELECT a.* FROM articles a WHERE a.key IN (SELECT key FROM album_items WHERE album_id = ?) ${ORDER}`,
      ),
      count: db.prepare('SELECT COUNT(*) FROM articles').pluck(),
      sameDay: db.prepare(
        `SELECT key, date, date_precision AS datePrecision FROM articles WHERE date >= ? AND date < ?
          ORDER BY first_seen ASC, mid ASC, idx DESC, key DESC`,
      ),
    };
  }

  /** The content hash of a key's article, if stored. */
  hash(key: string): string | undefined {
    return this.s.hash.get(key) as string | undefined;
  }

  /** Store a key's merged article; its `first_seen` stays when it was there. */
  put(a: Article, now: number): void {
    // In the order of UPSERT_COLUMNS.
    this.s.upsert.run(
      a.key,
      a.id,
      a.link,
      a.title,
      a.author ?? null,
      a.biz ?? null,
      a.mid ?? null,
      a.idx ?? null,
      a.sn ?? null,
      a.date,
      a.datePrecision,
      a.state,
      a.notice ?? null,
      a.bestOrigin,
      a.summary,
      a.cover ?? null,
      a.contentHash,
      now,
      now,
    );
  }

  /** Remove a key's article. */
  delete(key: string): void {
    this.s.delete.run(key);
  }

  /** A key's article, if stored. */
  get(key: string): Article | undefined {
    const row = this.s.get.get(key) as ArticleRow | undefined;
    return row ? toArticle(row) : undefined;
  }

  /**
   * Articles of the given source labels (all when `sources` is undefined), newest first, read lazily: keys alone are
   * sorted and each row read when taken, as a feed shows only its newest few and sorting whole rows costs SQLite most.
   */
  *newestFirst(sources: readonly string[] | undefined): Generator<Article> {
    if (!sources) {
      for (const row of this.s.all.iterate() as Iterable<ArticleRow>) yield toArticle(row);
      return;
    }
    for (const key of this.keysFor(sources.length).iterate(...sources) as Iterable<string>) {
      const row = this.s.get.get(key) as ArticleRow | undefined;
      if (row) yield toArticle(row);
    }
  }

  /** Articles an album lists, newest first, read lazily. */
  *newestFirstInAlbum(albumId: string): Generator<Article> {
    for (const row of this.s.inAlbum.iterate(albumId) as Iterable<ArticleRow>) yield toArticle(row);
  }

  /** The keys of the articles of `n` source labels, in feed order. */
  private keysFor(n: number) {
    let st = this.bySources.get(n);
    if (!st) {
      const where = `WHERE a.key IN (SELECT key FROM observations WHERE source IN (${Array(n).fill('?').join(',')}))`;
      st = this.db.prepare(`SELECT a.key FROM articles a ${where} ${ORDER}`).pluck();
      this.bySources.set(n, st);
    }
    return st;
  }

  /** How many articles are stored. */
  count(): number {
    return this.s.count.get() as number;
  }

  /**
   * The articles dated in [from, to), in the order they were first seen, then in the reverse of the feeds' order (mid
   * ascending, idx descending, key descending). feeds/times.ts gives each a distinct second.
   */
  sameDay(from: number, to: number): Array<{ key: string; date: number; datePrecision: DatePrecision }> {
    return this.s.sameDay.all(from, to) as Array<{ key: string; date: number; datePrecision: DatePrecision }>;
  }
}
