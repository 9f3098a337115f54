/**
 * `wxfeed unfollow`: stop following albums and homepages, whole accounts, or single article URLs. What is stopped is
 * marked in the store (albums in their table, accounts and URLs in meta `unfollowed`: fetch/unfollowed.ts), so it is
 * never read, polled or followed by discovery again, even while a URL file still lists it; stored articles stay, and
 * the feeds too unless an account's are removed (`--remove`). The URL files are not edited: a line still listing
 * what was stopped is named, to be removed by hand; `wxfeed follow` of its URL follows it again.
 */
import { closeStore, openStore, openStoreIfExists } from '../store/db.js';
import { Store } from '../store/store.js';
import { albumFeedTitle, type FeedGroup, planFeeds } from '../feeds/sources.js';
import { listUrl } from '../fetch/list-drivers.js';
import {
  accountUnfollowed,
  parseUnfollowMarks,
  serializeUnfollowMarks,
  withAccountUnfollowed,
  withUrlUnfollowed,
} from '../fetch/unfollowed.js';
import type { Config, ListKind, ParsedUrl } from '../types.js';
import { type AlbumRef, isAlbumId, isAlbumUrl, parseAlbumUrl } from '../wechat/album.js';
import { isHomepageId, isHomepageUrl, parseHomepageUrl } from '../wechat/homepage.js';
import { bizToNumber } from '../wechat/url.js';
import { checkArticleUrl, readUrlInputs, type UrlInputs } from '../io/url-files.js';
import { shortKey, snKey } from '../keys.js';
import { shanghaiIso } from '../time.js';

export interface UnfollowResult {
  lines: string[];
  unfollowed: string[];
  refused: number;
}

/** How names from outside are written into lines, and when (epoch ms). */
export interface UnfollowOptions {
  /** The command line quotes names for a terminal (report.ts quoteName); the API takes them as they are. */
  quote?: (name: string) => string;
  now?: number;
}

/** A line of the URL inputs that still lists what was stopped. */
interface StillListed {
  where: string;
  url: string;
}

/** What unfollowing an account did, and what stays. */
export interface AccountUnfollowResult {
  /** False when the target was refused (`reason` says why); nothing changed then. */
  ok: boolean;
  reason?: string;
  account?: { number: string; name?: string };
  /** It was unfollowed before (then `stopped` holds only what this call newly stopped). */
  alreadyUnfollowed: boolean;
  /** Album and homepage ids no longer polled; article URLs no longer read. */
  stopped: { albums: string[]; urls: string[] };
  /** Stored articles of the account (all kept), and its feed folders kept. */
  stays: { articles: number; feeds: string[] };
  /** Feed folders the next build removes (`remove`). */
  removed: string[];
  /** Lines of the URL inputs that still list the account's URLs: they stay unfollowed. */
  stillListed: StillListed[];
  lines: string[];
}

/** What unfollowing one article URL did. */
export interface UrlUnfollowResult {
  ok: boolean;
  reason?: string;
  /** The URL as followed (canonical). */
  url?: string;
  alreadyUnfollowed: boolean;
  stillListed: StillListed[];
  lines: string[];
}

const identity = (name: string): string => name;

/** An ISO time in Beijing time to the minute, as `wxfeed list` prints it. */
function beijing(ms: number): string {
  const s = shanghaiIso(ms);
  return `${s.slice(0, 10)} ${s.slice(11, 16)} +08:00`;
}

/**
 * What the user named: an album URL (any pasted form), its id, or its feed's folder `album-<id>`; a homepage URL, or
 * its id and feed folder `home-<account number>-<hid>[-<cid>]`.
 */
