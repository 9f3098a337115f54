/**
 * npx tsx bench/floors.ts ARCHIVE STORE [--runs 3] [--json FILE]
 *
 * What a cold build cannot avoid with the tools it is built on, each measured alone on this thread in CPU time
 * (median of `--runs`): the work a cold build of ARCHIVE must do at least, beside the read floor (wall) of the same run.
 * STORE is the store a cold build of ARCHIVE wrote (opened read-only).
 *
 * - read: the sync listing, then every dump file read once (read-floor.mjs's sync loop, in CPU time).
 * - decode: the same, each file checked as UTF-8 and decoded to a string as fast as Node can.
 * - one pass: the same, and one charCodeAt loop over every character (a hash, so it cannot be skipped): the least any
 *   parser that looks at each character once costs.
 * - filing: the store's rows (files, observations, articles, dump_blocks, template_groups, rendered) inserted into a
 *   fresh store of the same schema by better-sqlite3 prepared statements, 4,096 rows a transaction, the secondary
 *   indexes built after (as a first build does).
 * - markdown: the dump bodies a cold build renders under the default config (what each planned feed and all/ shows,
 *   distinct bodies) through the project's markdown-it setup (`markdownItHtml`), bodies already in memory.
 *
 * The sum, halved (two cores, perfect overlap, nothing else), is a lower bound of the cold build's wall time with these
 * tools; the rest of a build (classifying, templates, merging, three renderers, sanitizing, writing, collecting) has
 * what the target leaves above it.
 */
import { isAscii, isUtf8, transcode } from 'node:buffer';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../src/store/store.js';
import { planFeeds } from '../src/feeds/sources.js';
import { take } from '../src/feeds/select.js';
import { configSchema } from '../src/config.js';
import { dumpMarkdown } from '../src/dumps/parse.js';
import { markdownItHtml } from '../src/content/markdown.js';
import { EMPTY_BODY } from '../src/content/body.js';

const argv = process.argv.slice(2);
const valued = new Set(['--runs', '--json']);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const [archive, storePath] = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1]!));
const RUNS = Number(opt('runs', '3'));
if (!archive || !storePath || !(RUNS > 0)) {
  process.stderr.write('usage: npx tsx bench/floors.ts ARCHIVE STORE [--runs 3] [--json FILE]\n');
  process.exit(2);
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WANT = /\.(?:md|markdown|txt)$/i;

/** The sync listing and reads; `per` is given each file's bytes. Returns CPU ms and wall ms. */
function readAll(per: (buf: Buffer) => void): { cpu: number; wall: number } {
  const c = cpuMs();
  const w = performance.now();
  const names = readdirSync(archive!, { recursive: true, withFileTypes: true });
  for (const e of names) if (e.isFile() && WANT.test(e.name)) per(readFileSync(join(e.parentPath, e.name)));
  return { cpu: cpuMs() - c, wall: performance.now() - w };
}

/** UTF-8 checked and decoded the fastest way Node has (read-floor.mjs's `decode` loop). */
function decode(buf: Buffer): string {
  if (isAscii(buf)) return buf.toString('latin1');
  return isUtf8(buf) ? transcode(buf, 'utf8', 'utf16le').toString('utf16le') : '';
}

let sink = 0;
function onePass(text: string): void {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  sink ^= h;
}

const TABLES = ['files', 'observations', 'articles', 'dump_blocks', 'template_groups', 'rendered'];

/** The store's rows, filed again into a fresh store of the same schema. */
function filing(ref: Database.Database, rows: Record<string, unknown[][]>): number {
  const dir = mkdtempSync(join(tmpdir(), 'wxfeed-floor-'));
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const schema = ref
    .prepare("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'index')")
    .all() as Array<{ type: string; sql: string }>;
  for (const s of schema) if (s.type === 'table') db.exec(s.sql);
  const c = cpuMs();
  for (const t of TABLES) {
    const r = rows[t]!;
    if (r.length === 0) continue;
    const insert = db.prepare(`INSERT INTO ${t} VALUES (${r[0]!.map(() => '?').join(',')})`);
    const batch = db.transaction((part: unknown[][]) => {
      for (const row of part) insert.run(row);
    });
    for (let i = 0; i < r.length; i += 4096) batch(r.slice(i, i + 4096));
  }
  for (const s of schema) if (s.type === 'index') db.exec(s.sql);
  const ms = cpuMs() - c;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** The distinct dump bodies a cold build's publish renders (the default config's feeds), as markdown. */
function shownBodies(store: Store): string[] {
  const feeds = [...planFeeds(store.observations.sourceStats(), []).map((g) => g.labels), undefined];
  const settings = configSchema.parse({}).feed;
  const seen = new Set<string>();
  const bodies: string[] = [];
  for (const labels of feeds) {
    for (const a of take(store.articles.newestFirst(labels), undefined, settings.limit, settings)) {
      const body = store.observations.body(a.bestOrigin) ?? EMPTY_BODY;
      if (body.format !== 'dump' || seen.has(body.hash)) continue;
      seen.add(body.hash);
      const md = dumpMarkdown(readFileSync(body.path), body.path);
      if (md.ok && md.markdown !== '') bodies.push(md.markdown);
    }
  }
  return bodies;
}

const ref = new Database(storePath, { readonly: true, fileMustExist: true });
const rows = Object.fromEntries(TABLES.map((t) => [t, ref.prepare(`SELECT * FROM ${t}`).raw().all() as unknown[][]]));
const bodies = shownBodies(new Store(ref));
const runs: Record<string, number[]> = { floor: [], read: [], decode: [], pass: [], filing: [], markdown: [] };
for (let run = 0; run < RUNS; run++) {
  const r = readAll(() => {});
  runs.floor!.push(r.wall);
  runs.read!.push(r.cpu);
  runs.decode!.push(readAll((b) => decode(b)).cpu);
  runs.pass!.push(readAll((b) => onePass(decode(b))).cpu);
  runs.filing!.push(filing(ref, rows));
  const c = cpuMs();
  for (const b of bodies) sink ^= markdownItHtml(b).html.length;
  runs.markdown!.push(cpuMs() - c);
}
ref.close();

const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<string, number>;
const parts = [
  ['read (sync listing + reads), CPU', m.read!],
  ['UTF-8 check + decode', m.decode! - m.read!],
  ['one charCodeAt pass over every character', m.pass! - m.decode!],
  [`filing: ${TABLES.map((t) => `${rows[t]!.length} ${t}`).join(', ')}`, m.filing!],
  [`markdown-it: ${bodies.length} bodies, ${bodies.reduce((s, b) => s + b.length, 0)} characters`, m.markdown!],
] as const;
const sum = parts.reduce((s, [, ms]) => s + ms, 0);
const f = (ms: number): string => Math.round(ms).toLocaleString('en-US');
console.log(`floors of a cold build of ${archive}, medians of ${RUNS} runs (CPU ms, this thread)\n`);
console.log('| part | CPU ms |\n|---|---|');
for (const [name, ms] of parts) console.log(`| ${name} | ${f(ms)} |`);
console.log(`| sum | ${f(sum)} |`);
console.log(
  `\nread floor (wall, sync loop): ${f(m.floor!)} ms; the sum on two cores, perfectly overlapped: ${f(sum / 2)} ms = ` +
    `${(sum / 2 / m.floor!).toFixed(2)}× the floor (checksum ${sink >>> 0})`,
);
const json = opt('json', '');
if (json) writeFileSync(json, JSON.stringify({ runs, medians: m, sum }, null, 2));
