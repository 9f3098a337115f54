/**
 * Pure: one album JSON list page (`/mp/appmsgalbum?action=getalbum&…&f=json`) → its items, whether more follow, and
 * where the next page starts. Facts of the real answer: every value is a string; `continue_flag` "0" marks the last
 * page; the end of a list has no `article_list` at all; a page of one item holds `article_list` as an object; item
 * URLs are `http://` with plain `&`. A refusal of the client (wechat/refusal.ts; also `verify_status` ≠ "0") is
 * `refused`; any other answer that is not this album's list (`ret` -2 "invalid args" for an album that does not
 * exist, the wrong shape, another account's articles) fails that album alone. Never throws.
 */
import type { AlbumCursor, AlbumRef } from './album-url.js';
import { htmlUnescape } from './page-scripts.js';
import {
  type AlbumItem,
  type AlbumOrder,
  type AlbumSkips,
  ItemCollector,
  MAX_ITEMS,
  orderOf,
  type RawAlbumEntry,
  text,
} from './album-item.js';
import { baseRet, isObject, type Json, type ListRefusal, readAnswer, show } from './answer.js';

/**
 * One album list page (`/mp/appmsgalbum?action=getalbum&…&f=json`), parsed. `refused`: WeChat refuses the client for
 * now (a verification page: `captcha`; `verify_status` ≠ "0", a frequency-control `ret`: `refused`): the caller
 * changes nothing stored and pauses all fetching. Not refused (false): the answer concerns this album alone (another
 * `ret`, the wrong shape).
 */
export type AlbumListResult =
  | ({
      ok: true;
      items: AlbumItem[];
      /** Another page follows (`continue_flag` "1", or more entries than the cap); false without a cursor. */
      more: boolean;
      /** Request the next page from here; undefined on a page with no usable entry. */
      cursor?: AlbumCursor;
      order: AlbumOrder;
    } & AlbumSkips)
  | { ok: false; reason: string; refused: false | ListRefusal };

const malformed = (reason: string): AlbumListResult => ({ ok: false, reason, refused: false });

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
export function parseAlbumList(body: string, album?: Pick<AlbumRef, 'biz'>, now?: number): AlbumListResult {
  const read = readAnswer(body, 'the list', false);
  if (!('json' in read)) return read;
  const json = read.json;
  if (!isObject(json)) return malformed(`answer is JSON but not an object: ${show(json)}`);
  const base = baseRet(json, true);
  if (base) return base;
  const resp = json.getalbum_resp;
  if (resp === undefined) return malformed('no getalbum_resp');
  if (!isObject(resp)) return malformed(`getalbum_resp is not an object: ${show(resp)}`);
  if (resp.verify_status !== undefined && text(resp.verify_status) !== '0')
    return { ok: false, reason: `getalbum_resp.verify_status ${show(resp.verify_status)}`, refused: 'refused' };
  const flag = continueFlag(resp.continue_flag);
  if (typeof flag !== 'boolean') return flag;
  const list = entries(resp.article_list);
  if (!Array.isArray(list)) return list;
  const collector = new ItemCollector(album?.biz, now);
  for (const entry of list.slice(0, MAX_ITEMS)) collector.add(isObject(entry) ? rawEntry(entry) : entry);
  // A list whose every entry is another account's is not this album's list: nothing of it is taken.
  const skips = collector.skips();
  if (collector.items.length === 0 && skips.skipped > 0 && collector.otherAccount === skips.skipped)
    return malformed(`every entry is an article of another account (${skips.skipped})`);
  // Entries past the cap are not lost: the cursor is the last one read, so the next page starts after it.
  const cut = list.length > MAX_ITEMS;
  const cursor = collector.cursor;
  return {
    ok: true,
    items: collector.items,
    more: (flag || cut) && cursor !== undefined,
    ...(cursor ? { cursor } : {}),
    order: orderOf(collector.items),
    ...skips,
  };
}
