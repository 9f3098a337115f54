#!/usr/bin/env node
// The floor for any build over a dump folder: list DIR and read every dump file (*.md, *.markdown, *.txt: the files a
// build reads) once into a Buffer, no decoding, no parsing. Nothing else. Two loops, because which is faster depends
// on the machine: the floor is the faster of them.
//
//   node bench/read-floor.mjs DIR [--loop sync|async|both] [--concurrency 16]
//
// sync:  readdirSync(DIR, {recursive, withFileTypes}), then readFileSync per file, one after another.
// async: a readdir walk, then fs.promises.readFile with --concurrency reads in flight.
// both (default): sync, then async, in this process; a last line names the faster.
// decode: not a floor, a reference for what parsing cannot avoid: the sync listing, then the files split over
//   --threads worker threads (default: as many as a build's workers), each read, checked as UTF-8 and decoded to a
//   string (the fastest way Node has), as a build's workers do before they parse anything.
// Prints one line per loop: loop, files, bytes, walk ms, total ms (walk included), peak RSS of the process so far.
// Exit 1 when the two loops of `both` read different files or bytes.

import { isAscii, isUtf8, transcode } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (!isMainThread) {
  // A decode thread: its share of the files, read and decoded; posts the bytes and UTF-16 units it got.
  let bytes = 0;
  let units = 0;
  for (const f of workerData.files) {
    const buf = readFileSync(f);
    bytes += buf.length;
    if (!isUtf8(buf)) continue;
    // The fastest decoding Node offers: ASCII as Latin-1, the rest through ICU's converter.
    units += (isAscii(buf) ? buf.latin1Slice(0, buf.length) : transcode(buf, 'utf8', 'utf16le').toString('utf16le'))
      .length;
  }
  parentPort.postMessage({ bytes, units });
  process.exit(0);
}

const args = process.argv.slice(2);
const valued = new Set(['--loop', '--concurrency', '--threads']);
const dir = args.find((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const concurrency = Number(opt('concurrency', '16'));
const loop = opt('loop', 'both');
const threads = Number(opt('threads', String(Math.max(1, Math.min(4, availableParallelism())))));
if (!dir || !(concurrency > 0) || !(threads > 0) || !['sync', 'async', 'both', 'decode'].includes(loop)) {
  process.stderr.write(
    'usage: node bench/read-floor.mjs DIR [--loop sync|async|both|decode] [--concurrency 16] [--threads N]\n',
  );
  process.exit(2);
}

/** The dump files, as src/io/dumps/read.ts DUMP_FILE names them. */
const WANT = /\.(?:md|markdown|txt)$/i;

/** Every dump file below root, by the sync listing. */
function listSync(root) {
  const files = [];
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (e.isFile() && WANT.test(e.name)) files.push(path.join(e.parentPath ?? e.path, e.name));
  return files;
}

function readSyncLoop(root) {
  const t0 = performance.now();
  const files = listSync(root);
  const tWalk = performance.now();
  let bytes = 0;
  for (const f of files) bytes += readFileSync(f).length;
  return { loop: 'sync', files: files.length, bytes, walkMs: tWalk - t0, ms: performance.now() - t0 };
}

async function walk(root) {
  const files = [];
  const stack = [root];
  while (stack.length) {
    const d = stack.pop();
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && WANT.test(e.name)) files.push(p);
    }
  }
  return files;
}

async function readAsyncLoop(root) {
  const t0 = performance.now();
  const files = await walk(root);
  const tWalk = performance.now();
  let bytes = 0;
  let next = 0;
  const reader = async () => {
    while (next < files.length) {
      const buf = await fs.readFile(files[next++]);
      bytes += buf.length; // not `bytes += await …`: that reads `bytes` before the await and loses updates
    }
  };
  await Promise.all(Array.from({ length: concurrency }, reader));
  return {
    loop: `async (${concurrency} in flight)`,
    files: files.length,
    bytes,
    walkMs: tWalk - t0,
    ms: performance.now() - t0,
  };
}

async function decodeLoop(root) {
  const t0 = performance.now();
  const files = listSync(root);
  const tWalk = performance.now();
  const shares = Array.from({ length: threads }, (_, t) => files.filter((_, i) => i % threads === t));
  const parts = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { files: share } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const bytes = parts.reduce((t, p) => t + p.bytes, 0);
  const units = parts.reduce((t, p) => t + p.units, 0);
  return {
    loop: `decode (${threads} threads, ${units} UTF-16 units)`,
    files: files.length,
    bytes,
    walkMs: tWalk - t0,
    ms: performance.now() - t0,
  };
}

function line(r) {
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  return (
    `read-floor: loop=${r.loop.split(' ')[0]} files=${r.files} bytes=${r.bytes} (${(r.bytes / 1048576).toFixed(1)} MiB) ` +
    `walk_ms=${Math.round(r.walkMs)} ms=${Math.round(r.ms)}${r.loop.startsWith('async') ? ` concurrency=${concurrency}` : ''}${r.loop.startsWith('decode') ? ` threads=${threads}` : ''} ` +
    `peak_rss_mib=${rssMiB.toFixed(0)}\n`
  );
}

const root = path.resolve(dir);
const results = [];
if (loop === 'decode') {
  process.stdout.write(line(await decodeLoop(root)));
  process.exit(0);
}
if (loop !== 'async') {
  results.push(readSyncLoop(root));
  process.stdout.write(line(results.at(-1)));
}
if (loop !== 'sync') {
  results.push(await readAsyncLoop(root));
  process.stdout.write(line(results.at(-1)));
}
if (results.length === 2) {
  const [a, b] = results;
  if (a.files !== b.files || a.bytes !== b.bytes) {
    process.stderr.write(
      `read-floor: the loops read different files: ${a.files}/${a.bytes} and ${b.files}/${b.bytes}\n`,
    );
    process.exit(1);
  }
  const fast = a.ms <= b.ms ? a : b;
  process.stdout.write(`read-floor: floor=${fast.loop.split(' ')[0]} ms=${Math.round(fast.ms)}\n`);
}
