/**
 * The one orchestrator, wiring only: open the store, run the stages in order (dumps → merge → fetch → publish) on
 * one worker pool, and report. Per-item failures are collected by the stages and reported, never thrown past here;
 * only a failure of the store or the output folder ends a build.
 */
import { beginBuild, endBuild, mergeAllPending } from '../catalog/catalog.js';
import { ingestDumps } from './dumps/stage.js';
import { fetchStage } from './fetch/stage.js';
import { publish } from './publish/stage.js';
import type { Logger } from '../log.js';
import { albumStatus, feedStatus, paceStatus } from '../catalog/status.js';
import { closeStore, openStore, storeFailure } from '../store/db.js';
import { imageSecret } from '../store/secret.js';
import { Store } from '../store/store.js';
import type { BuildSummary, Config, InputProblem, LiveFetch } from '../types.js';
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

/** Debug log of how long each phase took. */
function stopwatch(log: Logger): (phase: string, fields?: Record<string, unknown>) => void {
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

/** One build: what `wxfeed build` and each daemon cycle do. */
export async function build(config: Config, opts: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const clock = opts.now ?? Date.now;
  const db = openStore(config.store);
  let clean = false;
  let pool: JobRunner | undefined;
  const workerFailed = (reason: string): void =>
    opts.log.warn({ reason }, 'a worker thread failed: its work runs on the main thread');
  // A phase with few jobs runs them here; the first phase with many starts the pool, which later phases share.
  const runner: RunnerFor = (jobs) => {
    if (pool) return pool;
    const r = runnerFor(jobs, workerFailed);
    if (r.threaded) pool = r;
    return r;
  };
  try {
    const store = new Store(db);
    const problems: InputProblem[] = [];
    const lap = stopwatch(opts.log);
    const { signal } = opts;
    const progress = (unit: 'files' | 'pages') =>
      opts.progress ? (done: number, total: number) => opts.progress!(done, total, unit) : undefined;
    // One time for what this build files (and for the killed build whose work it resumes: catalog.ts).
    const seenAt = beginBuild(store, clock());
    const ingest = await ingestDumps(config, store, problems, {
      roots: config.dumps,
      runner,
      now: seenAt,
      progress: progress('files'),
      signal,
      prune: opts.prune,
      rescan: opts.rescan,
    });
    lap('ingest', {
      read: ingest.read,
      unchanged: ingest.unchanged,
      removed: ingest.removed,
      ...ingest.templates,
      learnMs: ingest.learnMs,
    });
    // What reading many files left behind, collected before publishing sizes the heap from what is live (memory.ts).
    if (ingest.read >= LARGE_READ) collectGarbage();
    await mergeAllPending(store, seenAt, signal);
    lap('merge');
    const dumpsChanged = ingest.read > 0 || ingest.removed > 0;
    const fetched = await fetchStage(config, store, {
      live: opts.live,
      dumpsChanged,
      log: opts.log,
      now: clock,
      progress: progress('pages'),
      signal,
    });
    await mergeAllPending(store, seenAt, signal);
    lap('fetch', { fetched: fetched.fetched, due: fetched.due });
    const imageKey = () => imageSecret(store.meta);
    const published = await publish(config, store, problems, { runner, now: clock(), imageSecret: imageKey, signal });
    lap('publish', { written: published.written.length, workers: pool?.parallelism ?? 0 });
    const articles = store.articles.count();
    const observations = store.observations.count();
    const albums = albumStatus(store, config.follow.albumIntervalMinutes, clock());
    const feeds = feedStatus(store, albums);
    const pace = paceStatus(store, config.fetch, clock());
    endBuild(store);
    clean = true;
    return {
      fetch: fetched,
      feeds,
      ...(albums.length > 0 ? { albums } : {}),
      pace,
      filesSeen: ingest.seen,
      filesRead: ingest.read,
      filesUnchanged: ingest.unchanged,
      filesRemoved: ingest.removed,
      templates: ingest.templates,
      problems,
      warnings: ingest.warnings,
      articles,
      duplicatesMerged: observations - articles,
      sources: published.sources,
      feedsWritten: published.feedsWritten,
      feedsUnchanged: published.sources + 1 - published.feedsWritten,
      filesWritten: published.written,
      elapsedMs: performance.now() - started,
      outputDir: config.output,
    };
  } catch (error) {
    throw storeFailure(config.store, error);
  } finally {
    await opts.live?.close();
    await pool?.close();
    closeStore(db, clean);
  }
}
