/**
 * Pure: which articles a feed shows, from its source's settings (title filters, limit), `feed.keepDeleted` and
 * `feed.placeholders`.
 */
import { isGone, isPlaceholder } from '../states.js';
import type { Article, Config, SourceConfig } from '../types.js';

/** The feed-wide settings that decide what a feed shows. */
export type ShowSettings = Pick<Config['feed'], 'keepDeleted' | 'placeholders'>;

/** True when a feed shows the article: not dropped by `feed.keepDeleted`, `feed.placeholders` or its filters. */
export function shows(a: Article, source: SourceConfig | undefined, settings: ShowSettings): boolean {
  if (!settings.keepDeleted && (isGone(a.state) || isGone(a.notice))) return false;
  if (settings.placeholders === 'hide' && isPlaceholder(a)) return false;
  if (!source) return true;
  if (source.include?.length && !source.include.some((w) => a.title.includes(w))) return false;
  if (source.exclude?.some((w) => a.title.includes(w))) return false;
  return true;
}

/** The first `limit` articles (newest first) a feed shows. */
export function take(
  newestFirst: Iterable<Article>,
  source: SourceConfig | undefined,
  limit: number,
  settings: ShowSettings,
): Article[] {
  const out: Article[] = [];
  if (limit <= 0) return out;
  for (const a of newestFirst) {
    if (!shows(a, source, settings)) continue;
    out.push(a);
    if (out.length >= limit) break;
  }
  return out;
}
