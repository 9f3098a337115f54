/**
 * Pure politeness policy: when a URL is due for (re-)reading, and how long a captcha cool-down lasts.
 * Re-reads thin out with age so edits and deletions are seen without hammering WeChat:
 * younger than a day, every build; younger than a week, once a day; then once a week; never past maxAgeDays.
 */
import { isFailedResult, isFinalResult } from '../states.js';
import type { AlbumRecord, Cooldown, FetchRecord } from '../types.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function reReadInterval(ageMs: number): number {
  if (ageMs < DAY) return 0;
  if (ageMs < 7 * DAY) return DAY;
  return 7 * DAY;
}

export function isDue(r: FetchRecord, now: number, maxAgeDays: number): boolean {
  if (r.lastFetchAt === null) return true;
  const since = now - r.lastFetchAt;
  if (isFailedResult(r.lastResult)) {
    // Failed: try again, backing off 1 h, 2 h, 4 h … up to a day.
    return since >= Math.min(HOUR * 2 ** Math.max(0, r.failCount - 1), DAY);
  }
  if (isFinalResult(r.lastResult)) return false;
  if (r.needsArticle && r.lastResult !== 'ok') return since >= DAY;
  const age = r.publishedAt === null ? Number.POSITIVE_INFINITY : now - r.publishedAt;
  if (age > maxAgeDays * DAY) return false;
  return since >= reReadInterval(age);
}

/**
 * An album is polled when it never was, or `intervalMinutes` after its last completed poll (a list read, or a
 * malformed answer). A blocked poll or an unreachable WeChat completes nothing: the album is polled again once the
 * cool-down allows.
 */
export function isAlbumDue(a: Pick<AlbumRecord, 'polledAt'>, now: number, intervalMinutes: number): boolean {
  return a.polledAt === null || now - a.polledAt >= intervalMinutes * 60_000;
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

/** A captcha or rate-limit page was seen, or WeChat was unreachable: the next cool-down, doubling on each repeat. */
export function nextCooldown(
  previous: Cooldown | undefined,
  now: number,
  baseMinutes: number,
  maxMinutes: number,
  reason: NonNullable<Cooldown['reason']> = 'captcha',
): Cooldown {
  const level = (previous?.level ?? 0) + 1;
  const minutes = Math.min(baseMinutes * 2 ** (level - 1), maxMinutes);
  return { until: now + minutes * 60_000, level, reason };
}

/** A fetch went through: the streak is over. */
export function cooldownAfterSuccess(previous: Cooldown | undefined, now: number): Cooldown | undefined {
  if (!previous) return undefined;
  return previous.until > now ? previous : undefined;
}
