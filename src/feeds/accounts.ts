/**
 * Pure: the account an article is published by, the name every item carries as its author (and category), in an
 * account's feed, in an aggregator's (`Doonsec's feed` carries many accounts) and in `all/`.
 *
 * A source label whose WeChat articles all share one `__biz` is that account's name (sources.ts groups feeds by the
 * same rule); an article with a `__biz` is published by the account of that biz, whichever source it was listed
 * under, when some source names that account. Any other article (a blog's, an advisory's) is published by its
 * source: the label of the copy the feed shows. A WeChat article whose account no source names has none.
 */
import type { Article, SourceStats } from '../types.js';
import { bizToNumber } from '../wechat/url.js';

/** Account names by account number: for each biz, the label carrying only it with the most articles. */
export function accountNames(stats: readonly SourceStats[]): Map<string, string> {
  const best = new Map<string, SourceStats>();
  for (const s of stats) {
    const num = s.bizCount === 1 && s.biz ? bizToNumber(s.biz) : undefined;
    if (!num) continue;
    const had = best.get(num);
    if (!had || s.articles > had.articles || (s.articles === had.articles && s.source < had.source)) best.set(num, s);
  }
  return new Map([...best].map(([num, s]) => [num, s.source]));
}

/**
 * The account of an article: the account its biz names, else (an article without a biz) the source label of the copy
 * shown (`label`), else none.
 */
export function accountOf(
  article: Pick<Article, 'biz'>,
  label: string | undefined,
  accounts: ReadonlyMap<string, string>,
): string | undefined {
  const num = article.biz ? bizToNumber(article.biz) : undefined;
  if (num) return accounts.get(num);
  return label || undefined;
}
