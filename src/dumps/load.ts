/**
 * Read one dump file and parse it. Never throws: a file that cannot be read or parsed is a result saying why.
 * Used in-process and inside the parse workers (dumps/pool.ts).
 */
import { readFileSync } from 'node:fs';
import type { DumpFile } from './read.js';
import { MAX_DUMP_BYTES, parseDump, type DumpParse } from './parse.js';

/** A parse result, or a read failure worth retrying on the next build (`transient`: the file is not recorded). */
export type LoadResult = DumpParse | { ok: false; reason: string; detail?: string; transient: true };

export function loadDump(file: DumpFile): LoadResult {
  if (file.size > MAX_DUMP_BYTES) return { ok: false, reason: 'file over 5 MB' };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch (error) {
    return { ok: false, reason: 'unreadable file', detail: (error as NodeJS.ErrnoException).code ?? String(error), transient: true };
  }
  try {
    return parseDump(bytes, { path: file.path, mtimeMs: file.mtimeMs });
  } catch (error) {
    return { ok: false, reason: 'parser failure', detail: (error as Error).message };
  }
}
