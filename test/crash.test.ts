import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashTrials } from './helpers/crash.js';
import { generatedCorpus } from './helpers/tmp.js';
import { DIST_CLI } from './helpers/paths.js';

let t: { dir: string; dumps: string; cleanup: () => void };

beforeAll(() => {
  t = generatedCorpus(1000, 10, 3);
});
afterAll(() => t.cleanup());

/** A seeded generator so a failing trial can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('kill -9 at random moments (short form; the full form is bench/crash-trials.ts)', () => {
  it('build: outputs stay whole, the store stays sound, the next build matches a build never killed', async () => {
    // The compiled command, as users run it: a build of this corpus reads and renders in worker threads.
    const r = await crashTrials({ wxfeed: [process.execPath, DIST_CLI], dir: t.dir, dumps: t.dumps }, 8, seeded(42));
    expect(r.failures).toEqual([]);
    expect(r.trials).toBe(8);
    expect(r.killed).toBeGreaterThan(0);
  }, 180_000);

  it('daemon: the same after kills during its first cycles', async () => {
    const r = await crashTrials(
      { wxfeed: [process.execPath, DIST_CLI], dir: t.dir, dumps: t.dumps },
      4,
      seeded(7),
      'daemon',
    );
    expect(r.failures).toEqual([]);
    expect(r.killed).toBe(4); // the daemon never ends by itself
  }, 180_000);
});
