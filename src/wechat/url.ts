/**
 * Pure parsing of every WeChat article URL shape into {biz, mid, idx, sn} and a canonical link.
 * No I/O. Unknown or non-WeChat URLs come back as kind 'other' with a normalised URL.
 */
import type { ParsedUrl } from '../types.js';

/** The host of articles, albums and homepages. */
export const WECHAT_HOST = 'mp.weixin.qq.com';
const WECHAT_HOSTS = new Set([WECHAT_HOST, 'weixin.qq.com']);

/** Query keys that identify an article, with their aliases. */
const ALIASES: Record<'biz' | 'mid' | 'idx' | 'sn', string[]> = {
  biz: ['__biz', 'biz'],
  mid: ['mid', 'appmsgid'],
  idx: ['idx', 'itemidx'],
  sn: ['sn', 'sign'],
};

/** Query keys that only track the reader; dropped when normalising any URL. */
const TRACKING = /^(utm_[a-z]+|spm|from|isappinstalled|share_source|share_medium)$/i;

/** The entities of an ampersand `unescapeUrl` reads. */
const ENTITY = /&(?:amp;|#38;|#x26;)/i;

/** Undo the escaping WeChat pages and dumps apply to ampersands and slashes. */
export function unescapeUrl(raw: string): string {
  // Every escape holds a backslash or an ampersand's entity: most URLs have neither (a query's `&` is no escape).
  if (!raw.includes('\\') && !ENTITY.test(raw)) return raw.trim();
  return raw
    .trim()
    .replace(/\\x26/gi, '&')
    .replace(/\\u0026/gi, '&')
    .replace(/\\\//g, '/')
    .replace(/&amp;/gi, '&')
    .replace(/&#38;/g, '&')
    .replace(/&#x26;/gi, '&');
}

/** base64 `__biz` → the account number it encodes (`MzI2NzI2OTExNA==` → `3267269114`), or undefined. */
export function bizToNumber(biz: string): string | undefined {
  const clean = biz.trim();
  if (/^\d+$/.test(clean)) return clean;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) return undefined;
  const text = Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  return /^\d{1,20}$/.test(text) ? text : undefined;
}

/** Account number → base64 `__biz` (`3267269114` → `MzI2NzI2OTExNA==`). */
export function numberToBiz(num: string): string {
  return Buffer.from(num, 'latin1').toString('base64');
}

/** Canonical article link from a full identity. */
export function canonicalArticleUrl(biz: string, mid: string, idx: string, sn: string): string {
  return `https://${WECHAT_HOST}/s?__biz=${biz}&mid=${mid}&idx=${idx}&sn=${sn}`;
}

function pick(params: URLSearchParams, key: keyof typeof ALIASES): string | undefined {
  for (const name of ALIASES[key]) {
    const value = params.get(name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Parse leniently: add a missing scheme, undo escaping. Returns undefined when it is not a URL at all. */
export function toUrl(raw: string): URL | undefined {
  let text = unescapeUrl(raw);
  if (!text) return undefined;
  if (/^\/\//.test(text)) text = `https:${text}`;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    if (!/^[\w.-]+\.[a-z]{2,}(?:[/:?#]|$)/i.test(text)) return undefined;
    text = `https://${text}`;
  }
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Normalised form of any http(s) URL: lower-case host, no fragment, no tracking parameters. Changes `url` (every
 * caller has read what it needs of it).
 */
function normaliseUrl(url: URL): string {
  // Without a `#` there is no fragment to drop (an empty one is still dropped), without a `?` no parameter (an empty
  // query is still dropped below).
  if (url.href.includes('#')) url.hash = '';
  if (!url.href.includes('?')) return url.href;
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  if ([...url.searchParams.keys()].length === 0) url.search = '';
  return url.href;
}

function isDigits(value: string | undefined): value is string {
  return value !== undefined && /^\d+$/.test(value);
}

function normaliseSn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const sn = value.trim();
  return /^[A-Za-z0-9_-]{6,}$/.test(sn) ? sn : undefined;
}

function normaliseBiz(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const biz = value.trim().replace(/ /g, '+');
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(biz) ? biz : undefined;
}

function parseWechat(url: URL): ParsedUrl {
  const path = url.pathname.replace(/\/+$/, '');
  const short = /^\/s\/([A-Za-z0-9_-]{6,})$/.exec(path);
  if (short) {
    const token = short[1]!;
    return { kind: 'short', shortToken: token, canonical: `https://${WECHAT_HOST}/s/${token}` };
  }
  const params = url.searchParams;
  const biz = normaliseBiz(pick(params, 'biz'));
  const mid = pick(params, 'mid');
  const idx = pick(params, 'idx');
  const sn = normaliseSn(pick(params, 'sn'));
  const articlePath = path === '/s' || path === '/mp/appmsg/show' || path === '/mp/rumor';
  if (articlePath && sn) {
    const ref = { biz, mid: isDigits(mid) ? mid : undefined, idx: isDigits(idx) ? idx : undefined, sn };
    const canonical =
      ref.biz && ref.mid && ref.idx ? canonicalArticleUrl(ref.biz, ref.mid, ref.idx, sn) : stripToIdentity(url, ref);
    return { kind: 'article', ...ref, canonical };
  }
  if (params.has('signature') && params.has('timestamp')) {
    return { kind: 'temporary', temporary: true, biz, canonical: normaliseUrl(url) };
  }
  return { kind: 'other', biz, canonical: normaliseUrl(url) };
}

/** A WeChat link with some identity missing: keep only the identity parameters we have. */
function stripToIdentity(url: URL, ref: { biz?: string; mid?: string; idx?: string; sn: string }): string {
  const parts: string[] = [];
  if (ref.biz) parts.push(`__biz=${ref.biz}`);
  if (ref.mid) parts.push(`mid=${ref.mid}`);
  if (ref.idx) parts.push(`idx=${ref.idx}`);
  parts.push(`sn=${ref.sn}`);
  return `https://${WECHAT_HOST}${url.pathname.replace(/\/+$/, '')}?${parts.join('&')}`;
}

/** Parse any URL text. Undefined when the text is not an http(s) URL. */
export function parseUrl(raw: string): ParsedUrl | undefined {
  const url = toUrl(raw);
  if (!url) return undefined;
  if (WECHAT_HOSTS.has(url.hostname.toLowerCase())) return parseWechat(url);
  return { kind: 'other', canonical: normaliseUrl(url) };
}

/** True when the URL text points at a WeChat article host. */
export function isWechatUrl(raw: string): boolean {
  const url = toUrl(raw);
  return url !== undefined && WECHAT_HOSTS.has(url.hostname.toLowerCase());
}