function named(raw: string): { albumId: string; album?: AlbumRef; kind?: ListKind } | { reason: string } {
  const text = raw.trim();
  const id = /^(?:album-)?(\d+)$/.exec(text)?.[1];
  if (id !== undefined) return isAlbumId(id) ? { albumId: id } : { reason: `${id} is not an album id` };
  if (isHomepageId(text)) return { albumId: text };
  if (!/[/:]/.test(text))
    return { reason: 'not an album or homepage URL, id or feed folder (album-<id>, home-<account>-<hid>)' };
  if (isHomepageUrl(text)) {
    const home = parseHomepageUrl(text);
    if (!home.ok) return { reason: home.reason };
    const { biz, id: albumId, canonical } = home.homepage;
    return { albumId, album: { biz, albumId, canonical }, kind: 'homepage' };
  }
  const parsed = parseAlbumUrl(text);
  return parsed.ok ? { albumId: parsed.album.albumId, album: parsed.album } : { reason: parsed.reason };
}

/** Where each album of the URL inputs is listed, by id. */
function listedAlbums(inputs: UrlInputs): Map<string, string[]> {
  const listedAt = new Map<string, string[]>();
  for (const a of inputs.albums) listedAt.set(a.album.albumId, [...(listedAt.get(a.album.albumId) ?? []), a.where]);
  return listedAt;
}

/**
 * Marks the named albums and homepages unfollowed; `quote` writes names from outside into the lines (the command line
 * quotes them for a terminal: report.ts quoteName).
 */
export async function unfollowAlbums(
  config: Config,
  raws: readonly string[],
  quote: (name: string) => string = identity,
): Promise<UnfollowResult> {
  const result: UnfollowResult = { lines: [], unfollowed: [], refused: 0 };
  const listedAt = listedAlbums(await readUrlInputs(config.urls, config.urlFiles));
  // An album named by its URL is recorded as unfollowed even when the store does not know it: a store is made for it.
  const byUrl = raws.some((r) => !/^(?:album-)?\d+$/.test(r.trim()) && !isHomepageId(r.trim()));
  const db = byUrl ? openStore(config.store) : openStoreIfExists(config.store);
  try {
    const store = db ? new Store(db) : undefined;
    for (const raw of raws) {
      const n = named(raw);
      if ('reason' in n) {
        result.refused++;
        result.lines.push(`refused  ${quote(raw)}: ${n.reason}`);
        continue;
      }
      const known = store?.albums.get(n.albumId);
      if (known && !known.followed) {
        result.lines.push(`already unfollowed  ${quote(albumFeedTitle(known, 'en'))}  ${listUrl(known)}`);
      } else if (known) {
        store!.albums.setFollowed(n.albumId, false);
        result.unfollowed.push(n.albumId);
        result.lines.push(
          `unfollowed  ${quote(albumFeedTitle(known, 'en'))}  ${listUrl(known)}: no more polls; its ${known.items} articles and its feed stay`,
        );
      } else if (n.album && store) {
        store.albums.insert({ ...n.album, kind: n.kind ?? 'album' }, 'url', null, false, Date.now());
        result.unfollowed.push(n.albumId);
        result.lines.push(`unfollowed  ${n.album.canonical}: it was not followed; no page will make it followed`);
      } else {
        result.refused++;
        result.lines.push(
          `refused  ${quote(raw)}: no album or homepage ${n.albumId} is followed (give its URL to keep discovery from following it)`,
        );
        continue;
      }
      for (const where of listedAt.get(n.albumId) ?? [])
        result.lines.push(
          `  still listed at ${quote(where)}: it stays unfollowed; remove that line, or \`wxfeed follow\` it to follow it again`,
        );
    }
  } finally {
    if (db) closeStore(db, true);
  }
  return result;
}

/** The account number of an article URL: from its `__biz`, or for a short link, from the article the store has. */
function accountOfUrl(parsed: ParsedUrl, store: Store | undefined): string | undefined {
  if (parsed.biz) return bizToNumber(parsed.biz);
  if (!store) return undefined;
  const key = parsed.sn ? snKey(parsed.sn) : parsed.shortToken ? shortKey(parsed.shortToken) : undefined;
  const biz = key ? store.articles.get(store.aliases.resolve(key))?.biz : undefined;
  return biz ? bizToNumber(biz) : undefined;
}

