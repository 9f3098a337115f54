/**
 * npx tsx bench/nochange-anatomy.ts CONFIG [--runs 5]
 *
 * What a build with nothing to do spends its time on, step by step, in this process (src/ imported read-only, the
 * steps in the order src/cycle.ts takes them), after a build has run over CONFIG: config load, store open and
 * migration check, the statements prepared, the walk (one thread, and two when the last walk saw 50,000 files or
 * more, as the build decides), the fingerprint, the file problems re-listed, the publish check (meta, signatures,
 * the outputs-present stats), the summary queries (counts, feed status) and the store close. Then, each in a child
 * process: bare `node -e 0`, the command's module loading (`dist/cli.js build --help`), and the build itself, so
 * that start-up and module loading are measured the same way the bench measures a build. Medians of --runs.
 * The store is used as a no-change build uses it (it marks it open and closed); nothing else is written.
 */
import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { closeStore, openStore } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { mergePending } from '../src/catalog/catalog.js';
import { albumStatus, feedStatus } from '../src/catalog/status.js';
import { listDumpFiles, walkFingerprint } from '../src/io/dumps/read.js';
import { workerCount } from '../src/work/pool.js';
import { FEED_FILES } from '../src/stages/publish/write.js';
import { sha256 } from '../src/keys.js';
import type { InputProblem } from '../src/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const config = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs');
if (!config) {
  process.stderr.write('usage: npx tsx bench/nochange-anatomy.ts CONFIG [--runs 5]\n');
  process.exit(2);
}
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const times = new Map<string, number[]>();
const facts = new Map<string, string>();
async function step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await fn();
  const ms = performance.now() - t;
  times.set(name, [...(times.get(name) ?? []), ms]);
  return r;
}

async function once(): Promise<void> {
  const c = await step('load config', () => loadConfig(config));
  const db = await step('open store (verify, pragmas, migrations check, state=open)', () => openStore(c.store));
  const store = await step("prepare the tables' statements", () => new Store(db));
  const before = await step('read walk fingerprint (meta)', () => store.meta.walk.get() ?? '');
  const parallel = workerCount() > 0 && Number(before.split(':')[0]) >= 50_000;
  facts.set('walk threads', parallel ? '2' : '1');
  const problems: InputProblem[] = [];
  const files = await step(`walk (listDumpFiles, ${parallel ? 'two threads' : 'one thread'})`, () =>
    listDumpFiles(c.dumps, problems, { parallel, workerUrl: new URL('../dist/walk-worker.js', import.meta.url) }),
  );
  facts.set('files walked', String(files.length));
  const fp = await step('walkFingerprint (sha256 of paths, sizes, times)', () => walkFingerprint(c.dumps, files));
  facts.set('fingerprint equal', String(fp === before));
  const fileProblems = await step('fileProblems (re-list the problem files)', () => store.files.problems());
  facts.set('problem files', String(fileProblems.length));
  await step('merge check (recomputePending, none pending)', () =>
    store.transaction(() => mergePending(store, 1024, Date.now())),
  );
  const records = await step('publish: dirtySources, feeds(), meta, signatures', () => {
    store.pending.dirtySources();
    const r = store.feeds.all();
    sha256(JSON.stringify(['2', c.baseUrl, c.feed, c.images, null]));
    store.meta.published.get();
    return r;
  });
  facts.set('feed folders', String(records.size));
  await step(`publish: outputs present (${records.size * FEED_FILES.length + 2} stats)`, async () => {
    const checks = [...records.keys()].map((slug) =>
      Promise.all(FEED_FILES.map((f) => stat(join(c.output, slug, f)))).then(
        () => true,
        () => false,
      ),
    );
    checks.push(
      stat(join(c.output, 'feeds.opml'))
        .then(() => stat(join(c.output, 'index.html')))
        .then(() => true),
    );
    return (await Promise.all(checks)).every(Boolean);
  });
  await step('summary: counts', () => [store.articles.count(), store.observations.count()]);
  await step('summary: feed status (fetch state by source, feeds())', () => {
    return feedStatus(store, albumStatus(store, c.follow.albumIntervalMinutes, Date.now()));
  });
  await step('close store (state=closed)', () => closeStore(db, true));
}

function child(name: string, args: string[]): void {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  times.set(name, [...(times.get(name) ?? []), performance.now() - t]);
}

for (let i = 0; i < RUNS; i++) {
  await once();
  child('child: node -e 0 (bare process start)', ['-e', '0']);
  child('child: dist/cli.js build --help (start + command modules)', [join(ROOT, 'dist/cli.js'), 'build', '--help']);
  child('child: the no-change build (dist/cli.js build --offline --json)', [
    join(ROOT, 'dist/cli.js'),
    'build',
    '--offline',
    '--json',
    '--config',
    config,
  ]);
}
console.log(`no-change anatomy of ${config}: medians of ${RUNS} (ms)`);
for (const [k, v] of facts) console.log(`  ${k}: ${v}`);
console.log('\n| step | ms (median) | runs |\n|---|---|---|');
let sum = 0;
for (const [name, ms] of times) {
  if (!name.startsWith('child') && name !== 'load config') sum += median(ms);
  console.log(`| ${name} | ${median(ms).toFixed(1)} | ${ms.map((m) => m.toFixed(0)).join(', ')} |`);
}
console.log(`| in-process steps after config load, summed | ${sum.toFixed(1)} | |`);
