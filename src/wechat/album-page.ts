/**
 * Pure: an album's HTML page (`/mp/appmsgalbum?__biz=…&action=getalbum&album_id=…`) → its `window.cgiData`: title,
 * account, size, order and its newest items (up to 10; values written as `'…' || ''`, `'105' * 1`, URLs with
 * `&amp;`), with each item's number in the album from the list markup (`li.js_album_item[data-pos_num]`).
 * A verification page, or `cgiData.ret` ≠ 0, is blocked for now. Never throws.
 */
import type { AlbumItem, AlbumPageResult } from '../types.js';
import { count, cutTitle, ItemCollector, MAX_ITEMS, orderOf } from './album-item.js';
import { isAlbumId, parseAlbumUrl } from './album-url.js';
import { arrayEntries, objectBlock, ownField } from './page-scripts.js';
import { parseUrl } from './url.js';

const CAPTCHA_MARKERS = ['secitptpage/verify.html', 'TCaptcha.js', 'poc_token', 'wappoc_appmsgcaptcha'];
const CAPTCHA_TEXT = /当前环境异常|完成验证后即可继续访问|环境异常|访问过于频繁/;
/** At most this many list items of the markup are read for their numbers. */
const MAX_MARKUP_ITEMS = 1000;

const fail = (reason: string, blocked: boolean): AlbumPageResult => ({ ok: false, reason, blocked });

/** `msgid_itemidx` → `data-pos_num` of the album's list markup. */
function positions(html: string): Map<string, number> {
  const out = new Map<string, number>();
  let seen = 0;
  for (const m of html.matchAll(/<li\b([^>]{0,4000})>/g)) {
    const attrs = m[1]!;
    if (!/\bjs_album_item\b/.test(attrs)) continue;
    if (++seen > MAX_MARKUP_ITEMS) break;
    const attr = (name: string) => new RegExp(String.raw`\bdata-${name}\s*=\s*"(\d{1,20})"`).exec(attrs)?.[1];
    const msgid = attr('msgid');
    const itemidx = attr('itemidx');
    const pos = count(attr('pos_num'));
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
export function parseAlbumPage(html: string, url?: string): AlbumPageResult {
  if (typeof html !== 'string' || !html.trim()) return fail('empty page', true);
  const cgi = objectBlock(html, 'window.cgiData');
  if (CAPTCHA_MARKERS.some((m) => html.includes(m)) || (!cgi && CAPTCHA_TEXT.test(html)))
    return fail('verification page instead of the album', true);
  if (!cgi) return fail('no window.cgiData: not an album page', false);
  const ret = ownField(cgi, 'ret');
  if (ret !== undefined && ret !== '0') return fail(`cgiData.ret ${JSON.stringify(ret.slice(0, 40))}`, true);
  const from = url === undefined ? undefined : parseAlbumUrl(url);
  const asked = from?.ok ? from.album : undefined;
  const rawId = ownField(cgi, 'albumId');
  const albumId = isAlbumId(rawId) ? rawId : undefined;
  if (asked && albumId && asked.albumId !== albumId)
    return fail(`page is album ${albumId}, the URL names album ${asked.albumId}`, false);

  const numbers = positions(html);
  const collector = new ItemCollector(asked?.biz);
  for (const entry of arrayEntries(cgi, 'articleList').slice(0, MAX_ITEMS)) {
    const msgid = ownField(entry, 'msgid');
    const itemidx = ownField(entry, 'itemidx');
    collector.add({
      msgid,
      itemidx,
      title: ownField(entry, 'title'),
      create_time: ownField(entry, 'create_time'),
      cover: ownField(entry, 'cover_img_1_1') ?? ownField(entry, 'cover'),
      url: ownField(entry, 'url'),
      pos_num: numbers.get(`${msgid}_${itemidx}`),
    });
  }
  const items = collector.items;
  const title = ownField(cgi, 'title');
  const account = ownField(cgi, 'nick_name');
  const accountId = ownField(cgi, 'user_name');
  const articleCount = count(ownField(cgi, 'article_count'));
  const reverse = flag(ownField(cgi, 'is_reverse'));
  const more = flag(ownField(cgi, 'continue_flag'));
  const biz = asked?.biz ?? commonBiz(items);
  const cursor = collector.cursor;
  return {
    ok: true,
    page: {
      ...(albumId ? { albumId } : asked ? { albumId: asked.albumId } : {}),
      ...(biz ? { biz } : {}),
      ...(title ? { title: cutTitle(title) } : {}),
      ...(account ? { account: cutTitle(account) } : {}),
      ...(accountId ? { accountId: cutTitle(accountId, 100) } : {}),
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
