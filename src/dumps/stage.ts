/**
 * The dumps stage of a build: walk the dump folders, compare what is there with what the store recorded, read new
 * and changed files into the store (parsed in worker threads when many), and forget files that are gone.
 */
import { sep } from 'node:path';
import { forgetFile, mergePending, recordFile, WALK_KEY } from '../catalog.js';
import type { Store } from '../store/store.js';
import type { Config, InputProblem } from '../types.js';
import { pipeline, type RunnerFor, workerCount } from '../work/pool.js';
import type { LoadResult } from './load.js';
import { type DumpFile, listDumpFiles, walkFingerprint } from './read.js';

/** Dump files per read job. */
const READ_BATCH = 64;
/** Files recorded per store transaction while reading dumps. */
const COMMIT_FILES = 4096;
/** Dump files from which the folders are walked by two threads (measured: 20,000 files walk faster on one, 150,000 on two). */
const PARALLEL_WALK_FILES = 50_000;

export interface IngestOptions {
  runner: RunnerFor;
  now: number;
  /** Called as files are read: done, total. */
  progress?: ((done: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface IngestResult {
  seen: number;
  read: number;
  unchanged: number;
  removed: number;
}

function under(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
}

export const problemOf = (where: string, reason: string, detail?: string | null): InputProblem => ({
  where,
  reason,
  ...(detail ? { detail } : {}),
});

/** Which listed files are new or changed since the store recorded them, and which recorded files are gone. */
function compareWithStore(
  config: Config,
  store: Store,
  files: DumpFile[],
  problems: InputProblem[],
): { changed: DumpFile[]; removed: string[] } {
  const unreadable = problems
    .filter((p) => p.reason === 'unreadable folder' || p.reason === 'broken link')
    .map((p) => p.where);
  const known = store.files.known();
  const seen = new Set<string>();
  const changed: DumpFile[] = [];
  for (const f of files) {
    seen.add(f.path);
    const k = known.get(f.path);
    if (k && k.size === f.size && k.mtimeMs === f.mtimeMs) {
      if (k.problem) problems.push(problemOf(f.path, k.problem, k.detail));
    } else changed.push(f);
  }
  // A file is gone only if its folder was read: an unreadable folder never empties a feed.
  const removed = [...known.keys()].filter((p) => !seen.has(p) && under(p, config.dumps) && !under(p, unreadable));
  return { changed, removed };
}

/**
 * Read and parse files (in worker threads when many, a few batches ahead) while this thread records the results as
 * they come, in transactions of about COMMIT_FILES files: SQLite's cost is per commit.
 */
async function readIntoStore(
  changed: DumpFile[],
  store: Store,
  problems: InputProblem[],
  opts: IngestOptions,
): Promise<void> {
  const { now } = opts;
  const batches: Array<{ job: { kind: 'load'; files: DumpFile[] }; ctx: DumpFile[] }> = [];
  for (let i = 0; i < changed.length; i += READ_BATCH) {
    const files = changed.slice(i, i + READ_BATCH);
    batches.push({ job: { kind: 'load', files }, ctx: files });
  }
  store.sizeCacheFor(changed.length);
  let done = 0;
  const group = store.group();
  try {
    await pipeline(
      opts.runner(batches.length),
      batches,
      (results, files) => {
        files.forEach((file, n) => {
          const r: LoadResult = results[n]!;
          if (r.ok) {
            // A copy used despite a problem (an unreadable date): the file is recorded with the problem, so it is
            // listed again on every build until the file changes.
            const warning = r.observation.warning;
            if (warning) problems.push(problemOf(file.path, warning.reason, warning.detail));
            group.add(() => {
              recordFile(store, file, { observation: r.observation }, now);
              if (warning) store.files.put(file, warning.reason, warning.detail);
            });
          } else {
            problems.push(problemOf(file.path, r.reason, r.detail));
            // A read that failed (not a bad file) is not recorded: the file is read again next time.
            if (!r.transient) group.add(() => recordFile(store, file, { problem: r.reason, detail: r.detail }, now));
          }
        });
        // Merge as many articles as files came in, while the workers parse the next batches: the merge after reading
        // is then left with the keys that met another copy later.
        group.add(() => mergePending(store, files.length, now));
        done += files.length;
        if (group.size >= COMMIT_FILES) group.commit();
        opts.progress?.(done, changed.length);
      },
      opts.signal,
    );
    group.commit();
  } catch (error) {
    group.rollback();
    throw error;
  }
}

/** Read new and changed dump files into the store; forget deleted ones. */
export async function ingestDumps(
  config: Config,
  store: Store,
  problems: InputProblem[],
  opts: IngestOptions,
): Promise<IngestResult> {
  const walkProblems = problems.length;
  // A tree that held many files last time is walked by two threads (a thread costs more than it saves on a small one).
  const before = store.meta.get(WALK_KEY) ?? '';
  const parallel = workerCount() > 0 && Number(before.split(':')[0]) >= PARALLEL_WALK_FILES;
  const files = await listDumpFiles(config.dumps, problems, { parallel });
  // Every file as it was when the folders were last read in full: nothing to compare file by file.
  const fingerprint = problems.length === walkProblems ? walkFingerprint(config.dumps, files) : '';
  if (fingerprint !== '' && fingerprint === before) {
    for (const p of store.files.problems()) problems.push(problemOf(p.path, p.problem, p.detail));
    return { seen: files.length, read: 0, unchanged: files.length, removed: 0 };
  }
  const { changed, removed } = compareWithStore(config, store, files, problems);
  await readIntoStore(changed, store, problems, opts);
  if (removed.length > 0)
    store.transaction(() => {
      for (const p of removed) forgetFile(store, p);
    });
  // Every file is now recorded as it is: the next build may skip the comparison if nothing moved. Not when a file
  // could not be read (it is read again next time).
  const transient = problems.some((p) => p.reason === 'unreadable file');
  store.meta.set(WALK_KEY, transient ? '' : fingerprint);
  return {
    seen: files.length,
    read: changed.length,
    unchanged: files.length - changed.length,
    removed: removed.length,
  };
}
