/**
 * Where a build's CPU-heavy jobs run: in worker threads when there are many (the main thread keeps the store and
 * the files busy meanwhile), in-process otherwise. A worker that fails, or runs out of its memory cap, hands its
 * jobs back to the main thread and is not used again: a broken worker costs time, never a file or a feed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledEntry } from '../compiled.js';
import { type JobKind, runJob } from './job.js';
import type { JobMessage, JobReply } from './thread.js';

/** Runs jobs of any kind, on worker threads or on this thread. */
export interface JobRunner {
  /** How many jobs it runs at once. */
  readonly parallelism: number;
  readonly threaded: boolean;
  run<I, O>(kind: JobKind<I, O>, input: I): Promise<O>;
  close(): Promise<void>;
}

/** Runs every job on this thread. */
export const inProcess: JobRunner = {
  parallelism: 1,
  threaded: false,
  run: runJob,
  close: async () => {},
};

/** How long closing waits for the jobs in flight. */
const CLOSE_WAIT_MS = 5000;

/**
 * Heap caps of one worker, whose jobs hold one batch of files or one feed at a time: they keep the build's memory flat,
 * and an input that needs more kills that worker, not the build (its job runs again on the main thread). The young
 * generation is larger than V8's default for a small heap: each job makes many short-lived strings of whole bodies,
 * and a small nursery copies them again and again (bench/README.md).
 */
const WORKER_OLD_MB = 48;
const WORKER_YOUNG_MB = 16;

/**
 * Worker count: `WXFEED_WORKERS` when set (0 turns workers off), else the number of cores, at most 4.
 * The main thread mostly waits on workers and SQLite, so every core gets a worker.
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.WXFEED_WORKERS?.trim();
  if (given && /^\d+$/.test(given)) return Math.min(16, Number(given));
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Slot {
  worker: Worker;
  busy: number;
  dead: boolean;
}

interface Pending {
  // biome-ignore lint/suspicious/noExplicitAny: a job of any kind waits here.
  kind: JobKind<any, any>;
  input: unknown;
  slot: Slot;
  resolve: (r: unknown) => void;
  reject: (e: unknown) => void;
}

function settleInProcess(p: Pending): void {
  runJob(p.kind, p.input).then(p.resolve, p.reject);
}

/** Told when a worker thread failed (its error, or how it exited) and its jobs moved to this thread. */
export type WorkerFailure = (reason: string) => void;

/** Starts `count` worker threads; the jobs of a worker that fails run again on this thread. */
function workerPool(count: number, workerUrl: URL, onFailure: WorkerFailure = () => {}): JobRunner {
  const pending = new Map<number, Pending>();
  const slots: Slot[] = [];
  let nextId = 0;
  const fail = (slot: Slot, reason: string): void => {
    if (slot.dead) return;
    slot.dead = true;
    onFailure(reason);
    for (const [id, p] of pending) {
      if (p.slot !== slot) continue;
      pending.delete(id);
      settleInProcess(p);
    }
    void slot.worker.terminate();
  };
  for (let i = 0; i < count; i++) {
    const worker = new Worker(workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    // Not unref'd: while this thread waits for a worker's result it may have nothing else keeping it alive, and
    // the process must not end then. close() (in the build's finally) ends the threads.
    const slot: Slot = { worker, busy: 0, dead: false };
    worker.on('message', (m: JobReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      slot.busy--;
      // A job that failed in a worker runs again here, so its error surfaces with this thread's stack.
      if ('error' in m) settleInProcess(p);
      else p.resolve(m.result);
    });
    worker.on('error', (error) => fail(slot, error.message));
    worker.on('exit', (code) => fail(slot, `exited with code ${code}`));
    slots.push(slot);
  }
  return {
    parallelism: count,
    threaded: true,
    run<I, O>(kind: JobKind<I, O>, input: I): Promise<O> {
      const live = slots.filter((s) => !s.dead);
      if (live.length === 0) return runJob(kind, input);
      const slot = live.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      slot.busy++;
      return new Promise((resolve, reject) => {
        pending.set(id, { kind, input, slot, resolve: resolve as (r: unknown) => void, reject });
        slot.worker.postMessage({ id, kind: kind.name, input } satisfies JobMessage);
      });
    },
    async close() {
      // Jobs still running may be writing feed files: let them finish (each is one feed), then stop the threads.
      const running = [...pending.values()].map(
        (p) =>
          new Promise<void>((done) => {
            const { resolve, reject } = p;
            p.resolve = (r) => {
              resolve(r);
              done();
            };
            p.reject = (e) => {
              reject(e);
              done();
            };
          }),
      );
      await Promise.race([Promise.all(running), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
      for (const s of slots) s.dead = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/** The job runner for a phase with about `jobs` jobs: a build's worker pool, started on first need. */
export type RunnerFor = (jobs: number) => JobRunner;

/** Jobs from which workers are worth their start-up. */
const WORKER_THRESHOLD = 8;

/** A runner for about `jobs` jobs. */
export function runnerFor(
  jobs: number,
  onFailure?: WorkerFailure,
  env: NodeJS.ProcessEnv = process.env,
  workerUrl = compiledEntry('worker.js'),
): JobRunner {
  const count = workerCount(env);
  if (jobs < WORKER_THRESHOLD || count === 0 || !workerUrl) return inProcess;
  try {
    return workerPool(count, workerUrl, onFailure);
  } catch {
    return inProcess;
  }
}

/** Unfinished jobs kept queued per worker: enough that a worker never waits for this thread. */
const QUEUED_PER_WORKER = 4;
/** Jobs per worker whose results may wait to be used, in order, behind a slow one. */
const HELD_PER_WORKER = 16;

/**
 * Runs jobs on `runner` a few ahead of `use`, which gets each result with its context, in order; jobs are taken only
 * as room frees up, so a large build holds a few jobs' data at most. `signal` stops it between jobs.
 */
export async function pipeline<I, O, C>(
  runner: JobRunner,
  kind: JobKind<I, O>,
  entries: Iterable<{ input: I; ctx: C }>,
  use: (result: O, ctx: C) => void | Promise<void>,
  signal?: AbortSignal,
  eager = false,
): Promise<void> {
  const source = entries[Symbol.iterator]();
  const ahead: Array<{ ctx: C; result: Promise<O> }> = [];
  let exhausted = false;
  let unfinished = 0;
  const queued = runner.parallelism * QUEUED_PER_WORKER;
  // `eager` (jobs of very different lengths, feeds): a job starts as any other finishes, so a long one holds back only
  // later results' use; otherwise use paces jobs, keeping results young for the GC, and in-process it always does.
  const early = eager && runner.threaded;
  const held = early ? runner.parallelism * HELD_PER_WORKER : queued;
  const refill = (): void => {
    while (!exhausted && !signal?.aborted && unfinished < queued && ahead.length < held) {
      const n = source.next();
      if (n.done) {
        exhausted = true;
        return;
      }
      const result = runner.run(kind, n.value.input);
      unfinished++;
      const finished = (): void => {
        unfinished--;
        if (early) refill();
      };
      // Consumed in order below; a failure left behind by an abort must not surface as unhandled.
      result.then(finished, finished);
      ahead.push({ ctx: n.value.ctx, result });
    }
  };
  refill();
  while (ahead.length > 0) {
    signal?.throwIfAborted();
    const { ctx, result } = ahead.shift()!;
    const value = await result;
    refill();
    await use(value, ctx);
    if (!runner.threaded) await new Promise<void>((r) => setImmediate(r));
  }
}
