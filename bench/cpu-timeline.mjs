#!/usr/bin/env node
// How busy each thread of a build is, phase by phase: runs a command (a `wxfeed build --verbose`) and samples, every
// --interval ms, each of its threads' CPU time and time spent runnable but waiting for a core (Linux
// /proc/PID/task/TID/schedstat, nanoseconds), and the whole machine's busy time (/proc/stat), so that a phase where a
// core idles is told apart from one where the machine is shared. Phases come from the build's own `build phase done`
// lines on stderr (their `time`): start (process start, module loading, store open), read (the ingest up to
// learning), learn (the ingest's `learnMs`), merge, fetch, publish, end (summary, store close, exit).
//
//   node bench/cpu-timeline.mjs [--interval 200] [--timeline] [--json FILE] -- COMMAND ARGS...
//
// COMMAND is the process sampled, so run node itself (not through /usr/bin/time): its peak RSS (VmHWM, as last seen
// by a sample) is printed.
//
// Threads: the main thread (its id is the process's), the two busiest others (the build's worker threads: Node does
// not name its threads, so they are told by the CPU they use) and the rest together (V8's GC and compiler helpers,
// libuv). `--timeline` also prints one row per second. Linux only.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
if (dash < 0 || dash === args.length - 1) {
  process.stderr.write(
    'usage: node bench/cpu-timeline.mjs [--interval 200] [--timeline] [--json FILE] -- COMMAND ARGS...\n',
  );
  process.exit(2);
}
const own = args.slice(0, dash);
const opt = (name, def) => {
  const i = own.indexOf(`--${name}`);
  return i >= 0 && own[i + 1] !== undefined ? own[i + 1] : def;
};
const INTERVAL = Number(opt('interval', '200'));
const JSON_OUT = opt('json', '');
const TIMELINE = own.includes('--timeline');
const [cmd, ...cmdArgs] = args.slice(dash + 1);
const CORES = availableParallelism();
const TICK_MS = 10; // USER_HZ is 100 on Linux, whatever the kernel's HZ

/** Machine-wide busy and total time (ms) from /proc/stat's first line. */
function machine() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS };
}

