/**
 * The dumps stage: walk the dump folders, read new and changed files into the store, and forget those gone or under
 * folders no longer configured. A removal that looks like an unmounted disk (every file of a folder, or more than half
 * of the known files at once) is refused unless confirmed (`prune`).
 */
import { opendirSync, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { FreshRead, forgetFile, mergeRecent, recordFile } from '../../catalog/catalog.js';
import { indexUsable, listChangedFolders, scanFolders } from '../../io/dumps/folders.js';
import type { FolderIndex } from '../../store/meta.js';
import type { KnownFile } from '../../store/files.js';
import type { Store, WriteGroup } from '../../store/store.js';
import type { Config, InputProblem, ProblemKind } from '../../types.js';
import { pipeline, type RunnerFor, workerCount } from '../../work/pool.js';
import { loadJob, READ_BATCH } from './jobs.js';
import { type LearnResult, learnTemplates } from './learn.js';
import { collectGarbage, LARGE_READ } from '../../memory.js';
import type { LoadResult } from '../../io/dumps/load.js';
import {
  archiveName,
  type DumpFile,
  FirstNames,
  listDumpFiles,
  NOT_STATED,
  walkFingerprint,
} from '../../io/dumps/read.js';

/** Files recorded per store transaction while reading dumps. */
const COMMIT_FILES = 4096;
/** Dump files from which the folders are walked by two threads (bench/README.md). */
const PARALLEL_WALK_FILES = 50_000;

export interface IngestOptions {
  /** The dump folders (config.dumps). */
  roots: readonly string[];
  runner: RunnerFor;
  now: number;
  /** Called as files are read: done, total. */
  progress?: ((done: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Confirm a removal the guard would refuse (`wxfeed build --prune`). */
  prune?: boolean | undefined;
  /** Walk every file, whatever the folder index says (`wxfeed build --rescan`). */
  rescan?: boolean | undefined;
}

export interface IngestResult {
  seen: number;
  read: number;
  unchanged: number;
  removed: number;
  /** Files used despite a problem (an unreadable date, and the fallback taken): listed, and published. */
  warnings: InputProblem[];
  /** Sites' page templates learned again, and dumps read again with them (learn.ts). */
  templates: LearnResult;
  /** How long learning them took (ms). */
  learnMs: number;
}

/** What reading the dumps is told: the build's options, and whether the store held no observation when it began. */
type ReadOptions = IngestOptions & { firstRead: boolean };

function under(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
}

/** One folder in a refused removal: how many of its known files would be forgotten. */
interface RemovalFolder {
  folder: string;
  known: number;
  gone: number;
  /** False: a folder no longer in the config (all its files go). */
  configured: boolean;
}

/**
 * A removal refused (every file of a dumps folder gone, more than half of the known files, or a folder vanished during
 * the build); nothing was forgotten. `describe` words it, the names quoted as the caller prints them.
 */
class RemovalRefused extends Error {
  override name = 'RemovalRefused';

  constructor(
    readonly why: 'all of a folder' | 'more than half' | 'vanished',
    readonly removing: number,
    readonly known: number,
    readonly folders: RemovalFolder[],
  ) {
    super();
    // One line: what a log line or /healthz carries.
    this.message = this.describe((n) => n, 'wxfeed build --prune', false);
  }

  /** The refusal in words, the names through `quote`; on several lines (a terminal) or one (a log). */
  describe(quote: (name: string) => string = (n) => n, prune = 'wxfeed build --prune', lines = true): string {
    if (this.why === 'vanished') {
      const names = this.folders.map((f) => `dumps folder ${quote(f.folder)}`).join(', ');
      return `${names} vanished during the build (missing or empty after ${this.folders.map((f) => f.known).join(', ')} files were listed there); nothing was forgotten, and the next build reads it again`;
    }
    const head = `refusing to forget ${this.removing} of the ${this.known} known dump files${this.why === 'more than half' ? ' at once (more than half)' : ''}; nothing was removed`;
    const folders = this.folders.map((f) =>
      !f.configured
        ? `${quote(f.folder)}: ${f.gone} files, no longer a dumps folder of the config`
        : f.gone === f.known
          ? `${quote(f.folder)}: none of its ${f.known} files found (a disk not mounted?)`
          : `${quote(f.folder)}: ${f.gone} of its ${f.known} files gone`,
    );
    const tail = `If the files were removed on purpose, run \`${prune}\` to forget them.`;
    return lines
      ? [`${head}:`, ...folders.map((f) => `  ${f}`), tail].join('\n')
      : `${head} (${folders.join('; ')}). ${tail}`;
  }
}

/** The deepest folder holding every path. */
function commonFolder(paths: readonly string[]): string {
  let common = dirname(paths[0]!);
  for (const p of paths) while (!under(p, [common]) && dirname(common) !== common) common = dirname(common);
  return common;
}

/** The folders of a removal, with counts: configured ones that lose files, and the dropped ones. */
function removalFolders(
  config: Config,
  known: ReadonlyMap<string, unknown>,
  removed: readonly string[],
  before: readonly string[],
): RemovalFolder[] {
  const folders: RemovalFolder[] = [];
  for (const root of config.dumps) {
    const gone = removed.filter((p) => under(p, [root])).length;
    if (gone === 0) continue;
    let count = 0;
    for (const p of known.keys()) if (under(p, [root])) count++;
    folders.push({ folder: root, known: count, gone, configured: true });
  }
  // Files under no configured folder: grouped by the folder they were read from (or, in a store that never recorded
  // its folders, by the folder they share).
  const dropped = new Map<string, string[]>();
  const stray = removed.filter((p) => !under(p, config.dumps));
  for (const p of stray) {
    const root = before.find((r) => under(p, [r])) ?? '';
    dropped.set(root, [...(dropped.get(root) ?? []), p]);
  }
  for (const [root, paths] of dropped) {
    const folder = root || commonFolder(paths);
    folders.push({ folder, known: paths.length, gone: paths.length, configured: false });
  }
  return folders;
}

/**
 * Refuse a removal that looks like a disk that is not mounted: every file of a configured folder, or more than half
 * of the known files at once (a folder dropped from the config counts here too). `prune` confirms it.
 */
function guardRemoval(
  config: Config,
  store: Store,
  known: ReadonlyMap<string, unknown>,
  removed: readonly string[],
  prune: boolean,
): void {
  if (removed.length === 0 || prune) return;
  const before = store.meta.dumpRoots.get() ?? [];
  const folders = removalFolders(config, known, removed, before);
  const allOfOne = folders.some((f) => f.configured && f.gone === f.known);
  const moreThanHalf = removed.length * 2 > known.size;
  if (allOfOne || moreThanHalf)
    throw new RemovalRefused(allOfOne ? 'all of a folder' : 'more than half', removed.length, known.size, folders);
}

/** True when the folder exists and holds at least one entry (an unmounted disk leaves an empty mount point). */
function hasEntries(folder: string): boolean {
  try {
    const dir = opendirSync(folder);
    try {
      return dir.readSync() !== null;
    } finally {
      dir.closeSync();
    }
  } catch {
    return false;
  }
}

/**
 * A problem recorded with a file, reported again: a warning when the file's copy is used anyway (it has an
 * observation: an unreadable date), else a problem (the file was skipped).
 */
function reportRecorded(
  store: Store,
  where: { path: string; problem: string; detail: string | null },
  problems: InputProblem[],
  warnings: InputProblem[],
): void {
  const used = store.observations.keyAndSource(`file:${where.path}`) !== undefined;
  (used ? warnings : problems).push(
    problemOf(used ? 'dump-warning' : 'bad-dump', where.path, where.problem, where.detail),
  );
}

/** An input problem, with its detail when there is one. */
const problemOf = (kind: ProblemKind, where: string, reason: string, detail?: string | null): InputProblem => ({
  kind,
  where,
  reason,
  ...(detail ? { detail } : {}),
});

/** Which listed files are new or changed since the store recorded them, and which recorded files are gone. */
function compareWithStore(
  store: Store,
  files: DumpFile[],
  problems: InputProblem[],
  warnings: InputProblem[],
): { changed: DumpFile[]; removed: string[]; known: Map<string, unknown> } {
  const known = store.files.known();
  // A first build: every file is new, and none is gone.
  if (known.size === 0) return { changed: files, removed: [], known };
  const unreadable = problems
    .filter((p) => p.kind === 'unreadable-folder' || p.kind === 'broken-link')
    .map((p) => p.where);
  const seen = new Set<string>();
  const changed: DumpFile[] = [];
  for (const f of files) {
    seen.add(f.path);
    const k = known.get(f.path);
    if (k && k.size === f.size && k.mtimeMs === f.mtimeMs) {
      if (k.problem) reportRecorded(store, { path: f.path, problem: k.problem, detail: k.detail }, problems, warnings);
    } else changed.push(f);
  }
  // A file is gone only if its folder was read: an unreadable folder never empties a feed. A file under no
  // configured folder is gone too: the store follows the config.
  const removed = [...known.keys()].filter((p) => !seen.has(p) && !under(p, unreadable));
  return { changed, removed, known };
}

/** What filing the read files shares across batches. */
interface Filing {
  store: Store;
  now: number;
  group: WriteGroup;
  /** A first build: what each batch files is merged from memory (catalog.ts FreshRead). */
  fresh: FreshRead | undefined;
  /** A listing made without looking at the files: each is known once read. */
  names: FirstNames | undefined;
  problems: InputProblem[];
  warnings: InputProblem[];
  /** Files left out of the listing. */
  left: Set<DumpFile>;
}

/**
 * Reads and parses files (in worker threads when many) while this thread records the results in transactions of
 * about COMMIT_FILES files, since SQLite's cost is per commit. Returns the files left out of the listing (`leftOut`).
 */
async function readIntoStore(
  changed: DumpFile[],
  store: Store,
  problems: InputProblem[],
  warnings: InputProblem[],
  opts: ReadOptions,
): Promise<Set<DumpFile>> {
  const { now } = opts;
  const batches = readBatches(changed, opts.roots);
  store.sizeCacheFor(changed.length);
  const fresh = changed.length > 0 && opts.firstRead ? new FreshRead() : undefined;
  const group = store.group();
  const names = changed.some((f) => f.size === NOT_STATED) ? new FirstNames() : undefined;
  const filing: Filing = { store, now, group, fresh, names, problems, warnings, left: new Set() };
  let done = 0;
  // A first build looks nothing up by key while it reads (FreshRead): its indexes are built once, after.
  if (fresh) store.bulkInsert();
  try {
    await pipeline(
      opts.runner(batches.length),
      loadJob,
      batches,
      (results, listed) => {
        for (let n = 0; n < listed.length; n++) fileRead(filing, listed[n]!, results[n]!);
        // Merge the keys of the files just recorded, while the workers parse the next batches (their rows are still
        // in the page cache): a key another file meets later is merged again then.
        group.add(() => mergeRecent(store, now, fresh));
        done += listed.length;
        if (group.size >= COMMIT_FILES) group.commit();
        opts.progress?.(done, changed.length);
      },
      opts.signal,
    );
    group.commit();
  } catch (error) {
    group.rollback();
    throw error;
  }
  if (fresh) store.indexed();
  return filing.left;
}

/** The read jobs, READ_BATCH files each, with the listed files their results are filed under. */
function readBatches(changed: DumpFile[], roots: readonly string[]): Array<{ input: DumpFile[]; ctx: DumpFile[] }> {
  const batches: Array<{ input: DumpFile[]; ctx: DumpFile[] }> = [];
  for (let i = 0; i < changed.length; i += READ_BATCH) {
    const listed = changed.slice(i, i + READ_BATCH);
    const files = listed.map((f) => ({
      path: f.path,
      size: f.size,
      mtimeMs: f.mtimeMs,
      seed: archiveName(f.path, roots),
    }));
    batches.push({ input: files, ctx: listed });
  }
  return batches;
}

/** File what reading one file gave: its observation (and its warning), or its problem. */
function fileRead(filing: Filing, file: DumpFile, r: LoadResult): void {
  const { store, now, group, fresh, problems, warnings } = filing;
  if (filing.names && leftOut(filing, filing.names, file, r)) return;
  const isNew = fresh !== undefined;
  if (r.ok) {
    // A copy used despite a problem (an unreadable date): the file is recorded with the problem, so it is
    // listed again on every build until the file changes.
    const warning = r.observation.warning;
    if (warning) warnings.push(problemOf('dump-warning', file.path, warning.reason, warning.detail));
    group.add(() => {
      const stored = recordFile(store, file, { observation: r.observation }, now, { isNew });
      fresh?.add(stored, store.observations.lastInserted());
      if (warning) store.files.put(file, warning.reason, warning.detail);
    });
  } else {
    problems.push(problemOf(r.kind, file.path, r.reason, r.detail));
    // A read that failed (not a bad file) is not recorded: the file is read again next time.
    if (r.kind !== 'unreadable-file')
      group.add(() => recordFile(store, file, { problem: r.reason, detail: r.detail }, now, { isNew }));
  }
}

/**
 * Gives a file listed unlooked-at (NOT_STATED) the size and time the read found, or leaves it out as a walk would
 * (true): a second name of a file (the first in path order is read) or a file that could not be opened.
 */
function leftOut(filing: Filing, names: FirstNames, file: DumpFile, r: LoadResult): boolean {
  const found = r.found;
  if (found) {
    if (!names.first(found.dev, found.ino)) {
      filing.left.add(file);
      return true;
    }
    file.size = found.size;
    file.mtimeMs = found.mtimeMs;
  } else if (!r.ok && file.size === NOT_STATED) {
    // Not opened (a transient failure): reported, and left out of the listing, as a walk leaves it.
    filing.problems.push(problemOf(r.kind, file.path, r.reason, r.detail));
    filing.left.add(file);
    return true;
  }
  return false;
}

/** The files recorded with a problem whose size or time changed since; undefined when one is gone (a removal). */
function problemFilesChanged(store: Store, recorded: Array<{ path: string }>): DumpFile[] | undefined {
  if (recorded.length === 0) return [];
  const changed: DumpFile[] = [];
  for (const { path } of recorded) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      return undefined;
    }
    const file = { path, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
    const k = store.files.get(path);
    if (!k || k.size !== file.size || k.mtimeMs !== file.mtimeMs) changed.push(file);
  }
  return changed;
}

/**
 * The quick way, when the folder index is recent: stat the folders, list only those that changed, read their new and
 * changed files. Undefined when only a full walk may judge (a folder gone or unreadable, a link, a file removed).
 */
async function quickIngest(
  store: Store,
  problems: InputProblem[],
  opts: ReadOptions,
  index: FolderIndex,
): Promise<Omit<IngestResult, 'templates' | 'learnMs'> | undefined> {
  const scan = scanFolders(index);
  if (scan.full) return undefined;
  const warnings: InputProblem[] = [];
  // Files recorded with a problem are few and the likeliest to be fixed by hand (in place): each is checked.
  const recorded = store.files.problems();
  const fixed = problemFilesChanged(store, recorded);
  if (fixed === undefined) return undefined;
  if (scan.changed.length === 0 && fixed.length === 0) {
    for (const p of recorded) reportRecorded(store, p, problems, warnings);
    const seen = store.files.count();
    return { seen, read: 0, unchanged: seen, removed: 0, warnings };
  }
  const listing = listChangedFolders(scan.changed, index);
  if (listing.full) return undefined;
  for (const f of fixed) if (!scan.changed.includes(dirname(f.path))) listing.files.push(f);
  // What the store recorded where the listing looked: the changed folders' own files, and all of a new folder's.
  const known = new Map<string, KnownFile>();
  for (const dir of scan.changed) {
    for (const [path, k] of store.files.under(dir.endsWith(sep) ? dir : dir + sep)) {
      if (dirname(path) === dir) known.set(path, k);
    }
  }
  for (const dir of listing.newFolders) for (const [path, k] of store.files.under(dir + sep)) known.set(path, k);
  const listed = new Set(listing.files.map((f) => f.path));
  for (const path of known.keys()) if (!listed.has(path)) return undefined;
  const changed = listing.files.filter((f) => {
    const k = known.get(f.path);
    return !k || k.size !== f.size || k.mtimeMs !== f.mtimeMs;
  });
  const reading = new Set(changed.map((f) => f.path));
  for (const p of recorded) if (!reading.has(p.path)) reportRecorded(store, p, problems, warnings);
  await readIntoStore(changed, store, problems, warnings, opts);
  const transient = problems.some((p) => p.kind === 'unreadable-file');
  if (transient) store.meta.folders.clear();
  else {
    const folders = { ...index.folders, ...Object.fromEntries(listing.folders) };
    store.meta.folders.set({ ...index, folders });
  }
  const seen = store.files.count();
  return { seen, read: changed.length, unchanged: seen - changed.length, removed: 0, warnings };
}

/**
 * Reads new and changed dump files into the store, forgets deleted ones, then learns again the templates of the sites
 * still marked (learn.ts) however the files were found, so a build killed while learning finishes in the next.
 */
export async function ingestDumps(
  config: Config,
  store: Store,
  problems: InputProblem[],
  opts: IngestOptions,
): Promise<IngestResult> {
  // A store with no observation yet (a first build): what is read is merged from memory, and each observation filed
  // marks its source dirty (catalog.ts putObservation).
  const firstRead = store.observations.isEmpty();
  const result = await readDumps(config, store, problems, { ...opts, firstRead });
  // What reading many files left behind is collected before learning reads more (memory.ts).
  if (result.read >= LARGE_READ) collectGarbage();
  const started = performance.now();
  const templates = await learnTemplates(store, problems, { ...opts, everySourceDirty: firstRead });
  return { ...result, templates, learnMs: Math.round(performance.now() - started) };
}

/** Read new and changed dump files into the store; forget deleted ones. */
async function readDumps(
  config: Config,
  store: Store,
  problems: InputProblem[],
  opts: ReadOptions,
): Promise<Omit<IngestResult, 'templates' | 'learnMs'>> {
  const index = store.meta.folders.get();
  if (!opts.rescan && indexUsable(index, config.dumps, opts.now)) {
    const quick = await quickIngest(store, problems, opts, index!);
    if (quick) return quick;
  }
  const walk = await walkFolders(config, store, problems);
  // Every file as it was when the folders were last read in full: nothing to compare file by file.
  const fingerprint = walk.statFiles && walk.clean ? walkFingerprint(config.dumps, walk.listing) : '';
  if (fingerprint !== '' && fingerprint === walk.before) {
    const warnings: InputProblem[] = [];
    for (const p of store.files.problems()) reportRecorded(store, p, problems, warnings);
    keepIndex(config, store, problems, opts.now, walk);
    return { seen: walk.listing.length, read: 0, unchanged: walk.listing.length, removed: 0, warnings };
  }
  return readWalked(config, store, problems, opts, walk, fingerprint);
}

/** A full walk of the dump folders. */
interface Walk {
  listing: DumpFile[];
  /** Each folder walked, with its time: the folder index. */
  folders: Array<[string, number]>;
  /** The walk looked at each file; not in a first build, whose read looks at each. */
  statFiles: boolean;
  /** The walk met no problem (an unreadable folder, a broken link). */
  clean: boolean;
  /** The fingerprint of the last full walk, or ''. */
  before: string;
}

/** List every dump file of the configured folders. */
async function walkFolders(config: Config, store: Store, problems: InputProblem[]): Promise<Walk> {
  const walkProblems = problems.length;
  // A tree that held many files last time is walked by two threads (a thread costs more than it saves on a small one).
  const before = store.meta.walk.get() ?? '';
  const parallel = workerCount() > 0 && Number(before.split(':')[0]) >= PARALLEL_WALK_FILES;
  const folders: Array<[string, number]> = [];
  // No file recorded (a first build): every file is read, and the read looks at each; the walk need not.
  const statFiles = store.files.count() > 0;
  const listing = await listDumpFiles(config.dumps, problems, { parallel, folders, statFiles });
  // A large listing made without looking at the files leaves a young heap that V8 sizes the read's collections
  // from: collected once here, the read's heap stays near what is live (memory.ts).
  if (!statFiles && listing.length >= LARGE_READ) collectGarbage();
  return { listing, folders, statFiles, clean: problems.length === walkProblems, before };
}

/** The index of this walk, kept when every folder and file could be read (else the next build walks again). */
function keepIndex(config: Config, store: Store, problems: InputProblem[], now: number, walk: Walk): void {
  const clean = walk.clean && !problems.some((p) => p.kind === 'unreadable-file');
  if (!clean) store.meta.folders.clear();
  else {
    const index: FolderIndex = {
      roots: [...config.dumps],
      verifiedAt: now,
      folders: Object.fromEntries(walk.folders),
    };
    store.meta.folders.set(index);
  }
}

/**
 * Compare the walk with the store, read what is new or changed, forget what is gone, and keep the walk's
 * fingerprint and index for the next build.
 */
async function readWalked(
  config: Config,
  store: Store,
  problems: InputProblem[],
  opts: ReadOptions,
  walk: Walk,
  fingerprint: string,
): Promise<Omit<IngestResult, 'templates' | 'learnMs'>> {
  const warnings: InputProblem[] = [];
  const { changed, removed, known } = compareWithStore(store, walk.listing, problems, warnings);
  guardRemoval(config, store, known, removed, opts.prune ?? false);
  const left = await readIntoStore(changed, store, problems, warnings, opts);
  // A listing made without looking at the files: it now holds them as the read found them, but for those left out.
  const files = left.size > 0 ? walk.listing.filter((f) => !left.has(f)) : walk.listing;
  const read = changed.length - left.size;
  const walked = !walk.statFiles && walk.clean ? walkFingerprint(config.dumps, files) : fingerprint;
  refuseVanished(config, files, removed.length, known.size);
  if (removed.length > 0)
    store.transaction(() => {
      for (const p of removed) forgetFile(store, p);
    });
  const roots = store.meta.dumpRoots.get();
  if (JSON.stringify(roots) !== JSON.stringify(config.dumps)) store.meta.dumpRoots.set(config.dumps);
  // Every file is now recorded as it is: the next build may skip the comparison if nothing moved. Not when a file
  // could not be read (it is read again next time).
  const transient = problems.some((p) => p.kind === 'unreadable-file');
  store.meta.walk.set(transient ? '' : walked);
  keepIndex(config, store, problems, opts.now, walk);
  return { seen: files.length, read, unchanged: files.length - read, removed: removed.length, warnings };
}

/**
 * A folder that went away while the files were read (a disk unmounted): what the walk did not find there may still
 * be on it. Nothing is forgotten, and the build stops before it publishes from a folder that is not there.
 */
function refuseVanished(config: Config, files: readonly DumpFile[], removing: number, known: number): void {
  const listed = config.dumps.map((root) => files.filter((f) => under(f.path, [root])).length);
  const vanished = config.dumps
    .map((folder, i) => ({ folder, known: listed[i]!, gone: listed[i]!, configured: true }))
    .filter((f) => f.known > 0 && !hasEntries(f.folder));
  if (vanished.length > 0) throw new RemovalRefused('vanished', removing, known, vanished);
}
