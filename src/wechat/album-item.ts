/**
 * Pure: one album entry, as either album answer writes it (the JSON list's strings, or the HTML page's script
 * values), → an AlbumItem, or the reason it cannot be used. Also the bookkeeping both parsers share: skip counts,
 * the cursor, the order found by `create_time`. Every value is treated as hostile.
 */
import { snKey } from '../keys.js';
import { canonicalArticleUrl, parseUrl, unescapeUrl } from './url.js';
import { type AlbumCursor, normaliseAlbumBiz } from './album-url.js';
import { capTitle } from '../content/text.js';
import { wechatImageUrl } from '../content/images.js';

/** One article an album lists (JSON list page or HTML album page). */
export interface AlbumItem {
  /** The article's `mid` (digits). */
  msgid: string;
  /** The article's `idx` (digits). */
  itemidx: string;
  /** At most 1,000 characters (longer ones end in `…`). */
  title: string;
  /** Epoch ms of the list's `create_time` (seconds apart from the page's `ct`: the page's is the publish time). */
  createTime: number;
  /** The list's time was out of range (before 2012, or more than a day ahead): `createTime` is when it was listed. */
  timeGuessed?: true;
  cover?: string;
  /** Canonical https article URL (`https://mp.weixin.qq.com/s?__biz=…&mid=…&idx=…&sn=…`). */
  url: string;
  /** Store key, `sn:<sn>`. */
  key: string;
  /** The item's number in the album (1 = the first published), when the answer gives it. */
  posNum?: number;
}

/** The order items came in, judged by `create_time` (most adjacent pairs); `unknown` for fewer than two or a tie. */
export type AlbumOrder = 'newest-first' | 'oldest-first' | 'unknown';

/** What parsing one album answer gave besides its items: the items it could not use. */
export interface AlbumSkips {
  /** Entries not used (no sn, not an object, another account, bad numbers, duplicates), counted. */
  skipped: number;
  /** Why, one line per distinct reason (at most 10). */
  skipReasons: string[];
}

/** At most this many entries of one answer are read. */
export const MAX_ITEMS = 100;
const MAX_URL = 4096;
const DIGITS = /^\d{1,20}$/;

/** The raw fields of one entry: strings (or numbers, which hostile or future answers may send). */
export interface RawAlbumEntry {
  msgid?: unknown;
  itemidx?: unknown;
  title?: unknown;
  create_time?: unknown;
  cover?: unknown;
  url?: unknown;
  pos_num?: unknown;
}

/** A string or a safe non-negative integer as its text; anything else undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** Digits (a string or a number) as a string of at most 20 digits, else undefined. */
export function digits(value: unknown): string | undefined {
  const t = text(value);
  return t !== undefined && DIGITS.test(t) ? t : undefined;
}

/** A count (`article_count`, `size`, `pos_num`): a number up to a billion, else undefined. */
export function count(value: unknown): number | undefined {
  const t = digits(value);
  if (t === undefined || t.length > 10) return undefined;
  const n = Number(t);
  return n <= 1e9 ? n : undefined;
}

/**
 * A cover, only on WeChat's image hosts (content/images.ts), where every WeChat list puts them: readers fetch covers,
 * so one naming anything else (`http://169.254.169.254/…`) is dropped and the item kept. Checked as written.
 */
function cover(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw || raw.length > MAX_URL) return undefined;
  return wechatImageUrl(unescapeUrl(raw));
}

/** `create_time` in seconds (9–11 digits) → epoch ms. */
function createTime(value: unknown): number | undefined {
  const t = digits(value);
  return t !== undefined && /^\d{9,11}$/.test(t) ? Number(t) * 1000 : undefined;
}

/** The earliest believable list time: 2012-01-01 00:00 Beijing time (Official Accounts opened in August 2012). */
const EARLIEST_LIST_TIME = Date.UTC(2011, 11, 31, 16);
/** A list time may run ahead of our clock by at most this much. */
const AHEAD_MS = 86_400_000;

/**
 * A list's time checked against [2012, now + 1 day]: outside it (`create_time "99999999999"` is the year 5138) the
 * time is unknown and the item takes `now`, the moment it was listed, until its page gives the real one. Without
 * `now`, a time outside the range is refused.
 */
function believable(at: number, now: number | undefined): { at: number; guessed?: true } | undefined {
  if (at >= EARLIEST_LIST_TIME && (now === undefined || at <= now + AHEAD_MS)) return { at };
  return now === undefined ? undefined : { at: now, guessed: true };
}

/**
 * One entry → an item, or why not. `biz`, when given, is the album's account: an entry of another account is
 * refused (`otherAccount`), and an entry URL without `__biz` takes it.
 */
