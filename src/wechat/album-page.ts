/**
 * Pure: an album's HTML page (`/mp/appmsgalbum?__biz=…&action=getalbum&album_id=…`) → its `window.cgiData`: title,
 * account, size, order and its newest items (up to 10; values written as `'…' || ''`, `'105' * 1`, URLs with
 * `&amp;`), with each item's number in the album from the list markup (`li.js_album_item[data-pos_num]`).
 * A verification page refuses the client; `cgiData.ret` ≠ 0 or a page without `cgiData` fails that album alone.
 * Never throws.
 */
import {
  type AlbumItem,
  type AlbumOrder,
  type AlbumSkips,
  count,
  ItemCollector,
  MAX_ITEMS,
  orderOf,
} from './album-item.js';
import { capTitle } from '../content/text.js';
import { type AlbumCursor, isAlbumId, parseAlbumUrl } from './album-url.js';
import { arrayEntries, field, objectBlock, ownLevel } from './page-scripts.js';
import { parseUrl } from './url.js';
import { hasVerifyMarker, VERIFY_TEXT } from './refusal.js';

/** An album's HTML page (`/mp/appmsgalbum?__biz=…&action=getalbum&album_id=…`), parsed from its `window.cgiData`. */
export interface AlbumPage extends AlbumSkips {
  albumId?: string;
  /** From the URL the page was fetched from, else from its items when they all agree. */
  biz?: string;
  title?: string;
  /** `nick_name`. */
  account?: string;
  /** `user_name` (gh_…). */
  accountId?: string;
  /** `article_count`: the album's size. */
  articleCount?: number;
  /** `is_reverse`: the album is shown newest first. */
  reverse?: boolean;
  /** The newest items (the page holds up to 10), in the page's order. */
  items: AlbumItem[];
  /** `continue_flag`: more items than the page holds. */
  more?: boolean;
  /** The JSON list continues from here. */
  cursor?: AlbumCursor;
  order: AlbumOrder;
}

/** An album's HTML page, parsed; `refused`: a verification page refuses the client. */
export type AlbumPageResult = { ok: true; page: AlbumPage } | { ok: false; reason: string; refused: boolean };

/** At most this many list items of the markup are read for their numbers. */
const MAX_MARKUP_ITEMS = 1000;

const fail = (reason: string, refused: boolean): AlbumPageResult => ({ ok: false, reason, refused });

/** The longest text of an `<li …>` tag read for its attributes: a `<li` whose `>` is further on is no item. */
const MAX_TAG = 4000;
/** The attributes read, each over one tag's text (at most MAX_TAG characters): bounded work per tag. */
const ITEM_CLASS = /\bjs_album_item\b/;
const DATA = {
  msgid: /\bdata-msgid\s*=\s*"(\d{1,20})"/,
  itemidx: /\bdata-itemidx\s*=\s*"(\d{1,20})"/,
  pos_num: /\bdata-pos_num\s*=\s*"(\d{1,20})"/,
};

/** A letter, digit or `_`: what `\b` after `<li` must not see (`<link>` is not an `<li>`). */
function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 /* _ */;
}

/**
 * `msgid_itemidx` → `data-pos_num` of the album's `<li class="js_album_item" data-msgid data-itemidx data-pos_num>`
 * markup, in one linear scan (a hostile `<li<li<li…` too); a tag whose `>` is over MAX_TAG characters away is skipped.
 */
export function markupPositions(html: string): Map<string, number> {
  const out = new Map<string, number>();
  let seen = 0;
  let from = 0;
  /** The first `>` at or after the current `<li`'s attributes (kept until a `<li` comes past it). */
  let close = -1;
  for (;;) {
    const at = html.indexOf('<li', from);
    if (at < 0) break;
    const attrsAt = at + 3;
    if (attrsAt < html.length && isWordChar(html.charCodeAt(attrsAt))) {
      from = at + 1;
      continue;
    }
    if (close < attrsAt) close = html.indexOf('>', attrsAt);
    if (close < 0) break; // no `>` after it: no tag ends any more
    if (close - attrsAt > MAX_TAG) {
      from = at + 1;
      continue;
    }
    from = close + 1;
    const attrs = html.slice(attrsAt, close);
    if (!ITEM_CLASS.test(attrs)) continue;
    if (++seen > MAX_MARKUP_ITEMS) break;
    const msgid = DATA.msgid.exec(attrs)?.[1];
    const itemidx = DATA.itemidx.exec(attrs)?.[1];
    const pos = count(DATA.pos_num.exec(attrs)?.[1]);
    if (msgid && itemidx && pos !== undefined) out.set(`${msgid}_${itemidx}`, pos);
  }
  return out;
}

