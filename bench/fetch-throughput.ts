/**
 * Fetch throughput against the politeness ideal: a `wxfeed build` over N article URLs served by a loopback server
 * with added latency, at two settings. ideal = max(N × delayMs, N × latency / concurrency); target ≥ 90 %.
 * Run: npx tsx bench/fetch-throughput.ts [--n 200] [--latency 50] [--runs 3]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from '../test/helpers/log.js';
import { liveFor } from '../src/commands/live.js';
// Run from the TypeScript sources, the page parser's thread needs tsx registered in it, as the tests have it.
import '../test/helpers/source-workers.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('n', 200);
const LATENCY = arg('latency', 50);
const RUNS = arg('runs', 3);

/** The page server runs in its own process, as WeChat would: its work does not share our event loop. */
async function startServer(): Promise<{ origin: string; stop: () => void }> {
  const child = fork(fileURLToPath(new URL('./page-server.mjs', import.meta.url)), [String(LATENCY)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function main(): Promise<void> {
  const server = await startServer();
  const origin = server.origin;
  const rows: string[] = [];
  for (const [concurrency, delayMs] of [
    [4, 0],
    [1, 100],
  ] as const) {
    const ideal = Math.max(N * delayMs, (N * LATENCY) / concurrency);
    const times: number[] = [];
    const fetchTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const dir = mkdtempSync(join(tmpdir(), 'wxfeed-bench-fetch-'));
      mkdirSync(join(dir, 'dumps'));
      const urls = Array.from(
        { length: N },
        (_, i) =>
          `https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=${2650000000 + i}&idx=1&sn=${i.toString(16).padStart(32, '0')}`,
      );
      writeFileSync(join(dir, 'urls.txt'), urls.join('\n'));
      const config = resolveConfig(
        {
          dumps: ['dumps'],
          output: 'out',
          store: 'wxfeed.db',
          urlFiles: ['urls.txt'],
          fetch: { origin, concurrency, delayMs, retries: 0, maxPerRun: N },
        },
        join(dir, 'wxfeed.yaml'),
        dir,
      );
      const t0 = performance.now();
      const summary = await build(config, {
        log: silentLogger,
        live: liveFor(config, { offline: false, refetch: false }),
      });
      times.push(performance.now() - t0);
      fetchTimes.push(summary.fetch?.elapsedMs ?? Number.NaN);
      if (summary.fetch?.fetched !== N) throw new Error(`expected ${N} fetched, got ${JSON.stringify(summary.fetch)}`);
      rmSync(dir, { recursive: true, force: true });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const whole = median(times);
    const fetching = median(fetchTimes);
    rows.push(
      `| ${concurrency} | ${delayMs} | ${N} | ${LATENCY} | ${Math.round(ideal)} | ${Math.round(fetching)} | ${((ideal / fetching) * 100).toFixed(1)} % | ${Math.round(whole)} (${times.map(Math.round).join(', ')}) | ${((ideal / whole) * 100).toFixed(1)} % |`,
    );
  }
  server.stop();
  console.log(`fetch throughput: a build over ${N} URLs, ${LATENCY} ms latency, median of ${RUNS}`);
  console.log(
    '| concurrency | delayMs | N | latency ms | ideal ms | fetch stage ms | ideal / fetch stage | whole build ms (runs) | ideal / whole build |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
