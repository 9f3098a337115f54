/**
 * The one HTML sanitizer. Always the last step of the content chain: whatever produced the HTML (markdown,
 * a fetched page), what leaves here has no script, style, event handler, `javascript:` URL, or iframe from an
 * unknown host. Images, links, lists, tables and code are kept.
 */
import { createRequire } from 'node:module';
import type sanitizeFn from 'sanitize-html';
import { decodeHTML } from 'entities';
import { isTrimmed } from './text.js';

type Sanitize = typeof sanitizeFn;
let sanitizer: Sanitize | undefined;
/** sanitize-html (with its CSS parser) is loaded on first use: most builds never need it (markdown.ts). */
const sanitize = (html: string, options: sanitizeFn.IOptions): string =>
  (sanitizer ??= createRequire(import.meta.url)('sanitize-html') as Sanitize)(html, options);

/** Hosts whose players may be embedded as iframes (WeChat and Tencent video). */
const IFRAME_HOSTS = ['v.qq.com', 'mp.weixin.qq.com', 'channels.weixin.qq.com'];

/**
 * Every attribute that holds a URL, on any tag: each gets the scheme check, in the sanitizer and its fast path. Most
 * are not allowed anyway; they are listed so that allowing one later cannot skip the check.
 */
const URL_ATTRIBUTES = [
  'href',
  'src',
  'poster',
  'srcset',
  'data-src',
  'cite',
  'action',
  'formaction',
  'background',
  'longdesc',
  'usemap',
  'lowsrc',
  'dynsrc',
  'ping',
  'manifest',
  'icon',
  'codebase',
  'classid',
  'archive',
  'profile',
  'data',
  'xlink:href',
];
/** Links may point at web pages and mail addresses; media is loaded, so only from the web. */
const LINK_SCHEMES = ['http', 'https', 'mailto'];
const MEDIA_SCHEMES = ['http', 'https'];
/** Tags whose URLs load media. `srcset` is how sanitize-html names the tag of each URL inside a srcset. */
const MEDIA_TAGS = ['img', 'video', 'audio', 'source', 'track', 'iframe', 'embed', 'object', 'picture', 'srcset'];

const OPTIONS: sanitizeFn.IOptions = {
  allowedTags: [
    'a',
    'abbr',
    'b',
    'blockquote',
    'br',
    'caption',
    'cite',
    'code',
    'col',
    'colgroup',
    'dd',
    'del',
    'details',
    'div',
    'dl',
    'dt',
    'em',
    'figcaption',
    'figure',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'iframe',
    'img',
    'ins',
    'kbd',
    'li',
    'mark',
    'ol',
    'p',
    'pre',
    'q',
    's',
    'section',
    'small',
    'span',
    'strong',
    'sub',
    'summary',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'u',
    'ul',
    'audio',
    'video',
    'source',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading'],
    iframe: ['src', 'width', 'height', 'allowfullscreen', 'frameborder'],
    audio: ['src', 'controls', 'preload'],
    video: ['src', 'controls', 'poster', 'preload', 'width', 'height'],
    source: ['src', 'type'],
    td: ['colspan', 'rowspan', 'align'],
    th: ['colspan', 'rowspan', 'align', 'scope'],
    ol: ['start', 'type'],
    code: ['class'],
    pre: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/], pre: [/^language-[\w-]+$/] },
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: Object.fromEntries(MEDIA_TAGS.map((tag) => [tag, MEDIA_SCHEMES])),
  allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
  allowProtocolRelative: false,
  allowedIframeHostnames: IFRAME_HOSTS,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template'],
  parseStyleAttributes: false,
  // An iframe whose src was refused (unknown host) or an image with no source shows nothing: drop it.
  exclusiveFilter: (frame) => (frame.tag === 'iframe' || frame.tag === 'img') && !frame.attribs.src,
};

/** Sanitize untrusted HTML into what feeds may carry. */
export function sanitizeHtml(html: string): string {
  return headingsAsHtmlReadsThem(paragraphsAsHtmlReadsThem(sanitize(html, OPTIONS).trim()));
}

const HEADING_TAG = /<(\/?)h[1-6]\b[^>]*>/gi;

/**
 * A heading inside a heading (raw HTML in a dump, such as a tool's output quoting pages: `<h1>…<h1>Not Found</h1>…`)
 * is kept nested by the sanitizer's parser, but an HTML parser ends the outer heading where the inner one starts (the
 * W3C validator's `NotHtml`). The inner one becomes a `<span>`: its text stays where it was, in the outer heading.
 */
