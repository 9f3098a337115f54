/**
 * The one HTML sanitizer. Always the last step of the content chain: whatever produced the HTML (markdown,
 * a fetched page), what leaves here has no script, style, event handler, `javascript:` URL, or iframe from an
 * unknown host. Images, links, lists, tables and code are kept.
 */
import { createRequire } from 'node:module';
import type sanitizeFn from 'sanitize-html';
import { decodeHTML } from 'entities';

type Sanitize = typeof sanitizeFn;
let sanitizer: Sanitize | undefined;
/** sanitize-html (with its CSS parser) is loaded on first use: most builds never need it (markdown.ts). */
const sanitize = (html: string, options: sanitizeFn.IOptions): string =>
  (sanitizer ??= createRequire(import.meta.url)('sanitize-html') as Sanitize)(html, options);

/** Hosts whose players may be embedded as iframes (WeChat and Tencent video). */
export const IFRAME_HOSTS = ['v.qq.com', 'mp.weixin.qq.com', 'channels.weixin.qq.com'];

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
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
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
  return sanitize(html, OPTIONS).trim();
}

/** Allowed tags, as markdown-it writes them (lower case). */
const ALLOWED_TAGS = new Set(OPTIONS.allowedTags as string[]);
const ALLOWED_ATTRIBUTES = OPTIONS.allowedAttributes as Record<string, string[]>;
const URL_ATTRIBUTES = new Set(['href', 'src', 'poster']);
/** One tag as markdown-it writes it: a name, then only double-quoted attributes. */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*="[^"<>]*")*)\s*\/?>/g;
const ATTRIBUTE = /([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"/g;

/** The same scheme rule as the sanitizer's: no scheme, or an allowed one; never protocol-relative. */
function urlAllowed(tag: string, value: string): boolean {
  const url = decodeHTML(value).replace(/[\x00-\x20]+/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return !/^[/\\]{2}/.test(url);
  const allowed =
    (OPTIONS.allowedSchemesByTag as Record<string, string[]>)[tag] ?? (OPTIONS.allowedSchemes as string[]);
  return allowed.includes(scheme);
}

/** Attributes of an allowed tag: each allowed for it, URLs with an allowed scheme, classes of the allowed shape. */
function tagAllowed(name: string, attributes: string): boolean {
  if (name === 'iframe') return false;
  const allowed = ALLOWED_ATTRIBUTES[name] ?? [];
  for (const [, attr, value] of attributes.matchAll(ATTRIBUTE)) {
    if (!allowed.includes(attr!)) return false;
    if (URL_ATTRIBUTES.has(attr!) && !urlAllowed(name, value!)) return false;
    if (attr === 'class' && !/^language-[\w-]+$/.test(value!)) return false;
    if (name === 'img' && attr === 'src' && value === '') return false;
  }
  return true;
}

/**
 * True when HTML made by our markdown renderer from markdown without raw HTML (no `<` in the source) is already what
 * the sanitizer would return: every `<` opens a tag of the plain shape markdown-it writes, and every tag, attribute,
 * URL scheme and class is on the allow-list above. Checking costs a fraction of sanitizing; anything else (raw HTML,
 * a refused link, an unknown attribute) is sanitized as usual.
 */
export function alreadySanitized(html: string): boolean {
  let tags = 0;
  for (const m of html.matchAll(TAG)) {
    tags++;
    const name = m[2]!;
    if (!ALLOWED_TAGS.has(name)) return false;
    if (m[3] !== '' && (m[1] === '/' || !tagAllowed(name, m[3]!))) return false;
  }
  let lt = 0;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) lt++;
  return lt === tags;
}
