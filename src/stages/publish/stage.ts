/**
 * The publish stage: render the feeds whose articles or settings changed (in worker threads when many), remove those
 * gone, then write all/, the OPML and the index page. With nothing new, it checks the files are there and writes none.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_BODY, MARKDOWN_VERSION } from '../../content/body.js';
import { markFileStale } from '../../catalog/catalog.js';
import { type Pace, paceNow, storedPaceState } from '../../fetch/pace.js';
import { sha256 } from '../../keys.js';
import { type AlbumFeedSpec, type FeedGroup, planFeeds } from '../../feeds/sources.js';
import type { FeedRecord } from '../../store/feeds.js';
import type { Store } from '../../store/store.js';
import type { Article, Config, InputProblem, SourceConfig, SourceStats } from '../../types.js';
import type { ImageSpec, RenderInput, RenderResult, ShowItem } from './render-job.js';
import { pipeline, type RunnerFor } from '../../work/pool.js';
import { renderJob } from './jobs.js';
import { indexPace, liveStates } from '../../feeds/dashboard-data.js';
import { type IndexEntry, type LatestArticle, renderIndex, type TroubledList } from '../../feeds/index-page.js';
import { type AlbumStatus, listStatuses } from '../../fetch/follow.js';
import { accountNames, accountOf } from '../../feeds/accounts.js';
import { shownTimes } from '../../feeds/times.js';
import { parseUnfollowMarks, publishedFeeds } from '../../fetch/unfollowed.js';
import { messages } from '../../feeds/messages.js';
import { opmlEntries, renderOpml } from '../../feeds/opml.js';
import { shows, take } from '../../feeds/select.js';
import { FEED_FILES, removeFeedFolder, removeLeftoverTemps, writeIfChanged } from './write.js';

/** Bump when rendering changes, so every feed is rendered again once. */
const RENDER_VERSION = '3';
/**
 * The key of a dump body's kept rendering: the renderer's version, the page template it was read through ('none'
 * without one: a site's new template is not served a rendering made under the old one) and the body's hash.
 */
const renderedKey = (hash: string, templateId: string | undefined): string =>
  `${MARKDOWN_VERSION}/${templateId || 'none'}:${hash}`;
const DAY_MS = 86_400_000;

export interface PublishOptions {
  runner: RunnerFor;
  now: number;
  /** The image proxy's secret when the config gives none (kept in the store). */
  imageSecret: () => string;
  signal?: AbortSignal | undefined;
}

export interface Published {
  written: string[];
  /** Feeds with a file written (all/ counted). */
  feedsWritten: number;
  /** Feeds of sources (all/ not counted). */
  sources: number;
}

interface FeedPlan {
  slug: string;
  title: string;
  signature: string;
  labels?: string[];
  group?: FeedGroup;
  limit: number;
}

/** The three files of a feed are there (synchronous: a build with nothing to do checks every feed's). */
function feedFilesExist(dir: string): boolean {
  return FEED_FILES.every((f) => existsSync(join(dir, f)));
}

function outputsPresent(config: Config, records: Map<string, FeedRecord>): boolean {
  for (const slug of records.keys()) if (!feedFilesExist(join(config.output, slug))) return false;
  return ['feeds.opml', 'albums.opml', 'index.html'].every((f) => existsSync(join(config.output, f)));
}

/** Image handling for rendering; in proxy mode, WeChat images point at our signed proxy. */
function imageSettings(config: Config, secret: () => string): { spec: ImageSpec; secretId: string | null } {
  if (config.images !== 'proxy') return { spec: { mode: config.images, baseUrl: config.baseUrl }, secretId: null };
  const key = config.imageProxy.secret ?? secret();
  return { spec: { mode: 'proxy', baseUrl: config.baseUrl, secret: key }, secretId: sha256(key).slice(0, 8) };
}

function feedMeta(config: Config, slug: string, title: string) {
  const m = messages(config.feed.language);
  return {
    id: `urn:wxfeed:feed:${slug}`,
    title,
    language: config.feed.language,
    description: slug === 'all' ? m.allDescription : m.feedDescription(title),
    selfBase: `${config.baseUrl}${slug}/`,
    home: `${config.baseUrl}#${encodeURIComponent(slug)}`,
    author: title,
    ...(config.websub.hub ? { hub: config.websub.hub } : {}),
  };
}

