/**
 * The end of the dumps stage: learn again the page template of each site (source and host) whose dumps came, changed
 * or went, and read again the dumps it may make something else (all template: a shell; a relayed WeChat notice: that
 * notice). Deterministic: a dump depends only on its site's files, not their order. A killed run loses nothing: a
 * site's template is written in the same transaction as its dumps read again, and the site stays marked until then.
 */
import { statSync } from 'node:fs';
import { mergeRecent, recordFile } from '../../catalog/catalog.js';
import type { Store } from '../../store/store.js';
import type { StoredBlocks, TemplateGroup } from '../../store/templates.js';
import type { DumpBlocks, InputProblem, PageTemplate } from '../../types.js';
import type { RunnerFor } from '../../work/pool.js';
import { loadJob, READ_BATCH } from './jobs.js';
import type { DumpToLoad, LoadResult } from '../../io/dumps/load.js';
import { archiveName } from '../../io/dumps/read.js';
import { learnTemplate, readWithTemplate, templateId } from '../../dumps/templates.js';

/** Rounds at most: a dump that changes while it is read again marks its site once more. */
const ROUNDS = 3;

export interface LearnOptions {
  roots: readonly string[];
  runner: RunnerFor;
  now: number;
  signal?: AbortSignal | undefined;
  /**
   * Every source with an observation is already marked dirty (a first build: the store held none when it began, and
   * filing each observation marked its source), so a changed template has none left to mark.
   */
  everySourceDirty?: boolean | undefined;
}

export interface LearnResult {
  /** Sites learned again. */
  sites: number;
  /** Of those, sites whose template changed. */
  changed: number;
  /** Dumps read again with (or back without) their site's template. */
  reread: number;
}

/** A dump to read again: with its site's template (`decided` its id), or without one (`decided` ''). */
interface Reread {
  path: string;
  group: number;
  /** The group's name (`<source>\n<host>`), to tell a dump that moved to another group since. */
  groupName: string;
  template: PageTemplate | undefined;
  decided: string;
  /** What the store holds of the dump, to tell whether it changed since. */
  before: StoredBlocks;
}

interface Plan {
  group: number;
  id: string;
  template: PageTemplate | undefined;
  changed: boolean;
}

/** Dumps read again per store transaction (the sites they belong to are committed with them). */
const CHUNK = 2048;

/** Learn the template of one stale site and list its dumps to read again; nothing is written. */
function planGroup(store: Store, g: TemplateGroup): { plan: Plan; rereads: Reread[] } {
  const dumps = store.templates.blocksOf(g.id);
  const template = learnTemplate(dumps);
  const id = templateId(template);
  const changed = id !== g.templateId;
  const rereads: Reread[] = [];
  for (const d of dumps) {
    if (!changed && !d.pending) continue;
    const withIt = template !== undefined && readWithTemplate(d, template);
    const decided = withIt ? id : '';
    if (d.decided !== decided)
      rereads.push({
        path: d.path,
        group: g.id,
        groupName: g.name,
        template: withIt ? template : undefined,
        decided,
        before: d,
      });
  }
  return { plan: { group: g.id, id, template, changed }, rereads };
}

/** The stale sites in chunks of about CHUNK dumps to read again, each site in one chunk. */
function* chunks(store: Store): Generator<{ plans: Plan[]; rereads: Reread[] }> {
  let plans: Plan[] = [];
  let rereads: Reread[] = [];
  for (const g of store.templates.staleGroups()) {
    const one = planGroup(store, g);
    plans.push(one.plan);
    rereads.push(...one.rereads);
    if (rereads.length >= CHUNK) {
      yield { plans, rereads };
      plans = [];
      rereads = [];
    }
  }
  if (plans.length > 0) yield { plans, rereads };
}

/**
 * Read the listed dumps (in worker threads when many), every batch handed over at once: the workers read while this
 * thread plans the next chunk and writes the last one. Results by path; a dump gone since it was listed is left out.
 */
