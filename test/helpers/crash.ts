/**
 * Crash trials: start `wxfeed build` (or the daemon), SIGKILL it at a random moment, then check that every output
 * file is complete and valid, the store passes integrity_check, and the next build gives exactly the output of a
 * build that was never killed. Used by test/crash.test.ts (short) and bench/crash-trials.ts (full).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { openForReading } from '../../src/store/db.js';

export interface TrialSetup {
  /** Command that runs wxfeed: [node, ...args before the subcommand]. */
  wxfeed: string[];
  dir: string;
  dumps: string;
}

export function writeConfig(dir: string, dumps: string, out: string, store: string, extra = ''): string {
  const file = join(dir, `${out}.yaml`);
  writeFileSync(file, `dumps: [${JSON.stringify(dumps)}]\noutput: ${out}\nstore: ${store}\nurlFiles: []\n${extra}`);
  return file;
}

function runBuild(s: TrialSetup, config: string): void {
  const r = spawnSync(s.wxfeed[0]!, [...s.wxfeed.slice(1), 'build', '--offline', '--config', config], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.status !== 0) throw new Error(`build failed (${r.status}): ${r.stderr}`);
}

/** Every file below a folder, as relative path → bytes (temp files included, so leftovers show). */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!existsSync(dir)) return out;
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    const p = join(dir, rel);
    try {
      out.set(rel, readFileSync(p));
    } catch {
      // a folder
    }
  }
  return out;
}

/** Problems with the output as a reader would meet it: partial or invalid files. */
function invalidOutputs(dir: string): string[] {
  const bad: string[] = [];
  for (const [rel, bytes] of snapshot(dir)) {
    if (rel.endsWith('.tmp')) continue; // a temp file of a killed writer is never served under a feed name
    const text = bytes.toString('utf8');
    if (rel.endsWith('.xml') || rel.endsWith('.opml')) {
      if (XMLValidator.validate(text) !== true) bad.push(`${rel}: not well-formed`);
    } else if (rel.endsWith('.json')) {
      try {
        JSON.parse(text);
      } catch {
        bad.push(`${rel}: not JSON`);
      }
    } else if (rel.endsWith('.html') && !text.trimEnd().endsWith('</html>')) bad.push(`${rel}: cut short`);
  }
  return bad;
}

function integrity(store: string): string {
  if (!existsSync(store)) return 'ok';
  // As the next build's open does: a hot rollback journal (a kill in a new store's first moments) is rolled back.
  const db = openForReading(store);
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Start a build and SIGKILL it after `afterMs`; resolves with how it ended. */
function killDuring(s: TrialSetup, config: string, afterMs: number, command = 'build'): Promise<'killed' | 'finished'> {
  const args = command === 'build' ? ['build', '--offline', '--config', config] : ['daemon', '--config', config];
  const child = spawn(s.wxfeed[0]!, [...s.wxfeed.slice(1), ...args], {
    stdio: 'ignore',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : 'finished');
    });
  });
}

export interface TrialResult {
  trials: number;
  killed: number;
  /** How long an uninterrupted cold build took (ms): kill times are drawn up to a little beyond it. */
  buildMs: number;
  failures: string[];
}

/** Output files that differ from the reference (temp files ignored). */
export function differences(ref: Map<string, Buffer>, got: Map<string, Buffer>): string[] {
  const diff: string[] = [];
  const keys = new Set([...ref.keys(), ...got.keys()].filter((k) => !k.endsWith('.tmp')));
  for (const k of keys) {
    const a = ref.get(k);
    const b = got.get(k);
    if (!a || !b) diff.push(`${k}: ${a ? 'missing' : 'extra'}`);
    else if (!a.equals(b)) diff.push(`${k}: differs`);
  }
  return diff;
}

/** Every dump file below a folder. */
function dumpFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => p.endsWith('.md'))
    .map((p) => join(dir, p));
}

/**
 * What a trial starts from, so that each kill meets work in progress: nothing built (40 %), no store but the old
 * output (20 %), the store but no output (20 %), or 200 dumps touched (new time, same bytes: read again) (20 %).
 * None changes what the next build must produce.
 */
function prepare(s: TrialSetup, random: () => number): void {
  const r = random();
  const dropStore = (): void => {
    for (const f of ['trial.db', 'trial.db-wal', 'trial.db-shm']) rmSync(join(s.dir, f), { force: true });
  };
  const dropOutput = (): void => rmSync(join(s.dir, 'out'), { recursive: true, force: true });
  if (r < 0.4) {
    dropStore();
    dropOutput();
  } else if (r < 0.6) dropStore();
  else if (r < 0.8) dropOutput();
  else {
    const files = dumpFiles(s.dumps);
    const when = new Date(Date.now() - Math.floor(random() * 1e9));
    for (let i = 0; i < 200 && files.length > 0; i++) {
      const f = files[Math.floor(random() * files.length)]!;
      utimesSync(f, when, when);
    }
  }
}

/**
 * `n` trials: each starts wxfeed from a state with work to do (prepare), kills it with SIGKILL at a moment drawn
 * uniformly over the time an uninterrupted cold build takes (×1.2; ×1.5 for the daemon, which starts its server
 * first), then checks what a reader and the next build would meet.
 */
export async function crashTrials(
  s: TrialSetup,
  n: number,
  random: () => number,
  command: 'build' | 'daemon' = 'build',
): Promise<TrialResult> {
  rmSync(join(s.dir, 'ref-out'), { recursive: true, force: true });
  for (const f of ['ref.db', 'ref.db-wal', 'ref.db-shm']) rmSync(join(s.dir, f), { force: true });
  const refConfig = writeConfig(s.dir, s.dumps, 'ref-out', 'ref.db');
  const t0 = performance.now();
  runBuild(s, refConfig);
  const buildMs = performance.now() - t0;
  const ref = snapshot(join(s.dir, 'ref-out'));
  const config = writeConfig(
    s.dir,
    s.dumps,
    'out',
    'trial.db',
    command === 'daemon' ? 'schedule:\n  cron: "* * * * * *"\nserver:\n  enabled: false\n' : '',
  );
  const window = buildMs * (command === 'daemon' ? 1.5 : 1.2);
  const result: TrialResult = { trials: 0, killed: 0, buildMs, failures: [] };
  for (let i = 0; i < n; i++) {
    prepare(s, random);
    const how = await killDuring(s, config, Math.floor(random() * window), command);
    result.trials++;
    if (how === 'killed') result.killed++;
    const bad = invalidOutputs(join(s.dir, 'out'));
    if (bad.length) result.failures.push(`trial ${i}: ${bad.slice(0, 3).join('; ')}`);
    const check = integrity(join(s.dir, 'trial.db'));
    if (check !== 'ok') result.failures.push(`trial ${i}: integrity_check ${check}`);
    runBuild(s, config);
    const diff = differences(ref, snapshot(join(s.dir, 'out')));
    if (diff.length) result.failures.push(`trial ${i}: after the next build ${diff.slice(0, 3).join('; ')}`);
  }
  return result;
}
