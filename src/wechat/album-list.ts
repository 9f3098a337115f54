/**
 * Pure: one album JSON list page (`/mp/appmsgalbum?action=getalbum&…&f=json`) → its items, whether more follow, and
 * where the next page starts. Facts of the real answer: every value is a string; `continue_flag` "0" marks the last
 * page; the end of a list has no `article_list` at all; a page of one item holds `article_list` as an object; item
 * URLs are `http://` with plain `&`. An HTML or non-JSON body, `base_resp.ret` ≠ 0 or `verify_status` ≠ "0" means
 * WeChat will not answer for now (blocked); JSON of the wrong shape is a failure with its reason. Never throws.
 */
import type { AlbumListResult, AlbumRef } from '../types.js';
import { htmlUnescape } from './page-scripts.js';
import { ItemCollector, MAX_ITEMS, orderOf, type RawAlbumEntry, text } from './album-item.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const blocked = (reason: string): AlbumListResult => ({ ok: false, reason, blocked: true });
const malformed = (reason: string): AlbumListResult => ({ ok: false, reason, blocked: false });

/** A short, printable form of a hostile value for a reason: shallow (never walks a nested value), at most 60 chars. */
function show(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value.slice(0, 60));
  else if (Array.isArray(value)) s = value.length === 0 ? '[]' : `[…] (${value.length})`;
  else if (typeof value === 'object' && value !== null) s = '{…}';
  else s = String(value);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/** The body as JSON, or why it is not (every such answer is a blocked one). */
function readJson(body: unknown): { json: unknown } | { reason: string } {
  if (typeof body !== 'string') return { reason: 'answer is not text' };
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return { reason: 'empty answer' };
  if (trimmed.startsWith('<')) return { reason: 'HTML answer instead of JSON (a verification or error page)' };
  try {
    return { json: JSON.parse(trimmed) };
  } catch {
    return { reason: 'answer is not JSON' };
  }
}

/** `base_resp.ret`: undefined when it is 0, else the reason it blocks or the failure it is. */
function checkBaseResp(json: Json): AlbumListResult | undefined {
  const base = json.base_resp;
  if (base === undefined) return malformed('no base_resp');
  if (!isObject(base)) return malformed(`base_resp is not an object: ${show(base)}`);
  const ret = typeof base.ret === 'number' ? base.ret : typeof base.ret === 'string' ? Number(base.ret) : Number.NaN;
  if (base.ret === undefined) return malformed('base_resp has no ret');
  if (!Number.isFinite(ret) || (typeof base.ret === 'string' && !/^\s*-?\d+\s*$/.test(base.ret)))
    return malformed(`base_resp.ret is not a number: ${show(base.ret)}`);
  if (ret === 0) return undefined;
  const msg = text(base.errmsg) ?? text(base.err_msg);
  return blocked(`base_resp.ret ${ret}${msg ? ` (${show(msg)})` : ''}`);
}

/** `continue_flag`: true, false, or a failure. Missing means no more. */
function continueFlag(value: unknown): boolean | AlbumListResult {
  if (value === undefined || value === null) return false;
  const t = text(value);
  if (t === '1') return true;
  if (t === '0') return false;
  return malformed(`continue_flag is not "0" or "1": ${show(value)}`);
}

/** `article_list` as a list: absent or null is none, one object is one item, anything else a failure. */
function entries(value: unknown): unknown[] | AlbumListResult {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (isObject(value)) return [value];
  return malformed(`article_list is neither a list nor an object: ${show(value)}`);
}

function rawEntry(entry: Json): RawAlbumEntry {
  return {
    msgid: entry.msgid,
    itemidx: entry.itemidx,
    // WeChat's JSON writes titles HTML-escaped (`&amp;`, `&quot;`); the HTML page's are decoded by field().
    title: typeof entry.title === 'string' ? htmlUnescape(entry.title) : entry.title,
    create_time: entry.create_time,
    cover: entry.cover_img_1_1,
    url: entry.url,
    pos_num: entry.pos_num,
  };
}

/**
 * Parse one album list answer. `album`, when given, is the album asked for: entries of another account are skipped
 * and entry URLs without `__biz` take its biz.
 */
export function parseAlbumList(body: string, album?: Pick<AlbumRef, 'biz'>): AlbumListResult {
  const read = readJson(body);
  if ('reason' in read) return blocked(read.reason);
  const json = read.json;
  if (!isObject(json)) return malformed(`answer is JSON but not an object: ${show(json)}`);
  const base = checkBaseResp(json);
  if (base) return base;
  const resp = json.getalbum_resp;
  if (resp === undefined) return malformed('no getalbum_resp');
  if (!isObject(resp)) return malformed(`getalbum_resp is not an object: ${show(resp)}`);
  if (resp.verify_status !== undefined && text(resp.verify_status) !== '0')
    return blocked(`getalbum_resp.verify_status ${show(resp.verify_status)}`);
  const flag = continueFlag(resp.continue_flag);
  if (typeof flag !== 'boolean') return flag;
  const list = entries(resp.article_list);
  if (!Array.isArray(list)) return list;
  const collector = new ItemCollector(album?.biz);
  for (const entry of list.slice(0, MAX_ITEMS)) collector.add(isObject(entry) ? rawEntry(entry) : entry);
  // Entries past the cap are not lost: the cursor is the last one read, so the next page starts after it.
  const cut = list.length > MAX_ITEMS;
  const cursor = collector.cursor;
  return {
    ok: true,
    items: collector.items,
    more: (flag || cut) && cursor !== undefined,
    ...(cursor ? { cursor } : {}),
    order: orderOf(collector.items),
    ...collector.skips(),
  };
}
