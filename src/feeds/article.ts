/**
 * Pure: a stored article and its body's HTML → what the feed renderers take. The summary comes from the body when
 * the copy had none, and from the archive state when the copy is not the article.
 */
import { summaryOf } from '../content/body.js';
import { hasText } from '../states.js';
import type { Article, FeedArticle } from '../types.js';

/** The article's own summary: the copy's, else the start of its body. A copy that is not the article has none (the
 * renderer says what the archive holds instead, in the feed's language: item.ts). */
function summaryFor(a: Article, html: string): string {
  if (!hasText(a.state)) return '';
  if (a.summary) return a.summary;
  return html ? summaryOf(html) : '';
}

/** What a feed knows of an article beyond the stored record: the account that published it. */
export interface ShowContext {
  account?: string | undefined;
}

export function toFeedArticle(a: Article, html: string, context: ShowContext = {}): FeedArticle {
  return {
    key: a.key,
    id: a.id,
    link: a.link,
    title: a.title,
    ...(context.account ? { account: context.account } : {}),
    ...(a.author !== undefined ? { author: a.author } : {}),
    date: a.date,
    datePrecision: a.datePrecision,
    ...(a.mid !== undefined ? { mid: String(a.mid) } : {}),
    ...(a.idx !== undefined ? { idx: String(a.idx) } : {}),
    state: a.state,
    ...(a.notice !== undefined ? { notice: a.notice } : {}),
    contentHtml: html,
    summary: summaryFor(a, html),
    ...(a.cover !== undefined ? { cover: a.cover } : {}),
    contentHash: a.contentHash,
  };
}