/** The one account all items belong to, or undefined when they disagree or there are none. */
function commonBiz(items: AlbumItem[]): string | undefined {
  const bizes = new Set(items.map((i) => parseUrl(i.url)?.biz));
  const [only] = bizes;
  return bizes.size === 1 && only ? only : undefined;
}

function flag(value: string | undefined): boolean | undefined {
  if (value === '1') return true;
  if (value === '0') return false;
  return undefined;
}

/** Parse an album's HTML page; `url`, when given, is where it came from (its `__biz` names the account). */
export function parseAlbumPage(html: string, url?: string, now?: number): AlbumPageResult {
  if (typeof html !== 'string' || !html.trim()) return fail('empty page', false);
  const cgi = objectBlock(html, 'window.cgiData');
  if (hasVerifyMarker(html) || (!cgi && VERIFY_TEXT.test(html)))
    return fail('verification page instead of the album', true);
  if (!cgi) return fail('no window.cgiData: not an album page', false);
  // The object's own level, read once: every field below is looked up in it (not in a scan of the page each).
  const own = ownLevel(cgi);
  const ret = field(own, 'ret');
  if (ret !== undefined && ret !== '0') return fail(`cgiData.ret ${JSON.stringify(ret.slice(0, 40))}`, false);
  const from = url === undefined ? undefined : parseAlbumUrl(url);
  const asked = from?.ok ? from.album : undefined;
  const rawId = field(own, 'albumId');
  const albumId = isAlbumId(rawId) ? rawId : undefined;
  if (asked && albumId && asked.albumId !== albumId)
    return fail(`page is album ${albumId}, the URL names album ${asked.albumId}`, false);

  const numbers = markupPositions(html);
  const collector = new ItemCollector(asked?.biz, now);
  for (const entry of arrayEntries(cgi, 'articleList', MAX_ITEMS).map(ownLevel)) {
    const msgid = field(entry, 'msgid');
    const itemidx = field(entry, 'itemidx');
    collector.add({
      msgid,
      itemidx,
      title: field(entry, 'title'),
      create_time: field(entry, 'create_time'),
      cover: field(entry, 'cover_img_1_1') ?? field(entry, 'cover'),
      url: field(entry, 'url'),
      pos_num: numbers.get(`${msgid}_${itemidx}`),
    });
  }
  const items = collector.items;
  const title = field(own, 'title');
  const account = field(own, 'nick_name');
  const accountId = field(own, 'user_name');
  const articleCount = count(field(own, 'article_count'));
  const reverse = flag(field(own, 'is_reverse'));
  const more = flag(field(own, 'continue_flag'));
  const biz = asked?.biz ?? commonBiz(items);
  const cursor = collector.cursor;
  return {
    ok: true,
    page: {
      ...(albumId ? { albumId } : asked ? { albumId: asked.albumId } : {}),
      ...(biz ? { biz } : {}),
      ...(title ? { title: capTitle(title) } : {}),
      ...(account ? { account: capTitle(account) } : {}),
      ...(accountId ? { accountId: capTitle(accountId, 100) } : {}),
      ...(articleCount !== undefined ? { articleCount } : {}),
      ...(reverse !== undefined ? { reverse } : {}),
      items,
      ...(more !== undefined ? { more: more && cursor !== undefined } : {}),
      ...(cursor ? { cursor } : {}),
      order: orderOf(items),
      ...collector.skips(),
    },
  };
}