function albumItem(
  entry: RawAlbumEntry,
  biz?: string,
  now?: number,
): { item: AlbumItem } | { reason: string; otherAccount?: true } {
  const rawUrl = text(entry.url);
  if (!rawUrl) return { reason: 'no url' };
  if (rawUrl.length > MAX_URL) return { reason: `url longer than ${MAX_URL} characters` };
  const ref = parseUrl(rawUrl);
  if (ref?.kind !== 'article' || !ref.sn) return { reason: 'url has no sn' };
  const msgid = digits(entry.msgid) ?? ref.mid;
  const itemidx = digits(entry.itemidx) ?? ref.idx;
  if (!msgid) return { reason: 'no msgid' };
  if (!itemidx) return { reason: 'no itemidx' };
  if (ref.mid && ref.mid !== msgid) return { reason: 'msgid differs from the url' };
  if (ref.idx && ref.idx !== itemidx) return { reason: 'itemidx differs from the url' };
  const listed = createTime(entry.create_time);
  if (listed === undefined) return { reason: 'no create_time' };
  const at = believable(listed, now);
  if (at === undefined) return { reason: 'create_time out of range' };
  const ownBiz = ref.biz ? normaliseAlbumBiz(ref.biz) : biz;
  if (ref.biz && !ownBiz) return { reason: 'url has an invalid __biz' };
  if (biz && ownBiz !== biz) return { reason: 'article of another account', otherAccount: true };
  const title = text(entry.title) ?? '';
  const image = cover(entry.cover);
  const posNum = count(entry.pos_num);
  return {
    item: {
      msgid,
      itemidx,
      title: capTitle(title),
      createTime: at.at,
      ...(at.guessed ? { timeGuessed: true } : {}),
      ...(image ? { cover: image } : {}),
      url: ownBiz ? canonicalArticleUrl(ownBiz, msgid, itemidx, ref.sn) : ref.canonical,
      key: snKey(ref.sn),
      ...(posNum !== undefined ? { posNum } : {}),
    },
  };
}

/** Collects the items of one answer: duplicates (by key) and unusable entries are counted with their reasons. */
export class ItemCollector {
  readonly items: AlbumItem[] = [];
  private readonly keys = new Set<string>();
  private readonly reasons = new Map<string, number>();
  private skippedCount = 0;
  /** Entries skipped as articles of another account. */
  otherAccount = 0;
  /** The last entry that named a msgid and itemidx, used or not: paging goes on past an unusable entry. */
  cursor: AlbumCursor | undefined;

  private readonly biz: string | undefined;

  /**
   * `biz`: the album's account (any spelling; an invalid one filters nothing). `now`: the time of the answer, for
   * times out of range (see `albumItem`).
   */
  constructor(
    biz?: string,
    private readonly now?: number,
  ) {
    this.biz = normaliseAlbumBiz(biz);
  }

  /** Takes one entry of the answer: an item, or a skip with its reason. */
  add(entry: unknown): void {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return void this.skip('entry is not an object');
    const raw = entry as RawAlbumEntry;
    const result = albumItem(raw, this.biz, this.now);
    const msgid = digits(raw.msgid) ?? ('item' in result ? result.item.msgid : undefined);
    const itemidx = digits(raw.itemidx) ?? ('item' in result ? result.item.itemidx : undefined);
    if (msgid && itemidx) this.cursor = { msgid, itemidx };
    if ('reason' in result) {
      if (result.otherAccount) this.otherAccount++;
      return void this.skip(result.reason);
    }
    if (this.keys.has(result.item.key)) return void this.skip('listed twice');
    this.keys.add(result.item.key);
    this.items.push(result.item);
  }

  /** Counts one skipped entry; at most 10 different reasons are kept. */
  skip(reason: string): void {
    this.skippedCount++;
    if (this.reasons.size < 10 || this.reasons.has(reason))
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  /** The entries skipped, and their reasons with a count where one came more than once. */
  skips(): AlbumSkips {
    return {
      skipped: this.skippedCount,
      skipReasons: [...this.reasons].map(([reason, n]) => (n > 1 ? `${reason} (${n})` : reason)),
    };
  }
}

/** The order of items by `create_time`: the direction most adjacent pairs take. */
export function orderOf(items: AlbumItem[]): AlbumOrder {
  let down = 0;
  let up = 0;
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1]!.createTime;
    const b = items[i]!.createTime;
    if (b < a) down++;
    else if (b > a) up++;
  }
  if (down > up) return 'newest-first';
  if (up > down) return 'oldest-first';
  return 'unknown';
}
