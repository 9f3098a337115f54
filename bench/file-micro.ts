/**
 * npx tsx bench/file-micro.ts record ARCHIVE RECORDING
 * npx tsx bench/file-micro.ts replay ARCHIVE RECORDING [--runs 5]
 *
 * The main thread's part of a cold build alone: filing the dumps in the store, merging, learning sites' templates
 * (stages/dumps/stage.ts ingestDumps, catalog.ts mergeAllPending, closing the store), with what the workers would
 * hand it replayed from a recording instead of parsed. `record` reads and parses every dump of ARCHIVE once on this
 * thread (the learning step's reads with a template too) and writes each result, serialized as a worker's message
 * is, to RECORDING. `replay` builds a fresh store from it `--runs` times and prints the CPU of each phase (median and
 * fastest: read, walk included, until the first read with a template; learn; merge; close), and a checksum of the store's rows (articles, observations, files, dump blocks, template groups, dirty
 * sources, pending keys): a change meant to be faster only must leave it as it was.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import Database from 'better-sqlite3';
import { beginBuild, mergeAllPending } from '../src/catalog/catalog.js';
import { resolveConfig } from '../src/config.js';
import { type DumpToLoad, type LoadResult, loadDump } from '../src/io/dumps/load.js';
import { ingestDumps } from '../src/stages/dumps/stage.js';
import { closeStore, openStore } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import type { InputProblem } from '../src/types.js';
import type { JobKind } from '../src/work/job.js';
import type { JobRunner } from '../src/work/pool.js';

const args = process.argv.slice(2);
const [mode, archive, recording] = args;
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if ((mode !== 'record' && mode !== 'replay') || !archive || !recording) {
  process.stderr.write('usage: npx tsx bench/file-micro.ts record|replay ARCHIVE RECORDING [--runs 5]\n');
  process.exit(2);
}

/** A load result's key: the file, and the template it is read with. */
const keyOf = (f: DumpToLoad): string => `${f.path}\n${f.template ? f.template.prints.join(',') : ''}`;

/** Serialized results by key. */
const results = new Map<string, Buffer>();
/** The CPU used when the first read with a template was asked for: learning began. */
let learning: NodeJS.CpuUsage | undefined;

/** Runs load jobs here (record) or hands out the recorded results (replay), as a pool of two workers would. */
const runner: JobRunner = {
  parallelism: 2,
  threaded: true,
  run<I, O>(_kind: JobKind<I, O>, input: I): Promise<O> {
    const files = input as unknown as DumpToLoad[];
    if (!learning && files.some((f) => 'template' in f)) learning = process.cpuUsage();
    const out: LoadResult[] = files.map((f) => {
      const key = keyOf(f);
      if (mode === 'record') {
        const r = loadDump(f);
        results.set(key, serialize(r));
        return r;
      }
      const got = results.get(key);
      if (!got) throw new Error(`not recorded: ${key.slice(0, 200)}`);
      return deserialize(got) as LoadResult;
    });
    return Promise.resolve(out as unknown as O);
  },
  close: async () => {},
};

/** Write the recording: key length, key, result length, result; repeated. */
function save(path: string): void {
  const parts: Buffer[] = [];
  for (const [key, value] of results) {
    const k = Buffer.from(key);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(k.length, 0);
    head.writeUInt32LE(value.length, 4);
    parts.push(head, k, value);
  }
  writeFileSync(path, Buffer.concat(parts));
}

function load(path: string): void {
  const all = readFileSync(path);
  for (let at = 0; at < all.length; ) {
    const kl = all.readUInt32LE(at);
    const vl = all.readUInt32LE(at + 4);
    const key = all.toString('utf8', at + 8, at + 8 + kl);
    results.set(key, Buffer.from(all.subarray(at + 8 + kl, at + 8 + kl + vl)));
    at += 8 + kl + vl;
  }
}

