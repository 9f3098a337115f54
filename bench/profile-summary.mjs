#!/usr/bin/env node
// Summarise V8 .cpuprofile files (from `node --cpu-prof --cpu-prof-dir=DIR …`; worker threads write their own) by
// self time: per function, per source file and per package, for each thread and for all threads together.
// Frames in dist/ are mapped back to src/*.ts and node_modules/* through the bundle's source maps (node:module's
// SourceMap, no dependency).
//
//   node bench/profile-summary.mjs DIR|FILE.cpuprofile ... [--top 25] [--each] [--total REGEX] [--split REGEX] [--json FILE]
//
// --top N       rows per table (default 25)
// --each        a table per profile (thread) as well as the merged one
// --total REGEX also print inclusive (self + callees) time of the functions whose "name file" matches REGEX
//               (a function recursing counts once per sample)
// --split REGEX two sets of tables: the samples before the first sample (any thread) with a function matching REGEX
//               on its stack, and those from it on (e.g. --split '^publishFeeds ' parts a build's ingest and
//               publish; threads share one clock)
// --json FILE   write the tables as JSON
//
// Times are sample deltas (the time until the next sample is given to a sample's frame); "(idle)" is a thread
// waiting (a worker between jobs, the main thread awaiting I/O or a worker), "(program)" native work V8 does not
// attribute to a JS function, "(garbage collector)" GC pauses.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const TOP = Number(opt('top', '25'));
const TOTAL = opt('total', '');
const EACH = args.includes('--each');
const JSON_OUT = opt('json', '');
const SPLIT = opt('split', '');
const valued = new Set(['--top', '--total', '--json', '--split']);
const inputs = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
if (inputs.length === 0) {
  process.stderr.write(
    'usage: node bench/profile-summary.mjs DIR|FILE.cpuprofile ... [--top 25] [--each] [--total REGEX] [--split REGEX] [--json FILE]\n',
  );
  process.exit(2);
}

const files = inputs.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .map((f) => join(p, f))
    : [p],
);

// --- source maps -----------------------------------------------------------------------------------------------

const maps = new Map();
function mapFor(url) {
  if (!url.startsWith('file://')) return undefined;
  if (maps.has(url)) return maps.get(url);
  let map;
  const path = fileURLToPath(url);
  try {
    map = { dir: dirname(path), sm: new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))) };
  } catch {
    map = undefined;
  }
  maps.set(url, map);
  return map;
}

/** A readable file label: node_modules/<pkg>/…, src/…, bench/…, node:…, or the URL. */
function label(path) {
  if (/^https?:/.test(path)) return path;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm);
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

const frames = new Map();
/** callFrame → { name, file, line } in original sources where a map says so. */
function frameOf(cf) {
  const key = `${cf.functionName}|${cf.url}|${cf.lineNumber}|${cf.columnNumber}`;
  let f = frames.get(key);
  if (f) return f;
  const name = cf.functionName || '(anonymous)';
  if (!cf.url) {
    f = { name, file: name.startsWith('(') ? name : '(native)', line: 0 };
  } else if (cf.url.startsWith('node:')) {
    f = { name, file: cf.url, line: cf.lineNumber + 1 };
  } else {
    const m = mapFor(cf.url);
    const e = m && cf.lineNumber >= 0 ? m.sm.findEntry(cf.lineNumber, cf.columnNumber) : undefined;
    if (e?.originalSource) {
      // Sources are paths relative to the map, file: URLs, or (a package's own map) a URL to its repository.
      const src = /^https?:/.test(e.originalSource)
        ? e.originalSource
        : e.originalSource.startsWith('file://')
          ? fileURLToPath(e.originalSource)
          : resolve(m.dir, e.originalSource);
      f = { name, file: label(src), line: e.originalLine + 1 };
    } else {
      f = { name, file: label(cf.url.startsWith('file://') ? fileURLToPath(cf.url) : cf.url), line: cf.lineNumber + 1 };
    }
  }
  frames.set(key, f);
  return f;
}

/** node_modules/<pkg> (scoped too), src/<folder>, node internals, or the file itself. */
function packageOf(file) {
  const nm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1];
  // A package's own source map naming its repository: github.com/<owner>/<repo>/…
  const gh = /^https?:\/\/(?:raw\.githubusercontent|github)\.com\/[^/]+\/([^/]+)\//.exec(file);
  if (gh) return gh[1];
  if (file.startsWith('src/')) {
    const parts = file.split('/');
    return parts.length > 2 ? `src/${parts[1]}/` : file;
  }
  if (file.startsWith('node:')) return 'node (built-in modules)';
  return file;
}

// --- profiles --------------------------------------------------------------------------------------------------

