/**
 * Pure politeness policy: when a URL is due for (re-)reading, and when a followed list (album, homepage) is polled
 * (the cool-down and the pace after a refusal are fetch/pace.ts; the rules for users: docs/following.md).
 * Re-reads thin out with age so edits and deletions are seen without hammering WeChat:
 * younger than a day, every build; younger than a week, once a day; then once a week; never past maxAgeDays.
 */
import { isFailedResult, isFinalResult } from '../states.js';
import type { AlbumRecord, FetchRecord } from '../types.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** How long after its last read an article of this age is read again. */
function reReadInterval(ageMs: number): number {
  if (ageMs < DAY) return 0;
  if (ageMs < 7 * DAY) return DAY;
  return 7 * DAY;
}

/** True when a followed URL is due for (re-)reading at `now`. */
export function isDue(r: FetchRecord, now: number, maxAgeDays: number): boolean {
  if (r.lastFetchAt === null) return true;
  const since = now - r.lastFetchAt;
  if (isFailedResult(r.lastResult)) {
    return since >= Math.min(HOUR * 2 ** Math.max(0, r.failCount - 1), DAY);
  }
  if (isFinalResult(r.lastResult)) return false;
  if (r.needsArticle && r.lastResult !== 'ok') return since >= DAY;
  const age = r.publishedAt === null ? Number.POSITIVE_INFINITY : now - r.publishedAt;
  if (age > maxAgeDays * DAY) return false;
  return since >= reReadInterval(age);
}

/**
 * What the activity schedule reads of a followed list: its last completed poll, when it was followed, its newest
 * article, its last poll that found one, its failures, and whether a page read in this build named it.
 */
export type ListActivity = Pick<
  AlbumRecord,
  'polledAt' | 'addedAt' | 'newestAt' | 'foundAt' | 'lastResult' | 'lastAttemptAt' | 'failCount' | 'pollSoon'
>;

/** After a new article anywhere in an account, its lists are polled at the short interval for this long. */
export const BURST_MS = 2 * HOUR;
/** A quiet list is polled once per this fraction of its quiet time: quiet 90 days, daily. */
export const QUIET_DIVISOR = 90;
/** A failing list backs off from this, doubling per failure in a row, up to a day. */
const FAIL_BASE_MS = HOUR;

/**
 * When a followed list is next due (epoch ms), by its activity (docs/following.md, "How often it polls").
 * `accountFoundAt`: when a poll last found a new article in the account's lists; `baseMinutes`: the base interval.
 */
export function nextListPoll(a: ListActivity, accountFoundAt: number | null, baseMinutes: number): number {
  const base = baseMinutes * 60_000;
  // A failing list backs off even at base 0; a refusal of the client (captcha, frequency control) is not its failure.
  if (a.lastResult === 'failed' && a.failCount > 0 && a.lastAttemptAt !== null) {
    const backoff = Math.max(FAIL_BASE_MS, base) * 2 ** Math.min(a.failCount - 1, 20);
    return a.lastAttemptAt + Math.min(backoff, Math.max(DAY, base));
  }
  if (a.polledAt === null || a.pollSoon) return a.addedAt;
  if (base === 0) return a.polledAt;
  const cap = Math.max(DAY, base);
  const polled = a.polledAt;
  // Quiet since the newest article or the last find, whichever is later; with neither, since it was followed.
  const active = Math.max(a.newestAt ?? Number.NEGATIVE_INFINITY, a.foundAt ?? Number.NEGATIVE_INFINITY);
  const since = Number.isFinite(active) ? Math.min(active, polled) : a.addedAt;
  // Due at the first t with t − polled ≥ clamp((t − since) / 90, base, cap): the fixed point, clamped.
  const fixed = (QUIET_DIVISOR * polled - since) / (QUIET_DIVISOR - 1);
  let next = Math.min(Math.max(fixed, polled + base), polled + cap);
  // Posts come in bursts: after a new article anywhere in the account, every list of it at the base interval.
  if (accountFoundAt !== null && accountFoundAt + BURST_MS >= polled + base) next = Math.min(next, polled + base);
  return Math.ceil(next);
}

