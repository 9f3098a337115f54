/**
 * Pure: what a fetched page says of an article, as an observation. A page that is the article gives the article; a
 * notice page (deleted, blocked, migrated, expired) gives only the notice and what is already known of the article.
 */
import { EMPTY_BODY, htmlBody } from '../content/body.js';
import { capTitle, cleanText, htmlToText, summarise } from '../content/text.js';
import { snKey } from '../keys.js';
import type { Article, FollowedUrl, Observation } from '../types.js';
import type { ContentState } from '../states.js';
import type { AlbumItem } from '../wechat/album.js';
import type { ParsedPage } from '../wechat/article-page.js';
import { canonicalArticleUrl, parseUrl } from '../wechat/url.js';

/** A page that is the article → the observation it gives; undefined when neither URL nor page names its sn. */
export function pageObservation(
  page: ParsedPage,
  url: string,
  source: string | null,
  now: number,
): Observation | undefined {
  const parsed = parseUrl(url);
  const sn = page.sn ?? parsed?.sn;
  if (!sn) return undefined;
  const biz = page.biz ?? parsed?.biz;
  const mid = page.mid ?? parsed?.mid;
  const idx = page.idx ?? parsed?.idx;
  const canonical =
    biz && mid && idx ? canonicalArticleUrl(biz, mid, idx, sn) : (page.canonical ?? parsed?.canonical ?? url);
  const html = cleanText(page.contentHtml ?? '');
  const text = htmlToText(html);
  return {
    key: snKey(sn),
    id: canonical,
    link: canonical,
    ref: { biz, mid, idx, sn },
    title: capTitle(cleanText(page.title?.trim() || canonical)),
    source: source ?? page.account?.trim() ?? biz ?? 'unsorted',
    author: page.author?.trim() || undefined,
    date: page.publishedAt ?? now,
    datePrecision: 'exact',
    capturedAt: now,
    state: 'full',
    body: htmlBody(html),
    textLength: page.textLength ?? text.length,
    summary: summarise(cleanText(page.description?.trim() || text)),
    cover: page.cover,
  };
}

/**
 * An article a list names, not read yet → a `listed` observation: the list's title, `create_time`, cover and link,
 * no body; its page, once read, outranks it in the merge.
 */
export function albumObservation(item: AlbumItem, source: string, now: number): Observation {
  const ref = parseUrl(item.url);
  return {
    key: item.key,
    id: item.url,
    link: item.url,
    ref: { biz: ref?.biz, mid: item.msgid, idx: item.itemidx, sn: ref?.sn },
    title: capTitle(cleanText(item.title.trim() || item.url)),
    source,
    date: item.createTime,
    datePrecision: 'exact',
    capturedAt: now,
    state: 'listed',
    body: EMPTY_BODY,
    textLength: 0,
    summary: '',
    cover: item.cover,
  };
}

/** A notice page → an observation that carries only the notice (and what is known of the article). */
export function noticeObservation(
  state: ContentState,
  followed: FollowedUrl,
  page: ParsedPage,
  known: Article | undefined,
  now: number,
): Observation | undefined {
  const parsed = parseUrl(followed.url);
  const sn = page.sn ?? parsed?.sn;
  const key = followed.key ?? (sn ? snKey(sn) : undefined);
  if (!key) return undefined;
  const link = known?.link ?? parsed?.canonical ?? followed.url;
  return {
    key,
    id: known?.id ?? link,
    link,
    ref: { biz: parsed?.biz, mid: parsed?.mid, idx: parsed?.idx, sn: parsed?.sn },
    title: known?.title ?? capTitle(page.title ?? link),
    source: followed.source ?? page.account ?? parsed?.biz ?? 'unsorted',
    date: known?.date ?? now,
    datePrecision: known?.datePrecision ?? 'exact',
    capturedAt: now,
    state,
    body: EMPTY_BODY,
    textLength: 0,
    summary: page.reason ?? state,
  };
}
