/**
 * Discovery (issue 11): following whole accounts through their albums (合集), against a loopback album server in its
 * own process (bench/album-server.ts) with latency. A config lists one article URL of each of A accounts, each with one
 * album of M articles. Two builds, in-process, on a fixed clock:
 * - first discovery: the A article pages name their albums; each album's page and list are read (M / 20 list pages)
 *   and every article's page: N = A + A + A × ⌈M / 20⌉ + A × (M − 1) requests. Target: the fetch stage at ≥ 90 % of the
 *   politeness ideal, max(N × delayMs, N × latency / concurrency) (the whole build is printed beside it);
 * - nothing new, 61 minutes later (every album due): exactly one list request per due album, no album page, and no
 *   article page beyond the re-read schedule (the articles whose page `ct` is less than a day old, re-read on every
 *   build; fetch/schedule.ts), counted on the server.
 * Run: npx tsx bench/discovery.ts [--albums 100] [--articles 100] [--latency 20] [--concurrency 4] [--delay 25]
 *        [--short] [--json FILE]   (npm run bench:discovery)
 * --short (npm test): 10 albums of 20, 10 ms; timing printed, not judged; the counts are. Exit 1 when a target fails.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from '../test/helpers/log.js';
import { liveFor } from '../src/commands/live.js';
// Run from the TypeScript sources, the page parser's thread needs tsx registered in it, as the tests have it.
import '../test/helpers/source-workers.js';

const argv = process.argv.slice(2);
const SHORT = argv.includes('--short');
const arg = (name: string, def: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const JSON_OUT = argv.includes('--json') ? argv[argv.indexOf('--json') + 1]! : '';
const ALBUMS = arg('albums', SHORT ? 10 : 100);
const ARTICLES = arg('articles', SHORT ? 20 : 100);
// Politeness-bound, as WeChat fetching is (its default is concurrency 2, delayMs 1500): request starts 25 ms apart,
// 4 in flight, 20 ms latency. The short form is latency-bound (10 ms, no delay), judged on counts only.
const LATENCY = arg('latency', SHORT ? 10 : 20);
const CONCURRENCY = arg('concurrency', 4);
const DELAY = arg('delay', SHORT ? 0 : 25);
const DAY = 86_400_000;

interface Counts {
  list: number;
  albumPage: number;
  article: number;
  other: number;
}

interface Server {
  origin: string;
  ask<T>(type: 'counts' | 'model'): Promise<T>;
  stop(): void;
}

async function startServer(): Promise<Server> {
  const child = fork(
    fileURLToPath(new URL('./album-server.ts', import.meta.url)),
    [String(ALBUMS), String(ARTICLES), String(LATENCY)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const next = <T>(type: string): Promise<T> =>
    new Promise((resolve) => {
      const on = (m: { type: string } & Record<string, unknown>) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
    });
  const { origin } = await next<{ origin: string }>('port');
  return {
    origin,
    ask: async <T>(type: 'counts' | 'model') => {
      const answer = next<T>(type);
      child.send({ type });
      return answer;
    },
    stop: () => child.disconnect(),
  };
}

const diff = (a: Counts, b: Counts) => ({
  list: b.list - a.list,
  albumPage: b.albumPage - a.albumPage,
  article: b.article - a.article,
});

async function main(): Promise<number> {
  const server = await startServer();
  const model = await server.ask<{ urls: string[]; articles: Array<{ album: number; ct: number }> }>('model');
  const dir = mkdtempSync(join(tmpdir(), 'wxfeed-bench-discovery-'));
  try {
    mkdirSync(join(dir, 'dumps'));
    writeFileSync(join(dir, 'urls.txt'), `${model.urls.join('\n')}\n`);
    const config = resolveConfig(
      {
        dumps: ['dumps'],
        output: 'out',
        store: 'wxfeed.db',
        urlFiles: ['urls.txt'],
        feed: { limit: 20 },
        fetch: {
          origin: server.origin,
          concurrency: CONCURRENCY,
          delayMs: DELAY,
          retries: 0,
          maxPerRun: ALBUMS * ARTICLES,
        },
        // Throughput, not the budget (issue 20, follow.maxRequestsPerRun / maxNewAlbumsPerRun): every album of the
        // run is read in its first build, as before the budgets.
        follow: { maxRequestsPerRun: ALBUMS * (2 + Math.ceil(ARTICLES / 20)), maxNewAlbumsPerRun: ALBUMS },
      },
      join(dir, 'wxfeed.yaml'),
      dir,
    );
    // The clock: 12 hours after the newest article of the album published last; the second build 61 minutes on.
    const first = Math.max(...model.articles.map((a) => a.ct)) * 1000 + 12 * 3600_000;
    const second = first + 61 * 60_000;
    const run = (now: number) =>
      build(config, { log: silentLogger, now: () => now, live: liveFor(config, { offline: false, refetch: false }) });

    const c0 = await server.ask<{ counts: Counts }>('counts');
    const t0 = performance.now();
    const s1 = await run(first);
    const whole = performance.now() - t0;
    const c1 = await server.ask<{ counts: Counts }>('counts');
    const d1 = diff(c0.counts, c1.counts);
    const n = d1.list + d1.albumPage + d1.article;
    const pagesPerAlbum = Math.max(1, Math.ceil(ARTICLES / 20));
    const expectedN = ALBUMS * (1 + 1 + pagesPerAlbum) + ALBUMS * (ARTICLES - 1);
    const ideal = Math.max(n * DELAY, (n * LATENCY) / CONCURRENCY);
    const stage = s1.fetch?.elapsedMs ?? Number.NaN;
    const found = s1.articles === ALBUMS * ARTICLES && s1.fetch?.albums?.polled === ALBUMS && n === expectedN;

    const rereads = model.articles.filter((a) => second - a.ct * 1000 < DAY).length;
    const s2 = await run(second);
    const c2 = await server.ask<{ counts: Counts }>('counts');
    const d2 = diff(c1.counts, c2.counts);
    const due = s2.fetch?.albums?.due ?? Number.NaN;
    const quiet = d2.list === due && due === ALBUMS && d2.albumPage === 0 && d2.article === rereads;

    const ratio = ideal / stage;
    const met = ratio >= 0.9;
    console.log(
      `discovery: ${ALBUMS} albums of ${ARTICLES} articles, one article URL each; ${LATENCY} ms latency, concurrency ${CONCURRENCY}, delayMs ${DELAY}`,
    );
    console.log(
      '| build | requests (list / album page / article) | ideal ms | fetch stage ms | ideal / fetch stage | whole build ms | target | check |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    console.log(
      `| first discovery | ${n} (${d1.list} / ${d1.albumPage} / ${d1.article}) | ${Math.round(ideal)} | ${Math.round(stage)} | ${(ratio * 100).toFixed(1)} % | ${Math.round(whole)} (ideal / whole ${((ideal / whole) * 100).toFixed(1)} %) | ≥ 90 % ${SHORT ? 'not judged (short)' : met ? 'met' : 'MISSED'} | ${found ? 'ok' : 'FAILED'}: ${s1.articles} articles, ${s1.fetch?.albums?.polled} albums polled, ${n} requests (${expectedN} expected) |`,
    );
    console.log(
      `| nothing new (+61 min) | ${d2.list + d2.albumPage + d2.article} (${d2.list} / ${d2.albumPage} / ${d2.article}) | | | | | one list request per due album; pages = re-reads | ${quiet ? 'ok' : 'FAILED'}: ${due} albums due, ${d2.list} list requests, ${d2.article} article pages (${rereads} due for re-reading) |`,
    );
    const ok = found && quiet && (SHORT || met);
    if (JSON_OUT)
      writeFileSync(
        JSON_OUT,
        JSON.stringify({
          albums: ALBUMS,
          articles: ARTICLES,
          latency: LATENCY,
          concurrency: CONCURRENCY,
          delayMs: DELAY,
          first: { requests: d1, ideal, stageMs: stage, wholeMs: whole, ratio, found },
          nothingNew: { requests: d2, due, rereads, ok: quiet },
          ok,
        }),
      );
    return ok ? 0 : 1;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
