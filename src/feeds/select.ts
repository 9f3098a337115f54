/**
 * Pure: which articles a feed shows, from its source's settings (title filters, limit) and `feed.keepDeleted`.
 */
import { isGone } from '../states.js';
import type { Article, SourceConfig } from '../types.js';

export function shows(a: Article, source: SourceConfig | undefined, keepDeleted: boolean): boolean {
  if (!keepDeleted && (isGone(a.state) || isGone(a.notice))) return false;
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
  keepDeleted: boolean,
): Article[] {
  const out: Article[] = [];
  if (limit <= 0) return out;
  for (const a of newestFirst) {
    if (!shows(a, source, keepDeleted)) continue;
    out.push(a);
    if (out.length >= limit) break;
  }
  return out;
}
