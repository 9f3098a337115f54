/**
 * Writing output files: atomically (a temp file in the same folder, then rename) and only when the bytes change.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import type { RenderedFeed } from '../types.js';

/** Write `content` to `path` unless the file already holds exactly these bytes. Returns true when written. */
export async function writeIfChanged(path: string, content: string, folderExists = false): Promise<boolean> {
  const bytes = Buffer.from(content, 'utf8');
  // Checked first: a failed read costs an error object with a stack, and a first build reads no file that exists.
  if (existsSync(path)) {
    try {
      const existing = await readFile(path);
      if (existing.equals(bytes)) return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const dir = dirname(path);
  if (!folderExists) await mkdir(dir, { recursive: true });
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    throw new Error(`output: cannot write ${path}: ${(error as Error).message}`);
  }
  return true;
}

/** The files of one feed's folder, and which rendering each holds. */
export const FEED_FILES = ['atom.xml', 'rss.xml', 'feed.json'] as const;
const FORMAT = { 'atom.xml': 'atom', 'rss.xml': 'rss', 'feed.json': 'json' } as const;

/** The three files of one feed, written into `dir` where their bytes changed. Returns the paths written. */
export async function writeFeedFiles(dir: string, feed: RenderedFeed): Promise<string[]> {
  const written: string[] = [];
  await mkdir(dir, { recursive: true });
  for (const name of FEED_FILES) {
    const text = feed[FORMAT[name]];
    const path = join(dir, name);
    if (await writeIfChanged(path, text, true)) written.push(path);
  }
  return written;
}

/** Remove a feed folder we created. */
export async function removeFeedFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
