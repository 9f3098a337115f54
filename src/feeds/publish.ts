/**
 * The publish stage of a build: render the feeds whose articles or settings changed (in worker threads when many),
 * remove the folders of feeds that are gone, then write all/, the OPML and the index page. A build with nothing new
 * checks that the files are still there and writes nothing. Temp files that crashed writes left are removed first.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_BODY } from '../content/body.js';
import { markFileStale } from '../catalog.js';
import { sha256 } from '../keys.js';
import { type FeedGroup, planFeeds } from '../sources.js';
import type { FeedRecord } from '../store/feeds.js';
import type { Store } from '../store/store.js';
import type { Article, Config, InputProblem } from '../types.js';
import type { ImageSpec, ShowItem } from '../work/jobs.js';
import { pipeline, type RunnerFor } from '../work/pool.js';
import { type IndexEntry, renderIndex } from './index-page.js';
import { accountNames, accountOf } from './accounts.js';
import { shownTimes } from './times.js';
import { messages } from './messages.js';
import { renderOpml } from './opml.js';
import { take } from './select.js';
import { FEED_FILES, removeFeedFolder, removeLeftoverTemps, writeIfChanged } from './write.js';

/** Bump when rendering changes, so every feed is rendered again once. */
export const RENDER_VERSION = '3';
/** Meta keys: the signature of the last complete publish, and which source labels each feed showed. */
const PUBLISHED_KEY = 'published';
export const FEED_LABELS_KEY = 'feed-labels';

export interface PublishOptions {
  runner: RunnerFor;
  now: number;
  /** The image proxy's secret when the config gives none (kept in the store). */
  imageSecret: () => string;
  signal?: AbortSignal | undefined;
}

export interface Published {
  written: string[];
  feedsWritten: number;
  feedsUnchanged: number;
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

/** Which feeds to render: those whose articles or settings changed, or whose files are missing; all/ last. */
async function planRenders(
  config: Config,
  groups: FeedGroup[],
  records: Map<string, FeedRecord>,
  dirty: Set<string>,
  configSig: string,
): Promise<{ toRender: FeedPlan[]; gone: string[] }> {
  const toRender: FeedPlan[] = [];
  for (const g of groups) {
    const signature = sha256(JSON.stringify([configSig, g.title, [...g.labels].sort(), g.config ?? null])).slice(0, 16);
    const changed = g.labels.some((l) => dirty.has(l)) || records.get(g.slug)?.signature !== signature;
    if (changed || !(await feedFilesExist(join(config.output, g.slug)))) {
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
    !(await feedFilesExist(join(config.output, 'all')))
  ) {
    toRender.push({ slug: 'all', title: allTitle, signature: allSig, limit: config.feed.limit });
  }
  return { toRender, gone };
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
  const configSig = sha256(
    JSON.stringify([RENDER_VERSION, config.baseUrl, config.feed, config.images, images.secretId]),
  ).slice(0, 16);
  const planSig = sha256(JSON.stringify([configSig, config.sources, config.output])).slice(0, 16);
  const out: Published = { written: [], feedsWritten: 0, feedsUnchanged: 0, sources: 0 };
  // A write killed half-way (a crash, a full disk) leaves its temp file: gone before anything is written.
  await removeLeftoverTemps(config.output);
  // Nothing changed since the last complete publish: check the files are still there and stop.
  if (dirty.size === 0 && store.meta.get(PUBLISHED_KEY) === planSig && (await outputsPresent(config, records))) {
    return { ...out, sources: records.size - (records.has('all') ? 1 : 0) };
  }
  const stats = store.observations.sourceStats();
  const groups = planFeeds(stats, config.sources);
  const accounts = accountNames(stats);
  const shownAt = shownTimes((from, to) => store.articles.sameDay(from, to));
  const { toRender, gone } = await planRenders(config, groups, records, dirty, configSig);
  // Articles are read from the store as each job is taken; bodies are rendered and feeds serialised in workers.
  const jobs = function* () {
    for (const plan of toRender) {
      const shown = take(store.articles.newestFirst(plan.labels), plan.group?.config, plan.limit, config.feed);
      const items: ShowItem[] = shown.map((article) => ({
        article,
        body: store.observations.body(article.bestOrigin) ?? EMPTY_BODY,
        account: accountOf(article, store.observations.keyAndSource(article.bestOrigin)?.source, accounts),
        shownAt: shownAt(article),
      }));
      const meta = feedMeta(config, plan.slug, plan.title);
      yield {
        job: { kind: 'render' as const, meta, items, images: images.spec, dir: join(config.output, plan.slug) },
        ctx: { plan, newest: shown[0] },
      };
    }
  };
  const reread = new Set<string>();
  await pipeline(
    opts.runner(toRender.length),
    jobs(),
    (rendered, { plan, newest }) => {
      // A dump that no longer holds the body the store knows was edited or removed during this build: the feed
      // shows what the file holds now (or no text), and the next build reads the file again.
      for (const s of rendered.stale) {
        if (reread.has(s.path)) continue;
        reread.add(s.path);
        markFileStale(store, s.path);
        problems.push({ where: s.path, reason: s.reason });
      }
      out.written.push(...rendered.written);
      if (rendered.written.length > 0) out.feedsWritten++;
      else out.feedsUnchanged++;
      const count = plan.group ? plan.group.articles : store.articles.count();
      store.feeds.save(record(plan, count, newest), opts.now);
    },
    opts.signal,
  );
  for (const slug of gone) {
    await removeFeedFolder(join(config.output, slug));
    store.feeds.delete(slug);
  }
  await writeIndexAndOpml(config, store.feeds.all(), groups, out);
  store.transaction(() => {
    store.pending.clearSources();
    store.meta.set(FEED_LABELS_KEY, JSON.stringify(Object.fromEntries(groups.map((g) => [g.slug, g.labels]))));
    store.meta.set(PUBLISHED_KEY, planSig);
  });
  return { ...out, sources: groups.length };
}

async function writeIndexAndOpml(
  config: Config,
  records: Map<string, FeedRecord>,
  groups: FeedGroup[],
  out: Published,
): Promise<void> {
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
  const all = entry('all', config.feed.title ?? messages(config.feed.language).allAccounts);
  const opml = renderOpml(
    config.feed.title ?? messages(config.feed.language).allAccounts,
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
