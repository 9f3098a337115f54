/**
 * Walks dump folders: every `*.md`, `*.markdown`, `*.txt` below each root, following symbolic links but never
 * entering a folder twice (symlink loops are safe). Unreadable entries are reported, never fatal.
 * The walk uses synchronous calls: on a large archive they cost far less than a promise per stat, and the walk is
 * the whole of a no-change build. A large tree is walked by two threads, each taking every other folder near the top
 * (walk-worker.ts runs the other half).
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { compiledEntry } from '../../compiled.js';
import { basename, normalize, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { InputProblem } from '../../types.js';

/** The names of dump files. */
export const DUMP_FILE = /\.(?:md|markdown|txt)$/i;

/** A dump file as the walk lists it. */
export interface DumpFile {
  path: string;
  /** NOT_STATED when listed without a look at the file (a first build): the read finds it (load.ts). */
  size: number;
  mtimeMs: number;
  /** Its name within the archive, when known (see `archiveName`). */
  seed?: string;
}

/**
 * The size and time of a file listed without a look at it (`statFiles: false`): a first build reads every file anyway
 * and the read's look at the open file gives them, so the walk saves a stat per file, most of its time.
 */
export const NOT_STATED = -1;

/** Roots already in normal form (`normalize` leaves them as they are), by root. */
const normalRoots = new Map<string, boolean>();

/** A `.` or `..` part of a path. */
const DOT_PART = /(?:^|\/)\.{1,2}(?:\/|$)/;

/** True for a path below a root with no empty, `.` or `..` part: `relative` would return it as it is. */
const plainBelow = (below: string): boolean =>
  !below.startsWith('/') && !below.endsWith('/') && !below.includes('//') && !DOT_PART.test(below);

/**
 * `<dumps folder name>/<path below it>` for a path under one of the roots (the longest that holds it). A path below a
 * root in normal form is cut, not resolved: `relative`, once per file, would cost more than the rest of listing it.
 */
export function archiveName(path: string, roots: readonly string[]): string | undefined {
  let root: string | undefined;
  for (const r of roots)
    if ((root === undefined || r.length > root.length) && path.startsWith(r.endsWith(sep) ? r : r + sep)) root = r;
  if (root === undefined) return undefined;
  let normal = normalRoots.get(root);
  if (normal === undefined) {
    normal = normalize(root) === root;
    normalRoots.set(root, normal);
  }
  const below = path.slice(root.endsWith(sep) ? root.length : root.length + 1);
  const rest = normal && sep === '/' && plainBelow(below) ? below : relative(root, path).split(sep).join('/');
  return `${basename(root)}/${rest}`;
}

