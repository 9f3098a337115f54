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
// Prints one line per loop: loop, files, bytes, walk ms, total ms (walk included), peak RSS of the process so far.
// Exit 1 when the two loops of `both` read different files or bytes.

import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

const args = process.argv.slice(2);
const valued = new Set(['--loop', '--concurrency']);
const dir = args.find((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const concurrency = Number(opt('concurrency', '16'));
const loop = opt('loop', 'both');
if (!dir || !(concurrency > 0) || !['sync', 'async', 'both'].includes(loop)) {
  process.stderr.write('usage: node bench/read-floor.mjs DIR [--loop sync|async|both] [--concurrency 16]\n');
  process.exit(2);
}

/** The dump files, as src/io/dumps/read.ts DUMP_FILE names them. */
const WANT = /\.(?:md|markdown|txt)$/i;

function readSyncLoop(root) {
  const t0 = performance.now();
  const files = [];
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (e.isFile() && WANT.test(e.name)) files.push(path.join(e.parentPath ?? e.path, e.name));
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

function line(r) {
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  return (
    `read-floor: loop=${r.loop.split(' ')[0]} files=${r.files} bytes=${r.bytes} (${(r.bytes / 1048576).toFixed(1)} MiB) ` +
    `walk_ms=${Math.round(r.walkMs)} ms=${Math.round(r.ms)}${r.loop.startsWith('async') ? ` concurrency=${concurrency}` : ''} ` +
    `peak_rss_mib=${rssMiB.toFixed(0)}\n`
  );
}

const root = path.resolve(dir);
const results = [];
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
