/**
 * The image proxy's bounded disk cache: one file per image, named by the hash of its URL, holding its media type on
 * the first line and the bytes after; least recently used evicted first once over the size bound.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { writeFileAtomic } from '../io/atomic.js';

export class DiskCache {
  /** File name → size, in use order. */
  private readonly entries: LRUCache<string, number> | undefined;
  /** Files of evicted entries, removed by the `put` that evicted them. */
  private evicted: string[] = [];

  constructor(
    private readonly dir: string,
    max: number,
  ) {
    if (max <= 0) return;
    this.entries = new LRUCache<string, number>({
      maxSize: max,
      sizeCalculation: (size) => Math.max(1, size),
      dispose: (_size, name, reason) => {
        if (reason === 'evict') this.evicted.push(name);
      },
    });
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.img'))
      .map((f) => ({ f, st: statSync(join(dir, f)) }));
    for (const { f, st } of files.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs)) this.entries.set(f, st.size);
  }

  async get(key: string): Promise<{ type: string; body: Buffer } | undefined> {
    const name = `${key}.img`;
    if (this.entries?.get(name) === undefined) return undefined;
    const raw = await readFile(join(this.dir, name)).catch(() => undefined);
    if (!raw) return undefined;
    const nl = raw.indexOf(10);
    return { type: raw.subarray(0, nl).toString('utf8'), body: raw.subarray(nl + 1) };
  }

  async put(key: string, type: string, body: Buffer): Promise<void> {
    if (!this.entries) return;
    const name = `${key}.img`;
    const data = Buffer.concat([Buffer.from(`${type}\n`), body]);
    if (data.length > this.entries.maxSize) return;
    await writeFileAtomic(join(this.dir, name), data);
    this.entries.set(name, data.length);
    const gone = this.evicted;
    this.evicted = [];
    await Promise.all(gone.map((f) => rm(join(this.dir, f), { force: true })));
  }
}
