/**
 * What /healthz tells of the published feeds (per feed its item count, newest article and the latest fetch of any
 * URL of its sources; an album's feed, its album's last poll) and of every album the store knows (followed or not:
 * its last poll, result and articles known).
 */
import { albumStatusOf } from '../fetch/follow.js';
import { FEED_LABELS_KEY } from '../feeds/publish.js';
import { albumOfLabel } from '../keys.js';
import { albumSlug } from '../sources.js';
import type { Store } from '../store/store.js';
import type { AlbumStatus, FeedStatus } from '../types.js';

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

/** Every album the store knows, followed or not, by id. */
export function albumStatus(store: Store): AlbumStatus[] {
  if (store.albums.count() === 0) return [];
  const slugs = albumSlugs(feedLabels(store));
  return store.albums.all().map((a) => albumStatusOf(a, slugs.get(a.albumId) ?? albumSlug(a.albumId)));
}

export function feedStatus(store: Store): FeedStatus[] {
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
  const albums = new Map(albumStatus(store).map((a) => [a.slug, a]));
  return [...store.feeds.all().values()].map((f) => {
    const album = albums.get(f.slug);
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
