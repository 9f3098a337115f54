/**
 * Read dump files: once to record what they hold (`loadDump`), and again when a feed shows an article whose body is
 * in a dump (`loadDumpMarkdown`). Never throws: a file that cannot be read or parsed is a result saying why.
 * Runs in-process and in the build's worker threads (work/).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { type DumpFile, NOT_STATED } from './read.js';
import { dumpMarkdown, MAX_DUMP_BYTES, parseDump } from '../../dumps/parse.js';
import type { Observation, PageTemplate } from '../../types.js';

/** A dump file to read, with its site's page template when the dump is to be read with it (stages/dumps/learn.ts). */
export type DumpToLoad = DumpFile & { template?: PageTemplate | undefined };

/** What reading a file found of it (a look at the open file): its size and time, and its device and inode. */
interface FileFound {
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

/**
 * What the store records of a file, or why nothing: `unreadable-file` (not recorded, read again next build) or
 * `bad-dump` (not a dump it can use); with what the read found of the file when it could open it.
 */
export type LoadResult = (
  | { ok: true; observation: Observation }
  | { ok: false; kind: 'unreadable-file' | 'bad-dump'; reason: string; detail?: string }
) & { found?: FileFound };

/**
 * A file's bytes (none when it is over MAX_DUMP_BYTES) and what it is, from one open: the steps readFileSync takes,
 * with the look at the file kept.
 */
function readBytes(path: string): { bytes: Buffer | undefined; found: FileFound } {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    const found = { size: st.size, mtimeMs: Math.floor(st.mtimeMs), dev: st.dev, ino: st.ino };
    if (st.size > MAX_DUMP_BYTES) return { bytes: undefined, found };
    const bytes = Buffer.allocUnsafe(st.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: read < bytes.length ? bytes.subarray(0, read) : bytes, found };
  } finally {
    closeSync(fd);
  }
}

/**
 * Read and parse one dump for the store: the observation only (the body stays in the file). A file listed without a
 * look at it (read.ts NOT_STATED) is parsed with the time the read found.
 */
export function loadDump(file: DumpToLoad): LoadResult {
  if (file.size > MAX_DUMP_BYTES) return { ok: false, kind: 'bad-dump', reason: 'file over 5 MB' };
  let read: ReturnType<typeof readBytes>;
  try {
    read = readBytes(file.path);
  } catch (error) {
    return {
      ok: false,
      kind: 'unreadable-file',
      reason: 'unreadable file',
      detail: (error as NodeJS.ErrnoException).code ?? String(error),
    };
  }
  const { bytes, found } = read;
  if (bytes === undefined) return { ok: false, kind: 'bad-dump', reason: 'file over 5 MB', found };
  const mtimeMs = file.mtimeMs === NOT_STATED ? found.mtimeMs : file.mtimeMs;
  try {
    const r = parseDump(bytes, { path: file.path, mtimeMs, seed: file.seed }, file.template);
    return r.ok ? { ok: true, observation: r.observation, found } : { ...r, kind: 'bad-dump', found };
  } catch (error) {
    return { ok: false, kind: 'bad-dump', reason: 'parser failure', detail: (error as Error).message, found };
  }
}

/**
 * The article markdown of a dump whose body the store knows by `hash`, its site's page `template` taken out; read in
 * full and `changed` when the file no longer holds that body, so a file that is no longer the article gives no text.
 */
export function loadDumpMarkdown(
  path: string,
  hash: string,
  template?: PageTemplate,
): { ok: true; markdown: string; changed: boolean } | { ok: false; reason: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, reason: `unreadable file (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  try {
    const quick =
      bytes.length > MAX_DUMP_BYTES
        ? { ok: false as const, reason: 'file over 5 MB' }
        : dumpMarkdown(bytes, path, template);
    if (quick.ok && quick.hash === hash) return { ok: true, markdown: quick.markdown, changed: false };
    const full = parseDump(bytes, { path, mtimeMs: 0 }, template);
    if (!full.ok) return { ok: false, reason: full.detail ? `${full.reason} (${full.detail})` : full.reason };
    return { ok: true, markdown: full.markdown, changed: true };
  } catch (error) {
    return { ok: false, reason: `parser failure (${(error as Error).message})` };
  }
}
