/**
 * The image proxy's bounded disk cache: one file per image (its URL's hash), the media type on the first line, least
 * recently used evicted first. Best effort: a cache that cannot be read or written never fails an image, and its
 * failure is reported to `onError` once, and again only after the cache worked in between.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { TEMP_FILE, writeFileAtomic } from '../io/atomic.js';

/** A disk cache of at most `max` bytes in `dir` (none when `max` is 0). */
export class DiskCache {
  /** File name → size, in use order. */
  private readonly entries: LRUCache<string, number> | undefined;
  /** Files of evicted entries, removed by the `put` that evicted them. */
  private evicted: string[] = [];
  /** A failure was reported and the cache has not worked since. */
  private failing = false;

  constructor(
    private readonly dir: string,
    max: number,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    if (max <= 0) return;
    this.entries = new LRUCache<string, number>({
      maxSize: max,
      sizeCalculation: (size) => Math.max(1, size),
      dispose: (_size, name, reason) => {
        if (reason === 'evict') this.evicted.push(name);
      },
    });
    try {
      mkdirSync(dir, { recursive: true });
      const files: Array<{ f: string; size: number; mtimeMs: number }> = [];
      for (const f of readdirSync(dir)) {
        if (TEMP_FILE.test(f)) {
          rmSync(join(dir, f), { force: true });
          continue;
        }
        if (!f.endsWith('.img')) continue;
        const st = statSync(join(dir, f), { throwIfNoEntry: false });
        if (st?.isFile()) files.push({ f, size: st.size, mtimeMs: st.mtimeMs });
      }
      for (const { f, size } of files.sort((a, b) => a.mtimeMs - b.mtimeMs)) this.entries.set(f, size);
    } catch (error) {
      this.fail('cannot open', error);
    }
  }

  private fail(what: string, error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const e = error as NodeJS.ErrnoException;
    this.onError(
      new Error(`image cache ${this.dir}: ${what}: ${e.message ?? String(error)}; images are served without it`),
    );
  }

  /** The bytes cached for this key, or undefined (not cached, or the cache cannot be read). */
  async get(key: string): Promise<Buffer | undefined> {
    const name = `${key}.img`;
    if (this.entries?.get(name) === undefined) return undefined;
    let raw: Buffer;
    try {
      raw = await readFile(join(this.dir, name));
    } catch (error) {
      this.entries.delete(name);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.fail(`cannot read ${name}`, error);
      return undefined;
    }
    // The type line is informational: the proxy takes the type from the bytes.
    return raw.subarray(raw.indexOf(10) + 1);
  }

  /** Drop one entry (its bytes are not an image we serve). */
  async drop(key: string): Promise<void> {
    const name = `${key}.img`;
    this.entries?.delete(name);
    await rm(join(this.dir, name), { force: true }).catch((error: unknown) =>
      this.fail(`cannot remove ${name}`, error),
    );
  }

  /** Keep these bytes for this key, if the cache can; never throws. */
  async put(key: string, type: string, body: Buffer): Promise<void> {
    if (!this.entries) return;
    const name = `${key}.img`;
    const data = Buffer.concat([Buffer.from(`${type}\n`), body]);
    if (data.length > this.entries.maxSize) return;
    try {
      // The folder may have been removed while we run: make it again.
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(join(this.dir, name), data);
    } catch (error) {
      this.fail(`cannot write ${name}`, error);
      return;
    }
    this.failing = false;
    this.entries.set(name, data.length);
    const gone = this.evicted;
    this.evicted = [];
    await Promise.all(
      gone.map((f) =>
        rm(join(this.dir, f), { force: true }).catch((error: unknown) => this.fail(`cannot evict ${f}`, error)),
      ),
    );
  }
}