/** Each live thread's CPU and run-queue wait (ns) of process `pid`. */
function threads(pid) {
  const out = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      out.set(Number(tid), { run, wait });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

const samples = [];
const laps = [];
const t0 = Date.now();
const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderrTail = '';
child.stdout.setEncoding('utf8').on('data', (d) => {
  stdout += d;
});
let pending = '';
child.stderr.setEncoding('utf8').on('data', (d) => {
  pending += d;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) {
    stderrTail = `${stderrTail}${line}\n`.slice(-4000);
    if (!line.startsWith('{')) continue;
    try {
      const o = JSON.parse(line);
      if (o.msg !== 'build phase done') continue;
      const at = typeof o.time === 'string' ? Date.parse(o.time) : Date.now();
      laps.push({ phase: o.phase, at: Number.isNaN(at) ? Date.now() : at, ms: o.ms, learnMs: o.learnMs });
    } catch {
      // not a log line
    }
  }
});
let peakKb = 0;
/** The process's peak RSS so far (VmHWM), read while it lives. */
function peak(pid) {
  try {
    const kb = Number(/VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    if (kb > peakKb) peakKb = kb;
  } catch {
    // it has ended
  }
}
const sample = () => {
  samples.push({ at: Date.now(), threads: threads(child.pid), machine: machine() });
  peak(child.pid);
};
sample();
const timer = setInterval(sample, INTERVAL);
const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
clearInterval(timer);
const tEnd = Date.now();
if (code !== 0) {
  process.stderr.write(`cpu-timeline: ${cmd} exited with ${code}\n${stderrTail}`);
  process.exit(1);
}

// Phase spans: each lap ends its phase; the ingest splits into read and learn by its learnMs.
const spans = [];
let from = t0;
for (const l of laps) {
  const start = l.at - l.ms;
  if (spans.length === 0) spans.push({ phase: 'start', from: t0, to: start });
  if (l.phase === 'ingest' && l.learnMs > 0) {
    spans.push({ phase: 'read', from: start, to: l.at - l.learnMs });
    spans.push({ phase: 'learn', from: l.at - l.learnMs, to: l.at });
  } else spans.push({ phase: l.phase, from: start, to: l.at });
  from = l.at;
}
spans.push({ phase: spans.length ? 'end' : 'whole', from, to: tEnd });

// Thread roles from the CPU each used over the whole run.
const last = new Map();
for (const s of samples) for (const [tid, v] of s.threads) last.set(tid, v);
const others = [...last].filter(([tid]) => tid !== child.pid).sort((a, b) => b[1].run - a[1].run);
const role = new Map([[child.pid, 'main']]);
for (const [i, [tid]] of others.entries()) role.set(tid, i < 2 ? `worker ${i + 1}` : 'helpers');
const ROLES = ['main', 'worker 1', 'worker 2', 'helpers'];

/** CPU and wait (ms) per role, our busy cores, and the machine's busy cores, over samples i-1 → i. */
function interval(i) {
  const a = samples[i - 1];
  const b = samples[i];
  const cpu = Object.fromEntries(ROLES.map((r) => [r, 0]));
  const wait = Object.fromEntries(ROLES.map((r) => [r, 0]));
  for (const [tid, v] of b.threads) {
    const p = a.threads.get(tid) ?? { run: 0, wait: 0 };
    const r = role.get(tid) ?? 'helpers';
    cpu[r] += (v.run - p.run) / 1e6;
    wait[r] += (v.wait - p.wait) / 1e6;
  }
  const machineBusy = b.machine.busyMs - a.machine.busyMs;
  return { from: a.at, to: b.at, cpu, wait, machineBusy };
}
const intervals = samples.slice(1).map((_, k) => interval(k + 1));

/** Sums over the intervals whose midpoint lies in [from, to). */
function over(from, to) {
  const sum = {
    ms: 0,
    cpu: Object.fromEntries(ROLES.map((r) => [r, 0])),
    wait: Object.fromEntries(ROLES.map((r) => [r, 0])),
    machineBusy: 0,
  };
  for (const iv of intervals) {
    const mid = (iv.from + iv.to) / 2;
    if (mid < from || mid >= to) continue;
    sum.ms += iv.to - iv.from;
    for (const r of ROLES) {
      sum.cpu[r] += iv.cpu[r];
      sum.wait[r] += iv.wait[r];
    }
    sum.machineBusy += iv.machineBusy;
  }
  return sum;
}

const f1 = (x) => x.toFixed(1);
const pctOf = (x, ms) => (ms > 0 ? `${Math.round((100 * x) / ms)} %` : '');
console.log(
  `cpu-timeline: ${[cmd, ...cmdArgs].join(' ')}\n${CORES} cores; sampled every ${INTERVAL} ms; threads seen ${last.size} ` +
    `(main, workers 1 and 2 = the two busiest others, helpers = the other ${Math.max(0, last.size - 3)})`,
);
console.log(`peak RSS ${Math.round(peakKb / 1024)} MB (the last sample's VmHWM); wall ${tEnd - t0} ms`);
console.log(
  `CPU ms by thread, whole run: main ${Math.round(last.get(child.pid)?.run / 1e6)}; others ${others.map(([, v]) => Math.round(v.run / 1e6)).join(', ')}`,
);
/** A thread's share of `ms`: busy, and runnable but waiting for a core. */
const cell = (o, r) => `${pctOf(o.cpu[r], o.ms)} / ${pctOf(o.wait[r], o.ms)}`;
console.log(
  '\n| phase | wall ms | CPU s | main | worker 1 | worker 2 | helpers | ours: cores busy | ours: threads runnable | machine: cores busy |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
const rows = [];
for (const s of [...spans, { phase: 'whole build', from: t0, to: tEnd }]) {
  const o = over(s.from, s.to);
  if (o.ms === 0) continue;
  const ours = ROLES.reduce((t, r) => t + o.cpu[r], 0);
  const waited = ROLES.reduce((t, r) => t + o.wait[r], 0);
  rows.push({
    phase: s.phase,
    wallMs: Math.round(s.to - s.from),
    sampledMs: Math.round(o.ms),
    cpuMs: o.cpu,
    waitMs: o.wait,
    oursMs: ours,
    machineBusyMs: o.machineBusy,
  });
  console.log(
    `| ${s.phase} | ${Math.round(s.to - s.from)} | ${f1(ours / 1000)} | ${ROLES.map((r) => cell(o, r)).join(' | ')} | ` +
      `${f1(ours / o.ms)} | ${f1((ours + waited) / o.ms)} | ${f1(o.machineBusy / o.ms)} |`,
  );
}
console.log(
  `\n(a thread: busy / runnable but waiting for a core, in % of the phase's wall time; cores busy: CPU time over wall ` +
    `time, at most ${CORES}; threads runnable: busy or waiting; the machine's count includes other processes)`,
);
if (TIMELINE) {
  console.log(
    '\n| s | phase | main | worker 1 | worker 2 | helpers | ours: cores busy | machine: cores busy |\n|---|---|---|---|---|---|---|---|',
  );
  for (let s = 0; s * 1000 < tEnd - t0; s++) {
    const a = t0 + s * 1000;
    const o = over(a, a + 1000);
    if (o.ms === 0) continue;
    const phase = spans.find((p) => a + 500 >= p.from && a + 500 < p.to)?.phase ?? '';
    const ours = ROLES.reduce((t, r) => t + o.cpu[r], 0);
    console.log(
      `| ${s} | ${phase} | ${ROLES.map((r) => cell(o, r)).join(' | ')} | ${f1(ours / o.ms)} | ${f1(o.machineBusy / o.ms)} |`,
    );
  }
}
if (JSON_OUT)
  writeFileSync(
    JSON_OUT,
    JSON.stringify(
      {
        command: [cmd, ...cmdArgs],
        cores: CORES,
        intervalMs: INTERVAL,
        wallMs: tEnd - t0,
        peakRssMb: Math.round(peakKb / 1024),
        phases: rows,
        stdout,
      },
      null,
      2,
    ),
  );
