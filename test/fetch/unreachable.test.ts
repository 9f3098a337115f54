/**
 * WeChat unreachable (issue 13, item 13): a build that follows 300 URLs with the default politeness against a closed
 * port stops fetching after a few connection failures in a row, says so in one line, and ends in seconds (it used to
 * run 300 × 3 attempts × 1.5 s); the next build waits out a cool-down without a request, as after a captcha.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { liveFor } from '../../src/commands/live.js';
import { silentLogger } from '../helpers/log.js';
import { formatSummary } from '../../src/commands/report.js';
import { tempDir, writeFile } from '../helpers/tmp.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
  writeFile(join(t.dir, 'dumps/.keep.md'), '');
});
afterEach(() => t.cleanup());

describe('WeChat unreachable', () => {
  it('300 followed URLs against a closed port: fetching stops after a few failures in a row, then a cool-down', async () => {
    const urls = Array.from(
      { length: 300 },
      (_, i) =>
        `https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=${2650000000 + i}&idx=1&sn=${String(i).padStart(32, 'd')}`,
    );
    writeFileSync(join(t.dir, 'urls.txt'), `${urls.join('\n')}\n`);
    const origin = `http://127.0.0.1:${await closedPort()}`;
    // The default politeness (concurrency 2, 1.5 s between starts, 2 retries from 1 s): only the origin is a test's.
    const config = resolveConfig(
      { dumps: ['dumps'], output: 'out', store: 'data/wxfeed.db', fetch: { origin } },
      join(t.dir, 'wxfeed.yaml'),
      t.dir,
    );
    const started = performance.now();
    const s = await build(config, { log: silentLogger, live: liveFor(config, { offline: false, refetch: false }) });
    expect(performance.now() - started).toBeLessThan(60_000);
    const f = s.fetch!;
    expect(f.unreachable).toBe(true);
    expect(f.fetched).toBe(0);
    expect(f.failed).toBeGreaterThanOrEqual(3);
    expect(f.failed).toBeLessThanOrEqual(4);
    expect(f.skippedByCooldown + f.failed).toBe(300);
    expect(f.failures.filter((p) => p.reason === 'fetch failed').every((p) => p.detail === 'connection refused')).toBe(
      true,
    );
    expect(f.failures.at(-1)).toMatchObject({ where: origin, reason: 'WeChat unreachable' });
    expect(formatSummary(s, config)).toContain(
      `WeChat unreachable: fetching skipped, ${f.skippedByCooldown} URLs wait`,
    );

    // The next build (a daemon's next cycle) makes no request until the cool-down is over.
    const again = await build(config, { log: silentLogger, live: liveFor(config, { offline: false, refetch: false }) });
    expect(again.fetch).toMatchObject({ unreachable: true, failed: 0, fetched: 0, due: 300 - f.failed });
    expect(again.fetch!.skippedByCooldown).toBe(again.fetch!.due);
  }, 90_000);
});
