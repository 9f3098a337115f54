/**
 * What /healthz tells of the published feeds: per feed its item count, newest article and the latest fetch of any
 * URL of its sources.
 */
import { FEED_LABELS_KEY } from '../feeds/publish.js';
import type { Store } from '../store/store.js';
import type { FeedStatus } from '../types.js';

export function feedStatus(store: Store): FeedStatus[] {
  const fetches = store.urls.fetchStateBySource();
  const bySlug = new Map<string, FeedStatus['lastFetch']>();
  const labels = store.meta.get(FEED_LABELS_KEY);
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
  return [...store.feeds.all().values()].map((f) => ({
    slug: f.slug,
    title: f.title,
    items: f.items,
    ...(f.newestTitle ? { newest: f.newestTitle } : {}),
    ...(bySlug.get(f.slug) ? { lastFetch: bySlug.get(f.slug) } : {}),
  }));
}
