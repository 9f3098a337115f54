/**
 * The `files` table: every dump file read, with the size and time it had, and why it is not a dump when it is not.
 */
import type { DB } from './db.js';

export interface KnownFile {
  size: number;
  mtimeMs: number;
  problem: string | null;
  detail: string | null;
}

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
    };
  }

  known(): Map<string, KnownFile> {
    const map = new Map<string, KnownFile>();
    for (const [path, size, mtimeMs, problem, detail] of this.s.all.iterate() as Iterable<
      [string, number, number, string | null, string | null]
    >) {
      map.set(path, { size, mtimeMs, problem, detail });
    }
    return map;
  }

  put(file: { path: string; size: number; mtimeMs: number }, problem: string | null, detail: string | null): void {
    this.s.upsert.run(file.path, file.size, file.mtimeMs, problem, detail);
  }

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
