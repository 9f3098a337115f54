/**
 * The one orchestrator, wiring only: open the store, run the stages in order (dumps → merge → fetch → publish) on
 * one worker pool, and report (the counts: summary.ts). Per-item failures are collected by the stages and reported,
 * never thrown past here; only a failure of the store or the output folder ends a build.
 */
import { beginBuild, endBuild, mergeAllPending } from '../catalog/catalog.js';
import { type IngestResult, ingestDumps } from './dumps/stage.js';
import { fetchStage, type FetchSummary } from './fetch/stage.js';
import { type Published, publish } from './publish/stage.js';
import { type BuildCounts, buildSummary, type BuildSummary } from './summary.js';
import type { Logger } from '../log.js';
import { albumStatus, feedStatus, paceStatus } from '../catalog/status.js';
import { closeStore, openStore, storeFailure } from '../store/db.js';
import { imageSecret } from '../store/secret.js';
import { Store } from '../store/store.js';
import type { Config, InputProblem } from '../types.js';
import type { LiveFetch } from '../fetch/fetcher.js';
import { type JobRunner, type RunnerFor, runnerFor } from '../work/pool.js';
import { collectGarbage, LARGE_READ } from '../memory.js';

export interface BuildOptions {
  log: Logger;
  /** Live fetching; left out: offline. */
  live?: LiveFetch | undefined;
  /** Called as dump files are read and as pages are fetched: done, total, which. */
  progress?: (done: number, total: number, unit: 'files' | 'pages') => void;
  signal?: AbortSignal;
  now?: () => number;
  /** Confirm a removal of dump files the guard refuses (every file of a folder, or more than half at once). */
  prune?: boolean;
  /** Walk every dump file, whatever the folder index says (`--rescan`). */
  rescan?: boolean;
}

type Lap = (phase: string, fields?: Record<string, unknown>) => void;

/** Debug log of how long each phase took. */
function stopwatch(log: Logger): Lap {
  let last = performance.now();
  return (phase, fields = {}) => {
    const now = performance.now();
    const mem = process.memoryUsage();
    const rssMb = Math.round(mem.rss / 2 ** 20);
    const heapMb = Math.round(mem.heapUsed / 2 ** 20);
    log.debug({ phase, ms: Math.round(now - last), rssMb, heapMb, ...fields }, 'build phase done');
    last = now;
  };
}

/** The worker threads the phases of one build share. */
interface Threads {
  runner: RunnerFor;
  /** Threads of the pool, 0 while none started. */
  parallelism(): number;
  close(): Promise<void>;
}

/** A phase with few jobs runs them here; the first phase with many starts the pool, which later phases share. */
function sharedThreads(log: Logger): Threads {
  let pool: JobRunner | undefined;
  const workerFailed = (reason: string): void =>
    log.warn({ reason }, 'a worker thread failed: its work runs on the main thread');
  return {
    runner: (jobs) => {
      if (pool) return pool;
      const r = runnerFor(jobs, workerFailed);
      if (r.threaded) pool = r;
      return r;
    },
    parallelism: () => pool?.parallelism ?? 0,
    close: async () => {
      await pool?.close();
    },
  };
}

/** What the steps of one build share. */
interface Build {
  config: Config;
  opts: BuildOptions;
  store: Store;
  clock: () => number;
  /** The time of what this build files (catalog.ts beginBuild). */
  seenAt: number;
  problems: InputProblem[];
  threads: Threads;
  lap: Lap;
}

/** The build's progress callback for one unit, or none. */
function progressOf(opts: BuildOptions, unit: 'files' | 'pages'): ((done: number, total: number) => void) | undefined {
  return opts.progress ? (done, total) => opts.progress!(done, total, unit) : undefined;
}

/** One build: what `wxfeed build` and each daemon cycle do. */
export async function build(config: Config, opts: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const clock = opts.now ?? Date.now;
  const db = openStore(config.store);
  const threads = sharedThreads(opts.log);
  let clean = false;
  try {
    const store = new Store(db);
    const problems: InputProblem[] = [];
    const lap = stopwatch(opts.log);
    const b: Build = { config, opts, store, clock, seenAt: beginBuild(store, clock()), problems, threads, lap };
    const ingest = await runDumps(b);
    await mergeAllPending(store, b.seenAt, opts.signal);
    lap('merge');
    const dumpsChanged = ingest.read > 0 || ingest.removed > 0;
    const fetched = await runFetch(b, dumpsChanged);
    const published = await runPublish(b);
    const after = storeAfter(config, store, clock);
    endBuild(store);
    clean = true;
    const elapsedMs = performance.now() - started;
    return buildSummary({ ingest, fetched, published, problems, ...after, elapsedMs, outputDir: config.output });
  } catch (error) {
    throw storeFailure(config.store, error);
  } finally {
    await opts.live?.close();
    await threads.close();
    closeStore(db, clean);
  }
}

/** The dumps stage: read new and changed dump files, forget removed ones. */
async function runDumps(b: Build): Promise<IngestResult> {
  const { config, opts } = b;
  const ingest = await ingestDumps(config, b.store, b.problems, {
    roots: config.dumps,
    runner: b.threads.runner,
    now: b.seenAt,
    progress: progressOf(opts, 'files'),
    signal: opts.signal,
    prune: opts.prune,
    rescan: opts.rescan,
  });
  const { read, unchanged, removed, templates, learnMs } = ingest;
  b.lap('ingest', { read, unchanged, removed, ...templates, learnMs });
  // What reading many files left behind, collected before publishing sizes the heap from what is live (memory.ts).
  if (ingest.read >= LARGE_READ) collectGarbage();
  return ingest;
}

/** The fetch stage, then the merge of what it filed. */
async function runFetch(b: Build, dumpsChanged: boolean): Promise<FetchSummary> {
  const { config, opts, store } = b;
  const fetched = await fetchStage(config, store, {
    live: opts.live,
    dumpsChanged,
    log: opts.log,
    now: b.clock,
    progress: progressOf(opts, 'pages'),
    signal: opts.signal,
  });
  await mergeAllPending(store, b.seenAt, opts.signal);
  b.lap('fetch', { fetched: fetched.fetched, due: fetched.due });
  return fetched;
}

/** The publish stage. */
async function runPublish(b: Build): Promise<Published> {
  const { store } = b;
  const imageKey = () => imageSecret(store.meta);
  const published = await publish(b.config, store, b.problems, {
    runner: b.threads.runner,
    now: b.clock(),
    imageSecret: imageKey,
    signal: b.opts.signal,
  });
  b.lap('publish', { written: published.written.length, workers: b.threads.parallelism() });
  return published;
}

/** What the store holds once the stages ran: the counts and the statuses the summary reports. */
function storeAfter(
  config: Config,
  store: Store,
  clock: () => number,
): Pick<BuildCounts, 'articles' | 'observations' | 'albums' | 'feeds' | 'pace'> {
  const articles = store.articles.count();
  const observations = store.observations.count();
  const albums = albumStatus(store, config.follow.albumIntervalMinutes, clock());
  const feeds = feedStatus(store, albums);
  const pace = paceStatus(store, config.fetch, clock());
  return { articles, observations, albums, feeds, pace };
}
