/**
 * How each kind of followed list is read: the request of one page of it, what that page says, where the next page
 * starts (as a position that can be stored to go on in a later build), and the list's HTML page. Polling
 * (stages/fetch/albums.ts) is the same for every kind; the pure parsing is in wechat/.
 * - An album (合集): `GET /mp/appmsgalbum?…&f=json`, paged by an exclusive cursor (the last item's msgid/itemidx).
 * - A homepage (主页): `POST /mp/homepage?…&action=appmsg_list`, paged by an offset (`begin`).
 */
import type { AlbumRecord } from '../types.js';
import type { LiveFetch } from './fetcher.js';
import type { ListRefusal } from '../wechat/answer.js';
import {
  type AlbumCursor,
  type AlbumItem,
  albumListUrl,
  type AlbumOrder,
  canonicalAlbumUrl,
  parseAlbumList,
} from '../wechat/album.js';
import {
  homepageListUrl,
  homepageRef,
  type HomepageRef,
  parseHomepageId,
  parseHomepageList,
} from '../wechat/homepage.js';

/** Where a read of a list goes on: an album's cursor, or an offset into a homepage's list. */
export type ListPosition = AlbumCursor | { begin: number };

/** One page of a list, parsed. */
type ListPageResult =
  | { ok: true; items: AlbumItem[]; more: boolean; next?: ListPosition; order: AlbumOrder }
  | { ok: false; reason: string; refused: false | ListRefusal };

/** What a list's HTML page gave. */
type ListPageInfo =
  | { ok: true; page: { title?: string; account?: string; accountId?: string } }
  | { ok: false; reason: string; refused: boolean };

/** How one kind of list is read. */
export interface ListDriver {
  /** What people call it in reports: `album`, `homepage`. */
  noun: string;
  /** The list's own URL, as a user pastes it. */
  canonical(a: AlbumRecord): string;
  /** The URL of its HTML page. */
  pageUrl(a: AlbumRecord): string;
  /** What the list's HTML page says (its title, its account). */
  parsePage(live: LiveFetch, html: string, url: string, now: number): Promise<ListPageInfo>;
  /** The request of the page at `position` (undefined: the top). */
  request(a: AlbumRecord, position: ListPosition | undefined): { url: string; method: 'GET' | 'POST' };
  /** The answer to `request`, parsed. */
  parse(body: string, a: AlbumRecord, position: ListPosition | undefined, now: number): ListPageResult;
  /** A position as it is stored. */
  encode(p: ListPosition): string;
  /** A stored position, or undefined when it is not one of this kind (the read starts at the top). */
  decode(text: string): ListPosition | undefined;
}

const DIGITS = /^\d{1,20}$/;

function decodeCursor(text: string): AlbumCursor | undefined {
  try {
    const v = JSON.parse(text) as Partial<AlbumCursor> | null;
    return v &&
      typeof v.msgid === 'string' &&
      typeof v.itemidx === 'string' &&
      DIGITS.test(v.msgid) &&
      DIGITS.test(v.itemidx)
      ? { msgid: v.msgid, itemidx: v.itemidx }
      : undefined;
  } catch {
    return undefined;
  }
}

const isCursor = (p: ListPosition | undefined): p is AlbumCursor => p !== undefined && 'msgid' in p;

const albumDriver: ListDriver = {
  noun: 'album',
  canonical: (a) => canonicalAlbumUrl(a.biz, a.albumId),
  pageUrl: (a) => canonicalAlbumUrl(a.biz, a.albumId),
  // In the page-parser thread, under its time budget: a hostile album page costs that thread, not this one.
  parsePage: (live, html, url, now) => live.parseAlbumPage(html, url, now),
  request: (a, position) => ({ url: albumListUrl(a, isCursor(position) ? position : undefined), method: 'GET' }),
  parse(body, a, _position, now) {
    const list = parseAlbumList(body, a, now);
    if (!list.ok) return list;
    return {
      ok: true,
      items: list.items,
      more: list.more,
      ...(list.cursor ? { next: list.cursor } : {}),
      order: list.order,
    };
  },
  encode: (p) => JSON.stringify(p),
  decode: decodeCursor,
};

/** A homepage's ref from its stored record (its id holds the account number, hid and cid). */
function homepageOf(a: Pick<AlbumRecord, 'albumId'>): HomepageRef {
  const parts = parseHomepageId(a.albumId);
  const ref = parts ? homepageRef(parts.biz, parts.hid, parts.cid) : undefined;
  // The store only files homepages by ids it made: a record that is not one is refused rather than guessed at.
  if (!ref) throw new Error(`list ${a.albumId}: not a homepage id (home-<account number>-<hid>[-<cid>])`);
  return ref;
}

/** Items one homepage list request asks for. */
const HOMEPAGE_PAGE = 20;

const isOffset = (p: ListPosition | undefined): p is { begin: number } => p !== undefined && 'begin' in p;

function decodeOffset(text: string): { begin: number } | undefined {
  try {
    const v = JSON.parse(text) as { begin?: unknown } | null;
    return v && typeof v.begin === 'number' && Number.isSafeInteger(v.begin) && v.begin >= 0
      ? { begin: v.begin }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A homepage (主页): `POST /mp/homepage?…&begin=<k>&count=20&action=appmsg_list`, paged by offset. An article
 * published meanwhile shifts the offsets by one: a walk that goes on from an offset reads an article twice (filed
 * once, by its key), never skips one.
 */
const homepageDriver: ListDriver = {
  noun: 'homepage',
  canonical: (a) => homepageOf(a).canonical,
  pageUrl: (a) => homepageOf(a).canonical,
  parsePage: (live, html, url) => live.parseHomepagePage(html, url),
  request: (a, position) => ({
    url: homepageListUrl(homepageOf(a), isOffset(position) ? position.begin : 0, HOMEPAGE_PAGE),
    method: 'POST',
  }),
  parse(body, a, position, now) {
    const begin = isOffset(position) ? position.begin : 0;
    const list = parseHomepageList(body, homepageOf(a), { begin, count: HOMEPAGE_PAGE }, now);
    if (!list.ok) return list;
    return { ok: true, items: list.items, more: list.more, next: { begin: list.next }, order: list.order };
  },
  encode: (p) => JSON.stringify(p),
  decode: decodeOffset,
};

/** A stored list's own URL, as a user pastes it. */
export function listUrl(a: AlbumRecord): string {
  return driverOf(a).canonical(a);
}

/** The driver of a stored list. */
export function driverOf(a: Pick<AlbumRecord, 'kind'>): ListDriver {
  return a.kind === 'homepage' ? homepageDriver : albumDriver;
}
