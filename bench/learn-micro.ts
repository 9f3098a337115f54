/**
 * npx tsx bench/learn-micro.ts STORE [--runs 7]
 *
 * Learning sites' page templates alone (dumps/templates.ts learnTemplate), on one thread, over every site of a built
 * store (its dump_blocks, read once into memory). Prints the median and the fastest run, and how many template lines
 * were learned in all (a change meant to be faster only must leave that as it was; bench/README.md records the count
 * over the picker archive's store). Opens the store read-only.
 */
import Database from 'better-sqlite3';
import { learnTemplate } from '../src/dumps/templates.js';

const args = process.argv.slice(2);
const path = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
if (!path) {
  process.stderr.write('usage: npx tsx bench/learn-micro.ts STORE [--runs 7]\n');
  process.exit(2);
}
const db = new Database(path, { readonly: true, fileMustExist: true });
const groups = db.prepare('SELECT id FROM template_groups ORDER BY id').pluck().all() as number[];
const rows = db.prepare('SELECT lines, blocks, flags FROM dump_blocks WHERE grp = ? ORDER BY path');
const sites = groups.map((g) =>
  (rows.all(g) as Array<{ lines: number; blocks: Buffer; flags: number }>).map((r) => {
    // store/templates.ts keeps each dump's fingerprints (u32, little-endian), then one weight byte per line.
    const n = r.blocks.length / 5;
    const prints = new Uint32Array(n);
    for (let i = 0; i < n; i++) prints[i] = r.blocks.readUInt32LE(i * 4);
    return { lines: r.lines, prints, cut: (r.flags & 1) !== 0 };
  }),
);
db.close();
const times: number[] = [];
let learned = 0;
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  learned = 0;
  for (const dumps of sites) learned += learnTemplate(dumps)?.prints.length ?? 0;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log(
  `learn-micro: sites=${sites.length} dumps=${sites.reduce((n, s) => n + s.length, 0)} runs=${runs} ` +
    `median=${times[times.length >> 1]!.toFixed(0)}ms fastest=${times[0]!.toFixed(0)}ms learned=${learned}`,
);
