/**
 * The one orchestrator: dump folders → store → feeds. Per-item failures are collected and reported, never thrown
 * past it; only a failure of the store or the output folder ends a build.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { BuildSummary, Config, FeedArticle, FeedStatus, FetchSummary, InputProblem, PageFetcher, ParsedPage } from './types.js';
import { UrlStore } from './store/urls.js';
import { emptyFetchSummary, fetchStage } from './fetch/stage.js';
import type { Logger } from './log.js';
import { closeStore, openStore, storeFailure } from './store/db.js';
import { ArticleStore, type FeedRecord } from './store/articles.js';
import { listDumpFiles, type DumpFile } from './dumps/read.js';
import { MAX_DUMP_BYTES, parseDump, type DumpParse } from './dumps/parse.js';
import { planFeeds, type FeedGroup } from './sources.js';
import { renderFeeds, type ImageOptions } from './feeds/render.js';
import { signedImagePath } from './server/image-sign.js';
import { imageSecret } from './store/secret.js';
import { renderOpml } from './feeds/opml.js';
import { renderIndex, type IndexEntry } from './feeds/index-page.js';
import { removeFeedFolder, writeIfChanged } from './feeds/write.js';
import { sha256 } from './keys.js';

/** Bump when rendering changes, so every feed is rendered again once. */
export const RENDER_VERSION = '1';
const READ_BATCH = 256;
const READ_CONCURRENCY = 8;
const RECOMPUTE_BATCH = 1000;
const FEED_FILES = ['atom.xml', 'rss.xml', 'feed.json'] as const;

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

async function readAndParse(file: DumpFile): Promise<DumpParse | { ok: false; reason: string; detail?: string; transient: true }> {
  if (file.size > MAX_DUMP_BYTES) return { ok: false, reason: 'file over 5 MB' };
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    return { ok: false, reason: 'unreadable file', detail: (error as NodeJS.ErrnoException).code, transient: true };
  }
  try {
    return parseDump(bytes, { path: file.path, mtimeMs: file.mtimeMs });
  } catch (error) {
    return { ok: false, reason: 'parser failure', detail: (error as Error).message };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Read new and changed dump files into the store; forget deleted ones. */
async function ingestDumps(config: Config, store: ArticleStore, problems: InputProblem[], opts: BuildOptions) {
  const now = opts.now?.() ?? Date.now();
  const files = await listDumpFiles(config.dumps, problems);
  const unreadable = problems.filter((p) => p.reason === 'unreadable folder' || p.reason === 'broken link').map((p) => p.where);
  const known = store.knownFiles();
  const seen = new Set<string>();
  const changed: DumpFile[] = [];
  for (const f of files) {
    seen.add(f.path);
    const k = known.get(f.path);
    if (k && k.size === f.size && k.mtimeMs === f.mtimeMs) {
      if (k.problem) problems.push({ where: f.path, reason: k.problem, ...(k.detail ? { detail: k.detail } : {}) });
    } else changed.push(f);
  }
  // A file is gone only if its folder was read: an unreadable folder never empties a feed.
  const removed = [...known.keys()].filter((p) => !seen.has(p) && under(p, config.dumps) && !under(p, unreadable));
  for (let i = 0; i < changed.length; i += READ_BATCH) {
    opts.signal?.throwIfAborted();
    const batch = changed.slice(i, i + READ_BATCH);
    const results = await mapLimited(batch, READ_CONCURRENCY, readAndParse);
    store.transaction(() => {
      batch.forEach((file, n) => {
        const r = results[n]!;
        if (r.ok) store.recordFile(file, { article: r.article }, now);
        else {
          problems.push({ where: file.path, reason: r.reason, ...(r.detail ? { detail: r.detail } : {}) });
          if (!('transient' in r)) store.recordFile(file, { problem: r.reason, detail: r.detail }, now);
        }
      });
    });
    opts.progress?.(Math.min(i + READ_BATCH, changed.length), changed.length);
  }
  if (removed.length > 0) store.transaction(() => removed.forEach((p) => store.forgetFile(p)));
  return { seen: files.length, read: changed.length, unchanged: files.length - changed.length, removed: removed.length };
}

/**
 * Merge every pending article key; marks the sources whose feeds change. Yields between batches so the server and
 * signals stay responsive, and stops at a batch boundary when aborted (the keys left stay pending in the store).
 */
async function recomputePending(store: ArticleStore, now: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const keys = store.pendingKeys(RECOMPUTE_BATCH);
    if (keys.length === 0) return;
    store.transaction(() => keys.forEach((k) => store.recompute(k, now)));
    await new Promise<void>((r) => setImmediate(r));
  }
}

