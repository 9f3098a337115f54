/**
 * What `GET api/follows` answers: what is followed, grouped by account (its feed, its albums and homepages with their
 * polls, its listed article URLs), the feeds of no account, the pace and the cycle. Built from what `wxfeed list`
 * reads (the URL files and the lists' statuses, given) and what the store says of the published feeds.
 */
import { feedStatus, type FeedStatus, type PaceStatus, paceStatus } from '../catalog/status.js';
import type { AlbumStatus } from '../fetch/follow.js';
import { accountUnfollowed, parseUnfollowMarks, type UnfollowMarks } from '../fetch/unfollowed.js';
import { albumSlug, shortKey, snKey } from '../keys.js';
import { closeStore, openStoreIfExists } from '../store/db.js';
import { Store } from '../store/store.js';
import type { Config } from '../types.js';
import { bizToNumber, parseUrl } from '../wechat/url.js';

/** What `wxfeed list` reads (commands/list.ts `listFollowed`): the listed article URLs, and every list's status. */
export interface FollowedInput {
  articles: ReadonlyArray<{ url: string; where: string; lastRead?: { at: string; result: string; reason?: string } }>;
  albums: readonly AlbumStatus[];
}

/** Whether a cycle runs, and when the last one ended (ISO). */
export interface CycleState {
  running: boolean;
  lastEnded?: string;
}

interface FeedRef {
  slug: string;
  title: string;
  /** The Atom feed (RSS and JSON Feed beside it). */
  url: string;
  items: number;
  newest?: string;
  lastFetch?: FeedStatus['lastFetch'];
}

interface UrlRef {
  url: string;
  where: string;
  followed: boolean;
  lastResult?: string;
  lastAt?: string;
  reason?: string;
}

interface AlbumRef {
  id: string;
  kind: AlbumStatus['kind'];
  title?: string;
  url: string;
  feed?: { slug: string; url: string };
  status: {
    followed: boolean;
    active: boolean;
    items: number;
    lastPoll?: AlbumStatus['lastPoll'];
    nextPoll?: AlbumStatus['nextPoll'];
    failing?: AlbumStatus['failing'];
    reading?: boolean;
    probablyDeleted?: boolean;
  };
}

interface AccountEntry {
  account: string;
  name?: string;
  /** False once the account was unfollowed (`DELETE api/accounts/…`, `wxfeed unfollow`). */
  followed: boolean;
  feed?: FeedRef;
  albums: AlbumRef[];
  urls: UrlRef[];
}

/** The answer of `GET api/follows`. */
export interface Follows {
  accounts: AccountEntry[];
  other: Array<{ kind: 'all' | 'source' | 'urls'; feed?: FeedRef; urls: UrlRef[] }>;
  pace: PaceStatus;
  cycle: CycleState;
}

/** What is followed, as the URL files list it (`followed`) and the store knows it, at `now`. */
export function follows(
  config: Pick<Config, 'store' | 'baseUrl' | 'fetch'>,
  followed: FollowedInput,
  cycle: CycleState,
  now = Date.now(),
): Follows {
  const db = openStoreIfExists(config.store);
  try {
    const store = db ? new Store(db) : undefined;
    return group(config, followed, store, cycle, now);
  } finally {
    if (db) closeStore(db, true);
  }
}

