import { describe, expect, it } from 'vitest';
import { dueOrder, isDue } from '../../src/fetch/schedule.js';
import type { FetchRecord } from '../../src/types.js';

const H = 3600_000;
const D = 24 * H;
const NOW = Date.UTC(2026, 10, 24, 12);
const rec = (r: Partial<FetchRecord>): FetchRecord => ({
  lastFetchAt: null,
  lastResult: null,
  failCount: 0,
  publishedAt: null,
  needsArticle: false,
  ...r,
});

describe('isDue: re-reads thin out with age', () => {
  it('never fetched: due', () => expect(isDue(rec({}), NOW, 30)).toBe(true));
  it('younger than a day: every build', () => {
    expect(isDue(rec({ lastFetchAt: NOW - 60_000, lastResult: 'ok', publishedAt: NOW - 2 * H }), NOW, 30)).toBe(true);
  });
  it('younger than a week: once a day', () => {
    const r = { lastResult: 'ok' as const, publishedAt: NOW - 3 * D };
    expect(isDue(rec({ ...r, lastFetchAt: NOW - 23 * H }), NOW, 30)).toBe(false);
    expect(isDue(rec({ ...r, lastFetchAt: NOW - 25 * H }), NOW, 30)).toBe(true);
  });
  it('older: once a week, and never past maxAgeDays', () => {
    const r = { lastResult: 'ok' as const, publishedAt: NOW - 10 * D };
    expect(isDue(rec({ ...r, lastFetchAt: NOW - 6 * D }), NOW, 30)).toBe(false);
    expect(isDue(rec({ ...r, lastFetchAt: NOW - 8 * D }), NOW, 30)).toBe(true);
    expect(isDue(rec({ lastResult: 'ok', publishedAt: NOW - 40 * D, lastFetchAt: NOW - 20 * D }), NOW, 30)).toBe(false);
  });
  it('deleted, expired and migrated pages are final', () => {
    for (const lastResult of ['deleted', 'expired', 'migrated'] as const)
      expect(isDue(rec({ lastResult, lastFetchAt: NOW - 30 * D, publishedAt: NOW - D / 2 }), NOW, 30)).toBe(false);
  });
  it('failures back off 1 h, 2 h, 4 h … up to a day', () => {
    expect(isDue(rec({ lastResult: 'error', failCount: 1, lastFetchAt: NOW - 59 * 60_000 }), NOW, 30)).toBe(false);
    expect(isDue(rec({ lastResult: 'error', failCount: 1, lastFetchAt: NOW - 61 * 60_000 }), NOW, 30)).toBe(true);
    expect(isDue(rec({ lastResult: 'error', failCount: 3, lastFetchAt: NOW - 3 * H }), NOW, 30)).toBe(false);
    expect(isDue(rec({ lastResult: 'error', failCount: 3, lastFetchAt: NOW - 5 * H }), NOW, 30)).toBe(true);
    expect(isDue(rec({ lastResult: 'error', failCount: 20, lastFetchAt: NOW - 25 * H }), NOW, 30)).toBe(true);
  });
  it('a dump that is not the article is read again daily until we have it, whatever its age', () => {
    expect(
      isDue(
        rec({ needsArticle: true, lastResult: 'blocked', lastFetchAt: NOW - 25 * H, publishedAt: NOW - 400 * D }),
        NOW,
        30,
      ),
    ).toBe(true);
    expect(
      isDue(
        rec({ needsArticle: true, lastResult: 'blocked', lastFetchAt: NOW - 2 * H, publishedAt: NOW - 400 * D }),
        NOW,
        30,
      ),
    ).toBe(false);
  });
  it('orders never-fetched first, then newest', () => {
    const list = [
      rec({ lastFetchAt: 1, publishedAt: 5 }),
      rec({ publishedAt: 1 }),
      rec({ lastFetchAt: 1, publishedAt: 9 }),
    ];
    expect(list.sort(dueOrder).map((r) => [r.lastFetchAt, r.publishedAt])).toEqual([
      [null, 1],
      [1, 9],
      [1, 5],
    ]);
  });
});
