/**
 * Pure: album (合集) URLs. Every form a user pastes (`&amp;`, `\x26amp;`, `#wechat_redirect`, http, extra parameters
 * in any order) → `{ biz, albumId, canonical }`, or a reason it is refused; and the URL of the album's JSON list
 * pages. No I/O.
 */
import { bizToNumber, numberToBiz, toUrl, WECHAT_HOST } from './url.js';

/** One album of one account, as its URL names it. */
export interface AlbumRef {
  /** `__biz` of the account, standard base64 with padding (`Mzg4NTc2OTYxMQ==`). */
  biz: string;
  /** Digits only (`3329839945947119618`). */
  albumId: string;
  /** `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=<biz>&action=getalbum&album_id=<id>`: the album's HTML page. */
  canonical: string;
}

/** What a pasted album URL turned out to be. */
export type AlbumUrlResult = { ok: true; album: AlbumRef } | { ok: false; reason: string };

/** Where the next album list page starts: the last item of the page before (exclusive). Digits only. */
export interface AlbumCursor {
  msgid: string;
  itemidx: string;
}

/** The path of an album's page and of its JSON list. */
const ALBUM_PATH = '/mp/appmsgalbum';
/** Album ids are unsigned 64-bit numbers: at most 20 digits. */
const ALBUM_ID = /^[1-9]\d{0,19}$/;
/** Digits of a msgid or itemidx in a cursor. */
const CURSOR_NUMBER = /^\d{1,20}$/;

/** A value as a reason shows it: quoted, at most 40 characters. */
function show(value: string): string {
  const chars = Array.from(value);
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : value);
}

/** True for an album id: digits only, no leading zero, at most 20 digits. */
export function isAlbumId(value: unknown): value is string {
  return typeof value === 'string' && ALBUM_ID.test(value);
}

/**
 * A `__biz` in its one spelling (standard base64 of the account number, padded), or undefined when it is not one.
 * A `+` that a query turned into a space is put back; URL-safe base64 and missing padding are accepted.
 */
export function normaliseAlbumBiz(value: string | undefined): string | undefined {
  const raw = value?.trim().replace(/ /g, '+');
  if (!raw || raw.length > 64 || /^\d+$/.test(raw)) return undefined;
  const num = bizToNumber(raw);
  return num && /^[1-9]\d{0,19}$/.test(num) ? numberToBiz(num) : undefined;
}

/** The canonical album URL (its HTML page). */
export function canonicalAlbumUrl(biz: string, albumId: string): string {
  return `https://${WECHAT_HOST}${ALBUM_PATH}?__biz=${biz}&action=getalbum&album_id=${albumId}`;
}

function albumUrlOf(raw: string): URL | undefined {
  const url = toUrl(raw);
  if (!url || url.hostname.toLowerCase() !== WECHAT_HOST) return undefined;
  return url.pathname.replace(/\/+$/, '') === ALBUM_PATH ? url : undefined;
}

/** True when the text is a WeChat album URL (valid or not: parseAlbumUrl says what is wrong), false for anything else. */
export function isAlbumUrl(raw: string): boolean {
  return typeof raw === 'string' && raw.length <= 8192 && albumUrlOf(raw) !== undefined;
}

/** One value of a query parameter, or a reason when it is given twice with different values. */
function single(params: URLSearchParams, name: string): { value?: string; reason?: string } {
  const values = [...new Set(params.getAll(name).map((v) => v.trim()))].filter(Boolean);
  if (values.length > 1) return { reason: `album URL has two different ${name} values` };
  return values[0] === undefined ? {} : { value: values[0] };
}

/** Parse an album URL as pasted. Never throws. */
export function parseAlbumUrl(raw: string): AlbumUrlResult {
  if (typeof raw !== 'string' || !raw.trim()) return { ok: false, reason: 'empty URL' };
  if (raw.length > 8192) return { ok: false, reason: 'URL longer than 8192 characters' };
  const url = toUrl(raw);
  if (!url) return { ok: false, reason: `not a URL: ${show(raw.trim())}` };
  if (url.hostname.toLowerCase() !== WECHAT_HOST) return { ok: false, reason: `not a ${WECHAT_HOST} URL` };
  if (url.pathname.replace(/\/+$/, '') !== ALBUM_PATH)
    return { ok: false, reason: `not an album URL (path ${show(url.pathname)}, expected ${ALBUM_PATH})` };
  const action = single(url.searchParams, 'action');
  if (action.reason) return { ok: false, reason: action.reason };
  if (action.value !== undefined && action.value !== 'getalbum')
    return { ok: false, reason: `album URL with action=${show(action.value)}, expected getalbum` };
  const id = single(url.searchParams, 'album_id');
  if (id.reason) return { ok: false, reason: id.reason };
  if (id.value === undefined) return { ok: false, reason: 'album URL has no album_id' };
  if (!/^\d+$/.test(id.value)) return { ok: false, reason: `album_id ${show(id.value)} is not a number` };
  if (!ALBUM_ID.test(id.value))
    return { ok: false, reason: `album_id ${show(id.value)} is not an album id (1 to 20 digits, no leading zero)` };
  const bizParam = single(url.searchParams, '__biz');
  if (bizParam.reason) return { ok: false, reason: bizParam.reason };
  if (bizParam.value === undefined) return { ok: false, reason: 'album URL has no __biz' };
  const biz = normaliseAlbumBiz(bizParam.value);
  if (!biz) return { ok: false, reason: `__biz ${show(bizParam.value)} is not an account id (base64 of its number)` };
  return { ok: true, album: { biz, albumId: id.value, canonical: canonicalAlbumUrl(biz, id.value) } };
}

/** How `albumListUrl` asks for a list page. */
export interface AlbumListOptions {
  /** Items per page, 1–20 (default 20). */
  count?: number;
  /** Newest first (`is_reverse=1`, the default); false leaves the order to the server. */
  reverse?: boolean;
  /** Scheme and host (default `https://mp.weixin.qq.com`). */
  origin?: string;
}

/**
 * The URL of an album's JSON list page: `/mp/appmsgalbum?action=getalbum&__biz=…&album_id=…&count=20&is_reverse=1
 * &f=json`, and after a page `&begin_msgid=<msgid>&begin_itemidx=<itemidx>` of its last item (exclusive).
 */
export function albumListUrl(
  album: Pick<AlbumRef, 'biz' | 'albumId'>,
  cursor?: AlbumCursor,
  options: AlbumListOptions = {},
): string {
  const count = Math.min(20, Math.max(1, Math.trunc(Number(options.count ?? 20)) || 20));
  const origin = (options.origin ?? `https://${WECHAT_HOST}`).replace(/\/+$/, '');
  const parts = [
    'action=getalbum',
    `__biz=${album.biz.replace(/\+/g, '%2B')}`,
    `album_id=${encodeURIComponent(album.albumId)}`,
    `count=${count}`,
  ];
  if (options.reverse !== false) parts.push('is_reverse=1');
  parts.push('f=json');
  if (cursor && CURSOR_NUMBER.test(cursor.msgid) && CURSOR_NUMBER.test(cursor.itemidx))
    parts.push(`begin_msgid=${cursor.msgid}`, `begin_itemidx=${cursor.itemidx}`);
  return `${origin}${ALBUM_PATH}?${parts.join('&')}`;
}
