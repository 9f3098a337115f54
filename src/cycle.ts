/**
 * The one orchestrator: dump folders → store → feeds. Per-item failures are collected and reported, never thrown
 * past it; only a failure of the store or the output folder ends a build.
 */
import { stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type {
  BuildSummary,
  Config,
  FeedStatus,
  FetchSummary,
  InputProblem,
  PageFetcher,
  ParsedPage,
  StoredArticle,
} from './types.js';
import { UrlStore } from './store/urls.js';
import { emptyFetchSummary, fetchStage } from './fetch/stage.js';
import type { Logger } from './log.js';
import { closeStore, openStore, storeFailure } from './store/db.js';
import { ArticleStore, type FeedRecord } from './store/articles.js';
import { listDumpFiles, walkFingerprint, type DumpFile } from './dumps/read.js';
import { pipeline, runnerFor, workerCount, type JobRunner } from './work/pool.js';
import type { ImageSpec } from './work/jobs.js';
import type { LoadResult } from './dumps/load.js';
import { planFeeds, type FeedGroup } from './sources.js';
import { imageSecret } from './store/secret.js';
import { renderOpml } from './feeds/opml.js';
import { renderIndex, type IndexEntry } from './feeds/index-page.js';
import { FEED_FILES, removeFeedFolder, writeIfChanged } from './feeds/write.js';
import { sha256 } from './keys.js';

/** Bump when rendering changes, so every feed is rendered again once. */
export const RENDER_VERSION = '2';
/** Dump files per read job. */
const READ_BATCH = 64;
/** Article keys merged per store transaction. */
const RECOMPUTE_BATCH = 1024;
/** Files recorded per store transaction while reading dumps. */
const COMMIT_FILES = 4096;
/** Dump files from which the folders are walked by two threads (measured: 20,000 files walk faster on one, 150,000 on two). */
const PARALLEL_WALK_FILES = 50_000;

export interface BuildOptions {
  log: Logger;
  /** Live fetching: left out, or `offline`, means no network. */
  live?: {
    offline: boolean;
    refetch: boolean;
    fetcher: PageFetcher | undefined;
    parsePage: (html: string, url: string) => ParsedPage;
  };
  /** Called as files are read: done, total. */
  progress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  now?: () => number;
}

function under(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
}

const problemOf = (where: string, reason: string, detail?: string | null): InputProblem => ({
  where,
  reason,
  ...(detail ? { detail } : {}),
});

/** Which listed files are new or changed since the store recorded them, and which recorded files are gone. */
function compareWithStore(
  config: Config,
  store: ArticleStore,
  files: DumpFile[],
  problems: InputProblem[],
): { changed: DumpFile[]; removed: string[] } {
  const unreadable = problems
    .filter((p) => p.reason === 'unreadable folder' || p.reason === 'broken link')
    .map((p) => p.where);
  const known = store.knownFiles();
  const seen = new Set<string>();
  const changed: DumpFile[] = [];
  for (const f of files) {
    seen.add(f.path);
    const k = known.get(f.path);
    if (k && k.size === f.size && k.mtimeMs === f.mtimeMs) {
      if (k.problem) problems.push(problemOf(f.path, k.problem, k.detail));
    } else changed.push(f);
  }
  // A file is gone only if its folder was read: an unreadable folder never empties a feed.
  const removed = [...known.keys()].filter((p) => !seen.has(p) && under(p, config.dumps) && !under(p, unreadable));
  return { changed, removed };
}

/**
 * Read and parse files (in worker threads when many, a few batches ahead) while this thread records the results as
 * they come, in transactions of about COMMIT_FILES files: SQLite's cost is per commit.
 */
async function readIntoStore(
  changed: DumpFile[],
  store: ArticleStore,
  problems: InputProblem[],
  opts: BuildOptions,
  runner: Runners,
): Promise<void> {
  const now = opts.now?.() ?? Date.now();
  const batches: Array<{ job: { kind: 'load'; files: DumpFile[] }; ctx: DumpFile[] }> = [];
  for (let i = 0; i < changed.length; i += READ_BATCH) {
    const files = changed.slice(i, i + READ_BATCH);
    batches.push({ job: { kind: 'load', files }, ctx: files });
  }
  store.sizeCacheFor(changed.length);
  let done = 0;
  const group = store.group();
  try {
    await pipeline(
      runner(batches.length),
      batches,
      (results, files) => {
        files.forEach((file, n) => {
          const r: LoadResult = results[n]!;
          if (r.ok) group.add(() => store.recordFile(file, { article: r.article }, now));
          else {
            problems.push(problemOf(file.path, r.reason, r.detail));
            // A read that failed (not a bad file) is not recorded: the file is read again next time.
            if (!r.transient) group.add(() => store.recordFile(file, { problem: r.reason, detail: r.detail }, now));
          }
        });
        // Merge as many articles as files came in, while the workers parse the next batches: the merge after reading
        // is then left with the keys that met another copy later.
        group.add(() => store.recomputePending(files.length, now));
        done += files.length;
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
}

/** Read new and changed dump files into the store; forget deleted ones. */
async function ingestDumps(
  config: Config,
  store: ArticleStore,
  problems: InputProblem[],
  opts: BuildOptions,
  runner: Runners,
) {
  const walkProblems = problems.length;
  // A tree that held many files last time is walked by two threads (a thread costs more than it saves on a small one).
  const before = store.walkFingerprint();
  const parallel = workerCount() > 0 && Number(before.split(':')[0]) >= PARALLEL_WALK_FILES;
  const files = await listDumpFiles(config.dumps, problems, { parallel });
  // Every file as it was when the folders were last read in full: nothing to compare file by file.
  const fingerprint = problems.length === walkProblems ? walkFingerprint(config.dumps, files) : '';
  if (fingerprint !== '' && fingerprint === before) {
    for (const p of store.fileProblems()) problems.push(problemOf(p.path, p.problem, p.detail));
    return { seen: files.length, read: 0, unchanged: files.length, removed: 0 };
  }
  const { changed, removed } = compareWithStore(config, store, files, problems);
  await readIntoStore(changed, store, problems, opts, runner);
  if (removed.length > 0)
    store.transaction(() => {
      for (const p of removed) store.forgetFile(p);
    });
  // Every file is now recorded as it is: the next build may skip the comparison if nothing moved. Not when a file
  // could not be read (it is read again next time).
  const transient = problems.some((p) => p.reason === 'unreadable file');
  store.setWalkFingerprint(transient ? '' : fingerprint);
  return {
    seen: files.length,
    read: changed.length,
    unchanged: files.length - changed.length,
    removed: removed.length,
  };
}

/**
 * Merge every pending article key; marks the sources whose feeds change. Yields between batches so the server and
 * signals stay responsive, and stops at a batch boundary when aborted (the keys left stay pending in the store).
 */
async function recomputePending(store: ArticleStore, now: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    if (store.transaction(() => store.recomputePending(RECOMPUTE_BATCH, now)) === 0) return;
    await new Promise<void>((r) => setImmediate(r));
  }
}

const GONE = new Set(['deleted', 'blocked']);

function applyFilters(g: FeedGroup | undefined, a: StoredArticle, keepDeleted: boolean): boolean {
  if (!keepDeleted && (GONE.has(a.state) || (a.notice && GONE.has(a.notice)))) return false;
  const c = g?.config;
  if (!c) return true;
  if (c.include?.length && !c.include.some((w) => a.title.includes(w))) return false;
  if (c.exclude?.some((w) => a.title.includes(w))) return false;
  return true;
}

/** The first `limit` articles a feed shows. */
function take(
  items: Iterable<StoredArticle>,
  g: FeedGroup | undefined,
  limit: number,
  keepDeleted: boolean,
): StoredArticle[] {
  const out: StoredArticle[] = [];
  if (limit <= 0) return out;
  for (const a of items) {
    if (!applyFilters(g, a, keepDeleted)) continue;
    out.push(a);
    if (out.length >= limit) break;
  }
  return out;
}

async function feedFilesExist(dir: string): Promise<boolean> {
  try {
    await Promise.all(FEED_FILES.map((f) => stat(join(dir, f))));
    return true;
  } catch {
    return false;
  }
}

async function outputsPresent(config: Config, records: Map<string, FeedRecord>): Promise<boolean> {
  const checks = [...records.keys()].map((slug) => feedFilesExist(join(config.output, slug)));
  checks.push(
    stat(join(config.output, 'feeds.opml'))
      .then(() => stat(join(config.output, 'index.html')))
      .then(
        () => true,
        () => false,
      ),
  );
  return (await Promise.all(checks)).every(Boolean);
}

interface Published {
  written: string[];
  feedsWritten: number;
  feedsUnchanged: number;
}

/** Render the feeds whose articles or settings changed, then all/, the OPML and the index page. */
async function publish(
  config: Config,
  store: ArticleStore,
  problems: InputProblem[],
  opts: BuildOptions,
  runner: Runners,
): Promise<Published & { sources: number }> {
  const now = opts.now?.() ?? Date.now();
  const dirty = store.dirtySources();
  const records = store.feeds();
  const images = imageSettings(config, store);
  const configSig = sha256(
    JSON.stringify([RENDER_VERSION, config.baseUrl, config.feed, config.images, images.secretId]),
  ).slice(0, 16);
  const planSig = sha256(JSON.stringify([configSig, config.sources, config.output])).slice(0, 16);
  const out: Published = { written: [], feedsWritten: 0, feedsUnchanged: 0 };
  // Nothing changed since the last complete publish: check the files are still there and stop.
  if (dirty.size === 0 && store.meta('published') === planSig && (await outputsPresent(config, records))) {
    return { ...out, sources: records.size - (records.has('all') ? 1 : 0) };
  }
  const groups = planFeeds(store.sourceStats(), config.sources);
  // Which feeds to render: those whose articles or settings changed, or whose files are missing.
  const toRender: Array<{
    slug: string;
    title: string;
    signature: string;
    labels?: string[];
    group?: FeedGroup;
    limit: number;
  }> = [];
  for (const g of groups) {
    const signature = sha256(JSON.stringify([configSig, g.title, [...g.labels].sort(), g.config ?? null])).slice(0, 16);
    const changed = g.labels.some((l) => dirty.has(l)) || records.get(g.slug)?.signature !== signature;
    if (changed || !(await feedFilesExist(join(config.output, g.slug)))) {
      toRender.push({
        slug: g.slug,
        title: g.title,
        signature,
        labels: g.labels,
        group: g,
        limit: g.config?.limit ?? config.feed.limit,
      });
    }
  }
  const current = new Set(groups.map((g) => g.slug));
  const gone = [...records.keys()].filter((slug) => slug !== 'all' && !current.has(slug));
  const allTitle = config.feed.title ?? 'All accounts';
  const allSig = sha256(JSON.stringify([configSig, allTitle])).slice(0, 16);
  if (
    toRender.length > 0 ||
    gone.length > 0 ||
    dirty.size > 0 ||
    records.get('all')?.signature !== allSig ||
    !(await feedFilesExist(join(config.output, 'all')))
  ) {
    toRender.push({ slug: 'all', title: allTitle, signature: allSig, limit: config.feed.limit });
  }
  // Articles are read from the store as each job is taken; bodies are rendered and feeds serialised in workers.
  const jobs = function* () {
    for (const f of toRender) {
      const items = take(store.articlesFor(f.labels), f.group, f.limit, config.feed.keepDeleted);
      const meta = feedMeta(config, f.slug, f.title, `${config.baseUrl}${f.slug}/`);
      yield {
        job: { kind: 'render' as const, meta, items, images: images.spec, dir: join(config.output, f.slug) },
        ctx: { f, newest: items[0] },
      };
    }
  };
  const reread = new Set<string>();
  await pipeline(
    runner(toRender.length),
    jobs(),
    (rendered, { f, newest }) => {
      // A dump that no longer holds the body the store knows was edited or removed during this build: the feed
      // shows what the file holds now (or no text), and the next build reads the file again.
      for (const s of rendered.stale) {
        if (reread.has(s.path)) continue;
        reread.add(s.path);
        store.markFileStale(s.path);
        problems.push({ where: s.path, reason: s.reason });
      }
      out.written.push(...rendered.written);
      if (rendered.written.length > 0) out.feedsWritten++;
      else out.feedsUnchanged++;
      const count = f.group ? f.group.articles : store.counts().articles;
      store.saveFeed(record(f.slug, f.title, f.signature, count, newest), now);
    },
    opts.signal,
  );
  for (const slug of gone) {
    await removeFeedFolder(join(config.output, slug));
    store.deleteFeed(slug);
  }
  await writeIndexAndOpml(config, store, groups, out);
  store.transaction(() => {
    store.clearDirtySources();
    store.setMeta('feed-labels', JSON.stringify(Object.fromEntries(groups.map((g) => [g.slug, g.labels]))));
    store.setMeta('published', planSig);
  });
  return { ...out, sources: groups.length };
}

/** Image handling for rendering; in proxy mode, WeChat images point at our signed proxy. */
function imageSettings(config: Config, store: ArticleStore): { spec: ImageSpec; secretId: string | null } {
  if (config.images !== 'proxy') return { spec: { mode: config.images, baseUrl: config.baseUrl }, secretId: null };
  const secret = config.imageProxy.secret ?? imageSecret(store);
  return { spec: { mode: 'proxy', baseUrl: config.baseUrl, secret }, secretId: sha256(secret).slice(0, 8) };
}

function feedMeta(config: Config, slug: string, title: string, base: string) {
  return {
    id: `urn:wxfeed:feed:${slug}`,
    title,
    description:
      slug === 'all' ? `Every account followed with wxfeed` : `WeChat articles of ${title}, published by wxfeed`,
    selfBase: base,
    home: `${config.baseUrl}#${encodeURIComponent(slug)}`,
    author: title,
  };
}

function record(
  slug: string,
  title: string,
  signature: string,
  items: number,
  newest: StoredArticle | undefined,
): FeedRecord {
  return {
    slug,
    title,
    signature,
    items,
    newestTitle: newest?.title ?? null,
    newestLink: newest?.link ?? null,
    newestDate: newest?.date ?? null,
  };
}

async function writeIndexAndOpml(
  config: Config,
  store: ArticleStore,
  groups: FeedGroup[],
  out: Published,
): Promise<void> {
  const records = store.feeds();
  const entry = (slug: string, title: string): IndexEntry => {
    const r = records.get(slug);
    return {
      slug,
      title,
      items: r?.items ?? 0,
      base: `${config.baseUrl}${slug}/`,
      ...(r?.newestTitle ? { newestTitle: r.newestTitle } : {}),
      ...(r?.newestLink ? { newestLink: r.newestLink } : {}),
      ...(r?.newestDate !== null && r?.newestDate !== undefined ? { newestDate: r.newestDate } : {}),
    };
  };
  const entries = groups.map((g) => entry(g.slug, g.title));
  const title = config.feed.title ?? 'wxfeed';
  const all = entry('all', config.feed.title ?? 'All accounts');
  const opml = renderOpml(
    title,
    entries.map((e) => ({
      title: e.title,
      xmlUrl: `${e.base}atom.xml`,
      htmlUrl: `${config.baseUrl}#${encodeURIComponent(e.slug)}`,
    })),
  );
  for (const [name, content] of [
    ['feeds.opml', opml],
    ['index.html', renderIndex(title, config.baseUrl, all, entries)],
  ] as const) {
    const path = join(config.output, name);
    if (await writeIfChanged(path, content)) out.written.push(path);
  }
}

/** What each published feed holds and when its source was last fetched (for /healthz). */
function feedStatus(store: ArticleStore, urls: UrlStore): FeedStatus[] {
  const fetches = urls.fetchStateBySource();
  const bySlug = new Map<string, FeedStatus['lastFetch']>();
  const labels = store.meta('feed-labels');
  const slugLabels = labels ? (JSON.parse(labels) as Record<string, string[]>) : {};
  for (const [slug, list] of Object.entries(slugLabels)) {
    const latest = list
      .map((l) => fetches.get(l))
      .filter((f) => f !== undefined)
      .sort((a, b) => b.lastFetchAt - a.lastFetchAt)[0];
    if (latest)
      bySlug.set(slug, {
        result: latest.lastResult,
        at: new Date(latest.lastFetchAt).toISOString(),
        ...(latest.lastReason ? { reason: latest.lastReason } : {}),
      });
  }
  return [...store.feeds().values()].map((f) => ({
    slug: f.slug,
    title: f.title,
    items: f.items,
    ...(f.newestTitle ? { newest: f.newestTitle } : {}),
    ...(bySlug.get(f.slug) ? { lastFetch: bySlug.get(f.slug) } : {}),
  }));
}

/** Debug log of how long each phase took. */
function stopwatch(log: Logger): (phase: string, fields?: Record<string, unknown>) => void {
  let last = performance.now();
  return (phase, fields = {}) => {
    const now = performance.now();
    const mem = process.memoryUsage();
    log.debug(
      {
        phase,
        ms: Math.round(now - last),
        rssMb: Math.round(mem.rss / 2 ** 20),
        heapMb: Math.round(mem.heapUsed / 2 ** 20),
        ...fields,
      },
      'build phase done',
    );
    last = now;
  };
}

/** The job runner for a phase with about `jobs` jobs: the build's worker pool, started on first need. */
type Runners = (jobs: number) => JobRunner;

/** One build: what `wxfeed build` and each daemon cycle do. */
export async function build(config: Config, opts: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const db = openStore(config.store);
  let clean = false;
  let pool: JobRunner | undefined;
  const workerFailed = (reason: string): void =>
    opts.log.warn({ reason }, 'a worker thread failed: its work runs on the main thread');
  // A phase with few jobs runs them here; the first phase with many starts the pool, which later phases share.
  const runner: Runners = (jobs) => {
    if (pool) return pool;
    const r = runnerFor(jobs, workerFailed);
    if (r.threaded) pool = r;
    return r;
  };
  try {
    const store = new ArticleStore(db);
    const problems: InputProblem[] = [];
    const lap = stopwatch(opts.log);
    const ingest = await ingestDumps(config, store, problems, opts, runner);
    lap('ingest', { read: ingest.read, unchanged: ingest.unchanged, removed: ingest.removed });
    await recomputePending(store, opts.now?.() ?? Date.now(), opts.signal);
    lap('merge');
    let fetched: FetchSummary = emptyFetchSummary(opts.live?.offline ?? true);
    if (opts.live) {
      const dumpsChanged = ingest.read > 0 || ingest.removed > 0;
      fetched = await fetchStage(config, store, new UrlStore(db), {
        ...opts.live,
        dumpsChanged: dumpsChanged || store.meta('dump-urls') !== 'synced',
        log: opts.log,
        now: opts.now ?? Date.now,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (!opts.live.offline) store.setMeta('dump-urls', 'synced');
      else if (dumpsChanged) store.setMeta('dump-urls', 'pending');
      await recomputePending(store, opts.now?.() ?? Date.now(), opts.signal);
      lap('fetch', { fetched: fetched.fetched, due: fetched.due });
    }
    const published = await publish(config, store, problems, opts, runner);
    lap('publish', { written: published.written.length, workers: pool?.parallelism ?? 0 });
    const counts = store.counts();
    const feeds = feedStatus(store, new UrlStore(db));
    clean = true;
    return {
      fetch: fetched,
      feeds,
      filesSeen: ingest.seen,
      filesRead: ingest.read,
      filesUnchanged: ingest.unchanged,
      filesRemoved: ingest.removed,
      problems,
      articles: counts.articles,
      duplicatesMerged: counts.observations - counts.articles,
      sources: published.sources,
      feedsWritten: published.feedsWritten,
      feedsUnchanged: published.sources + 1 - published.feedsWritten,
      filesWritten: published.written,
      elapsedMs: performance.now() - started,
      outputDir: config.output,
    };
  } catch (error) {
    throw storeFailure(config.store, error);
  } finally {
    await pool?.close();
    closeStore(db, clean);
  }
}
