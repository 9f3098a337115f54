/**
 * Pure: article bodies as the store knows them (`Body`), and their summaries. A fetched page's body is sanitized HTML
 * kept in the store; a dump's body stays in its file (io/dumps/load.ts reads it back) and is rendered only when a feed
 * shows it: rendering every archived dump would be the costliest part of a build.
 */
import { hash } from 'node:crypto';
import type { Body } from '../types.js';
import { cleanText, htmlToText, summarise, SUMMARY_CHARS } from './text.js';

const digest = (data: string | Uint8Array): string => hash('sha256', data, 'hex').slice(0, 32);

/** A body of sanitized HTML (a fetched page's), kept in the store. */
export function htmlBody(html: string): Body {
  const text = cleanText(html);
  return { format: 'html', text, hash: digest(`html\u0000${text}`) };
}

/** The body of the dump file at `path`, known by the hash of the file's bytes: the file is read again to show it. */
export function dumpBody(path: string, bytes: Uint8Array): Body {
  return { format: 'dump', path, hash: digest(bytes) };
}

/**
 * Version of `markdownHtml`'s output: kept renderings are keyed by it, so a change to what rendering gives (or to the
 * reprint card taken out first, or to stages/publish/render-job.ts `KeptRendering`) must bump it.
 */
export const MARKDOWN_VERSION = '4';

/** The body of an article without text (listed, a notice, a shell). */
export const EMPTY_BODY: Body = htmlBody('');

/**
 * The HTML of a fetched page kept in the store, with what older versions kept wrongly mended: a voice's name that
 * WeChat had encoded twice (`<mpvoice name="Day&amp;nbsp;15">` read as `Day&nbsp;15`) is its text.
 */
export function mendPageHtml(html: string): string {
  if (!html.includes('/voice/getvoice')) return html;
  return html.replace(
    /(<a href="https:\/\/res\.wx\.qq\.com\/voice\/getvoice\?mediaid=[^"]*">)([^<]*)(<\/a>)/g,
    (_m, open: string, name: string, close: string) =>
      `${open}${name.replace(/&amp;(#?[0-9A-Za-z]+);/g, (_e, ref: string) => (ref === 'nbsp' ? ' ' : `&${ref};`))}${close}`,
  );
}

/**
 * HTML read for a summary, shortest first: the first holds its ~140 characters in most bodies, the last in all but
 * tag-heavy ones (then the whole body is read).
 */
const SUMMARY_HTML = [1024, 4096];

/** The summary of a body: its first ~140 characters of text, read from the start of the HTML when that suffices. */
export function summaryOf(html: string): string {
  for (const size of SUMMARY_HTML) {
    if (html.length <= size) break;
    // Cut before a tag or an entity the cut would split: the text of what is left is the start of the body's text.
    let head = html.slice(0, size);
    const lt = head.lastIndexOf('<');
    if (lt > head.lastIndexOf('>')) head = head.slice(0, lt);
    const amp = head.lastIndexOf('&');
    if (amp > head.lastIndexOf(';')) head = head.slice(0, amp);
    const text = htmlToText(head);
    // More than twice the summary in UTF-16 units is more than the summary in characters: the rest is not needed.
    if (text.length > 2 * SUMMARY_CHARS) return summarise(text, SUMMARY_CHARS);
  }
  return summarise(htmlToText(html), SUMMARY_CHARS);
}