function record(plan: FeedPlan, items: number, newest: Article | undefined): FeedRecord {
  return {
    slug: plan.slug,
    title: plan.title,
    signature: plan.signature,
    items,
    newestTitle: newest?.title ?? null,
    newestLink: newest?.link ?? null,
    newestDate: newest?.date ?? null,
  };
}

/** Every feed to publish: one per source (or account), one per album with articles. */
function planAll(config: Config, store: Store, stats = store.observations.sourceStats()): FeedGroup[] {
  const albums: AlbumFeedSpec[] = store.albums.count() > 0 ? store.albums.all() : [];
  // An account unfollowed with `--remove` has its feeds no more (fetch/unfollowed.ts); its articles stay stored.
  const marks = parseUnfollowMarks(store.meta.unfollowed.get());
  return publishedFeeds(planFeeds(stats, config.sources, albums, config.feed.language), marks);
}

/** Which feeds to render: those whose articles or settings changed, or whose files are missing; all/ last. */
function planRenders(
  config: Config,
  groups: FeedGroup[],
  records: Map<string, FeedRecord>,
  dirty: Set<string>,
  configSig: string,
): { toRender: FeedPlan[]; gone: string[] } {
  const toRender: FeedPlan[] = [];
  for (const g of groups) {
    const signature = sha256(JSON.stringify([configSig, g.title, [...g.labels].sort(), g.config ?? null])).slice(0, 16);
    const changed = g.labels.some((l) => dirty.has(l)) || records.get(g.slug)?.signature !== signature;
    if (changed || !feedFilesExist(join(config.output, g.slug))) {
      const limit = g.config?.limit ?? config.feed.limit;
      toRender.push({ slug: g.slug, title: g.title, signature, labels: g.labels, group: g, limit });
    }
  }
  const current = new Set(groups.map((g) => g.slug));
  const gone = [...records.keys()].filter((slug) => slug !== 'all' && !current.has(slug));
  const allTitle = config.feed.title ?? messages(config.feed.language).allAccounts;
  const allSig = sha256(JSON.stringify([configSig, allTitle])).slice(0, 16);
  if (
    toRender.length > 0 ||
    gone.length > 0 ||
    dirty.size > 0 ||
    records.get('all')?.signature !== allSig ||
    !feedFilesExist(join(config.output, 'all'))
  ) {
    toRender.push({ slug: 'all', title: allTitle, signature: allSig, limit: config.feed.limit });
  }
  return { toRender, gone };
}

/** The signatures of a publish: of the settings every feed is rendered with, and of the whole plan. */
function signatures(config: Config, secretId: string | null): { configSig: string; planSig: string } {
  const configSig = sha256(
    JSON.stringify([
      RENDER_VERSION,
      config.baseUrl,
      config.feed,
      config.images,
      secretId,
      ...(config.websub.hub ? [config.websub.hub] : []),
    ]),
  ).slice(0, 16);
  const planSig = sha256(JSON.stringify([configSig, config.sources, config.output])).slice(0, 16);
  return { configSig, planSig };
}

/** Render the feeds whose articles or settings changed, then all/, the OPML and the index page. */
export async function publish(
  config: Config,
  store: Store,
  problems: InputProblem[],
  opts: PublishOptions,
): Promise<Published> {
  const dirty = store.pending.dirtySources();
  const records = store.feeds.all();
  const images = imageSettings(config, opts.imageSecret);
  const { configSig, planSig } = signatures(config, images.secretId);
  const out: Published = { written: [], feedsWritten: 0, sources: 0 };
  // A write killed half-way (a crash, a full disk) leaves its temp file: gone before anything is written.
  await removeLeftoverTemps(config.output);
  if (dirty.size === 0 && store.meta.published.get() === planSig && outputsPresent(config, records)) {
    // Live fetching may still have changed what the index page says (a fetch, a cool-down begun or over).
    if (store.meta.indexLive.get() !== liveMark(config, store, opts.now))
      await writeIndex(config, store, planAll(config, store), opts.now, out);
    return { ...out, sources: records.size - (records.has('all') ? 1 : 0) };
  }
  const stats = store.observations.sourceStats();
  const groups = planAll(config, store, stats);
  const render = renderContext(config, store, stats, images.spec);
  const { toRender, gone } = planRenders(config, groups, records, dirty, configSig);
  await renderFeeds(render, toRender, problems, out, opts);
  await removeGone(config, store, gone);
  await writeOpml(config, groups, out);
  await writeIndex(config, store, groups, opts.now, out);
  pruneRenderings(store, opts.now, render.keptRenderings);
  markPublished(store, groups, planSig);
  return { ...out, sources: groups.length };
}