function headingsAsHtmlReadsThem(html: string): string {
  if (!/<h[1-6]\b/i.test(html)) return html;
  // For each heading open: whether it is kept (the outermost) or becomes a span.
  const open: boolean[] = [];
  let nested = false;
  const out = html.replace(HEADING_TAG, (tag, close: string) => {
    if (close) {
      const kept = open.pop();
      if (kept === false) {
        nested = true;
        return '</span>';
      }
      return tag;
    }
    const kept = open.length === 0;
    open.push(kept);
    if (kept) return tag;
    nested = true;
    return '<span>';
  });
  return nested ? out : html;
}

/** Allowed tags that end an open paragraph where HTML's parser meets them (its "close a p element" rule). */
const ENDS_PARAGRAPH = new Set([
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'ul',
]);
const BLOCKISH_TAG = new RegExp(`<(/?)(${[...ENDS_PARAGRAPH].join('|')})\\b[^>]*>`, 'gi');

/**
 * A paragraph that holds a list, a quote, a table or another paragraph (raw HTML in a dump: `<p>Allowed HTML <a>
 * <ul>…</ul></a></p>`) is kept by the sanitizer's parser, but an HTML parser ends the paragraph where the block
 * starts, and its `</p>` is then an error (the W3C validator's `NotHtml`). Such a paragraph becomes a `<div>`, which
 * may hold blocks.
 */
function paragraphsAsHtmlReadsThem(html: string): string {
  if (!/<p\b/i.test(html)) return html;
  const tags = [...html.matchAll(BLOCKISH_TAG)];
  const open: number[] = [];
  const holdsBlock = new Set<number>();
  const closeOf = new Map<number, number>();
  tags.forEach((m, i) => {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      if (name === 'p' && open.length > 0) closeOf.set(open.pop()!, i);
      return;
    }
    if (open.length > 0) for (const p of open) holdsBlock.add(p);
    if (name === 'p') open.push(i);
  });
  if (holdsBlock.size === 0) return html;
  const rename = new Set<number>();
  for (const p of holdsBlock) {
    rename.add(p);
    const close = closeOf.get(p);
    if (close !== undefined) rename.add(close);
  }
  let out = '';
  let last = 0;
  tags.forEach((m, i) => {
    if (!rename.has(i)) return;
    out += html.slice(last, m.index) + m[0].replace(/^<(\/?)p/i, '<$1div');
    last = m.index + m[0].length;
  });
  return out + html.slice(last);
}

/** Allowed tags, as markdown-it writes them (lower case). */
const ALLOWED_TAGS = new Set(OPTIONS.allowedTags as string[]);
const ALLOWED_ATTRIBUTES = OPTIONS.allowedAttributes as Record<string, string[]>;
const URL_ATTRIBUTE_SET = new Set(URL_ATTRIBUTES);
/** Elements that have no end tag. */
const VOID_TAGS = new Set(['br', 'hr', 'img', 'col', 'source', 'track', 'wbr']);

/** A tag the fast path may vouch for by its name: allowed, an end tag only of an element that has one, never an iframe. */
const tagNameAllowed = (tag: string, close: boolean): boolean =>
  ALLOWED_TAGS.has(tag) && (close ? !VOID_TAGS.has(tag) : tag !== 'iframe');
/** An image needs a source: the sanitizer drops one without. */
const lacksSource = (tag: string, close: boolean, src: boolean): boolean => !close && tag === 'img' && !src;

/** An attribute value that decoding and removing control and space characters leave as it is. */
const PLAIN_VALUE = /^[^&\x00-\x20]*$/;
/** A URL's scheme, as the sanitizer reads it. */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/;

/** The same scheme rule as the sanitizer's: no scheme, or an allowed one; never protocol-relative. */
function urlAllowed(tag: string, value: string): boolean {
  // A scheme written plainly at the start is the one decoding finds: entities start with `&`, and neither `&` nor a
  // control or space character is in it. Otherwise most values have no entity or such character: taken as they are.
  let scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const url = PLAIN_VALUE.test(value) ? value : decodeHTML(value).replace(/[\x00-\x20]+/g, '');
    scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
    if (scheme === undefined) return !/^[/\\]{2}/.test(url);
  }
  const allowed =
    (OPTIONS.allowedSchemesByTag as Record<string, string[]>)[tag] ?? (OPTIONS.allowedSchemes as string[]);
  return allowed.includes(scheme);
}

