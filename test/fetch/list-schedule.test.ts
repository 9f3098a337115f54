/**
 * The activity schedule of followed lists (fetch/schedule.ts): when an album or a homepage is next polled, by its
 * activity, its account's, its failures; and what one round of a build polls, in which order, within the budget.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BURST_MS, type ListActivity, isListDue, nextListPoll, planListPolls } from '../../src/fetch/schedule.js';
import type { AlbumRecord } from '../../src/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 11, 1, 12);

const activity = (over: Partial<ListActivity>): ListActivity => ({
  polledAt: now - 10 * MIN,
  addedAt: now - 400 * DAY,
  newestAt: null,
  foundAt: null,
  lastResult: 'ok',
  lastAttemptAt: now - 10 * MIN,
  failCount: 0,
  pollSoon: false,
  ...over,
});

describe('nextListPoll: the activity schedule', () => {
  it('never polled, or named by a page read in this build: due now', () => {
    expect(nextListPoll(activity({ polledAt: null, addedAt: now - MIN }), null, 60)).toBe(now - MIN);
    expect(isListDue(activity({ polledAt: now, pollSoon: true }), null, now, 60)).toBe(true);
  });
  it('an album with a recent article is polled at albumIntervalMinutes', () => {
    const a = activity({ polledAt: now, newestAt: now - 2 * DAY });
    expect(nextListPoll(a, null, 60)).toBe(now + HOUR);
    expect(isListDue(a, null, now + 59 * MIN, 60)).toBe(false);
    expect(isListDue(a, null, now + HOUR, 60)).toBe(true);
  });
  it('a quiet album is polled once per 1/90 of its quiet time: 30 days quiet, about every 8 hours; 90 days, daily', () => {
    const thirty = activity({ polledAt: now, newestAt: now - 30 * DAY });
    // The first t with t − polled ≥ (t − newest) / 90.
    const at = nextListPoll(thirty, null, 60);
    expect(at - now).toBe(Math.ceil((30 * DAY) / 89));
    expect((at - now) / HOUR).toBeCloseTo(8.09, 2);
    expect(nextListPoll(activity({ polledAt: now, newestAt: now - 90 * DAY }), null, 60)).toBe(now + DAY);
    expect(nextListPoll(activity({ polledAt: now, newestAt: now - 900 * DAY }), null, 60)).toBe(now + DAY);
    // Never any article: quiet since it was followed.
    expect(nextListPoll(activity({ polledAt: now, addedAt: now - 400 * DAY }), null, 60)).toBe(now + DAY);
  });
  it('a poll that found an article counts as activity, whatever the article times say', () => {
    const a = activity({ polledAt: now, newestAt: now - 300 * DAY, foundAt: now });
    expect(nextListPoll(a, null, 60)).toBe(now + HOUR);
  });
  it('for 2 hours after a new article anywhere in the account, its quiet lists are polled at the short interval', () => {
    const quiet = activity({ polledAt: now, newestAt: now - 300 * DAY });
    expect(nextListPoll(quiet, now, 60)).toBe(now + HOUR);
    expect(nextListPoll(quiet, now - BURST_MS + HOUR, 60)).toBe(now + HOUR);
    expect(nextListPoll(quiet, now - BURST_MS + HOUR - 1, 60)).toBe(now + DAY);
  });
  it('albumIntervalMinutes 0: every build', () => {
    expect(isListDue(activity({ polledAt: now, newestAt: now - 300 * DAY }), null, now, 0)).toBe(true);
  });
  it('a failing list backs off on its own: 1 h, 2 h, 4 h … up to a day, also with albumIntervalMinutes 0', () => {
    const failing = (n: number) => activity({ lastResult: 'failed', failCount: n, lastAttemptAt: now, polledAt: null });
    expect([1, 2, 3, 4, 5, 6, 12].map((n) => (nextListPoll(failing(n), now, 0) - now) / HOUR)).toEqual([
      1, 2, 4, 8, 16, 24, 24,
    ]);
    // A base interval longer than an hour is the first step.
    expect(nextListPoll(failing(1), null, 180) - now).toBe(3 * HOUR);
    // A refusal of the client is not the list's failure.
    expect(nextListPoll(activity({ lastResult: 'blocked', failCount: 0, polledAt: now }), null, 0)).toBe(now);
  });
  it('never more often than the base interval, never less often than daily (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 * DAY }),
        fc.integer({ min: 1, max: 24 * 60 }),
        fc.option(fc.integer({ min: -10 * DAY, max: 0 })),
        (quiet, base, burst) => {
          const a = activity({ polledAt: now, newestAt: now - quiet });
          const next = nextListPoll(a, burst === null ? null : now + burst, base);
          return next - now >= base * MIN - 1 && next - now <= Math.max(DAY, base * MIN) + 1;
        },
      ),
    );
  });
});

const record = (id: string, over: Partial<AlbumRecord>): AlbumRecord => ({
  albumId: id,
  kind: 'album',
  biz: 'MzkwMDAwMDAwMA==',
  title: null,
  account: null,
  followed: true,
  listed: false,
  active: true,
  via: 'page',
  pageReadAt: now - DAY,
  polledAt: now - 2 * HOUR,
  walked: true,
  lastAttemptAt: now - 2 * HOUR,
  lastResult: 'ok',
  lastReason: null,
  failCount: 0,
  items: 5,
  addedAt: now - 100 * DAY,
  newestAt: now - DAY,
  foundAt: null,
  failingSince: null,
  walkCursor: null,
  pollSoon: false,
  ...over,
});

describe('planListPolls: one round of a build', () => {
  const plan = (lists: AlbumRecord[], over: Partial<Parameters<typeof planListPolls>[1]> = {}) => {
    const p = planListPolls(lists, {
      now,
      baseMinutes: 60,
      refetch: false,
      polled: new Set(),
      firstReads: 10,
      ...over,
    });
    return { heads: p.heads.map((a) => a.albumId), walks: p.walks.map((a) => a.albumId), deferred: p.deferred.length };
  };
  it('heads of due lists, listed first, then the most recently active; quiet ones wait', () => {
    const lists = [
      record('1', { newestAt: now - 3 * DAY }),
      record('2', { newestAt: now - DAY }),
      record('3', { listed: true, newestAt: now - 2 * DAY }),
      record('4', { newestAt: now - 300 * DAY }),
      record('5', { active: false }),
    ];
    expect(plan(lists)).toEqual({ heads: ['3', '2', '1'], walks: [], deferred: 0 });
    expect(plan(lists, { refetch: true }).heads).toEqual(['3', '2', '1', '4']);
    expect(plan(lists, { polled: new Set(['2']) }).heads).toEqual(['3', '1']);
  });
  it('first reads of new lists before sequels of unfinished ones, listed first; at most firstReads new ones', () => {
    const fresh = (id: string, over: Partial<AlbumRecord> = {}) =>
      record(id, { polledAt: null, walked: false, items: 0, pageReadAt: null, newestAt: null, ...over });
    const lists = [
      fresh('10'),
      fresh('11', { listed: true }),
      fresh('12'),
      record('20', { walked: false, walkCursor: '{"msgid":"1","itemidx":"1"}', polledAt: now - 10 * MIN }),
    ];
    expect(plan(lists)).toEqual({ heads: [], walks: ['11', '10', '12', '20'], deferred: 0 });
    expect(plan(lists, { firstReads: 1 })).toEqual({ heads: [], walks: ['11', '20'], deferred: 2 });
    // The sequel of a walk is read in every build, its head only when due.
    expect(plan(lists, { firstReads: 0 }).walks).toEqual(['20']);
  });
  it('a failing list, and the sequel of a failed walk, wait for their backoff', () => {
    const lists = [
      record('1', { lastResult: 'failed', failCount: 1, lastAttemptAt: now - 30 * MIN }),
      record('2', {
        walked: false,
        walkCursor: '{"msgid":"1","itemidx":"1"}',
        lastResult: 'failed',
        failCount: 2,
        lastAttemptAt: now - HOUR,
      }),
    ];
    expect(plan(lists)).toEqual({ heads: [], walks: [], deferred: 0 });
    expect(plan(lists, { now: now + 2 * HOUR })).toEqual({ heads: ['1', '2'], walks: ['2'], deferred: 0 });
  });
});
