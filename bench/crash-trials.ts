/**
 * Crash trials, full form: SIGKILL `wxfeed build` and the daemon at random moments, N times each, over a generated
 * corpus; after each kill, outputs must be whole and valid, the store must pass integrity_check, and the next build
 * must give exactly the output of a build never killed.
 * Run: npx tsx bench/crash-trials.ts [--trials 50] [--articles 5000] [--seed 1]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crashTrials } from '../test/helpers/crash.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const TRIALS = arg('trials', 50);
const ARTICLES = arg('articles', 5000);
let seed = arg('seed', 1) >>> 0;
const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'wxfeed-crash-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'bench/gen-corpus.mjs'),
      '--out',
      join(dir, 'dumps'),
      '--articles',
      String(ARTICLES),
      '--accounts',
      String(Math.max(1, Math.round(ARTICLES / 100))),
    ],
    { stdio: 'inherit' },
  );
  const setup = { wxfeed: [process.execPath, join(ROOT, 'dist/cli.js')], dir, dumps: join(dir, 'dumps') };
  const t0 = Date.now();
  const build = await crashTrials(setup, TRIALS, random, 'build');
  const daemon = await crashTrials(setup, TRIALS, random, 'daemon');
  rmSync(dir, { recursive: true, force: true });
  for (const [name, r] of [
    ['build', build],
    ['daemon', daemon],
  ] as const) {
    console.log(
      `${name}: ${r.trials} trials, ${r.killed} killed mid-run (kill times drawn over ${Math.round(r.buildMs)} ms, the length of a cold build), ${r.failures.length} failures`,
    );
    for (const f of r.failures) console.log(`  ${f}`);
  }
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (build.failures.length || daemon.failures.length) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
