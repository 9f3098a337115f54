/**
 * The unfollowed marks (fetch/unfollowed.ts): read back checked, what they stop, and following again.
 */
import { describe, expect, it } from 'vitest';
import {
  NO_MARKS,
  accountUnfollowed,
  followedAgain,
  parseUnfollowMarks,
  publishedFeeds,
  serializeUnfollowMarks,
  urlUnfollowed,
  withAccountUnfollowed,
  withUrlUnfollowed,
} from '../../src/fetch/unfollowed.js';

const BIZ_A = 'MzI2NzI2OTExNA=='; // 3267269114
const URL_A = `https://mp.weixin.qq.com/s?__biz=${BIZ_A}&mid=1&idx=1&sn=${'a'.repeat(32)}`;
const SHORT = 'https://mp.weixin.qq.com/s/Token123';
const T = Date.UTC(2026, 11, 6, 2, 0);

describe('unfollowed marks', () => {
  it('an account stops its URLs in any spelling of its biz; a URL alone stops only itself', () => {
    const marks = withAccountUnfollowed(NO_MARKS, '3267269114', T, { albums: ['1'], urls: [SHORT], remove: false });
    expect(accountUnfollowed(marks, BIZ_A)).toEqual({ at: T, removed: false, albums: ['1'], urls: [SHORT] });
    expect(accountUnfollowed(marks, '3267269114')).toBeDefined();
    expect(accountUnfollowed(marks, 'MzI2NzI2OTExNA')).toBeDefined(); // padding left out
    expect(accountUnfollowed(marks, 'MjM5NTU4NjgzMg==')).toBeUndefined();
    expect(accountUnfollowed(marks, null)).toBeUndefined();
    expect(urlUnfollowed(marks, { canonical: URL_A, biz: BIZ_A })).toBe(true);
    expect(urlUnfollowed(marks, { canonical: SHORT })).toBe(false);
    const one = withUrlUnfollowed(NO_MARKS, SHORT, T);
    expect(urlUnfollowed(one, { canonical: SHORT })).toBe(true);
    expect(urlUnfollowed(one, { canonical: URL_A, biz: BIZ_A })).toBe(false);
    expect(withUrlUnfollowed(one, SHORT, T + 1)).toBe(one);
  });

  it('a second unfollowing keeps the first time, adds what it stopped, and only turns removal on', () => {
    const first = withAccountUnfollowed(NO_MARKS, '42', T, { albums: ['1'], urls: [], remove: true });
    const second = withAccountUnfollowed(first, '42', T + 5, { albums: ['1', '2'], urls: [SHORT], remove: false });
    expect(second.accounts['42']).toEqual({ at: T, removed: true, albums: ['1', '2'], urls: [SHORT] });
  });

  it('following again clears the URL, and with the account number its mark and the URLs it marked', () => {
    let marks = withAccountUnfollowed(NO_MARKS, '42', T, { albums: ['9'], urls: [SHORT], remove: true });
    marks = withUrlUnfollowed(marks, SHORT, T);
    marks = withUrlUnfollowed(marks, URL_A, T);
    const none = followedAgain(marks, { url: 'https://mp.weixin.qq.com/s/Other' });
    expect(none.marks).toBe(marks);
    const url = followedAgain(marks, { url: URL_A, number: '7' });
    expect(url.account).toBeUndefined();
    expect(Object.keys(url.marks.urls)).toEqual([SHORT]);
    const account = followedAgain(marks, { url: 'https://x/', number: '42' });
    expect(account.account?.albums).toEqual(['9']);
    expect(account.marks).toEqual({ accounts: {}, urls: { [URL_A]: T } });
  });

  it('feeds of an account removed are left out of the plan, by biz; others and feeds of no account stay', () => {
    const groups = [
      { slug: '3267269114', biz: BIZ_A },
      { slug: 'album-1', biz: BIZ_A },
      { slug: 'other', biz: 'MjM5NTU4NjgzMg==' },
      { slug: 'blog' },
    ];
    const kept = withAccountUnfollowed(NO_MARKS, '3267269114', T, { albums: [], urls: [], remove: false });
    expect(publishedFeeds(groups, kept)).toBe(groups);
    const removed = withAccountUnfollowed(kept, '3267269114', T, { albums: [], urls: [], remove: true });
    expect(publishedFeeds(groups, removed).map((g) => g.slug)).toEqual(['other', 'blog']);
  });

  it('reads back what it wrote; a damaged value or entry reads as no mark, never an error', () => {
    const marks = withUrlUnfollowed(
      withAccountUnfollowed(NO_MARKS, '42', T, { albums: ['1'], urls: [], remove: false }),
      URL_A,
      T,
    );
    expect(parseUnfollowMarks(serializeUnfollowMarks(marks))).toEqual(marks);
    expect(parseUnfollowMarks(undefined)).toEqual(NO_MARKS);
    expect(parseUnfollowMarks('{not json')).toEqual(NO_MARKS);
    expect(parseUnfollowMarks('[1,2]')).toEqual(NO_MARKS);
    const damaged = JSON.stringify({
      accounts: { '42': { at: T, removed: false, albums: [], urls: [] }, x: { at: T }, '7': { at: 'then' } },
      urls: { [URL_A]: T, 'not a url': T, [SHORT]: 'soon' },
    });
    expect(parseUnfollowMarks(damaged)).toEqual({
      accounts: { '42': { at: T, removed: false, albums: [], urls: [] } },
      urls: { [URL_A]: T },
    });
  });
});
