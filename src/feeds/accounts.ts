/**
 * Pure: the account an article is published by, the name every item carries as its author (and category), in an
 * account's feed, in an aggregator's (`Doonsec's feed` carries many accounts) and in `all/`.
 *
 * A source label whose WeChat articles all share one `__biz` is that account's name (sources.ts groups feeds by the
 * same rule); an article with a `__biz` is published by the account of that biz, whichever source it was listed
 * under, when some source names that account. Else the name a fetched page gave the account (its `nickname`, kept in
 * the store's `accounts`), else, until a name is known, the source that carried the copy the feed shows (an
 * aggregator, `Doonsec's feed`): an item always says where it came from. Any other article (a blog's, an advisory's)
 * is published by its source: the label of the copy shown.
 *
 * A label outranks a page's nickname: the account's own feed is titled by that label (sources.ts), so its items say
 * the same name as the feed they are in, and a label is what the user's collector or config chose to call it. The two
 * only differ for an account a dump label names (an account followed by URL alone files its pages under the page's
 * nickname, which is then its label); a renamed account keeps the label it has most articles under until then.
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
 * The account of an article: the account its biz names (`accounts`: labels, then `nicknames`: names pages gave, both
 * by account number), else the source label of the copy shown (`label`), else none.
 */
export function accountOf(
  article: Pick<Article, 'biz'>,
  label: string | undefined,
  accounts: ReadonlyMap<string, string>,
  nicknames: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  const num = article.biz ? bizToNumber(article.biz) : undefined;
  const named = num ? (accounts.get(num) ?? nicknames.get(num)) : undefined;
  return named ?? (label || undefined);
}
