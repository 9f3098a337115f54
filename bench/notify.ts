/**
 * Alerts never slow a cycle (issue 22 section 2): cycles with N alert targets that all time out (a loopback server in
 * its own process that takes every request and never answers) against cycles with none. Two stores of the same
 * corpus; each round adds one dump to each and runs one cycle of each, in turn: a build, then what the daemon does
 * after it (commands/alerts.ts `tellAfterCycle`: the memory read and written in the store, a new-articles alert
 * queued for every target). A cycle is timed from the build's start to the return of `tellAfterCycle`.
 * Target: the median cycle with N targets within 10 % (and 15 ms) of the median with none, while the targets hold
 * at least N requests.
 * Run: npx tsx bench/notify.ts [--targets 10] [--rounds 20] [--dumps 400] [--short] [--json FILE]
 * --short (run.ts --short): 3 targets, 4 rounds, 100 dumps; printed, and judged on the requests held only.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTeller, newTeller, tellAfterCycle } from '../src/commands/alerts.js';
import { resolveConfig } from '../src/config.js';
import { build } from '../src/stages/cycle.js';
import type { Config } from '../src/types.js';
import { silentLogger } from '../test/helpers/log.js';

const argv = process.argv.slice(2);
const SHORT = argv.includes('--short');
const arg = (name: string, def: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const JSON_OUT = argv.includes('--json') ? argv[argv.indexOf('--json') + 1]! : '';
const TARGETS = arg('targets', SHORT ? 3 : 10);
const ROUNDS = arg('rounds', SHORT ? 4 : 20);
const DUMPS = arg('dumps', SHORT ? 100 : 400);

/** A server that takes every request and never answers; prints its port, then how many requests it holds on demand. */
const BLACK_HOLE = `
const held = [];
const server = require('node:http').createServer((req, res) => { held.push(res); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('message', () => process.send(held.length));
`;

interface Hole {
  origin: string;
  held(): Promise<number>;
  stop(): void;
}

function startHole(): Promise<Hole> {
  const child = spawn(process.execPath, ['-e', BLACK_HOLE], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve) => {
    child.stdout!.once('data', (d: Buffer) =>
      resolve({
        origin: `http://127.0.0.1:${d.toString().trim()}`,
        held: () =>
          new Promise((r) => {
            child.once('message', (n) => r(n as number));
            child.send('count');
          }),
        stop: () => child.kill(),
      }),
    );
  });
}

const biz = (a: number) => Buffer.from(String(3_000_000_000 + a)).toString('base64');
const articleUrl = (a: number, n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${biz(a)}&mid=${1000 + n}&idx=1&sn=${n.toString(16).padStart(32, 'e')}`;

function writeDump(dir: string, n: number): void {
  const a = n % 4;
  const day = String(1 + (n % 28)).padStart(2, '0');
  const text = `---\ntitle: 文章 ${n}\nurl: ${articleUrl(a, n)}\nsource: 账号${a}\ndate: 2026-11-${day}\n---\n\n${'正文。'.repeat(200)}\n`;
  writeFileSync(join(dir, 'dumps', `${n}.md`), text);
}

function setUp(root: string, notify: unknown[]): Config {
  mkdirSync(join(root, 'dumps'), { recursive: true });
  for (let n = 0; n < DUMPS; n++) writeDump(root, n);
  return resolveConfig(
    { dumps: ['dumps'], output: 'out', store: 'wxfeed.db', urlFiles: [], notify },
    join(root, 'wxfeed.yaml'),
    root,
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<number> {
  const hole = await startHole();
  const root = mkdtempSync(join(tmpdir(), 'wxfeed-bench-notify-'));
  try {
    const none = setUp(join(root, 'none'), []);
    const targets = Array.from({ length: TARGETS }, (_, i) => ({
      kind: 'webhook',
      url: `${hole.origin}/t${i}`,
      events: ['new-articles', 'blocked', 'recovered'],
    }));
    const some = setUp(join(root, 'some'), targets);
    const teller = newTeller(silentLogger);
    const times: Record<'none' | 'some', number[]> = { none: [], some: [] };
    const queueing: number[] = [];
    const cycle = async (c: Config): Promise<number> => {
      const t0 = performance.now();
      const summary = await build(c, { log: silentLogger });
      const t1 = performance.now();
      tellAfterCycle(teller, c, { now: Date.now(), summary });
      if (c.notify.length > 0) queueing.push(performance.now() - t1);
      return performance.now() - t0;
    };
    // The first builds (cold) set both stores up and the alerts' baseline: not timed.
    await cycle(none);
    await cycle(some);
    for (let r = 0; r < ROUNDS; r++) {
      writeDump(join(root, 'none'), DUMPS + r);
      writeDump(join(root, 'some'), DUMPS + r);
      // In turn, the order swapped each round, so that neither side always runs first.
      const order: Array<['none' | 'some', Config]> = [
        ['none', none],
        ['some', some],
      ];
      if (r % 2 === 1) order.reverse();
      for (const [name, c] of order) times[name].push(await cycle(c));
    }
    const held = await hole.held();
    const mNone = median(times.none);
    const mSome = median(times.some);
    const within = mSome <= mNone * 1.1 + 15;
    const heldOk = held >= TARGETS;
    console.log(`alerts off the cycle's path: ${DUMPS} dumps, ${ROUNDS} rounds, one new dump a round`);
    console.log(`  cycle, no alert target:                  median ${mNone.toFixed(1)} ms`);
    console.log(
      `  cycle, ${String(TARGETS).padStart(2)} targets that never answer: median ${mSome.toFixed(1)} ms (${(mSome / mNone).toFixed(2)}×)`,
    );
    console.log(`  of which the alerts queued after the build:     median ${median(queueing).toFixed(2)} ms`);
    console.log(`  requests the targets hold at the end: ${held}`);
    const judged = SHORT ? heldOk : heldOk && within;
    console.log(
      `  ${judged ? 'PASS' : 'FAIL'} ${SHORT ? 'targets hold their requests (time printed, not judged)' : 'within 10 % (+15 ms) of no target, targets holding their requests'}`,
    );
    await closeTeller(teller, 0);
    if (JSON_OUT)
      writeFileSync(
        JSON_OUT,
        JSON.stringify({
          ok: judged,
          targets: TARGETS,
          rounds: ROUNDS,
          held,
          msNone: times.none,
          msSome: times.some,
          msQueueing: queueing,
        }),
      );
    return judged ? 0 : 1;
  } finally {
    hole.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then((code) => {
  process.exitCode = code;
});
