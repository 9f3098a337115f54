/**
 * Writing output files: atomically (a temp file in the same folder, then rename) and only when the bytes change.
 */
import { type Dirent, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TEMP_FILE, writeFileAtomicSync } from '../../io/atomic.js';
import { processRunning } from '../../io/pid.js';
import type { RenderedFeed } from '../../feeds/render.js';

/**
 * Writes `content` to `path` unless the file holds exactly these bytes; true when written. Synchronous: the workers
 * have nothing else to do meanwhile, and the main thread's files (the OPML, the index page) are small.
 */
export function writeIfChanged(path: string, content: string, folderExists = false): boolean {
  // A new file is written from the string (node encodes it outside the heap); one that exists is compared first.
  let data: string | Buffer = content;
  // Checked first: a failed read costs an error object with a stack, and a first build reads no file that exists.
  if (existsSync(path)) {
    data = Buffer.from(content, 'utf8');
    try {
      if (readFileSync(path).equals(data)) return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  try {
    if (!folderExists) mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicSync(path, data);
  } catch (error) {
    throw new Error(`output: cannot write ${path}: ${(error as Error).message}`);
  }
  return true;
}

/** The files of one feed's folder, and which rendering each holds. */
export const FEED_FILES = ['atom.xml', 'rss.xml', 'feed.json'] as const;
const FORMAT = { 'atom.xml': 'atom', 'rss.xml': 'rss', 'feed.json': 'json' } as const;

/** The three files of one feed, written into `dir` where their bytes changed. Returns the paths written. */
export function writeFeedFiles(dir: string, feed: RenderedFeed): string[] {
  const written: string[] = [];
  mkdirSync(dir, { recursive: true });
  for (const name of FEED_FILES) {
    const path = join(dir, name);
    if (writeIfChanged(path, feed[FORMAT[name]], true)) written.push(path);
  }
  return written;
}

/** Remove a feed folder we created. */
export async function removeFeedFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A temp file younger than this, of a process that is running, may be a write in flight: it is left alone. */
const IN_FLIGHT_MS = 3600_000;

/**
 * Removes the atomic writer's temp files a crashed write left in `output` and one level down, but a running process's
 * from the last hour (a build writing now). Call before this process writes; returns the paths removed.
 */
export async function removeLeftoverTemps(output: string, now = Date.now()): Promise<string[]> {
  const list = (dir: string): Dirent[] => {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const temps: string[] = [];
  const top = list(output);
  for (const entry of top) {
    if (entry.isFile() && TEMP_FILE.test(entry.name)) temps.push(join(output, entry.name));
    else if (entry.isDirectory())
      for (const inner of list(join(output, entry.name)))
        if (inner.isFile() && TEMP_FILE.test(inner.name)) temps.push(join(output, entry.name, inner.name));
  }
  const removed: string[] = [];
  for (const path of temps) {
    const pid = Number(/\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(path)?.[1]);
    if (pid !== process.pid && processRunning(pid)) {
      let age = Number.POSITIVE_INFINITY;
      try {
        age = now - statSync(path).mtimeMs;
      } catch {
        continue; // gone already
      }
      if (age < IN_FLIGHT_MS) continue;
    }
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}