const GONE = new Set(['deleted', 'blocked']);

function applyFilters(g: FeedGroup | undefined, a: FeedArticle, keepDeleted: boolean): boolean {
  if (!keepDeleted && (GONE.has(a.state) || (a.notice && GONE.has(a.notice)))) return false;
  const c = g?.config;
  if (!c) return true;
  if (c.include?.length && !c.include.some((w) => a.title.includes(w))) return false;
  if (c.exclude?.some((w) => a.title.includes(w))) return false;
  return true;
}

function take(items: Iterable<FeedArticle>, g: FeedGroup | undefined, limit: number, keepDeleted: boolean): FeedArticle[] {
  const out: FeedArticle[] = [];
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
  checks.push(stat(join(config.output, 'feeds.opml')).then(() => stat(join(config.output, 'index.html'))).then(() => true, () => false));
  return (await Promise.all(checks)).every(Boolean);
}

interface Published {
  written: string[];
  feedsWritten: number;
  feedsUnchanged: number;
}

async function writeFeedSet(dir: string, rendered: { atom: string; rss: string; json: string }, out: Published): Promise<void> {
  const contents = { 'atom.xml': rendered.atom, 'rss.xml': rendered.rss, 'feed.json': rendered.json };
  let any = false;
  for (const name of FEED_FILES) {
    const path = join(dir, name);
    if (await writeIfChanged(path, contents[name])) {
      out.written.push(path);
      any = true;
    }
  }
  if (any) out.feedsWritten++;
  else out.feedsUnchanged++;
}