/** What rendering the feeds of one publish reads once. */
interface RenderContext {
  config: Config;
  store: Store;
  images: ImageSpec;
  /** Account names by account number, from the source labels. */
  accounts: ReadonlyMap<string, string>;
  /** Names fetched pages gave accounts no label names (catalog.ts nameAccount). */
  nicknames: ReadonlyMap<string, string>;
  shownAt: (article: Article) => number;
  /** The store kept renderings of dump bodies (none in a first build: no lookups then). */
  keptRenderings: boolean;
}

function renderContext(config: Config, store: Store, stats: readonly SourceStats[], images: ImageSpec): RenderContext {
  return {
    config,
    store,
    images,
    accounts: accountNames(stats),
    nicknames: store.accounts.all(),
    shownAt: shownTimes((from, to) => store.articles.sameDay(from, to)),
    keptRenderings: store.rendered.any(),
  };
}

/** The feed a render job is for, and the newest article it shows. */
interface RenderTarget {
  plan: FeedPlan;
  newest: Article | undefined;
}

/** One job per feed; articles are read from the store as each job is taken, bodies rendered in workers. */
function* renderJobs(
  r: RenderContext,
  toRender: readonly FeedPlan[],
): Generator<{ input: RenderInput; ctx: RenderTarget }> {
  const { config, store } = r;
  for (const plan of toRender) {
    const album = plan.group?.album;
    const shown = take(
      album !== undefined ? store.articles.newestFirstInAlbum(album) : store.articles.newestFirst(plan.labels),
      plan.group?.config,
      plan.limit,
      config.feed,
    );
    const items = shown.map((article) => showItem(r, article));
    const meta = feedMeta(config, plan.slug, plan.title);
    yield {
      input: { meta, items, images: r.images, dir: join(config.output, plan.slug) },
      ctx: { plan, newest: shown[0] },
    };
  }
}

/** An article as a feed shows it: its body, its account, the time it is shown at, and the body's kept rendering. */
function showItem(r: RenderContext, article: Article): ShowItem {
  const { store } = r;
  const body = store.observations.body(article.bestOrigin) ?? EMPTY_BODY;
  const rendered =
    r.keptRenderings && body.format === 'dump'
      ? store.rendered.get(renderedKey(body.hash, body.templateId))
      : undefined;
  return {
    article,
    body,
    account: accountOf(article, store.observations.keyAndSource(article.bestOrigin)?.source, r.accounts, r.nicknames),
    shownAt: r.shownAt(article),
    ...(rendered !== undefined ? { rendered } : {}),
  };
}

/** Render the planned feeds (in worker threads when many) and file each as it comes: its files, renderings, record. */
async function renderFeeds(
  r: RenderContext,
  toRender: readonly FeedPlan[],
  problems: InputProblem[],
  out: Published,
  opts: PublishOptions,
): Promise<void> {
  const { store } = r;
  const reread = new Set<string>();
  await pipeline(
    opts.runner(toRender.length),
    renderJob,
    renderJobs(r, toRender),
    (rendered, { plan, newest }) => {
      rereadStale(store, rendered.stale, reread, problems);
      keepRenderings(store, rendered.rendered);
      out.written.push(...rendered.written);
      if (rendered.written.length > 0) out.feedsWritten++;
      const count = plan.group ? plan.group.articles : store.articles.count();
      store.feeds.save(record(plan, count, newest), opts.now);
    },
    opts.signal,
    true,
  );
}

/**
 * A dump that no longer holds the body the store knows was edited or removed during this build: the feed shows what
 * the file holds now (or no text), and the next build reads the file again.
 */
function rereadStale(store: Store, stale: RenderResult['stale'], reread: Set<string>, problems: InputProblem[]): void {
  for (const s of stale) {
    if (reread.has(s.path)) continue;
    reread.add(s.path);
    markFileStale(store, s.path);
    problems.push({ kind: 'stale-dump', where: s.path, reason: s.reason });
  }
}

/** Keep the dump bodies rendered now, for the next feed that shows them. */
function keepRenderings(store: Store, rendered: RenderResult['rendered']): void {
  if (rendered.length === 0) return;
  store.transaction(() => {
    for (const r of rendered) store.rendered.put(renderedKey(r.hash, r.templateId), r.html);
  });
}

