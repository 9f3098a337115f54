/**
 * Test bridges between article shapes: a parsed observation as the article a feed would show (as if merged alone).
 */
import { toFeedArticle } from '../../src/feeds/article.js';
import type { Article, FeedArticle, Observation } from '../../src/types.js';

export function observationAsArticle(o: Observation): Article {
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? { v: Number(v) } : undefined);
  return {
    key: o.key,
    id: o.id,
    link: o.link,
    title: o.title,
    ...(o.author !== undefined ? { author: o.author } : {}),
    ...(num(o.ref.mid) ? { mid: num(o.ref.mid)!.v } : {}),
    ...(num(o.ref.idx) ? { idx: num(o.ref.idx)!.v } : {}),
    date: o.date,
    datePrecision: o.datePrecision,
    state: o.state,
    summary: o.summary,
    ...(o.cover !== undefined ? { cover: o.cover } : {}),
    bestOrigin: 'file:x',
    contentHash: 'x',
  };
}

export function observationAsFeedArticle(o: Observation, html: string): FeedArticle {
  return toFeedArticle(observationAsArticle(o), html);
}