/** A checksum of the rows a build leaves (first_seen, seen_at and last_changed are the clock's). */
function checksum(path: string): string {
  const db = new Database(path, { readonly: true });
  const hash = createHash('sha256');
  for (const q of [
    'SELECT key,id,link,title,author,biz,mid,idx,sn,date,date_precision,state,notice,best_origin,summary,cover,content_hash FROM articles ORDER BY key',
    'SELECT origin,key,source,id,link,biz,mid,idx,sn,short_token,title,author,date,date_precision,captured_at,state,body,body_format,body_hash,text_length,summary,cover FROM observations ORDER BY origin',
    'SELECT path,size,mtime_ms,problem,detail FROM files ORDER BY path',
    'SELECT b.path,g.name,b.lines,hex(b.blocks),b.middle,b.flags,b.decided,b.pending FROM dump_blocks b JOIN template_groups g ON g.id = b.grp ORDER BY b.path',
    'SELECT name,template,hex(prints),stale FROM template_groups ORDER BY name',
    'SELECT source FROM dirty_sources ORDER BY source',
    'SELECT key FROM pending_keys ORDER BY key',
  ])
    for (const row of db.prepare(q).raw().iterate()) hash.update(JSON.stringify(row));
  db.close();
  return hash.digest('hex').slice(0, 16);
}

/** CPU ms (user + system) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

/** Bytes and calls this process wrote and read through system calls so far (Linux; zeros elsewhere). */
function io(): { wmb: number; writes: number; reads: number } {
  try {
    const text = readFileSync('/proc/self/io', 'utf8');
    const get = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { wmb: get('wchar') / 2 ** 20, writes: get('syscw'), reads: get('syscr') };
  } catch {
    return { wmb: 0, writes: 0, reads: 0 };
  }
}

/** One cold build's main-thread part into a fresh store; CPU ms per phase, and the checksum. */
async function once(): Promise<{ ms: Record<string, number>; sum: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'file-micro-'));
  try {
    const config = resolveConfig({ dumps: [archive], store: 'wxfeed.db', output: 'out' }, 'bench', dir);
    const ms: Record<string, number> = {};
    const now = 1_780_000_000_000;
    const ioBefore = io();
    const start = process.cpuUsage();
    let at = start;
    learning = undefined;
    const db = openStore(config.store);
    const store = new Store(db);
    const seenAt = beginBuild(store, now);
    const problems: InputProblem[] = [];
    const ingest = await ingestDumps(config, store, problems, {
      roots: config.dumps,
      runner: () => runner,
      now: seenAt,
    });
    const learnt = learning ?? process.cpuUsage();
    ms.read = (learnt.user + learnt.system - at.user - at.system) / 1000;
    ms.learn = cpuSince(learnt);
    at = process.cpuUsage();
    await mergeAllPending(store, seenAt);
    ms.merge = cpuSince(at);
    at = process.cpuUsage();
    closeStore(db, true);
    ms.close = cpuSince(at);
    ms.sys = process.cpuUsage(start).system / 1000;
    const ioAfter = io();
    ms.writtenMB = ioAfter.wmb - ioBefore.wmb;
    ms.writeCalls = ioAfter.writes - ioBefore.writes;
    ms.readCalls = ioAfter.reads - ioBefore.reads;
    if (mode === 'record') {
      save(recording!);
      console.log(`recorded ${results.size} results; read ${ingest.read}, reread ${ingest.templates.reread}`);
    }
    return { ms, sum: checksum(config.store) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (mode === 'record') {
  const { sum } = await once();
  console.log(`checksum ${sum}`);
} else {
  load(recording!);
  const all: Array<Record<string, number>> = [];
  const sums = new Set<string>();
  for (let run = 0; run < runs; run++) {
    const { ms, sum } = await once();
    all.push(ms);
    sums.add(sum);
    console.log(
      `run ${run + 1}: ${Object.entries(ms)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(' · ')} ms ${sum}`,
    );
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const phases = Object.keys(all[0]!);
  console.log(
    `file-micro: runs=${runs} ${phases.map((p) => `${p} median ${median(all.map((m) => m[p]!)).toFixed(0)} fastest ${Math.min(...all.map((m) => m[p]!)).toFixed(0)}`).join(' · ')} ms; checksum ${[...sums].join(' ')}`,
  );
}
