/**
 * Pure text helpers: text that XML 1.0 can carry, the visible text of HTML, and a summary.
 */
import { decodeHTML } from 'entities';

/** Characters XML 1.0 forbids, and lone surrogates. */
const ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same control characters, without the surrogate look-arounds that make ILLEGAL slow on long text. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Removes the control characters XML 1.0 forbids and lone surrogates. */
export function cleanText(value: string): string {
  // Almost every string is already clean: two fast scans, and the slow pattern only when one of them fails.
  if (!CONTROL.test(value) && value.isWellFormed()) return value;
  return value.replace(ILLEGAL, '');
}

const BLOCK_TAG =
  /<\/?(?:p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|figure|figcaption|section|img|iframe|video|audio)\b[^>]*>/gi;

/** Visible text of HTML, whitespace squeezed: block tags separate words, inline tags do not. */
export function htmlToText(html: string): string {
  return decodeHTML(
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(BLOCK_TAG, ' ')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

const SCRIPT_ESCAPE = /\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/;

/**
 * Text WeChat wrote into a page's meta tags escaped for a script string, and HTML-escaped before that (an image
 * post's `og:description`: `第一段\x0a\x0a第二段 \x26quot;引语\x26quot;`), read back as the text it is
 * (`第一段\n\n第二段 "引语"`). Text without such an escape is returned as it is: a page's own text may well show a
 * backslash.
 */
export function unescapePageText(text: string): string {
  if (!SCRIPT_ESCAPE.test(text)) return text;
  const unescaped = text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|\\)/g, (_m, e: string) =>
    e === '\\' ? '\\' : String.fromCharCode(Number.parseInt(e.slice(1), 16)),
  );
  return decodeHTML(unescaped);
}

/** A summary's lines joined: a description's paragraph breaks are spaces in a summary. */
export const summaryLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/** Length of a summary, in characters. */
export const SUMMARY_CHARS = 140;

/** The first ~`max` characters of the text, cut at a character boundary (never inside a surrogate pair). */
export function summarise(text: string, max = SUMMARY_CHARS): string {
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, max * 2));
  if (chars.length <= max && text.length <= max * 2) return text;
  return `${chars.slice(0, max).join('').trimEnd()}…`;
}

/** Longest title kept, in characters (the last an ellipsis): one huge title line cannot make a huge feed. */
export const MAX_TITLE = 1000;

/** A title cut to `max` UTF-16 units with `…`, never between the two halves of a surrogate pair. */
export function capTitle(title: string, max = MAX_TITLE): string {
  if (title.length <= max) return title;
  let cut = title.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}
