/**
 * Pace by what WeChat says (issue 20 item 3): against a stand-in that refuses past 20 requests a minute, over a
 * simulated 6 hours of builds every 30 minutes, the adaptive pace (after a block, half the rate, creeping back 10 %
 * per clean hour) meets the wall fewer times than the same code at the configured rate. The figures against the code
 * before adaptive pacing are the bench's (bench/pace-sim.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { PageClient } from '../../src/http/pages.js';
import { liveFor } from '../../src/commands/live.js';
import { silentLogger } from '../helpers/log.js';
import { simulateWall } from '../helpers/pace-sim.js';
import { tempDir } from '../helpers/tmp.js';

const mods = { build, resolveConfig, liveFor, PageClient, silentLogger };
let dirs: Array<{ dir: string; cleanup: () => void }> = [];
beforeEach(() => {
  dirs = [tempDir(), tempDir()];
});
afterEach(() => {
  for (const d of dirs) d.cleanup();
});

describe('a wall at 20 requests a minute, 6 simulated hours', () => {
  it('the adaptive pace is refused fewer times than the configured rate, and fetches as much or more', async () => {
    const run = (dir: string, adaptive: boolean) =>
      simulateWall(mods, { dir, hours: 6, cycleMinutes: 30, perMinute: 20, urls: 720, maxPerRun: 60, adaptive });
    const fixed = await run(dirs[0]!.dir, false);
    const adaptive = await run(dirs[1]!.dir, true);
    console.log(`pace-sim: configured rate ${JSON.stringify(fixed)}; adaptive ${JSON.stringify(adaptive)}`);
    expect(fixed.refused).toBeGreaterThan(0);
    expect(adaptive.refused).toBeLessThan(fixed.refused);
    expect(adaptive.fetched).toBeGreaterThanOrEqual(fixed.fetched);
  }, 120_000);
});
