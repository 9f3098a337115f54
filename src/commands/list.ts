/**
 * `wxfeed list`: the article URLs of `urls` and `urlFiles` with their last read, the albums (合集) and homepages listed
 * there or named by a page, with their polls, then those unfollowed, and the accounts unfollowed. Every time is Beijing
 * time (`+08:00`), as on the index page and in the feeds. Changes nothing in the store.
 */
import { albumSlug } from '../keys.js';
import { type AlbumStatus, isAlbumActive, listStatuses } from '../fetch/follow.js';
import { beijingMinute, escapeControls } from './report.js';
import { shanghaiIso } from '../time.js';
import { bizToNumber } from '../wechat/url.js';
import { closeStore, openStoreIfExists } from '../store/db.js';
import { Store } from '../store/store.js';
import type { Config } from '../types.js';
import type { FetchResult } from '../states.js';
import { readUrlInputs } from '../io/url-files.js';
import { parseUnfollowMarks, urlUnfollowed } from '../fetch/unfollowed.js';

interface FollowedArticle {
  url: string;
  where: string;
  lastRead?: { at: string; result: FetchResult; reason?: string };
  /** Unfollowed (`wxfeed unfollow`, itself or its account): listed, but not read. */
  unfollowed?: true;
}

/** An account unfollowed as a whole. */
interface UnfollowedAccount {
  number: string;
  name?: string;
  /** When (Beijing time). */
  since: string;
  /** Its feeds are no longer published (`--remove`). */
  feedsRemoved: boolean;
}

export interface Followed {
  articles: FollowedArticle[];
  /** Every album followed or unfollowed (`followed`), and whether the config in force polls it (`active`). */
  albums: Array<AlbumStatus & { where?: string[] }>;
  /** Lines of the URL files that are neither an article nor an album, with why. */
  problems: Array<{ where: string; reason: string; detail?: string }>;
  /** Accounts unfollowed as a whole: their lists and listed URLs are stopped. */
  unfollowedAccounts: UnfollowedAccount[];
}

/** An ISO time (UTC, as the statuses give it) in Beijing time. */
const inBeijing = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? shanghaiIso(ms) : iso;
};

/** A list's status with its times in Beijing time. */
function beijingTimes<T extends AlbumStatus>(a: T): T {
  return {
    ...a,
    ...(a.lastPoll ? { lastPoll: { ...a.lastPoll, at: inBeijing(a.lastPoll.at) } } : {}),
    ...(a.nextPoll ? { nextPoll: { ...a.nextPoll, at: inBeijing(a.nextPoll.at) } } : {}),
    ...(a.failing ? { failing: { ...a.failing, since: inBeijing(a.failing.since) } } : {}),
  };
}

/** What is followed, as the URL files list it and the store knows it. */
export async function listFollowed(config: Config, now = Date.now()): Promise<Followed> {
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const db = openStoreIfExists(config.store);
  try {
    const store = db ? new Store(db) : undefined;
    const marks = parseUnfollowMarks(store?.meta.unfollowed.get());
    const articles = inputs.entries.map((e): FollowedArticle => {
      const read = store?.urls.status(e.parsed.canonical);
      return {
        url: e.parsed.canonical,
        where: e.where,
        ...(urlUnfollowed(marks, e.parsed) ? { unfollowed: true as const } : {}),
        ...(read
          ? {
              lastRead: {
                at: shanghaiIso(read.lastFetchAt),
                result: read.lastResult,
                ...(read.lastReason ? { reason: read.lastReason } : {}),
              },
            }
          : {}),
      };
    });
    const listed = new Map<string, string[]>();
    for (const a of inputs.albums) listed.set(a.album.albumId, [...(listed.get(a.album.albumId) ?? []), a.where]);
    const records = (store?.albums.all() ?? []).map((a) => ({ ...a, listed: listed.has(a.albumId) }));
    const known = new Set(records.map((a) => a.albumId));
    // What the next build polls: the config in force, not the last build's.
    const statuses = listStatuses(records, {
      now,
      baseMinutes: config.follow.albumIntervalMinutes,
      activeOf: (a) => isAlbumActive(a, config.follow.albums),
    });
    const albums: Followed['albums'] = statuses.map((status) => {
      const where = listed.get(status.albumId);
      return { ...beijingTimes(status), ...(where ? { where } : {}) };
    });
    for (const a of inputs.albums) {
      if (known.has(a.album.albumId) || albums.some((x) => x.albumId === a.album.albumId)) continue;
      albums.push({
        albumId: a.album.albumId,
        kind: a.kind,
        biz: a.album.biz,
        url: a.album.canonical,
        slug: albumSlug(a.album.albumId),
        followed: true,
        active: true,
        via: 'url',
        listed: true,
        items: 0,
        nextPoll: { at: shanghaiIso(now), due: true },
        where: listed.get(a.album.albumId)!,
      });
    }
    const names = store?.accounts.all();
    const unfollowedAccounts = Object.entries(marks.accounts).map(
      ([number, a]): UnfollowedAccount => ({
        number,
        ...(names?.get(number) ? { name: names.get(number)! } : {}),
        since: shanghaiIso(a.at),
        feedsRemoved: a.removed,
      }),
    );
    return { articles, albums, problems: inputs.problems, unfollowedAccounts };
  } finally {
    if (db) closeStore(db, true);
  }
}

