#!/usr/bin/env node
// The floor for any build over a dump folder: walk DIR and read every *.md / *.markdown / *.txt file once
// (fs.readFile into a Buffer, no decoding, no parsing), with modest concurrency. Nothing else.
//
//   node bench/read-floor.mjs DIR [--concurrency 16]
//
// Prints one line: files, bytes, walk ms, total ms, peak RSS.

import fs from 'node:fs/promises';
import path from 'node:path';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const ci = args.indexOf('--concurrency');
const concurrency = ci >= 0 ? Number(args[ci + 1]) : 16;
if (!dir || !(concurrency > 0)) {
  process.stderr.write('usage: node bench/read-floor.mjs DIR [--concurrency 16]\n');
  process.exit(2);
}

const WANT = /\.(md|markdown|txt)$/i;

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

const t0 = performance.now();
const files = await walk(path.resolve(dir));
const tWalk = performance.now();
let bytes = 0;
let next = 0;
async function worker() {
  while (next < files.length) {
    const f = files[next++];
    const buf = await fs.readFile(f);
    bytes += buf.length; // not `bytes += await …`: that reads `bytes` before the await and loses updates
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const t1 = performance.now();
const rssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `read-floor: files=${files.length} bytes=${bytes} (${(bytes / 1048576).toFixed(1)} MiB) walk_ms=${Math.round(tWalk - t0)} ` +
    `ms=${Math.round(t1 - t0)} concurrency=${concurrency} peak_rss_mib=${rssMiB.toFixed(0)}\n`,
);
