/**
 * Issue 20 item 3: WeChat's wall at 20 requests a minute, 6 simulated hours of builds every 30 minutes
 * (test/helpers/pace-sim.ts), run by the code of this tree (adaptive pace, and the same code held at the configured
 * rate) and by the code of another commit (`--base REF`, default the commit before adaptive pacing): how many requests
 * the wall refused, how many pages were fetched. The other commit is checked out with `git worktree` into a temporary
 * folder beside this one's node_modules, run from its sources, and removed after.
 *
 * Run: npx tsx bench/pace-sim.ts [--base 91aff19] [--hours 6] [--per-minute 20] [--urls 720] [--max-per-run 60]
 *      [--json FILE]   (npm run bench:pace). Exit 1 when this tree is refused as often as the base or more.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type SimModules, type SimResult, simulateWall } from '../test/helpers/pace-sim.js';
// Run from the TypeScript sources, the page parser's thread needs tsx registered in it, as the tests have it.
import '../test/helpers/source-workers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const BASE = opt('base', '91aff19');
const sim = {
  hours: Number(opt('hours', '6')),
  cycleMinutes: 30,
  perMinute: Number(opt('per-minute', '20')),
  urls: Number(opt('urls', '720')),
  maxPerRun: Number(opt('max-per-run', '60')),
};

async function modulesOf(src: string): Promise<SimModules> {
  // The first of the paths that the tree has: modules moved into folders after the base commit.
  const load = (...paths: string[]) => {
    const path = paths.find((p) => existsSync(join(src, p))) ?? paths[0]!;
    return import(pathToFileURL(join(src, path)).href);
  };
  const [cycle, config, pages, live, log] = await Promise.all([
    load('stages/cycle.ts', 'cycle.ts'),
    load('config.ts'),
    load('http/pages.ts'),
    load('commands/live.ts', 'live.ts'),
    load('log.ts'),
  ]);
  return {
    build: cycle.build,
    resolveConfig: config.resolveConfig,
    liveFor: live.liveFor,
    PageClient: pages.PageClient,
    // The base commit's log.ts has a silent logger; this tree's tests make theirs with createLogger.
    silentLogger: log.silentLogger ?? log.createLogger({ level: 'silent', pretty: false }),
  };
}

async function run(mods: SimModules, adaptive: boolean): Promise<SimResult & { seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wxfeed-pace-'));
  const t = performance.now();
  try {
    const r = await simulateWall(mods, { dir, ...sim, adaptive });
    return { ...r, seconds: Math.round((performance.now() - t) / 100) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const worktree = mkdtempSync(join(tmpdir(), 'wxfeed-base-'));
let base: (SimResult & { seconds: number }) | undefined;
try {
  execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', worktree, BASE], { stdio: 'ignore' });
  symlinkSync(join(ROOT, 'node_modules'), join(worktree, 'node_modules'), 'dir');
  base = await run(await modulesOf(join(worktree, 'src')), true);
} finally {
  execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', worktree], { stdio: 'ignore' });
  rmSync(worktree, { recursive: true, force: true });
}
const here = await modulesOf(join(ROOT, 'src'));
const fixed = await run(here, false);
const adaptive = await run(here, true);

const rows: Array<[string, SimResult & { seconds: number }]> = [
  [`${BASE} (before adaptive pacing)`, base],
  ['this tree, held at the configured rate', fixed],
  ['this tree, adaptive pace', adaptive],
];
console.log(
  `wall: ${sim.perMinute} requests a minute; ${sim.hours} simulated hours, a build every ${sim.cycleMinutes} min; ${sim.urls} article URLs, fetch.maxPerRun ${sim.maxPerRun}, delayMs 1500, concurrency 2`,
);
console.log('| code | refused by the wall | requests | pages fetched | builds | real seconds |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, r] of rows)
  console.log(`| ${name} | ${r.refused} | ${r.requests} | ${r.fetched} | ${r.builds} | ${r.seconds} |`);
const ok = adaptive.refused < base.refused;
console.log(
  `${ok ? 'PASS' : 'FAIL'}  refused requests: ${adaptive.refused} against ${base.refused} before; target: fewer`,
);
const json = opt('json', '');
if (json) writeFileSync(json, JSON.stringify({ sim, base: { ref: BASE, ...base }, fixed, adaptive, ok }, null, 2));
process.exitCode = ok ? 0 : 1;
