/**
 * The `files` table: every dump file read, with the size and time it had, and why it is not a dump when it is not.
 */
import type { DB } from './db.js';

/** What the store recorded of a dump file. */
export interface KnownFile {
  size: number;
  mtimeMs: number;
  problem: string | null;
  detail: string | null;
}

/** The dump files read, and what each was. */
export class FilesTable {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      all: db.prepare('SELECT path, size, mtime_ms, problem, detail FROM files').raw(),
      upsert: db.prepare(
        'INSERT INTO files (path, size, mtime_ms, problem, detail) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, problem = excluded.problem, detail = excluded.detail',
      ),
      delete: db.prepare('DELETE FROM files WHERE path = ?'),
      markStale: db.prepare('UPDATE files SET mtime_ms = -1 WHERE path = ?'),
      problems: db.prepare('SELECT path, problem, detail FROM files WHERE problem IS NOT NULL ORDER BY path'),
      // Paths that start with a prefix: a range of the primary key.
      under: db.prepare('SELECT path, size, mtime_ms, problem, detail FROM files WHERE path >= ? AND path < ?').raw(),
      count: db.prepare('SELECT COUNT(*) FROM files').pluck(),
      get: db.prepare('SELECT size, mtime_ms AS mtimeMs, problem, detail FROM files WHERE path = ?'),
    };
  }

  /** Every recorded file, by path. */
  known(): Map<string, KnownFile> {
    const map = new Map<string, KnownFile>();
    for (const [path, size, mtimeMs, problem, detail] of this.s.all.iterate() as Iterable<
      [string, number, number, string | null, string | null]
    >) {
      map.set(path, { size, mtimeMs, problem, detail });
    }
    return map;
  }

  /** The files recorded below a folder (`prefix` ends with the path separator), at any depth. */
  under(prefix: string): Map<string, KnownFile> {
    const map = new Map<string, KnownFile>();
    // Every path with the prefix sorts between it and the prefix with its last character raised by one.
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    for (const [path, size, mtimeMs, problem, detail] of this.s.under.iterate(prefix, end) as Iterable<
      [string, number, number, string | null, string | null]
    >) {
      map.set(path, { size, mtimeMs, problem, detail });
    }
    return map;
  }

  /** One file's record, if any. */
  get(path: string): KnownFile | undefined {
    return this.s.get.get(path) as KnownFile | undefined;
  }

  /** How many files are recorded. */
  count(): number {
    return this.s.count.get() as number;
  }

  /** Record a file's size and time, and why it is not a dump (null when it is one). */
  put(file: { path: string; size: number; mtimeMs: number }, problem: string | null, detail: string | null): void {
    this.s.upsert.run(file.path, file.size, file.mtimeMs, problem, detail);
  }

  /** Forget a file. */
  delete(path: string): void {
    this.s.delete.run(path);
  }

  /** Recorded with a time no file has: the next comparison reads it again. */
  markStale(path: string): void {
    this.s.markStale.run(path);
  }

  /** The files recorded as not dumps (empty, binary, no front matter…), with why, by path. */
  problems(): Array<{ path: string; problem: string; detail: string | null }> {
    return this.s.problems.all() as Array<{ path: string; problem: string; detail: string | null }>;
  }
}