/** What walking some folders found: dump files with the device and inode behind each, and problems. */
export interface WalkPart {
  files: DumpFile[];
  devs: number[];
  inos: number[];
  problems: InputProblem[];
  /** Every folder entered, with its modification time as it was before its entries were read. */
  folders: Array<[string, number]>;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

const dirId = (st: { dev: number; ino: number }): string => `${st.dev}:${st.ino}`;

const emptyPart = (): WalkPart => ({ files: [], devs: [], inos: [], problems: [], folders: [] });

/**
 * Read one folder: its dump files go into `part`, and its subfolders not entered before are returned (and marked
 * entered in `seenDirs`, by device and inode, so a link loop ends).
 */
function readFolder(dir: string, seenDirs: Set<string>, part: WalkPart, statFiles: boolean): string[] {
  const subdirs: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    part.problems.push({
      kind: 'unreadable-folder',
      where: dir,
      reason: 'unreadable folder',
      detail: errorCode(error),
    });
    return subdirs;
  }
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  for (const entry of entries) {
    const isLink = entry.isSymbolicLink();
    const isDumpName = DUMP_FILE.test(entry.name);
    if (!isLink && !entry.isDirectory() && !(isDumpName && entry.isFile())) continue;
    const path = prefix + entry.name;
    if (!statFiles && !isLink && isDumpName && entry.isFile()) {
      part.files.push({ path, size: NOT_STATED, mtimeMs: NOT_STATED });
      part.devs.push(NOT_STATED);
      part.inos.push(NOT_STATED);
      continue;
    }
    try {
      const st = statSync(path);
      if (st.isDirectory()) {
        const id = dirId(st);
        if (!seenDirs.has(id)) {
          seenDirs.add(id);
          subdirs.push(path);
          part.folders.push([path, st.mtimeMs]);
        }
      } else if (isDumpName && st.isFile()) {
        part.files.push({ path, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
        part.devs.push(st.dev);
        part.inos.push(st.ino);
      }
    } catch (error) {
      const detail = errorCode(error);
      part.problems.push(
        isLink
          ? { kind: 'broken-link', where: path, reason: 'broken link', detail }
          : { kind: 'unreadable-file', where: path, reason: 'unreadable file', detail },
      );
    }
  }
  return subdirs;
}

/**
 * Walk the folders `starts` (already entered: their ids are in `seenDirs`) and everything below them; with
 * `statFiles` false, plain files are listed NOT_STATED.
 */
export function walkFolders(starts: readonly string[], seenDirs: Set<string>, statFiles = true): WalkPart {
  const part = emptyPart();
  const queue = [...starts];
  while (queue.length > 0) queue.push(...readFolder(queue.pop()!, seenDirs, part, statFiles));
  return part;
}

/** The compiled walk worker (dist/walk-worker.js); undefined when running from TypeScript sources (tests). */
const walkWorkerUrl = (): URL | undefined => compiledEntry('walk-worker.js');

/**
 * Walk `dirs` in a worker thread. It has its own loop guard: a folder reached from both halves is walked twice, and
 * its files are listed once.
 */
function walkInWorker(url: URL, dirs: string[], seenDirs: Set<string>, statFiles: boolean): Promise<WalkPart> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: { dirs, seen: [...seenDirs], statFiles } });
    worker.once('message', (part: WalkPart) => resolve(part));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`walk worker exited with ${code}`)));
  });
}

/** How listDumpFiles walks, and what else it reports. */
export interface ListOptions {
  /** Walk with a second thread: for large trees only, as starting a thread costs more than a small walk. */
  parallel?: boolean;
  /** The worker to use; defaults to the compiled walk-worker.js (none when running from sources). */
  workerUrl?: URL;
  /** Told how many threads walked (2 when the worker did its half, 1 otherwise). */
  onThreads?: (threads: number) => void;
  /** Filled with every folder entered and its modification time (roots included), in no order. */
  folders?: Array<[string, number]>;
  /**
   * False: plain files are listed NOT_STATED, without their size, time or identity (a file reached by a link is
   * still looked at); two names of one file are then both listed, and the reader keeps the first (`FirstNames`).
   */
  statFiles?: boolean;
}