/** True when the list is due at `now` (see `nextListPoll`). */
export function isListDue(a: ListActivity, accountFoundAt: number | null, now: number, baseMinutes: number): boolean {
  return nextListPoll(a, accountFoundAt, baseMinutes) <= now;
}

/** Order in which due URLs are fetched: never fetched first, then the newest articles. */
export function dueOrder(a: FetchRecord, b: FetchRecord): number {
  const na = a.lastFetchAt === null ? 0 : 1;
  const nb = b.lastFetchAt === null ? 0 : 1;
  if (na !== nb) return na - nb;
  return (b.publishedAt ?? 0) - (a.publishedAt ?? 0);
}

/** Connection-level failures in a row after which WeChat counts as unreachable for this build. */
export const UNREACHABLE_AFTER = 3;

/** The latest time a poll found a new article in any active list of each account (biz). */
export function accountActivity(
  lists: ReadonlyArray<Pick<AlbumRecord, 'biz' | 'active' | 'foundAt'>>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of lists) {
    if (!a.active || a.foundAt === null) continue;
    if (a.foundAt > (out.get(a.biz) ?? Number.NEGATIVE_INFINITY)) out.set(a.biz, a.foundAt);
  }
  return out;
}

/** A list whose first read has begun: its head is polled; one that never was read is walked from the top. */
const readBegun = (a: Pick<AlbumRecord, 'walked' | 'walkCursor' | 'items' | 'polledAt'>): boolean =>
  a.walked || a.walkCursor !== null || a.items > 0 || a.polledAt !== null;

/** Lists the user listed first, then those found on pages; within each, the most recently active first. */
function listOrder(a: AlbumRecord, b: AlbumRecord): number {
  if (a.listed !== b.listed) return a.listed ? -1 : 1;
  const activity = (x: AlbumRecord) => Math.max(x.newestAt ?? 0, x.foundAt ?? 0);
  return activity(b) - activity(a) || (a.albumId < b.albumId ? -1 : a.albumId > b.albumId ? 1 : 0);
}

/** What one round of a build polls: heads of begun lists that are due, then walks (first reads and their sequels). */
export interface ListPlan {
  heads: AlbumRecord[];
  walks: AlbumRecord[];
  /** First reads due but over the build's `follow.maxNewAlbumsPerRun`. */
  deferred: AlbumRecord[];
}

/**
 * Plan a round over the active lists not `polled` yet in this build that are due (all with `refetch`): heads first
 * (they find new articles), then at most `firstReads` first reads, then the sequels of unfinished walks.
 */
export function planListPolls(
  lists: readonly AlbumRecord[],
  opts: { now: number; baseMinutes: number; refetch: boolean; polled: ReadonlySet<string>; firstReads: number },
): ListPlan {
  const activity = accountActivity(lists);
  const due = (a: AlbumRecord) => opts.refetch || isListDue(a, activity.get(a.biz) ?? null, opts.now, opts.baseMinutes);
  const candidates = lists.filter((a) => a.active && !opts.polled.has(a.albumId));
  const heads = candidates.filter((a) => readBegun(a) && due(a)).sort(listOrder);
  const sequels = candidates.filter(
    (a) =>
      readBegun(a) && !a.walked && a.walkCursor !== null && (heads.includes(a) || a.lastResult !== 'failed' || due(a)),
  );
  const fresh = candidates.filter((a) => !readBegun(a) && due(a)).sort(listOrder);
  const started = fresh.slice(0, Math.max(0, opts.firstReads));
  return {
    heads,
    walks: [...started, ...sequels.sort(listOrder)],
    deferred: fresh.slice(started.length),
  };
}
