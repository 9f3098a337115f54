/**
 * What /healthz tells of the published feeds (items, newest article, latest fetch), of every album the store knows
 * (followed or not) and of the request pace and cool-down, read from the store.
 */
import { type AlbumStatus, listStatuses } from '../fetch/follow.js';
import { paceNow, storedPaceState } from '../fetch/pace.js';
import { albumOfLabel, albumSlug } from '../keys.js';
import type { Store } from '../store/store.js';
import type { FetchConfig } from '../types.js';
import type { FetchResult } from '../states.js';

/** One published feed, as the health endpoint reports it. */
export interface FeedStatus {
  slug: string;
  title: string;
  /** `all`: every source together; `source`: an account or a dumps source; `album`: one followed album's articles. */
  kind: 'all' | 'source' | 'album';
  items: number;
  newest?: string;
  /** The latest fetch of any URL of this source: result and ISO time. */
  lastFetch?: { result: FetchResult; at: string; reason?: string };
  /** An album's feed: its album, and its last poll (also in `BuildSummary.albums`). */
  album?: AlbumStatus;
}

/**
 * The request pace as /healthz reports it, as of `at` (the end of the last build): the delay in force and configured,
 * their multiplier (1 … 16: slowed after a refusal) and since when it recovers, and the cool-down with its reason.
 */
export interface PaceStatus {
  delayMs: number;
  configuredDelayMs: number;
  multiplier: number;
  /** ISO time the slowed pace began to recover from; only while the multiplier is above 1. */
  since?: string;
  cooldown?: { until: string; reason: 'captcha' | 'refused' | 'unreachable'; level: number; minutes: number };
  at: string;
}

/** Feed slug → its source labels as last published; none before the first publish. */
function feedLabels(store: Store): Record<string, string[]> {
  return store.meta.feedLabels.get() ?? {};
}

/** Album id → the slug of its feed as last published. */
function albumSlugs(labels: Record<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [slug, list] of Object.entries(labels)) {
    const id = list.length === 1 ? albumOfLabel(list[0]!) : undefined;
    if (id) out.set(id, slug);
  }
  return out;
}

/**
 * Every album and homepage the store knows, followed or not, by id: with its next poll at `now` under
 * `follow.albumIntervalMinutes` (`baseMinutes`), and its failures.
 */
export function albumStatus(store: Store, baseMinutes: number, now: number): AlbumStatus[] {
  if (store.albums.count() === 0) return [];
  const slugs = albumSlugs(feedLabels(store));
  return listStatuses(store.albums.all(), {
    now,
    baseMinutes,
    slugOf: (a) => slugs.get(a.albumId) ?? albumSlug(a.albumId),
  });
}

/** Every published feed: its items, newest article, latest fetch of its sources and, for an album's, the album. */
export function feedStatus(store: Store, albums: readonly AlbumStatus[]): FeedStatus[] {
  const fetches = store.urls.fetchStateBySource();
  const bySlug = new Map<string, FeedStatus['lastFetch']>();
  const slugLabels = feedLabels(store);
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
  const bySlugAlbum = new Map(albums.map((a) => [a.slug, a]));
  return [...store.feeds.all().values()].map((f) => {
    const album = bySlugAlbum.get(f.slug);
    return {
      slug: f.slug,
      title: f.title,
      kind: f.slug === 'all' ? 'all' : album ? 'album' : 'source',
      items: f.items,
      ...(f.newestTitle ? { newest: f.newestTitle } : {}),
      ...(bySlug.get(f.slug) ? { lastFetch: bySlug.get(f.slug) } : {}),
      ...(album ? { album } : {}),
    };
  });
}

/**
 * The request pace at `now` as the fetch stage left it: delay in force and configured, multiplier, recovery start and
 * cool-down. Numbers and times only: anyone may see it.
 */
export function paceStatus(
  store: Store,
  fetch: Pick<FetchConfig, 'delayMs' | 'cooldownMinutes' | 'cooldownMaxMinutes'>,
  now: number,
): PaceStatus {
  const pace = paceNow(storedPaceState(store.meta, fetch), now, fetch.delayMs);
  const c = pace.cooldown;
  return {
    delayMs: Math.round(pace.delayMs),
    configuredDelayMs: fetch.delayMs,
    multiplier: Math.round(pace.multiplier * 100) / 100,
    ...(pace.slowedSince !== undefined ? { since: new Date(pace.slowedSince).toISOString() } : {}),
    ...(c
      ? { cooldown: { until: new Date(c.until).toISOString(), reason: c.reason, level: c.level, minutes: c.minutes } }
      : {}),
    at: new Date(now).toISOString(),
  };
}
