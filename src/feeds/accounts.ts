/**
 * Pure: the account an article is published by, the name every item carries as its author (and category), in an
 * account's feed, in an aggregator's (`Doonsec's feed` carries many accounts) and in `all/`.
 *
 * An article's `__biz` names its account when a source label carries only that biz (sources.ts groups feeds by the
 * same rule), else when a fetched page gave the account's `nickname` (the store's `accounts`). Without either, the
 * label of the copy shown stands in (an aggregator's, a blog's): an item always says where it came from.
 * A label outranks a nickname: the account's own feed is titled by that label, so its items say the same name as the
 * feed they are in, and a label is what the user's collector or config chose to call it.
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