/** The feeds the store would publish now (the account's own and its albums'), as a build plans them. */
function plannedFeeds(config: Config, store: Store | undefined): FeedGroup[] {
  if (!store) return [];
  const albums = store.albums.count() > 0 ? store.albums.all() : [];
  return planFeeds(store.observations.sourceStats(), config.sources, albums, config.feed.language);
}

const numberOfGroup = (g: FeedGroup): string | undefined => (g.biz ? bizToNumber(g.biz) : undefined);

/** The account a target names: its number, an article URL of it, or its feed's folder; else why not. */
function resolveAccount(
  raw: string,
  store: Store | undefined,
  feeds: readonly FeedGroup[],
): { number: string } | { reason: string } {
  const text = raw.trim().replace(/\/+$/, '');
  if (/^\d{1,20}$/.test(text)) return { number: text };
  if (/[/:]/.test(text)) {
    const checked = checkArticleUrl(text);
    if (!checked.ok) return { reason: checked.reason };
    const number = accountOfUrl(checked.parsed, store);
    return number
      ? { number }
      : {
          reason:
            'a short link whose account is not known yet (the next build reads it): give the account number or a long article link',
        };
  }
  const feed = feeds.find((g) => g.slug === text && g.album === undefined);
  const number = feed ? numberOfGroup(feed) : undefined;
  if (number) return { number };
  return {
    reason: feed
      ? `the feed ${text}/ is not one account's (its articles come from several)`
      : 'not an account number, an article URL or an account feed folder, nor an album or homepage URL, id or feed folder',
  };
}

/** The account's name, as the store knows it (from its pages, else its albums' pages). */
function accountName(store: Store | undefined, number: string): string | undefined {
  if (!store) return undefined;
  return (
    store.accounts.all().get(number) ??
    store.albums.all().find((a) => bizToNumber(a.biz) === number)?.account ??
    undefined
  );
}

/**
 * Unfollows the account `target` names (its number, an article URL of it, or its feed folder): every album and
 * homepage of it and every listed article URL of it is stopped, and no page makes one of its albums followed again.
 * Stored articles stay; its feeds stay too, unless `remove` (the next build removes their folders).
 */
