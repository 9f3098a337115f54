/**
 * Pure rules of following albums (合集): which albums are polled under the config, what following an album a page
 * names means for the store, and which fetched pages may make an album followed (`follow.albums`).
 */
import { albumSlug } from '../keys.js';
import type { AlbumPollResult, AlbumRecord, AlbumVia, FollowAlbums, FollowedUrl, ListKind } from '../types.js';
import { listUrl } from './list-drivers.js';
import { accountActivity, nextListPoll } from './schedule.js';

/** One album the store knows (followed, or unfollowed by the user), as the health endpoint and `wxfeed list` report it. */
export interface AlbumStatus {
  albumId: string;
  biz: string;
  /** The album's own URL (its HTML page). */
  url: string;
  title?: string;
  /** The account's name (`nick_name` of the album page). */
  account?: string;
  /** Its feed's folder. */
  slug: string;
  /** False once the user unfollowed it (`wxfeed unfollow`): never polled, never followed again by discovery. */
  followed: boolean;
  /** Polled under the config in force (followed, and listed or discovered as `follow.albums` allows). */
  active: boolean;
  /** How it came to be followed: listed in `urls`/`urlFiles`, named by a followed page, or named by a dump's page. */
  via: AlbumVia;
  listed: boolean;
  /** Articles the store knows the album lists. */
  items: number;
  /** The last poll: ISO time, result, and (for the token holder only) why it failed. */
  lastPoll?: { at: string; result: AlbumPollResult; reason?: string };
  /** `album` (合集) or `homepage` (主页). */
  kind: ListKind;
  /**
   * When it is next due (ISO), by the activity schedule or its backoff: a time past means at the next build (`due`:
   * past at the time of the report). The time itself does not move with the clock, so a report read twice agrees.
   */
  nextPoll?: { at: string; due: boolean };
  /** Its polls fail: since when (the first failure in a row), and how many in a row. */
  failing?: { since: string; polls: number };
  /** Failing for 7 days or more: the album was probably deleted (or its id mistyped); the command that unfollows it. */
  probablyDeleted?: { unfollow: string };
  /** Its first read has not reached its end yet: the articles read so far (a later build goes on). */
  reading?: boolean;
}

/**
 * Polled under the config in force: never once the user unfollowed it; always while listed in `urls`/`urlFiles`;
 * named by a followed page unless `follow.albums` is `off`; named by a dump's page only with `follow.albums: all`.
 */
export function isAlbumActive(a: Pick<AlbumRecord, 'followed' | 'listed' | 'via'>, mode: FollowAlbums): boolean {
  if (!a.followed) return false;
  if (a.listed) return true;
  if (a.via === 'page') return mode !== 'off';
  if (a.via === 'dump') return mode === 'all';
  return false; // the user listed it, then took it off the list
}

const RANK: Record<AlbumVia, number> = { url: 0, dump: 1, page: 2 };

/** How an album is followed once a page names it again: the reason that keeps it followed under more configs wins. */
export function strongerVia(current: AlbumVia, found: AlbumVia): AlbumVia {
  return RANK[found] > RANK[current] ? found : current;
}

/**
 * How a fetched page follows the albums it names, or undefined: `page` for a listed URL or an article of an album
 * polled for the user's list; `dump` (`all` only) for a dump's or its albums'. `listing`: the albums listing it.
 */
export function discoveryVia(
  u: Pick<FollowedUrl, 'listed' | 'fromDump' | 'fromAlbum'>,
  listing: ReadonlyArray<Pick<AlbumRecord, 'active' | 'listed' | 'via'>>,
  mode: FollowAlbums,
): Exclude<AlbumVia, 'url'> | undefined {
  if (mode === 'off') return undefined;
  if (u.listed) return 'page';
  const polled = u.fromAlbum ? listing.filter((a) => a.active) : [];
  if (polled.some((a) => a.listed || a.via !== 'dump')) return 'page';
  if (mode === 'all' && (u.fromDump || polled.length > 0)) return 'dump';
  return undefined;
}

/** A list failing this long in a row is shown as probably deleted, with the command that unfollows it. */
const PROBABLY_DELETED_MS = 7 * 86_400_000;

/** What a status needs besides the record: whether it is polled now, the time, the schedule's settings. */
interface StatusContext {
  /** Polled under the config in force (default: as the store says). */
  active?: boolean;
  now: number;
  /** `follow.albumIntervalMinutes`. */
  baseMinutes: number;
  /** When a poll last found a new article in any list of the same account. */
  accountFoundAt: number | null;
  /** The list's own URL, as a user pastes it. */
  url: string;
}

/** An album or homepage as status reports show it (`/healthz`, the build summary, `wxfeed list`); `slug`: its feed. */
function albumStatusOf(a: AlbumRecord, slug: string, ctx: StatusContext): AlbumStatus {
  const active = ctx.active ?? a.active;
  const failing = a.lastResult === 'failed' && a.failCount > 0 && a.failingSince !== null;
  const next = nextListPoll(a, ctx.accountFoundAt, ctx.baseMinutes);
  return {
    albumId: a.albumId,
    kind: a.kind,
    biz: a.biz,
    url: ctx.url,
    ...(a.title !== null ? { title: a.title } : {}),
    ...(a.account !== null ? { account: a.account } : {}),
    slug,
    followed: a.followed,
    active,
    via: a.via,
    listed: a.listed,
    items: a.items,
    ...(a.lastAttemptAt !== null && a.lastResult !== null
      ? {
          lastPoll: {
            at: new Date(a.lastAttemptAt).toISOString(),
            result: a.lastResult,
            ...(a.lastReason ? { reason: a.lastReason } : {}),
          },
        }
      : {}),
    ...(a.followed && active ? { nextPoll: { at: new Date(next).toISOString(), due: next <= ctx.now } } : {}),
    ...(failing ? { failing: { since: new Date(a.failingSince!).toISOString(), polls: a.failCount } } : {}),
    ...(failing && a.followed && ctx.now - a.failingSince! >= PROBABLY_DELETED_MS
      ? { probablyDeleted: { unfollow: `wxfeed unfollow '${ctx.url}'` } }
      : {}),
    ...(!a.walked && a.items > 0 ? { reading: true } : {}),
  };
}

/**
 * Every list as status reports show it, in order: its next poll (its account's activity taken from `lists`), its
 * feed's folder (`slugOf`, default `album-<id>`), whether it is polled (`activeOf`, default as the store says).
 */
export function listStatuses(
  lists: readonly AlbumRecord[],
  opts: {
    now: number;
    baseMinutes: number;
    slugOf?: (a: AlbumRecord) => string;
    activeOf?: (a: AlbumRecord) => boolean;
  },
): AlbumStatus[] {
  const activity = accountActivity(lists);
  return lists.map((a) =>
    albumStatusOf(a, opts.slugOf?.(a) ?? albumSlug(a.albumId), {
      ...(opts.activeOf ? { active: opts.activeOf(a) } : {}),
      now: opts.now,
      baseMinutes: opts.baseMinutes,
      accountFoundAt: activity.get(a.biz) ?? null,
      url: listUrl(a),
    }),
  );
}