/** Remove the folders and records of feeds no longer planned. */
async function removeGone(config: Config, store: Store, gone: readonly string[]): Promise<void> {
  for (const slug of gone) {
    await removeFeedFolder(join(config.output, slug));
    store.feeds.delete(slug);
  }
}

/**
 * Renderings no article holds any more, or of another renderer version: dropped once a day. None when the store
 * kept none before this publish: each one kept now is of a body an article shows, by this renderer.
 */
function pruneRenderings(store: Store, now: number, keptRenderings: boolean): void {
  if (now - (store.meta.renderedPruned.get() ?? 0) > DAY_MS) {
    store.transaction(() => {
      if (keptRenderings) store.rendered.prune(MARKDOWN_VERSION);
      store.meta.renderedPruned.set(now);
    });
  }
}

/** The publish is complete: its sources are clean, each feed's labels and the plan's signature are kept. */
function markPublished(store: Store, groups: readonly FeedGroup[], planSig: string): void {
  store.transaction(() => {
    store.pending.clearSources();
    store.meta.feedLabels.set(Object.fromEntries(groups.map((g) => [g.slug, g.labels])));
    store.meta.published.set(planSig);
  });
}

/** feeds.opml (accounts and other sources: each article once) and albums.opml (albums and homepages). */
async function writeOpml(config: Config, groups: readonly FeedGroup[], out: Published): Promise<void> {
  const title = config.feed.title ?? messages(config.feed.language).allAccounts;
  const { feeds, albums } = opmlEntries(groups, config.baseUrl);
  const files = {
    'feeds.opml': renderOpml(title, feeds),
    'albums.opml': renderOpml(messages(config.feed.language).albumsOpml(title), albums),
  };
  for (const [name, opml] of Object.entries(files)) {
    const path = join(config.output, name);
    if (writeIfChanged(path, opml)) out.written.push(path);
  }
}

/** Articles in the index page's list of the newest across every feed. */
const LATEST_ARTICLES = 50;

/** One feed as the index page lists it; `kind`, `lastPoll`, `nextPoll` and `failing` are an album's. */
interface IndexFeed {
  slug: string;
  title: string;
  labels: readonly string[];
  config?: SourceConfig | undefined;
  kind?: 'album';
  lastPoll?: number | null;
  nextPoll?: number;
  failing?: { since: number; reason?: string };
}

/** Every list the store knows, with its next poll and failures (fetch/follow.ts), by id. */
function listStatusById(config: Config, store: Store, now: number): Map<string, AlbumStatus> {
  if (store.albums.count() === 0) return new Map();
  const all = listStatuses(store.albums.all(), { now, baseMinutes: config.follow.albumIntervalMinutes });
  return new Map(all.map((a) => [a.albumId, a]));
}

/** The followed lists whose polls fail, for the top of the index page. */
function troubledLists(statuses: ReadonlyMap<string, AlbumStatus>): TroubledList[] {
  const out: TroubledList[] = [];
  for (const a of statuses.values()) {
    if (!a.followed || !a.active || !a.failing || !a.nextPoll) continue;
    const title = a.title ? `${a.title}${a.account ? ` · ${a.account}` : ''}` : a.url;
    out.push({
      title,
      url: a.url,
      since: Date.parse(a.failing.since),
      ...(a.lastPoll?.reason ? { reason: a.lastPoll.reason } : {}),
      nextPoll: Date.parse(a.nextPoll.at),
      ...(a.probablyDeleted ? { unfollow: a.probablyDeleted.unfollow } : {}),
    });
  }
  return out.sort((x, y) => x.since - y.since || (x.url < y.url ? -1 : 1));
}

/** The cool-down and request pace the fetch stage left (fetch/pace.ts). */
function paceOf(config: Config, store: Store, now: number): Pace {
  return paceNow(storedPaceState(store.meta, config.fetch), now, config.fetch.delayMs);
}

function liveMark(
  config: Config,
  store: Store,
  now: number,
  statuses: ReadonlyMap<string, AlbumStatus> = listStatusById(config, store, now),
): string {
  const polls = [...statuses.values()].map((a) => [
    a.albumId,
    a.lastPoll?.at,
    a.lastPoll?.result,
    a.nextPoll?.at,
    a.failing?.since,
    a.probablyDeleted !== undefined,
  ]);
  const pace = paceOf(config, store, now);
  const manage = config.server.token !== undefined;
  return JSON.stringify([store.feeds.fetchMark(), pace.cooldown ?? null, polls, indexPace(pace) ?? null, manage]);
}

