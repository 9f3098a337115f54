/**
 * What /healthz tells of the published feeds (per feed its item count, newest article and the latest fetch of any
 * URL of its sources; an album's feed, its album's last poll), of every album the store knows (followed or not:
 * its last poll, result and articles known), and of the request pace and cool-down.
 */
import { listStatuses } from '../fetch/follow.js';
import { paceNow, storedPaceState } from '../fetch/pace.js';
import { FEED_LABELS_KEY } from '../stages/publish/stage.js';
import { albumOfLabel, albumSlug } from '../keys.js';
import type { Store } from '../store/store.js';
import type { AlbumStatus, FeedStatus, FetchConfig, PaceStatus } from '../types.js';

function feedLabels(store: Store): Record<string, string[]> {
  const labels = store.meta.get(FEED_LABELS_KEY);
  return labels ? (JSON.parse(labels) as Record<string, string[]>) : {};
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
 * The request pace at `now` as the fetch stage left it (fetch/pace.ts; an older wxfeed's cool-down read too): the
 * delay in force (whole ms), the configured one, the multiplier (two decimals), since when it recovers, and the
 * cool-down in force with its reason. Numbers and times only: anyone may see it.
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