export async function unfollowAccount(
  config: Config,
  target: string,
  opts: UnfollowOptions & { remove?: boolean } = {},
): Promise<AccountUnfollowResult> {
  const quote = opts.quote ?? identity;
  const now = opts.now ?? Date.now();
  const result: AccountUnfollowResult = {
    ok: false,
    alreadyUnfollowed: false,
    stopped: { albums: [], urls: [] },
    stays: { articles: 0, feeds: [] },
    removed: [],
    stillListed: [],
    lines: [],
  };
  const refuse = (reason: string): AccountUnfollowResult => {
    result.reason = reason;
    result.lines.push(`refused  ${quote(target)}: ${reason}`);
    return result;
  };
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const db = openStoreIfExists(config.store);
  try {
    let store = db ? new Store(db) : undefined;
    const feeds = plannedFeeds(config, store);
    const account = resolveAccount(target, store, feeds);
    if ('reason' in account) return refuse(account.reason);
    const { number } = account;
    const ofAccount = (biz: string | null | undefined): boolean => !!biz && bizToNumber(biz) === number;
    const articles = inputs.entries.filter((e) => accountOfUrl(e.parsed, store) === number);
    const listedLists = inputs.albums.filter((a) => ofAccount(a.album.biz));
    const storedLists = store?.albums.all().filter((a) => ofAccount(a.biz)) ?? [];
    const accountFeeds = feeds.filter((g) => numberOfGroup(g) === number);
    if (!articles.length && !listedLists.length && !storedLists.length && !accountFeeds.length)
      return refuse(`no account or album ${number} is followed or known`);
    // What the account's unfollowing must keep: a store, made now if there is none yet.
    const owned = store ? undefined : openStore(config.store);
    store ??= new Store(owned!);
    try {
      const name = accountName(store, number);
      result.account = { number, ...(name ? { name } : {}) };
      const before = parseUnfollowMarks(store.meta.unfollowed.get());
      result.alreadyUnfollowed = accountUnfollowed(before, number) !== undefined;
      const s = store;
      const shortUrls: string[] = [];
      s.db
        .transaction(() => {
          for (const a of storedLists)
            if (a.followed) {
              s.albums.setFollowed(a.albumId, false);
              result.stopped.albums.push(a.albumId);
            }
          const stored = new Set(storedLists.map((a) => a.albumId));
          for (const a of listedLists)
            if (!stored.has(a.album.albumId)) {
              stored.add(a.album.albumId);
              s.albums.insert({ ...a.album, kind: a.kind }, 'url', null, false, now);
              result.stopped.albums.push(a.album.albumId);
            }
          const marks = parseUnfollowMarks(s.meta.unfollowed.get());
          for (const e of articles) {
            if (!marks.urls[e.parsed.canonical] && !result.alreadyUnfollowed)
              result.stopped.urls.push(e.parsed.canonical);
            if (!e.parsed.biz) shortUrls.push(e.parsed.canonical);
          }
          const next = withAccountUnfollowed(marks, number, now, {
            albums: result.stopped.albums,
            urls: shortUrls,
            remove: opts.remove ?? false,
          });
          s.meta.unfollowed.set(serializeUnfollowMarks(next));
          // The next build plans its feeds again (else a build with nothing new keeps them), and removes them.
          if (next.accounts[number]?.removed && !accountUnfollowed(marks, number)?.removed) s.meta.published.clear();
        })
        .immediate();
      const removed = opts.remove || accountUnfollowed(parseUnfollowMarks(s.meta.unfollowed.get()), number)?.removed;
      const own = accountFeeds.find((g) => g.album === undefined);
      result.stays.articles = own?.articles ?? Math.max(0, ...accountFeeds.map((g) => g.articles));
      const slugs = accountFeeds.map((g) => `${g.slug}/`);
      if (removed) result.removed = slugs;
      else result.stays.feeds = slugs;
      result.stillListed = [
        ...articles.map((e) => ({ where: e.where, url: e.parsed.canonical })),
        ...listedLists.map((a) => ({ where: a.where, url: a.album.canonical })),
      ];
      result.ok = true;
      const who = `account ${number}${name ? ` (${quote(name)})` : ''}`;
      const since = accountUnfollowed(before, number)?.at;
      result.lines.push(
        result.alreadyUnfollowed
          ? `already unfollowed  ${who} since ${beijing(since ?? now)}`
          : `unfollowed  ${who}: ${result.stopped.albums.length} albums and homepages no longer polled, ${result.stopped.urls.length} article URLs no longer read; no page makes one of its albums followed again`,
      );
      const feedText = slugs.length ? slugs.join(', ') : '(none published yet)';
      result.lines.push(
        removed
          ? `  stays: its ${result.stays.articles} stored articles; its feeds ${feedText} are removed by the next build`
          : `  stays: its ${result.stays.articles} stored articles, and its feeds ${feedText} (no new articles; \`--remove\` removes them)`,
      );
      for (const l of result.stillListed)
        result.lines.push(
          `  still listed at ${quote(l.where)}: it stays unfollowed; remove that line, or \`wxfeed follow\` an article URL of the account to follow it again`,
        );
      return result;
    } finally {
      if (owned) closeStore(owned, true);
    }
  } finally {
    if (db) closeStore(db, true);
  }
}

/**
 * Stops reading one listed article URL, its account aside (`wxfeed unfollow --url`): it is marked unfollowed, so a
 * URL file still listing it no longer has it read. Its stored article stays in the feeds.
 */