/** The feeds as the index page lists them: an album's with its last poll, its next, and its failures. */
function indexFeeds(
  store: Store,
  groups: readonly FeedGroup[],
  statuses: ReadonlyMap<string, AlbumStatus>,
): IndexFeed[] {
  return groups.map((g) => {
    if (g.album === undefined) return g;
    const status = statuses.get(g.album);
    const failing = status?.failing
      ? {
          failing: {
            since: Date.parse(status.failing.since),
            ...(status.lastPoll?.reason ? { reason: status.lastPoll.reason } : {}),
          },
        }
      : {};
    return {
      ...g,
      kind: 'album' as const,
      lastPoll: store.albums.get(g.album)?.polledAt ?? null,
      ...(status?.nextPoll ? { nextPoll: Date.parse(status.nextPoll.at) } : {}),
      ...failing,
    };
  });
}

/**
 * The newest articles across every feed, each with the feed of the copy shown, as that feed shows them (its title
 * filters and `feed.keepDeleted`).
 */
function latestArticles(config: Config, store: Store, feeds: readonly IndexFeed[]): LatestArticle[] {
  const feedOf = new Map<string, IndexFeed>();
  for (const f of feeds) for (const l of f.labels) if (!feedOf.has(l)) feedOf.set(l, f);
  const out: LatestArticle[] = [];
  for (const a of store.articles.newestFirst(undefined)) {
    const source = store.observations.keyAndSource(a.bestOrigin)?.source;
    const feed = source === undefined ? undefined : feedOf.get(source);
    if (!shows(a, feed?.config, config.feed)) continue;
    out.push({
      title: a.title,
      link: a.link,
      date: a.date,
      ...(feed ? { feed: { slug: feed.slug, title: feed.title } } : {}),
    });
    if (out.length >= LATEST_ARTICLES) break;
  }
  return out;
}

/** One feed on the index page: its counts, its newest article, an album's polls, and its live fetching. */
function indexEntry(
  config: Config,
  f: Omit<IndexFeed, 'labels'>,
  r: FeedRecord | undefined,
  state: IndexEntry['live'],
): IndexEntry {
  return {
    slug: f.slug,
    title: f.title,
    items: r?.items ?? 0,
    base: `${config.baseUrl}${f.slug}/`,
    ...(r?.newestTitle ? { newestTitle: r.newestTitle } : {}),
    ...(r?.newestLink ? { newestLink: r.newestLink } : {}),
    ...(r?.newestDate !== null && r?.newestDate !== undefined ? { newestDate: r.newestDate } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.lastPoll !== undefined ? { lastPoll: f.lastPoll } : {}),
    ...(f.nextPoll !== undefined ? { nextPoll: f.nextPoll } : {}),
    ...(f.failing ? { failing: f.failing } : {}),
    ...(state ? { live: state } : {}),
  };
}

/** The index page (dashboard): each feed's counts, newest article and live fetching, and the newest articles. */
async function writeIndex(
  config: Config,
  store: Store,
  groups: readonly FeedGroup[],
  now: number,
  out: Published,
): Promise<void> {
  const statuses = listStatusById(config, store, now);
  const feeds = indexFeeds(store, groups, statuses);
  const trouble = troubledLists(statuses);
  const records = store.feeds.all();
  const pace = paceOf(config, store, now);
  const { cooldown } = pace;
  const shownPace = indexPace(pace);
  const live = liveStates(
    store.feeds.fetchHistory(),
    Object.fromEntries(feeds.map((f) => [f.slug, f.labels])),
    cooldown,
    now,
  );
  const entry = (f: Omit<IndexFeed, 'labels'>) => indexEntry(config, f, records.get(f.slug), live.get(f.slug));
  const html = renderIndex({
    title: config.feed.title ?? 'wxfeed',
    baseUrl: config.baseUrl,
    language: config.feed.language,
    all: entry({
      slug: 'all',
      title: records.get('all')?.title ?? config.feed.title ?? messages(config.feed.language).allAccounts,
    }),
    entries: feeds.map(entry),
    latest: latestArticles(config, store, feeds),
    ...(cooldown ? { cooldown } : {}),
    ...(shownPace ? { pace: shownPace } : {}),
    ...(trouble.length > 0 ? { trouble } : {}),
    ...(config.server.token !== undefined ? { manage: true } : {}),
  });
  const path = join(config.output, 'index.html');
  if (writeIfChanged(path, html)) out.written.push(path);
  store.meta.indexLive.set(liveMark(config, store, now, statuses));
}
