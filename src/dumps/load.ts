/**
 * Read dump files: once to record what they hold (`loadDump`), and again when a feed shows an article whose body is
 * in a dump (`loadDumpMarkdown`). Never throws: a file that cannot be read or parsed is a result saying why.
 * Runs in-process and in the build's worker threads (work/).
 */
import { readFileSync } from 'node:fs';
import type { DumpFile } from './read.js';
import { dumpMarkdown, MAX_DUMP_BYTES, parseDump } from './parse.js';
import type { Observation, PageTemplate } from '../types.js';

/** A dump file to read, with its site's page template when the dump is to be read with it (dumps/learn.ts). */
export type DumpToLoad = DumpFile & { template?: PageTemplate | undefined };

/** What the store records of a file, or a read failure worth retrying on the next build (`transient`: not recorded). */
export type LoadResult =
  | { ok: true; observation: Observation }
  | { ok: false; reason: string; detail?: string; transient?: true };

/** Read and parse one dump for the store: the observation only (the body stays in the file). */
export function loadDump(file: DumpToLoad): LoadResult {
  if (file.size > MAX_DUMP_BYTES) return { ok: false, reason: 'file over 5 MB' };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch (error) {
    return {
      ok: false,
      reason: 'unreadable file',
      detail: (error as NodeJS.ErrnoException).code ?? String(error),
      transient: true,
    };
  }
  try {
    const r = parseDump(bytes, { path: file.path, mtimeMs: file.mtimeMs, seed: file.seed }, file.template);
    return r.ok ? { ok: true, observation: r.observation } : r;
  } catch (error) {
    return { ok: false, reason: 'parser failure', detail: (error as Error).message };
  }
}

/**
 * The article markdown of a dump whose body the store knows by `hash`, without its site's page `template` when one is
 * learned. `changed` when the file no longer holds that body (edited since it was read; it is read again on the next
 * build): then it is read in full, so a file that is no longer the article gives no text. A failure when it is gone
 * or unreadable.
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