/** One profile: each sample's node, time (µs, the process's monotonic clock) and duration; the parent of each node. */
function load(path) {
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  let t = p.startTime;
  const times = samples.map((_, i) => (t += deltas[i] ?? 0));
  const dts = times.map((at, i) => Math.max(0, (i + 1 < times.length ? times[i + 1] : p.endTime) - at));
  // Thread: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
  const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(basename(path));
  const thread = m ? (m[2] === '0' ? `main (pid ${m[1]})` : `worker ${m[2]} (pid ${m[1]})`) : basename(path);
  return { path, thread, byId, parent, samples, times, dts, startUs: p.startTime, wallUs: p.endTime - p.startTime };
}

/** The function keys on a sample's stack, each once. */
function stackKeys(p, id) {
  const keys = new Set();
  for (let n = id; n !== undefined; n = p.parent.get(n)) {
    const f = frameOf(p.byId.get(n).callFrame);
    keys.add(`${f.name}  ${f.file}:${f.line}`);
  }
  return keys;
}

/** The time of the first sample (over all profiles) with a function matching `re` on its stack. */
function firstMatch(profiles, re) {
  let first = Number.POSITIVE_INFINITY;
  for (const p of profiles)
    for (let i = 0; i < p.samples.length && p.times[i] < first; i++)
      if ([...stackKeys(p, p.samples[i])].some((k) => re.test(k))) first = p.times[i];
  return first;
}

/** Self time per function, file and package over the samples `keep(time)` accepts; inclusive time of --total. */
function tally(profiles, keep = () => true) {
  const fn = new Map();
  const file = new Map();
  const pkg = new Map();
  const total = new Map();
  const re = TOTAL ? new RegExp(TOTAL) : undefined;
  let all = 0;
  let idle = 0;
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  for (const p of profiles) {
    for (let i = 0; i < p.samples.length; i++) {
      if (!keep(p.times[i])) continue;
      const us = p.dts[i];
      const f = frameOf(p.byId.get(p.samples[i]).callFrame);
      all += us;
      if (f.name === '(idle)') idle += us;
      add(fn, `${f.name}  ${f.file}${f.line ? `:${f.line}` : ''}`, us);
      add(file, f.file, us);
      add(pkg, packageOf(f.file), us);
      if (re) for (const k of stackKeys(p, p.samples[i])) if (re.test(k)) add(total, k, us);
    }
  }
  return { fn, file, pkg, total, all, idle };
}

const ms = (us) => (us / 1000).toFixed(0);
const pct = (us, of) => `${((100 * us) / of).toFixed(1)} %`;

function print(title, t) {
  const busy = t.all - t.idle;
  console.log(`\n## ${title}`);
  console.log(
    `sampled ${ms(t.all)} ms, of which idle ${ms(t.idle)} ms; busy ${ms(busy)} ms (% below are of busy time)`,
  );
  const table = (head, m) => {
    console.log(`\n| ${head} | self ms | % |\n|---|---|---|`);
    const rows = [...m].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
    for (const [k, us] of rows.slice(0, TOP))
      console.log(`| ${k.replace(/\|/g, '\\|')} | ${ms(us)} | ${pct(us, busy)} |`);
    return rows.slice(0, TOP).map(([k, us]) => ({ key: k, ms: Math.round(us / 1000) }));
  };
  const out = {
    title,
    sampledMs: Math.round(t.all / 1000),
    idleMs: Math.round(t.idle / 1000),
    functions: table('function  file:line', t.fn),
    files: table('file', t.file),
    packages: table('package / folder', t.pkg),
  };
  if (TOTAL) {
    console.log(`\n| function matching /${TOTAL}/ | inclusive ms | % |\n|---|---|---|`);
    const rows = [...t.total].sort((a, b) => b[1] - a[1]).slice(0, TOP);
    for (const [k, us] of rows) console.log(`| ${k.replace(/\|/g, '\\|')} | ${ms(us)} | ${pct(us, busy)} |`);
    out.inclusive = rows.map(([k, us]) => ({ key: k, ms: Math.round(us / 1000) }));
  }
  return out;
}

const profiles = files.map(load);
const t0 = Math.min(...profiles.map((p) => p.startUs));
console.log('| profile | thread | starts at ms | wall ms |\n|---|---|---|---|');
for (const p of profiles)
  console.log(`| ${basename(p.path)} | ${p.thread} | ${ms(p.startUs - t0)} | ${ms(p.wallUs)} |`);
const report = [];
/** The tables for the samples `keep` accepts: per thread with --each, and all threads together. */
const section = (title, keep) => {
  if (EACH || profiles.length === 1)
    for (const p of profiles) report.push(print(`${title}${p.thread}`, tally([p], keep)));
  if (profiles.length > 1) report.push(print(`${title}all ${profiles.length} threads together`, tally(profiles, keep)));
};
if (SPLIT) {
  const at = firstMatch(profiles, new RegExp(SPLIT));
  console.log(`\nsplit at ${ms(at - t0)} ms: the first sample with a function matching /${SPLIT}/ on its stack`);
  section(`before the split (0–${ms(at - t0)} ms): `, (t) => t < at);
  section(`from the split (${ms(at - t0)} ms on): `, (t) => t >= at);
} else section('', () => true);
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(report, null, 2));