/** Every dump file below the roots, sorted by path; unreadable folders and broken links go to `problems`. */
export async function listDumpFiles(
  roots: readonly string[],
  problems: InputProblem[],
  options: ListOptions = {},
): Promise<DumpFile[]> {
  const seenDirs = new Set<string>();
  let frontier: string[] = [];
  for (const root of roots) {
    try {
      const st = statSync(root);
      if (!st.isDirectory())
        problems.push({ kind: 'unreadable-folder', where: root, reason: 'unreadable folder', detail: 'not a folder' });
      else if (!seenDirs.has(dirId(st))) {
        seenDirs.add(dirId(st));
        frontier.push(root);
        options.folders?.push([root, st.mtimeMs]);
      }
    } catch (error) {
      problems.push({ kind: 'unreadable-folder', where: root, reason: 'unreadable folder', detail: errorCode(error) });
    }
  }
  const parts: WalkPart[] = [];
  const statFiles = options.statFiles ?? true;
  const url = options.parallel ? (options.workerUrl ?? walkWorkerUrl()) : undefined;
  if (url) {
    // Two levels down there are enough folders to share (the archive: years, then months).
    for (let depth = 0; depth < 2 && frontier.length > 0 && frontier.length < 8; depth++) {
      const top = emptyPart();
      frontier = frontier.flatMap((dir) => readFolder(dir, seenDirs, top, statFiles));
      parts.push(top);
    }
    const theirs = frontier.filter((_, i) => i % 2 === 1);
    const other = theirs.length > 0 ? walkInWorker(url, theirs, seenDirs, statFiles) : Promise.resolve(undefined);
    // A failed worker costs time, not files: its half is walked here.
    other.catch(() => undefined);
    parts.push(
      walkFolders(
        frontier.filter((_, i) => i % 2 === 0),
        seenDirs,
        statFiles,
      ),
    );
    const got = await other.then(
      (part) => {
        options.onThreads?.(part ? 2 : 1);
        return part;
      },
      () => {
        options.onThreads?.(1);
        return walkFolders(theirs, seenDirs, statFiles);
      },
    );
    if (got) parts.push(got);
  } else {
    parts.push(walkFolders(frontier, seenDirs, statFiles));
    options.onThreads?.(1);
  }
  if (options.folders) for (const p of parts) options.folders.push(...p.folders);
  return mergeParts(parts, problems);
}

/**
 * Sorted by path, then one path per file (the first by name), so the same tree always gives the same list. A file
 * listed NOT_STATED is kept as it is: its identity is known once it is read (`FirstNames`).
 */
function mergeParts(parts: WalkPart[], problems: InputProblem[]): DumpFile[] {
  const files: DumpFile[] = [];
  const devs: number[] = [];
  const inos: number[] = [];
  const found: InputProblem[] = [];
  for (const p of parts) {
    for (let i = 0; i < p.files.length; i++) {
      files.push(p.files[i]!);
      devs.push(p.devs[i]!);
      inos.push(p.inos[i]!);
    }
    found.push(...p.problems);
  }
  problems.push(...found.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0)));
  const order = files
    .map((_, i) => i)
    .sort((a, b) => (files[a]!.path < files[b]!.path ? -1 : files[a]!.path > files[b]!.path ? 1 : 0));
  const names = new FirstNames();
  const out: DumpFile[] = [];
  for (const i of order) if (devs[i] === NOT_STATED || names.first(devs[i]!, inos[i]!)) out.push(files[i]!);
  return out;
}

/**
 * A fingerprint of a walk: the roots, and every file's path, size and time. Equal fingerprints, the same files
 * unchanged (as far as size and time tell, which is what a build goes by).
 */
export function walkFingerprint(roots: readonly string[], files: readonly DumpFile[]): string {
  const hash = createHash('sha256').update(JSON.stringify(roots));
  const numbers = new Float64Array(2048);
  for (let i = 0; i < files.length; i += 1024) {
    const chunk = files.slice(i, i + 1024);
    hash.update(chunk.map((f) => f.path).join('\u0000'));
    chunk.forEach((f, n) => {
      numbers[2 * n] = f.size;
      numbers[2 * n + 1] = f.mtimeMs;
    });
    hash.update(numbers.subarray(0, 2 * chunk.length));
  }
  return `${files.length}:${hash.digest('hex')}`;
}

/**
 * One name per file among files read in path order: the first name of each (device, inode), as a walk that looks at
 * every file keeps. For a listing made without looking (`statFiles: false`), told what each read found.
 */
export class FirstNames {
  private readonly seen = new Map<number, Set<number>>();

  /** True the first time this file is met. */
  first(dev: number, ino: number): boolean {
    let sameDev = this.seen.get(dev);
    if (!sameDev) this.seen.set(dev, (sameDev = new Set()));
    if (sameDev.has(ino)) return false;
    sameDev.add(ino);
    return true;
  }
}