function group(
  config: Pick<Config, 'baseUrl' | 'fetch'>,
  followed: FollowedInput,
  store: Store | undefined,
  cycle: CycleState,
  now: number,
): Follows {
  const feedUrl = (slug: string) => new URL(`${encodeURIComponent(slug)}/atom.xml`, config.baseUrl).href;
  const feeds = store ? feedStatus(store, [...followed.albums]) : [];
  const marks: UnfollowMarks = parseUnfollowMarks(store?.meta.unfollowed.get());
  const names = store?.accounts.all() ?? new Map<string, string>();
  const accounts = new Map<string, AccountEntry>();
  const accountOf = (number: string): AccountEntry => {
    let a = accounts.get(number);
    if (!a) {
      const name = names.get(number);
      a = {
        account: number,
        ...(name ? { name } : {}),
        followed: !accountUnfollowed(marks, number),
        albums: [],
        urls: [],
      };
      accounts.set(number, a);
    }
    return a;
  };
  const ref = (f: FeedStatus): FeedRef => ({
    slug: f.slug,
    title: f.title,
    url: feedUrl(f.slug),
    items: f.items,
    ...(f.newest ? { newest: f.newest } : {}),
    ...(f.lastFetch ? { lastFetch: f.lastFetch } : {}),
  });

  const albumFeeds = new Map(feeds.flatMap((f) => (f.album ? [[f.album.albumId, f] as const] : [])));
  for (const a of followed.albums) {
    const number = bizToNumber(a.biz) ?? a.biz;
    const entry = accountOf(number);
    if (!entry.name && a.account) entry.name = a.account;
    const feed = albumFeeds.get(a.albumId) ?? feeds.find((f) => f.slug === albumSlug(a.albumId));
    entry.albums.push({
      id: a.albumId,
      kind: a.kind,
      ...(a.title ? { title: a.title } : {}),
      url: a.url,
      ...(feed ? { feed: { slug: feed.slug, url: feedUrl(feed.slug) } } : {}),
      status: {
        followed: a.followed,
        active: a.active,
        items: a.items,
        ...(a.lastPoll ? { lastPoll: a.lastPoll } : {}),
        ...(a.nextPoll ? { nextPoll: a.nextPoll } : {}),
        ...(a.failing ? { failing: a.failing } : {}),
        ...(a.reading ? { reading: true } : {}),
        ...(a.probablyDeleted ? { probablyDeleted: true } : {}),
      },
    });
  }

  const other: Follows['other'] = [];
  const sourceAccounts = store ? accountsOfSources(store, feeds) : new Map<string, string>();
  for (const f of feeds) {
    if (f.album) continue;
    const number = sourceAccounts.get(f.slug);
    if (number !== undefined) accountOf(number).feed = ref(f);
    else other.push({ kind: f.kind === 'all' ? 'all' : 'source', feed: ref(f), urls: [] });
  }

  const unsorted: UrlRef[] = [];
  for (const a of followed.articles) {
    const parsed = parseUrl(a.url);
    const number = parsed ? accountOfUrl(parsed, store) : undefined;
    const u: UrlRef = {
      url: a.url,
      where: a.where,
      followed: !Object.hasOwn(marks.urls, a.url) && (number === undefined || !accountUnfollowed(marks, number)),
      ...(a.lastRead ? { lastResult: a.lastRead.result, lastAt: a.lastRead.at } : {}),
      ...(a.lastRead?.reason ? { reason: a.lastRead.reason } : {}),
    };
    if (number !== undefined) accountOf(number).urls.push(u);
    else unsorted.push(u);
  }
  if (unsorted.length > 0) other.push({ kind: 'urls', urls: unsorted });

  const byName = (a: AccountEntry) => a.name ?? a.feed?.title ?? a.account;
  return {
    accounts: [...accounts.values()].sort(
      (x, y) => byName(x).localeCompare(byName(y)) || x.account.localeCompare(y.account),
    ),
    other,
    pace: store
      ? paceStatus(store, config.fetch, now)
      : {
          delayMs: config.fetch.delayMs,
          configuredDelayMs: config.fetch.delayMs,
          multiplier: 1,
          at: new Date(now).toISOString(),
        },
    cycle,
  };
}

/** The account number of an article URL: its `__biz`, or for a short link, the article's as the store has it. */
function accountOfUrl(parsed: NonNullable<ReturnType<typeof parseUrl>>, store: Store | undefined): string | undefined {
  if (parsed.biz) return bizToNumber(parsed.biz);
  const key = parsed.sn ? snKey(parsed.sn) : parsed.shortToken ? shortKey(parsed.shortToken) : undefined;
  const biz = key && store ? store.articles.get(store.aliases.resolve(key))?.biz : undefined;
  return biz ? bizToNumber(biz) : undefined;
}

/**
 * Feed slug → account number, for the feeds of one account: an account's feed is named by its number unless the
 * config names it; such a feed is told by its sources, whose articles all carry that account's `__biz`.
 */
function accountsOfSources(store: Store, feeds: readonly FeedStatus[]): Map<string, string> {
  const out = new Map<string, string>();
  const named = feeds.filter((f) => f.kind === 'source' && !f.album);
  for (const f of named) if (/^\d+$/.test(f.slug)) out.set(f.slug, f.slug);
  if (named.every((f) => out.has(f.slug))) return out;
  const labels = store.meta.feedLabels.get() ?? {};
  const bizOf = new Map(
    store.observations.sourceStats().flatMap((s) => (s.bizCount === 1 && s.biz ? [[s.source, s.biz] as const] : [])),
  );
  for (const f of named) {
    if (out.has(f.slug)) continue;
    const numbers = new Set(
      (labels[f.slug] ?? []).map((l) => bizOf.get(l)).map((b) => (b ? bizToNumber(b) : undefined)),
    );
    const [only] = numbers;
    if (numbers.size === 1 && only !== undefined) out.set(f.slug, only);
  }
  return out;
}
