/**
 * The one home of the article-state rules: which copy of an article wins a merge, which states are notices, which
 * mean the article is gone, which mean we do not have its text yet, and what a fetched page's state makes of an
 * article. Every stage asks here; none keeps a list of its own.
 */

/**
 * What a dump or page holds: `full` the article; `truncated` it cut by the dumper (~8,000 chars); `shell` the page's UI
 * text only; `listed` an album (合集) item whose page is not read yet; `captcha` the anti-crawler page; else a notice.
 */
export type ContentState =
  | 'full'
  | 'truncated'
  | 'shell'
  | 'listed'
  | 'captcha'
  | 'deleted'
  | 'blocked'
  | 'migrated'
  | 'expired';

/** What an article page is. */
export type PageState = 'ok' | 'deleted' | 'blocked' | 'migrated' | 'expired' | 'captcha' | 'unavailable';

/** What the last fetch of a URL gave: the page's state, or `error` (network, HTTP, a page that could not be read). */
export type FetchResult = PageState | 'error';

/** Every content state, fullest first. */
export const CONTENT_STATES: readonly ContentState[] = [
  'full',
  'truncated',
  'shell',
  'listed',
  'captcha',
  'deleted',
  'blocked',
  'migrated',
  'expired',
];

/**
 * Rank of a state for merging: the fuller copy wins (full over a cut copy over everything else; an album's listing of
 * an article not read yet ranks as a shell does, so the page, once read, replaces its title, time and content).
 */
export function stateRank(state: ContentState): number {
  return state === 'full' ? 3 : state === 'truncated' ? 2 : 1;
}

/** True when the copy holds the article's text (whole or cut). */
export function hasText(state: ContentState): boolean {
  return state === 'full' || state === 'truncated';
}

/** States a copy has when we do not have the article yet: its URL is read until we do. */
export const NEEDS_ARTICLE: readonly ContentState[] = ['shell', 'listed', 'captcha', 'truncated'];

/** True when the article's URL is still to be read for its text. */
export function needsArticle(state: ContentState): boolean {
  return NEEDS_ARTICLE.includes(state);
}

/** Notices that can arrive after the article was captured, shown above the saved copy. */
export function isLaterNotice(state: ContentState): boolean {
  return state === 'deleted' || state === 'blocked' || state === 'migrated';
}

/**
 * A stand-in, not the article: a shell or captcha page, or an unread album item (`listed`) whose list gave no title
 * of its own (none, or its URL). `feed.placeholders: hide` keeps them out of feeds.
 */
export function isPlaceholder(a: { state: ContentState | 'listed'; title: string; link: string }): boolean {
  if (a.state === 'shell' || a.state === 'captcha') return true;
  if (a.state !== 'listed') return false;
  const title = a.title.trim();
  return title === '' || title === a.link;
}

/** The article is gone from WeChat (deleted or blocked): `feed.keepDeleted: false` drops it from feeds. */
export function isGone(state: ContentState | undefined): boolean {
  return state === 'deleted' || state === 'blocked';
}

/** The content state a fetched notice page gives an article (an `ok` page is the article: `full`). */
export function pageContentState(page: Exclude<PageState, 'captcha'>): ContentState {
  switch (page) {
    case 'ok':
      return 'full';
    case 'deleted':
    case 'migrated':
    case 'expired':
      return page;
    case 'blocked':
    case 'unavailable':
      return 'blocked';
  }
}

/** Fetch results after which the page will not change: never read again (except `--refetch`). */
export function isFinalResult(result: FetchResult | null): boolean {
  return result === 'deleted' || result === 'expired' || result === 'migrated';
}

/** Fetch results that are failures, retried with backoff. */
export function isFailedResult(result: FetchResult | null): boolean {
  return result === 'error' || result === 'captcha';
}
