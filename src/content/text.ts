/**
 * Pure text helpers: text that XML 1.0 can carry, the visible text of HTML, and a summary.
 */
import { decodeHTML } from 'entities';

/** True for the code units `String.prototype.trim` removes (white space and line terminators): what `\s` matches. */
export function isTrimmed(c: number): boolean {
  return c <= 0x20
    ? c === 0x20 || (c >= 0x09 && c <= 0x0d)
    : c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000 ||
        c === 0xfeff;
}

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

/**
 * C1 control characters (never text: the trace of UTF-8 read as Latin-1), the replacement character, and `Â` or `Ã`
 * before a Latin-1 sign (`Â©`, `Ã©`: the UTF-8 of `©` and `é` read as Latin-1).
 */
const BAD_FOR_READERS = /[\u0080-\u009F\uFFFD]|[\u00C2\u00C3][\u0080-\u00BF]/;
const MOJIBAKE = /[\u0080-\u009F]|[\u00C2\u00C3][\u0080-\u00BF]/;

/** UTF-8 that was read as Latin-1: a run of U+0080–U+00FF characters, each standing for one byte. */
const LATIN1_RUN = /[\u0080-\u00FF]{2,}/g;

/** The characters of a Latin-1 run that are UTF-8 sequences, decoded; the other characters kept. */
function decodeLatin1Run(run: string): string {
  const bytes = Array.from(run, (c) => c.charCodeAt(0));
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const seq = bytes.slice(i, i + n);
    const text = n > 0 && seq.length === n ? Buffer.from(seq).toString('utf8') : '';
    // A valid sequence decodes to one character, never to the replacement character.
    if (text && !text.includes('\uFFFD') && Array.from(text).length === 1) {
      out += text;
      i += n;
    } else {
      out += run[i]!;
      i++;
    }
  }
  return out;
}

/**
 * Text as feed readers get it: `cleanText`, then without C1 controls and U+FFFD (the W3C validator's `BadCharacters`),
 * after runs of UTF-8 read as Latin-1 upstream (`weâ\x80\x99re`, `Â© 2025`) are decoded back (`we’re`, `© 2025`).
 */
export function feedText(value: string): string {
  const clean = cleanText(value);
  if (!BAD_FOR_READERS.test(clean)) return clean;
  const mended = MOJIBAKE.test(clean) ? clean.replace(LATIN1_RUN, decodeLatin1Run) : clean;
  return mended.replace(/[\u0080-\u009F\uFFFD]/g, '');
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
 * Meta text WeChat escaped for a script and for HTML (an image post's `og:description`: `段\x0a\x26quot;引\x26quot;`)
 * read back (`段\n"引"`). Text without such an escape is left as it is: a page's own text may hold a backslash.
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
const MAX_TITLE = 1000;

/** A title cut to `max` UTF-16 units with `…`, never between the two halves of a surrogate pair. */
export function capTitle(title: string, max = MAX_TITLE): string {
  if (title.length <= max) return title;
  let cut = title.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}