/** One attribute of an allowed tag: allowed for it, a URL with an allowed scheme, a class of the allowed shape. */
function attributeAllowed(tag: string, allowed: readonly string[], name: string, value: string): boolean {
  // A srcset is rewritten by the sanitizer (each of its URLs checked): never vouched for here.
  if (!allowed.includes(name) || name === 'srcset') return false;
  if (URL_ATTRIBUTE_SET.has(name) && !urlAllowed(tag, value)) return false;
  return name !== 'class' || /^language-[\w-]+$/.test(value);
}

const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isLetterOrDigit = (c: number): boolean => isLetter(c) || (c >= 0x30 && c <= 0x39);

/**
 * The end of the tag at `at` (a `<`) when it has markdown-it's plain shape (`<name>`, `</name>`, `<name a="v" …>`,
 * an optional `/` before `>`) and is allowed whole: its tag, each attribute, scheme and class; -1 otherwise. An image
 * needs a source (the sanitizer drops one without); an iframe is never vouched for (its host is the sanitizer's).
 */
function allowedTagEnd(html: string, at: number): number {
  let i = at + 1;
  const close = html.charCodeAt(i) === 0x2f;
  if (close) i++;
  const nameStart = i;
  if (!isLetter(html.charCodeAt(i))) return -1;
  do i++;
  while (isLetterOrDigit(html.charCodeAt(i)));
  const tag = html.slice(nameStart, i);
  if (!tagNameAllowed(tag, close)) return -1;
  const allowed = ALLOWED_ATTRIBUTES[tag] ?? [];
  let src = false;
  for (;;) {
    let j = i;
    while (isTrimmed(html.charCodeAt(j))) j++;
    if (j === i || !isLetter(html.charCodeAt(j))) {
      // No attribute follows: the tag ends here, or this is not a tag of that shape.
      if (html.charCodeAt(j) === 0x2f) j++;
      if (html.charCodeAt(j) !== 0x3e) return -1;
      return lacksSource(tag, close, src) ? -1 : j + 1;
    }
    // An end tag has no attribute.
    if (close) return -1;
    const attrStart = j;
    do j++;
    while (isLetterOrDigit(html.charCodeAt(j)) || html.charCodeAt(j) === 0x2d);
    if (html.charCodeAt(j) !== 0x3d || html.charCodeAt(j + 1) !== 0x22) return -1;
    const valueStart = j + 2;
    let k = valueStart;
    for (let c = html.charCodeAt(k); c !== 0x22; c = html.charCodeAt(++k))
      if (c === 0x3c || c === 0x3e || Number.isNaN(c)) return -1;
    const name = html.slice(attrStart, j);
    const value = html.slice(valueStart, k);
    if (!attributeAllowed(tag, allowed, name, value)) return -1;
    if (name === 'src' && value !== '') src = true;
    i = k + 1;
  }
}

/** An attribute's name of the shape the scanner reads (`allowedTagEnd`). */
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * The scanner's verdict (`allowedTagEnd`) on one tag told by its parts instead of its text: its name, whether it is an
 * end tag, and its attributes with their values as written (escaped), each written ` name="value"`.
 */
export function writtenTagAllowed(
  tag: string,
  close: boolean,
  attrs: ReadonlyArray<readonly [string, string]> | null,
): boolean {
  if (!tagNameAllowed(tag, close)) return false;
  if (attrs === null || attrs.length === 0) return !lacksSource(tag, close, false);
  if (close) return false;
  const allowed = ALLOWED_ATTRIBUTES[tag] ?? [];
  let src = false;
  for (const [name, value] of attrs) {
    if (!ATTRIBUTE_NAME.test(name) || /[<>"]/.test(value) || !attributeAllowed(tag, allowed, name, value)) return false;
    if (name === 'src' && value !== '') src = true;
  }
  return !lacksSource(tag, close, src);
}

/**
 * True when HTML markdown-it wrote from markdown without raw HTML is already what the sanitizer would return (a cheap
 * check): every `<` opens a tag of markdown-it's plain shape, every tag, attribute, scheme and class allowed.
 */
export function alreadySanitized(html: string): boolean {
  for (let at = html.indexOf('<'); at >= 0; ) {
    const end = allowedTagEnd(html, at);
    if (end < 0) return false;
    at = html.indexOf('<', end);
  }
  return true;
}
