/**
 * npx tsx bench/parse-micro.ts DIR [--files 8000] [--every 5] [--runs 7] [--full]
 *
 * The dump parser alone, on one thread, over real dumps held in memory: every `--every`th `*.md`/`*.markdown`/`*.txt`
 * file below DIR (sorted walk), at most `--files`, read once, then parsed `--runs` times (parseDump, as a build's
 * workers do, without a template). Prints the median and the fastest run, and a checksum of what the parser gave
 * (text lengths, and the first fingerprint of each dump's template lines): a change meant to be faster only must
 * leave it as it was (bench/README.md records the checksum over the picker archive's 2024 folder). No I/O is timed.
 * `--full`: one run, and a checksum of everything parseDump gives (the observation with its blocks, the markdown).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDump } from '../src/dumps/parse.js';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!dir) {
  process.stderr.write('usage: npx tsx bench/parse-micro.ts DIR [--files 8000] [--every 5] [--runs 7]\n');
  process.exit(2);
}
const files: string[] = [];
const walk = (d: string): void => {
  for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(md|markdown|txt)$/i.test(e.name)) files.push(p);
  }
};
walk(dir);
const picked = files.filter((_, i) => i % opt('every', 5) === 0).slice(0, opt('files', 8000));
const dumps = picked.map((path) => ({ path, bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs }));
const times: number[] = [];
const cpu: number[] = [];
let checksum = 0;
// --full: a second checksum over everything the parser gives (observation, blocks, markdown), from the first run.
const full = args.includes('--full');
let whole = 0;
const mixText = (h: number, text: string): number => {
  let x = h;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 0x01000193);
  return x;
};
const mixIn = (h: number, parsed: ReturnType<typeof parseDump>): number => {
  if (!parsed.ok) return mixText(h, `${parsed.reason}\u0000${parsed.detail ?? ''}`);
  const { blocks, ...rest } = parsed.observation;
  let x = mixText(h, JSON.stringify(rest));
  x = mixText(x, parsed.markdown);
  if (blocks) {
    x = mixText(x, JSON.stringify({ ...blocks, prints: 0, weights: 0 }));
    for (const p of blocks.prints) x = Math.imul(x ^ p, 0x01000193);
    for (const w of blocks.weights) x = Math.imul(x ^ w, 0x01000193);
  }
  return x;
};
for (let run = 0; run < opt('runs', 7); run++) {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (const { path, bytes, mtimeMs } of dumps) {
    const parsed = parseDump(bytes, { path, mtimeMs });
    if (parsed.ok)
      checksum = (checksum + parsed.observation.textLength + (parsed.observation.blocks?.prints[0] ?? 0)) % 2 ** 32;
    if (full) whole = mixIn(whole, parsed);
  }
  times.push(performance.now() - started);
  const used = process.cpuUsage(cpuStart);
  cpu.push((used.user + used.system) / 1000);
  if (full) {
    console.log(`parse-micro: full checksum=${(whole >>> 0).toString(16)}`);
    break;
  }
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
console.log(
  `parse-micro: dumps=${dumps.length} runs=${times.length} median=${times[times.length >> 1]!.toFixed(0)}ms ` +
    `fastest=${times[0]!.toFixed(0)}ms cpu median=${cpu[cpu.length >> 1]!.toFixed(0)}ms checksum=${checksum}`,
);