/** Render the feeds whose articles or settings changed, then all/, the OPML and the index page. */
async function publish(config: Config, store: ArticleStore, opts: BuildOptions): Promise<Published & { sources: number }> {
  const now = opts.now?.() ?? Date.now();
  const dirty = store.dirtySources();
  const records = store.feeds();
  const images = imageOptions(config, store);
  const configSig = sha256(JSON.stringify([RENDER_VERSION, config.baseUrl, config.feed, config.images, images.secretId])).slice(0, 16);
  const planSig = sha256(JSON.stringify([configSig, config.sources, config.output])).slice(0, 16);
  const out: Published = { written: [], feedsWritten: 0, feedsUnchanged: 0 };
  // Nothing changed since the last complete publish: check the files are still there and stop.
  if (dirty.size === 0 && store.meta('published') === planSig && (await outputsPresent(config, records))) {
    return { ...out, sources: records.size - (records.has('all') ? 1 : 0) };
  }
  const groups = planFeeds(store.sourceStats(), config.sources);
  let anyRendered = false;
  for (const g of groups) {
    opts.signal?.throwIfAborted();
    const dir = join(config.output, g.slug);
    const signature = sha256(JSON.stringify([configSig, g.title, [...g.labels].sort(), g.config ?? null])).slice(0, 16);
    const rec = records.get(g.slug);
    const stale = g.labels.some((l) => dirty.has(l)) || rec?.signature !== signature || !(await feedFilesExist(dir));
    if (!stale) continue;
    const limit = g.config?.limit ?? config.feed.limit;
    const items = take(store.articlesFor(g.labels), g, limit, config.feed.keepDeleted);
    const base = `${config.baseUrl}${g.slug}/`;
    await writeFeedSet(dir, renderFeeds(feedMeta(config, g.slug, g.title, base), items, images), out);
    store.saveFeed(record(g.slug, g.title, signature, g.articles, items[0]), now);
    anyRendered = true;
  }
  const current = new Set(groups.map((g) => g.slug));
  for (const slug of records.keys()) {
    if (slug === 'all' || current.has(slug)) continue;
    await removeFeedFolder(join(config.output, slug));
    store.deleteFeed(slug);
    anyRendered = true;
  }
  const allTitle = config.feed.title ?? 'All accounts';
  const allSig = sha256(JSON.stringify([configSig, allTitle])).slice(0, 16);
  const allDir = join(config.output, 'all');
  if (anyRendered || dirty.size > 0 || records.get('all')?.signature !== allSig || !(await feedFilesExist(allDir))) {
    const items = take(store.articlesFor(undefined), undefined, config.feed.limit, config.feed.keepDeleted);
    await writeFeedSet(allDir, renderFeeds(feedMeta(config, 'all', allTitle, `${config.baseUrl}all/`), items, images), out);
    store.saveFeed(record('all', allTitle, allSig, store.counts().articles, items[0]), now);
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
function imageOptions(config: Config, store: ArticleStore): ImageOptions & { secretId: string | null } {
  if (config.images !== 'proxy') return { mode: config.images, secretId: null };
  const secret = config.imageProxy.secret ?? imageSecret(store);
  return { mode: 'proxy', proxy: (url) => `${config.baseUrl}${signedImagePath(secret, url)}`, secretId: sha256(secret).slice(0, 8) };
}

function feedMeta(config: Config, slug: string, title: string, base: string) {
  return {
    id: `urn:wxfeed:feed:${slug}`,
    title,
    description: slug === 'all' ? `Every account followed with wxfeed` : `WeChat articles of ${title}, published by wxfeed`,
    selfBase: base,
    home: `${config.baseUrl}#${encodeURIComponent(slug)}`,
    author: title,
  };
}

function record(slug: string, title: string, signature: string, items: number, newest: FeedArticle | undefined): FeedRecord {
  return {
    slug, title, signature, items,
    newestTitle: newest?.title ?? null, newestLink: newest?.link ?? null, newestDate: newest?.date ?? null,
  };
}

async function writeIndexAndOpml(config: Config, store: ArticleStore, groups: FeedGroup[], out: Published): Promise<void> {
  const records = store.feeds();
  const entry = (slug: string, title: string): IndexEntry => {
    const r = records.get(slug);
    return {
      slug, title, items: r?.items ?? 0, base: `${config.baseUrl}${slug}/`,
      ...(r?.newestTitle ? { newestTitle: r.newestTitle } : {}),
      ...(r?.newestLink ? { newestLink: r.newestLink } : {}),
      ...(r?.newestDate !== null && r?.newestDate !== undefined ? { newestDate: r.newestDate } : {}),
    };
  };
  const entries = groups.map((g) => entry(g.slug, g.title));
  const title = config.feed.title ?? 'wxfeed';
  const all = entry('all', config.feed.title ?? 'All accounts');
  const opml = renderOpml(title, entries.map((e) => ({ title: e.title, xmlUrl: `${e.base}atom.xml`, htmlUrl: `${config.baseUrl}#${encodeURIComponent(e.slug)}` })));
  for (const [name, content] of [['feeds.opml', opml], ['index.html', renderIndex(title, config.baseUrl, all, entries)]] as const) {
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
    const latest = list.map((l) => fetches.get(l)).filter((f) => f !== undefined).sort((a, b) => b.lastFetchAt - a.lastFetchAt)[0];
    if (latest) bySlug.set(slug, { result: latest.lastResult, at: new Date(latest.lastFetchAt).toISOString(), ...(latest.lastReason ? { reason: latest.lastReason } : {}) });
  }
  return [...store.feeds().values()].map((f) => ({
    slug: f.slug, title: f.title, items: f.items, ...(f.newestTitle ? { newest: f.newestTitle } : {}),
    ...(bySlug.get(f.slug) ? { lastFetch: bySlug.get(f.slug) } : {}),
  }));
}

/** Debug log of how long each phase took. */
function stopwatch(log: Logger): (phase: string, fields?: Record<string, unknown>) => void {
  let last = performance.now();
  return (phase, fields = {}) => {
    const now = performance.now();
    log.debug({ phase, ms: Math.round(now - last), ...fields }, 'build phase done');
    last = now;
  };
}

/** One build: what `wxfeed build` and each daemon cycle do. */
export async function build(config: Config, opts: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const db = openStore(config.store);
  let clean = false;
  try {
    const store = new ArticleStore(db);
    const problems: InputProblem[] = [];
    const lap = stopwatch(opts.log);
    const ingest = await ingestDumps(config, store, problems, opts);
    lap('ingest', { read: ingest.read, unchanged: ingest.unchanged, removed: ingest.removed });
    await recomputePending(store, opts.now?.() ?? Date.now(), opts.signal);
    let fetched: FetchSummary = emptyFetchSummary(opts.live?.offline ?? true);
    if (opts.live) {
      fetched = await fetchStage(config, store, new UrlStore(db), {
        ...opts.live,
        dumpsChanged: ingest.read > 0 || ingest.removed > 0 || store.meta('dump-urls') !== 'synced',
        log: opts.log,
        now: opts.now ?? Date.now,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      store.setMeta('dump-urls', 'synced');
      await recomputePending(store, opts.now?.() ?? Date.now(), opts.signal);
      lap('fetch', { fetched: fetched.fetched, due: fetched.due });
    }
    lap('merge');
    const published = await publish(config, store, opts);
    lap('publish', { written: published.written.length });
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
    closeStore(db, clean);
  }
}
