/**
 * The `rendered` table: the sanitized HTML of dump bodies feeds showed, keyed by the renderer's version, the page
 * template the body was read through and the body's hash (a hash of the file's bytes): what a feed shows again is
 * not rendered again.
 */
import type { DB } from './db.js';

/** Renderings of dump bodies, kept for the next publish. */
export class RenderedTable {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      get: db.prepare('SELECT html FROM rendered WHERE key = ?').pluck(),
      any: db.prepare('SELECT 1 FROM rendered LIMIT 1').pluck(),
      put: db.prepare(
        'INSERT INTO rendered (key, html) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET html = excluded.html',
      ),
      // Bodies no copy of any article has any more (the key is `version/template:hash`: the version is its prefix up
      // to the slash, the hash what follows the colon); a key of another form goes too.
      prune: db.prepare(
        "DELETE FROM rendered WHERE substr(key, instr(key, ':') + 1) NOT IN (SELECT body_hash FROM observations WHERE body_format = 'dump') OR instr(key, '/') = 0 OR substr(key, 1, instr(key, '/') - 1) <> ?",
      ),
    };
  }

  /** A kept rendering, if any. */
  get(key: string): string | undefined {
    return this.s.get.get(key) as string | undefined;
  }

  /** False while no rendering is kept (a first build): lookups would all miss. */
  any(): boolean {
    return this.s.any.get() !== undefined;
  }

  /** Keep a rendering. */
  put(key: string, html: string): void {
    this.s.put.run(key, html);
  }

  /** Forget bodies no article holds any more, and any of another renderer version; how many went. */
  prune(version: string): number {
    return this.s.prune.run(version).changes;
  }
}
