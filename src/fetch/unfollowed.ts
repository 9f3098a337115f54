/**
 * Pure: the accounts and article URLs the user unfollowed (`wxfeed unfollow`), kept as JSON in the store's meta
 * table. An unfollowed URL is not read though a URL file still lists it; an unfollowed account's listed URLs are not
 * read and pages name none of its albums into following. What an account's unfollowing stopped is kept with it, so
 * that following it again restores just that. No clock, no store.
 */
import { bizToNumber } from '../wechat/url.js';

/** One unfollowed account. */
export interface UnfollowedAccount {
  /** When (epoch ms). */
  at: number;
  /** Its feeds are no longer published (`--remove`). */
  removed: boolean;
  /** The albums and homepages this unfollowing stopped (ids), followed again with the account. */
  albums: string[];
  /** The article URLs it marked one by one (short links, whose account only the store knows). */
  urls: string[];
}

/** What the user unfollowed beyond albums (those are marked in the store's albums table). */
export interface UnfollowMarks {
  /** Account number → its unfollowing. */
  accounts: Record<string, UnfollowedAccount>;
  /** Canonical article URL → when it was unfollowed (epoch ms). */
  urls: Record<string, number>;
}

/** Longer than any set of marks a person makes by hand. */
const MAX_RAW = 4 * 1024 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isTime = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) <= 8.64e15;

function parseAccount(v: unknown): UnfollowedAccount | undefined {
  if (!isRecord(v) || !isTime(v.at) || typeof v.removed !== 'boolean') return undefined;
  if (!isStrings(v.albums) || !isStrings(v.urls)) return undefined;
  return { at: v.at, removed: v.removed, albums: v.albums, urls: v.urls };
}

/** No marks. */
export const NO_MARKS: UnfollowMarks = Object.freeze({ accounts: {}, urls: {} });

/** The marks as stored (JSON text), checked entry by entry: a malformed entry is dropped, never a failed build. */
export function parseUnfollowMarks(raw: string | undefined): UnfollowMarks {
  if (!raw || raw.length > MAX_RAW) return NO_MARKS;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return NO_MARKS;
  }
  if (!isRecord(v)) return NO_MARKS;
  const accounts: Record<string, UnfollowedAccount> = {};
  if (isRecord(v.accounts))
    for (const [number, entry] of Object.entries(v.accounts)) {
      const account = parseAccount(entry);
      if (account && /^\d{1,20}$/.test(number)) accounts[number] = account;
    }
  const urls: Record<string, number> = {};
  if (isRecord(v.urls))
    for (const [url, at] of Object.entries(v.urls)) if (isTime(at) && url.startsWith('http')) urls[url] = at;
  return { accounts, urls };
}

/** The marks as stored. */
export function serializeUnfollowMarks(marks: UnfollowMarks): string {
  return JSON.stringify(marks);
}

/** The unfollowing of the account of `biz` (base64 or its number), if it is unfollowed. */
export function accountUnfollowed(marks: UnfollowMarks, biz: string | null | undefined): UnfollowedAccount | undefined {
  const number = biz ? bizToNumber(biz) : undefined;
  return number !== undefined && Object.hasOwn(marks.accounts, number) ? marks.accounts[number] : undefined;
}

/** Whether a listed article URL is left unread: unfollowed itself, or its account is. */
export function urlUnfollowed(marks: UnfollowMarks, url: { canonical: string; biz?: string | undefined }): boolean {
  return Object.hasOwn(marks.urls, url.canonical) || accountUnfollowed(marks, url.biz) !== undefined;
}

/** The account numbers whose feeds are no longer published. */
function removedAccounts(marks: UnfollowMarks): Set<string> {
  return new Set(Object.entries(marks.accounts).flatMap(([n, a]) => (a.removed ? [n] : [])));
}

/**
 * The feeds still published: all but those of accounts whose feeds were removed (the account's own feed and its
 * albums' feeds, told by their `biz`).
 */
export function publishedFeeds<T extends { biz?: string | undefined }>(groups: T[], marks: UnfollowMarks): T[] {
  const removed = removedAccounts(marks);
  if (removed.size === 0) return groups;
  return groups.filter((g) => {
    const number = g.biz ? bizToNumber(g.biz) : undefined;
    return number === undefined || !removed.has(number);
  });
}

/**
 * The account unfollowed at `at`, with what this stopped; a second unfollowing keeps the first's time and adds what
 * it stopped, and `remove` only ever turns removal on.
 */
export function withAccountUnfollowed(
  marks: UnfollowMarks,
  number: string,
  at: number,
  stopped: { albums: readonly string[]; urls: readonly string[]; remove: boolean },
): UnfollowMarks {
  const before = Object.hasOwn(marks.accounts, number) ? marks.accounts[number] : undefined;
  const account: UnfollowedAccount = {
    at: before?.at ?? at,
    removed: (before?.removed ?? false) || stopped.remove,
    albums: [...new Set([...(before?.albums ?? []), ...stopped.albums])],
    urls: [...new Set([...(before?.urls ?? []), ...stopped.urls])],
  };
  return { accounts: { ...marks.accounts, [number]: account }, urls: marks.urls };
}

/** One article URL unfollowed at `at` (the first time is kept). */
export function withUrlUnfollowed(marks: UnfollowMarks, url: string, at: number): UnfollowMarks {
  if (Object.hasOwn(marks.urls, url)) return marks;
  return { accounts: marks.accounts, urls: { ...marks.urls, [url]: at } };
}

/**
 * Following again: the URL's own mark cleared; with `number`, the account's too, and the marks of the URLs its
 * unfollowing made. Returns the marks and the account's unfollowing that ended (its albums are to follow again).
 */
export function followedAgain(
  marks: UnfollowMarks,
  what: { url?: string | undefined; number?: string | undefined },
): { marks: UnfollowMarks; account?: UnfollowedAccount } {
  const account =
    what.number !== undefined && Object.hasOwn(marks.accounts, what.number) ? marks.accounts[what.number] : undefined;
  const urlMarked = what.url !== undefined && Object.hasOwn(marks.urls, what.url);
  if (!account && !urlMarked) return { marks };
  const drop = new Set([...(account?.urls ?? []), ...(what.url !== undefined ? [what.url] : [])]);
  const urls = Object.fromEntries(Object.entries(marks.urls).filter(([u]) => !drop.has(u)));
  const accounts = Object.fromEntries(Object.entries(marks.accounts).filter(([n]) => n !== what.number || !account));
  return { marks: { accounts, urls }, ...(account ? { account } : {}) };
}
