/**
 * npm run bench [-- --articles 5000 --accounts 50 --runs 3 --skip-fetch]
 * Generates a corpus, then measures in one run: cold build, no-change build, one dump added / edited / deleted,
 * the read floor and the naive baseline; each in its own process (wall time, peak RSS, files written), medians of
 * --runs where cheap; then fetch throughput against the politeness ideal.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ARTICLES = arg('articles', 5000);
const ACCOUNTS = arg('accounts', Math.max(1, Math.round(ARTICLES / 100)));
const RUNS = arg('runs', 3);
const WORK = join(ROOT, '.bench', `c${ARTICLES}`);
const CORPUS = join(WORK, 'dumps');

interface Measure {
  ms: number;
  rssMb: number;
  written: number;
}

/** Run a command under /usr/bin/time -v when present (peak RSS), else plain. */
function timed(cmd: string, args: string[]): Measure & { out: string } {
  const useTime = spawnSync('test', ['-x', '/usr/bin/time']).status === 0;
  const t0 = performance.now();
  const r = spawnSync(useTime ? '/usr/bin/time' : cmd, useTime ? ['-v', cmd, ...args] : args, { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  const written = Number(/; (\d+) files written/.exec(r.stdout)?.[1] ?? 0);
  return { ms, rssMb: rss ? Number(rss) / 1024 : Number.NaN, written, out: r.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function configFile(): string {
  const file = join(WORK, 'wxfeed.yaml');
  writeFileSync(file, `dumps: [dumps]\noutput: out\nstore: wxfeed.db\nurlFiles: []\n`);
  return file;
}

function wxfeed(config: string): Measure {
  return timed(process.execPath, [join(ROOT, 'dist/cli.js'), 'build', '--offline', '--config', config]);
}

function fresh(config: string): void {
  rmSync(join(WORK, 'out'), { recursive: true, force: true });
  for (const f of ['wxfeed.db', 'wxfeed.db-wal', 'wxfeed.db-shm']) rmSync(join(WORK, f), { force: true });
  void config;
}

function main(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const gen = execFileSync(process.execPath, [join(ROOT, 'bench/gen-corpus.mjs'), '--out', CORPUS, '--articles', String(ARTICLES), '--accounts', String(ACCOUNTS)], { encoding: 'utf8' });
  console.log(gen.trim());
  const config = configFile();
  const rows: Array<[string, Measure[]]> = [];
  const cold: Measure[] = [];
  const nochange: Measure[] = [];
  for (let i = 0; i < RUNS; i++) {
    fresh(config);
    cold.push(wxfeed(config));
    nochange.push(wxfeed(config));
  }
  rows.push(['cold build', cold], ['no-change build', nochange]);
  for (const op of ['add', 'edit', 'delete'] as const) {
    const touched = execFileSync(process.execPath, [join(ROOT, 'bench/gen-corpus.mjs'), '--mutate-one', op, '--out', CORPUS, '--seed', '7'], { encoding: 'utf8' }).trim();
    const done = { add: 'added', edit: 'edited', delete: 'deleted' }[op];
    rows.push([`one dump ${done} (${touched.split('/').pop()?.slice(0, 30)}…)`, [wxfeed(config)]]);
  }
  const floor: Measure[] = [];
  const base: Measure[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(timed(process.execPath, [join(ROOT, 'bench/read-floor.mjs'), CORPUS]));
    base.push(timed(process.execPath, [join(ROOT, 'bench/baseline.mjs'), CORPUS, join(WORK, 'baseline-out')]));
  }
  rows.push(['read floor (read every file once)', floor], ['baseline script (no dedup, no sanitizing, no store)', base]);
  const coldMs = median(cold.map((m) => m.ms));
  console.log(`\nwxfeed bench: ${ARTICLES} articles, ${ACCOUNTS} accounts; medians of ${RUNS} where repeated`);
  console.log('| run | wall ms (median) | runs | peak RSS MB | files written | vs cold |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, ms] of rows) {
    const m = median(ms.map((x) => x.ms));
    console.log(`| ${name} | ${Math.round(m)} | ${ms.map((x) => Math.round(x.ms)).join(', ')} | ${Math.round(Math.max(...ms.map((x) => x.rssMb)))} | ${median(ms.map((x) => x.written))} | ${(m / coldMs).toFixed(2)}× |`);
  }
  if (!process.argv.includes('--skip-fetch')) {
    console.log('');
    execFileSync('npx', ['tsx', join(ROOT, 'bench/fetch-throughput.ts'), '--runs', String(RUNS)], { cwd: ROOT, stdio: 'inherit' });
  }
}

main();