export async function unfollowUrl(config: Config, raw: string, opts: UnfollowOptions = {}): Promise<UrlUnfollowResult> {
  const quote = opts.quote ?? identity;
  const now = opts.now ?? Date.now();
  const result: UrlUnfollowResult = { ok: false, alreadyUnfollowed: false, stillListed: [], lines: [] };
  const refuse = (reason: string): UrlUnfollowResult => {
    result.reason = reason;
    result.lines.push(`refused  ${quote(raw)}: ${reason}`);
    return result;
  };
  if (isAlbumUrl(raw) || isHomepageUrl(raw))
    return refuse('an album or homepage URL: `wxfeed unfollow` it without --url');
  const checked = checkArticleUrl(raw);
  if (!checked.ok) return refuse(checked.reason);
  const parsed = checked.parsed;
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const sameSn = (p: ParsedUrl): boolean => parsed.sn !== undefined && p.sn === parsed.sn;
  const listed = inputs.entries.filter((e) => e.parsed.canonical === parsed.canonical || sameSn(e.parsed));
  if (listed.length === 0)
    return refuse(
      'not listed in urls or the URL files (an article of an album stops with the album: `wxfeed unfollow <album>`)',
    );
  const url = listed[0]!.parsed.canonical;
  result.url = url;
  const db = openStore(config.store);
  try {
    const store = new Store(db);
    store.db
      .transaction(() => {
        const marks = parseUnfollowMarks(store.meta.unfollowed.get());
        const account = accountUnfollowed(marks, listed[0]!.parsed.biz ?? null);
        result.alreadyUnfollowed = account !== undefined || listed.every((e) => marks.urls[e.parsed.canonical]);
        let next = marks;
        for (const e of listed) next = withUrlUnfollowed(next, e.parsed.canonical, now);
        if (next !== marks) store.meta.unfollowed.set(serializeUnfollowMarks(next));
      })
      .immediate();
  } finally {
    closeStore(db, true);
  }
  result.ok = true;
  result.stillListed = listed.map((e) => ({ where: e.where, url: e.parsed.canonical }));
  result.lines.push(
    result.alreadyUnfollowed
      ? `already unfollowed  ${quote(url)}`
      : `unfollowed  ${quote(url)}: no more reads; its stored article stays in the feeds`,
  );
  for (const l of result.stillListed)
    result.lines.push(
      `  still listed at ${quote(l.where)}: it stays unfollowed; remove that line, or \`wxfeed follow\` it to follow it again`,
    );
  return result;
}

/** Whether the command line's target names an album or homepage (kept on the album path, as before accounts). */
function isListTarget(raw: string, store: Store | undefined): boolean {
  const text = raw.trim();
  if (/^album-/.test(text) || isHomepageId(text) || /^home-/.test(text)) return true;
  if (/[/:]/.test(text)) return isAlbumUrl(text) || isHomepageUrl(text);
  return /^\d+$/.test(text) && store?.albums.get(text) !== undefined;
}

/**
 * `wxfeed unfollow <target>…`: each target an album or homepage (URL, id, feed folder), else an account (number,
 * article URL, feed folder); with `url`, each an article URL stopped alone.
 */
export async function unfollowTargets(
  config: Config,
  targets: readonly string[],
  opts: { remove?: boolean; url?: boolean; quote?: (name: string) => string } = {},
): Promise<{ lines: string[]; refused: number }> {
  const quote = opts.quote ?? identity;
  const out = { lines: [] as string[], refused: 0 };
  for (const target of targets) {
    let r: { lines: string[]; ok: boolean };
    if (opts.url) r = await unfollowUrl(config, target, { quote });
    else {
      const db = openStoreIfExists(config.store);
      let list: boolean;
      try {
        list = isListTarget(target, db ? new Store(db) : undefined);
      } finally {
        if (db) closeStore(db, true);
      }
      if (list) {
        const albums = await unfollowAlbums(config, [target], quote);
        r = { lines: albums.lines, ok: albums.refused === 0 };
      } else r = await unfollowAccount(config, target, { quote, remove: opts.remove ?? false });
    }
    out.lines.push(...r.lines);
    if (!r.ok) out.refused++;
  }
  return out;
}
