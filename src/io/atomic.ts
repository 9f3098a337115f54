/**
 * The one atomic file writer: the bytes go to a temp file with a unique name in the same folder, then are renamed
 * over the target, so a reader (or a crash) sees the old file or the new one, never a part. A failed write removes
 * its temp file. Two forms of the same steps: `writeFileAtomic` for a thread that serves while it writes (the image
 * cache), `writeFileAtomicSync` for one that has nothing else to do meanwhile (a build writing its feeds: a promise
 * per step costs it more than the write).
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files of this writer are named `.<name>.<pid>.<random>.tmp`. */
export const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

const tempFor = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/** Writes a file whole or not at all, without blocking the thread. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes a file whole or not at all, synchronously. */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const tmp = tempFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
