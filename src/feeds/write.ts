/**
 * Writing output files: atomically (a temp file in the same folder, then rename) and only when the bytes change.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Write `content` to `path` unless the file already holds exactly these bytes. Returns true when written. */
export async function writeIfChanged(path: string, content: string): Promise<boolean> {
  const bytes = Buffer.from(content, 'utf8');
  try {
    const existing = await readFile(path);
    if (existing.equals(bytes)) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new Error(`output: cannot write ${path}: ${(error as Error).message}`);
  }
  return true;
}

/** Remove a feed folder we created. */
export async function removeFeedFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
