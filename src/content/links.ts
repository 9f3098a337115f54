/**
 * Pure: the links and media of a sanitized body made absolute. A feed reader shows an item away from the page it
 * came from, so a relative link (`/archives`, `img/a.png`, `#notes`) points nowhere there: each is resolved against
 * the article's URL. Where there is no usable base (an article known only by a hash of its text, whose link is an
 * `urn:` id or an expired search link), a relative link is dropped and its text kept, and relative media are dropped.
 * A link inside a link (which HTML does not allow, and readers would split) keeps its text only.
 *
 * Works on what the sanitizer (or markdown-it) writes: tags with double-quoted attributes.
 */
import { decodeAttr, escapeAttr } from './escape.js';

/** Tags whose URL attributes this looks at. (The sanitizer keeps no relative frame: iframes need a known host.) */
const URL_TAG = /<(\/?)(a|img|video|audio|source)\b([^>]*)>/gi;
const URL_ATTR = /(\s)(href|src|poster)="([^"]*)"/gi;
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** The absolute form of a URL attribute's value, or undefined when it is relative and cannot be resolved. */
function absolute(value: string, base: URL | undefined): string | undefined {
  // Most values are absolute as written (decoding and trimming would not change a leading scheme).
  if (SCHEME.test(value)) return value;
  const url = decodeAttr(value).trim();
  if (SCHEME.test(url)) return value;
  if (!base) return undefined;
  try {
    return escapeAttr(new URL(url, base).href);
  } catch {
    return undefined;
  }
}

/** An article's link as the base of its body's relative links: an http(s) URL, unless the article has no real one. */
export function linkBase(link: string, hasUrl: boolean): URL | undefined {
  if (!hasUrl || !/^https?:\/\//i.test(link)) return undefined;
  try {
    return new URL(link);
  } catch {
    return undefined;
  }
}

/** The body with its links and media made absolute against `base`; what cannot be resolved is dropped (see above). */
export function resolveLinks(html: string, base: URL | undefined): string {
  if (!/<(?:a|img|video|audio|source)\b/i.test(html)) return html;
  // For each open <a>: kept, or dropped with its end tag (relative without a base, or inside another link).
  const open: boolean[] = [];
  let inLink = 0;
  return html.replace(URL_TAG, (tag, close: string, rawName: string, attrs: string) => {
    const name = rawName.toLowerCase();
    if (name === 'a') {
      if (close) {
        const kept = open.pop();
        if (kept === undefined) return '';
        if (kept) inLink--;
        return kept ? tag : '';
      }
      let ok = inLink === 0;
      const fixed = attrs.replace(URL_ATTR, (m, space: string, attr: string, value: string) => {
        const url = absolute(value, base);
        if (url === undefined) ok = false;
        return url === undefined || url === value ? m : `${space}${attr}="${url}"`;
      });
      open.push(ok);
      if (ok) inLink++;
      return ok ? `<a${fixed}>` : '';
    }
    if (close) return tag;
    // Media: an unresolvable source goes; an image or a <source> without one goes whole.
    let lost = false;
    const fixed = attrs.replace(URL_ATTR, (m, space: string, attr: string, value: string) => {
      const url = absolute(value, base);
      if (url === undefined) {
        lost ||= attr.toLowerCase() === 'src';
        return '';
      }
      return url === value ? m : `${space}${attr}="${url}"`;
    });
    return lost && (name === 'img' || name === 'source') ? '' : `<${rawName}${fixed}>`;
  });
}