// English, as every command's output: `feed.language` is the language of what readers get (feeds, OPML, index page).
const VIA: Record<AlbumStatus['via'], string> = {
  url: 'listed by you',
  page: 'named by a followed article',
  dump: "named by a dump's article",
};

/** An ISO time as people read it here: Beijing time to the minute (`2026-12-06 10:23 +08:00`). */
function beijing(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? beijingMinute(ms) : iso;
}

/** Outside text (titles, names, reasons) as the terminal may show it. */
const text = (s: string): string => escapeControls(s);

function albumLines(a: Followed['albums'][number]): string[] {
  const noun = a.kind === 'homepage' ? 'Homepage' : 'Album';
  const name = text(a.title ?? `${noun} ${a.albumId}`);
  const poll = a.lastPoll
    ? `last poll ${beijing(a.lastPoll.at)} ${a.lastPoll.result}${a.lastPoll.reason ? ` (${text(a.lastPoll.reason)})` : ''}`
    : 'not polled yet';
  const next = a.nextPoll ? (a.nextPoll.due ? 'next poll: next build' : `next poll ${beijing(a.nextPoll.at)}`) : '';
  const why = a.where ? `listed at ${a.where.map(text).join(', ')}` : VIA[a.via];
  const state = a.followed ? (a.active ? '' : '; not polled under follow.albums in force') : '';
  const lines = [
    `    ${name}${a.kind === 'homepage' ? ' (homepage)' : ''}  ${text(a.url)}`,
    `        ${a.items} articles known${a.reading ? ' (first read not finished)' : ''}; ${poll}${next ? `; ${next}` : ''}`,
    `        ${why}${state}; feed ${a.slug}/`,
  ];
  if (a.failing) lines.push(`        failing since ${beijing(a.failing.since)} (${a.failing.polls} polls in a row)`);
  if (a.probablyDeleted)
    lines.push(
      `        probably deleted (or its id is wrong): failing for 7 days; to stop: ${text(a.probablyDeleted.unfollow)}`,
    );
  return lines;
}

/** Albums grouped by account (the account's name, else its number), accounts by name. */
function byAccount(albums: Followed['albums']): Array<[string, Followed['albums']]> {
  const groups = new Map<string, Followed['albums']>();
  for (const a of albums) groups.set(a.biz, [...(groups.get(a.biz) ?? []), a]);
  const named = [...groups.values()].map((list): [string, Followed['albums']] => {
    const name = list.find((a) => a.account)?.account;
    const number = bizToNumber(list[0]!.biz) ?? list[0]!.biz;
    return [name ? `${text(name)} (${number})` : `account ${number}`, list];
  });
  return named.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

/** The text `wxfeed list` prints. */
export function formatFollowed(f: Followed): string {
  const lines: string[] = [];
  const reading = f.articles.filter((a) => !a.unfollowed);
  lines.push(reading.length ? `articles (${reading.length}):` : 'articles: none listed');
  for (const a of reading) {
    const read = a.lastRead
      ? `last read ${beijing(a.lastRead.at)} ${a.lastRead.result}${a.lastRead.reason ? ` (${text(a.lastRead.reason)})` : ''}`
      : 'not read yet';
    lines.push(`  ${text(a.url)}`, `      ${text(a.where)}; ${read}`);
  }
  const followed = f.albums.filter((a) => a.followed);
  const unfollowed = f.albums.filter((a) => !a.followed);
  lines.push(followed.length ? `albums and homepages (${followed.length}):` : 'albums: none followed');
  for (const [account, list] of byAccount(followed)) {
    lines.push(`  ${account}:`);
    for (const a of list) lines.push(...albumLines(a));
  }
  if (unfollowed.length) {
    lines.push(`unfollowed (${unfollowed.length}; \`wxfeed follow\` their URL to follow one again):`);
    for (const [account, list] of byAccount(unfollowed)) {
      lines.push(`  ${account}:`);
      for (const a of list) lines.push(...albumLines(a));
    }
  }
  const stopped = f.articles.filter((a) => a.unfollowed);
  if (stopped.length) {
    lines.push(`unfollowed articles (${stopped.length}; listed, not read; \`wxfeed follow\` one to follow it again):`);
    for (const a of stopped) lines.push(`  ${text(a.url)}`, `      ${text(a.where)}`);
  }
  if (f.unfollowedAccounts.length) {
    lines.push(
      `unfollowed accounts (${f.unfollowedAccounts.length}; \`wxfeed follow\` an article URL of one to follow it again):`,
    );
    for (const a of f.unfollowedAccounts)
      lines.push(
        `  ${a.name ? `${text(a.name)} (${a.number})` : `account ${a.number}`} since ${beijing(a.since)}; its stored articles stay, its feeds ${a.feedsRemoved ? 'are removed' : 'stay'}`,
      );
  }
  if (f.problems.length) {
    lines.push(`not followed (${f.problems.length}):`);
    for (const p of f.problems) lines.push(`  ${text(p.where)}: ${text(p.detail ?? p.reason)}`);
  }
  return lines.join('\n');
}
