/**
 * Article bodies as the store keeps them (`StoredBody`), and their rendering for feeds. Dump bodies stay markdown
 * until a feed shows them: rendering and sanitizing every archived dump would cost more than the rest of a build,
 * and most never reach a feed.
 */
import { hash } from 'node:crypto';
import type { FeedArticle, StoredArticle, StoredBody } from '../types.js';
import { htmlToText, renderMarkdown, summarise } from './markdown.js';
import { cleanText } from './text.js';

/** Bump when markdown rendering or sanitizing changes what a body renders to. */
const RENDERER = 'r1';

/** The hash of a body: equal hashes, equal rendered HTML. */
export function bodyDigest(format: StoredBody['format'], text: string): string {
  return hash('sha256', `${RENDERER}\u0000${format}\u0000${text}`, 'hex').slice(0, 32);
}

export function htmlBody(html: string): StoredBody {
  const text = cleanText(html);
  return { format: 'html', text, hash: bodyDigest('html', text) };
}

export function markdownBody(markdown: string): StoredBody {
  const text = cleanText(markdown);
  return { format: 'markdown', text, hash: bodyDigest('markdown', text) };
}

export const EMPTY_BODY: StoredBody = htmlBody('');

/** The sanitized HTML of a body. */
export function bodyHtml(body: StoredBody): string {
  if (body.format === 'html' || body.text === '') return body.text;
  return cleanText(renderMarkdown(body.text));
}

/** A stored article → what the feed renderer takes: the body rendered, the summary taken from it when empty. */
export function toFeedArticle(a: StoredArticle): FeedArticle {
  const { body, ...rest } = a;
  const html = bodyHtml(body);
  return { ...rest, contentHtml: html, summary: a.summary || (html ? summarise(htmlToText(html)) : '') };
}
