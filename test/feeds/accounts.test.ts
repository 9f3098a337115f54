/**
 * The account an item names (feeds/accounts.ts): from the source labels that are one account each, else the source
 * that carried it.
 */
import { describe, expect, it } from 'vitest';
import { accountNames, accountOf } from '../../src/feeds/accounts.js';

const BIZ_A = 'MzI2NzI2OTExNA=='; // 3267269114
const BIZ_B = 'MjM5NTU4NjgzMg=='; // 2395586832

describe('accountNames / accountOf', () => {
  const accounts = accountNames([
    { source: '小米安全中心', articles: 40, bizCount: 1, biz: BIZ_A },
    { source: '小米安全中心（旧名）', articles: 3, bizCount: 1, biz: BIZ_A },
    { source: "Doonsec's feed", articles: 500, bizCount: 120, biz: BIZ_A },
    { source: 'Example Blog', articles: 9, bizCount: 0, biz: null },
  ]);

  it('a label with one biz is that account; of two names of one account, the one with more articles', () => {
    expect([...accounts]).toEqual([['3267269114', '小米安全中心']]);
  });

  it('an article with a biz: its account, whatever label it came under; when no source names it, the one that carried it', () => {
    expect(accountOf({ biz: BIZ_A }, "Doonsec's feed", accounts)).toBe('小米安全中心');
    expect(accountOf({ biz: '3267269114' }, undefined, accounts)).toBe('小米安全中心');
    // Issue 20, item 6: until the account's name is known, the source that carried the copy shown.
    expect(accountOf({ biz: BIZ_B }, "Doonsec's feed", accounts)).toBe("Doonsec's feed");
    expect(accountOf({ biz: BIZ_B }, undefined, accounts)).toBeUndefined();
  });

  it('an article without a biz (a blog post): its source', () => {
    expect(accountOf({}, 'Example Blog', accounts)).toBe('Example Blog');
    expect(accountOf({}, undefined, accounts)).toBeUndefined();
  });
});
