/**
 * Pure: a stored article and its body's HTML → what the feed renderers take. The summary comes from the body when
 * the copy had none, and from the archive state when the copy is not the article.
 */
import { mendPageHtml, summaryOf } from '../content/body.js';
import { linkBase, resolveLinks } from '../content/links.js';
import { unescapePageText } from '../content/text.js';
import { hasText } from '../states.js';
import type { Article, FeedArticle } from '../types.js';

/** The article's own summary: the copy's, else the start of its body. A copy that is not the article has none (the
 * renderer says what the archive holds instead, in the feed's language: item.ts). */
function summaryFor(a: Article, html: string, page: boolean): string {
  if (!hasText(a.state)) return '';
  // A fetched page's summary is its description, which the store may hold with its script escapes (`\x0a`).
  if (a.summary) return page ? unescapePageText(a.summary) : a.summary;
  return html ? summaryOf(html) : '';
}

/** The copy shown is a fetched page (its body and summary are what the store kept of it). */
const fromPage = (a: Article): boolean => a.bestOrigin.startsWith('page:');

/** What a feed knows of an article beyond the stored record: the account that published it. */
export interface ShowContext {
  account?: string | undefined;
  /** The reprint card taken out of the body (content/reprint.ts). */
  reprint?: FeedArticle['reprint'] | undefined;
  /** The time the item is shown at, distinct within its day (feeds/times.ts); its date when not given. */
  shownAt?: number | undefined;
}

/** What the renderers take of a stored article and its stored body: links resolved, summary filled in. */
export function toFeedArticle(a: Article, stored: string, context: ShowContext = {}): FeedArticle {
  const page = fromPage(a);
  // Relative links resolved against the article's URL; an article known by a hash of its text has none to offer.
  const base = linkBase(a.link, !a.key.startsWith('hash:'));
  const html = resolveLinks(page ? mendPageHtml(stored) : stored, base);
  return {
    key: a.key,
    id: a.id,
    link: a.link,
    title: a.title,
    ...(context.account ? { account: context.account } : {}),
    ...(a.author !== undefined ? { author: a.author } : {}),
    date: context.shownAt ?? a.date,
    datePrecision: a.datePrecision,
    ...(a.mid !== undefined ? { mid: String(a.mid) } : {}),
    ...(a.idx !== undefined ? { idx: String(a.idx) } : {}),
    state: a.state,
    ...(a.notice !== undefined ? { notice: a.notice } : {}),
    contentHtml: html,
    summary: summaryFor(a, html, page),
    ...(a.cover !== undefined ? { cover: a.cover } : {}),
    contentHash: a.contentHash,
    ...(context.reprint ? { reprint: context.reprint } : {}),
  };
}
