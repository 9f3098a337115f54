import { describe, expect, it } from 'vitest';
import { defineJob, type JobKind } from '../../src/work/job.js';
import { type JobRunner, pipeline } from '../../src/work/pool.js';

/** A kind whose result is its input; the manual runner below never runs its code. */
const echo = defineJob<number, number>('test/echo', async () => (n) => n);

/** A runner whose jobs finish when the test says: job n's result is `n`. */
function manualRunner(parallelism: number, threaded: boolean) {
  const started: number[] = [];
  const finish = new Map<number, () => void>();
  const runner: JobRunner = {
    parallelism,
    threaded,
    run<I, O>(_kind: JobKind<I, O>, input: I): Promise<O> {
      const n = input as unknown as number;
      started.push(n);
      return new Promise((resolve) => finish.set(n, () => resolve(n as unknown as O)));
    },
    close: async () => {},
  };
  /** Finish job n, once (a resolved promise does not mind, the count does). */
  const finished = new Set<number>();
  const end = (n: number): void => {
    if (finished.has(n)) return;
    finished.add(n);
    finish.get(n)!();
  };
  /** Finish every job up to `count` not finished yet, in order, each as soon as it has started. */
  const finishRest = async (count: number): Promise<void> => {
    for (let n = 0; n < count; n++) {
      end(n);
      await settle();
      await settle();
    }
  };
  return { runner, started, finish: end, finishRest };
}

const upTo = (count: number) => Array.from({ length: count }, (_, n) => n);
const jobs = (count: number) => upTo(count).map((n) => ({ input: n, ctx: n }));
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('pipeline', () => {
  it('eager, on worker threads: a slow job holds back the use of later results, not the start of new jobs', async () => {
    const { runner, started, finish } = manualRunner(2, true);
    const used: number[] = [];
    const done = pipeline(
      runner,
      echo,
      jobs(100),
      (r, ctx) => {
        expect(r).toBe(ctx);
        used.push(ctx);
      },
      undefined,
      true,
    );
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Job 0 stays unfinished; the others finish one by one, and each frees room for another.
    for (let n = 1; n < 33; n++) {
      finish(n);
      await settle();
    }
    expect(used).toEqual([]);
    // Job 0 and room for 32 results waiting behind it: no more are started until it is used.
    expect(started).toEqual(upTo(33));
    finish(0);
    await settle();
    expect(used).toEqual(upTo(33));
    for (let n = 33; n < 100; n++) {
      finish(n);
      await settle();
    }
    await done;
    expect(used).toEqual(upTo(100));
    expect(started).toEqual(upTo(100));
  });

  it('not eager (or in-process), jobs are taken only as results are used', async () => {
    const { runner, started, finish, finishRest } = manualRunner(2, true);
    const used: number[] = [];
    const done = pipeline(runner, echo, jobs(20), (_r, ctx) => {
      used.push(ctx);
    });
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (let n = 1; n < 8; n++) finish(n);
    await settle();
    expect(started.length).toBe(8);
    await finishRest(20);
    await done;
    expect(used).toEqual(upTo(20));
  });

  it('in-process, even when eager, jobs are taken only as results are used', async () => {
    const { runner, started, finish, finishRest } = manualRunner(1, false);
    const used: number[] = [];
    const done = pipeline(
      runner,
      echo,
      jobs(10),
      (_r, ctx) => {
        used.push(ctx);
      },
      undefined,
      true,
    );
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    finish(1);
    finish(2);
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    await finishRest(10);
    await done;
    expect(used).toEqual(upTo(10));
  });

  it('stops starting jobs once aborted', async () => {
    const { runner, started, finish } = manualRunner(2, true);
    const abort = new AbortController();
    const done = pipeline(runner, echo, jobs(100), () => {}, abort.signal, true);
    await settle();
    abort.abort();
    for (let n = 1; n < 8; n++) finish(n);
    await settle();
    expect(started.length).toBe(8);
    finish(0);
    await expect(done).rejects.toThrow();
  });
});