function reread(rereads: Reread[], opts: LearnOptions): Promise<Map<string, { file: DumpToLoad; result: LoadResult }>> {
  const files: DumpToLoad[] = [];
  for (const r of rereads) {
    let st: { size: number; mtimeMs: number };
    try {
      st = statSync(r.path);
    } catch {
      continue; // gone since it was listed: the next build forgets it
    }
    files.push({
      path: r.path,
      size: st.size,
      mtimeMs: Math.floor(st.mtimeMs),
      seed: archiveName(r.path, opts.roots),
      template: r.template,
    });
  }
  const batches: DumpToLoad[][] = [];
  for (let i = 0; i < files.length; i += READ_BATCH) batches.push(files.slice(i, i + READ_BATCH));
  const runner = opts.runner(batches.length);
  return Promise.all(batches.map((batch) => runner.run(loadJob, batch))).then((results) => {
    const out = new Map<string, { file: DumpToLoad; result: LoadResult }>();
    batches.forEach((batch, b) => {
      batch.forEach((file, n) => {
        out.set(file.path, { file, result: results[b]![n]! });
      });
    });
    return out;
  });
}

/**
 * Learns again the templates of the sites whose dumps came, changed or went and reads again the dumps a new template
 * can change, adding the problems met to `problems`. While the workers read one chunk, this thread plans the next.
 */
export async function learnTemplates(store: Store, problems: InputProblem[], opts: LearnOptions): Promise<LearnResult> {
  const total: LearnResult = { sites: 0, changed: 0, reread: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    let again = false;
    let failed = false;
    const planned = chunks(store);
    let next = planned.next();
    let reading = next.done ? undefined : reread(next.value.rereads, opts);
    while (!next.done && reading) {
      opts.signal?.throwIfAborted();
      const chunk = next.value;
      next = planned.next();
      const read = await reading;
      reading = next.done ? undefined : reread(next.value.rereads, opts);
      // Marked handled: a read of the next chunk that fails after an abort must not surface as unhandled.
      reading?.catch(() => {});
      const done = settleChunk(store, chunk, read, problems, opts);
      again ||= done.again;
      failed ||= done.failed;
      total.sites += chunk.plans.length;
      total.changed += chunk.plans.filter((p) => p.changed).length;
      total.reread += read.size;
    }
    // A dump that changed while it was read marks its site again; a read that failed waits for the next build.
    if (!again || failed) break;
  }
  return total;
}

/**
 * Write, in one transaction, what one chunk's dumps read again are now and the templates of their sites (a site
 * whose read failed, or one of whose dumps changed meanwhile, stays marked to be learned again).
 */
function settleChunk(
  store: Store,
  chunk: { plans: Plan[]; rereads: Reread[] },
  read: Map<string, { file: DumpToLoad; result: LoadResult }>,
  problems: InputProblem[],
  opts: LearnOptions,
): { again: boolean; failed: boolean } {
  const again = new Set<number>();
  let failed = false;
  store.transaction(() => {
    for (const r of chunk.rereads) {
      const got = read.get(r.path);
      if (!got || (!got.result.ok && got.result.kind === 'unreadable-file')) {
        again.add(r.group);
        failed = true;
        continue;
      }
      const { file, result } = got;
      const blocks = result.ok ? result.observation.blocks : undefined;
      // The dump gives the blocks the store holds, in the same group: they stay, marked read with the template decided
      // for it. Otherwise its group learns again.
      const same = blocks !== undefined && blocks.group === r.groupName && sameBlocks(blocks, r.before);
      if (result.ok)
        recordFile(store, file, { observation: result.observation }, opts.now, {
          decided: same ? r.decided : undefined,
        });
      else {
        const { kind, reason, detail } = result;
        problems.push({ kind, where: file.path, reason, ...(detail ? { detail } : {}) });
        recordFile(store, file, { problem: result.reason, detail: result.detail }, opts.now);
      }
      if (!same) again.add(r.group);
    }
    for (const p of chunk.plans) {
      store.templates.setTemplate(p.group, p.id, p.template, again.has(p.group));
      if (!again.has(p.group)) store.templates.settle(p.group);
      if (p.changed && !opts.everySourceDirty) store.templates.markSourcesOf(p.group);
    }
    // The articles of the dumps read again, merged while their rows are in the page cache.
    mergeRecent(store, opts.now);
  });
  return { again: again.size > 0, failed };
}

/** True when a dump read again gives the blocks the store held (it did not change since). */
function sameBlocks(a: DumpBlocks, b: StoredBlocks): boolean {
  if (a.lines !== b.lines || a.middle !== b.middle || a.cut !== b.cut || a.notice !== b.notice) return false;
  if (a.prints.length !== b.prints.length) return false;
  for (let i = 0; i < a.prints.length; i++)
    if (a.prints[i] !== b.prints[i] || a.weights[i] !== b.weights[i]) return false;
  return true;
}
