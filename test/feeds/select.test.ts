/**
 * Which articles a feed shows: title filters, `feed.keepDeleted`, and `feed.placeholders` (states.ts isPlaceholder).
 */
import { describe, expect, it } from 'vitest';
import { shows, take } from '../../src/feeds/select.js';
import { type ContentState, isPlaceholder } from '../../src/states.js';
import type { Article } from '../../src/types.js';

const LINK = 'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1&idx=1&sn=abc';
const article = (state: ContentState, over: Partial<Article> = {}): Article => ({
  key: `sn:${state}`,
  id: LINK,
  link: LINK,
  title: `标题 ${state}`,
  date: 0,
  datePrecision: 'day',
  state,
  summary: '',
  bestOrigin: 'file:x',
  contentHash: 'h',
  ...over,
});
const SHOW = { keepDeleted: true, placeholders: 'show' } as const;
const HIDE = { keepDeleted: true, placeholders: 'hide' } as const;

describe('isPlaceholder', () => {
  it('shells and captcha pages are placeholders; the article, a cut copy and notices are not', () => {
    const states: ContentState[] = [
      'full',
      'truncated',
      'shell',
      'captcha',
      'deleted',
      'blocked',
      'migrated',
      'expired',
    ];
    expect(states.filter((s) => isPlaceholder(article(s)))).toEqual(['shell', 'captcha']);
  });
  it('an album item not yet read (listed) only when its list gave no title of its own', () => {
    expect(isPlaceholder({ state: 'listed', title: '合集里的标题', link: LINK })).toBe(false);
    expect(isPlaceholder({ state: 'listed', title: '', link: LINK })).toBe(true);
    expect(isPlaceholder({ state: 'listed', title: ` ${LINK} `, link: LINK })).toBe(true);
  });
});

describe('shows / take', () => {
  const list = [article('full'), article('shell'), article('captcha'), article('deleted'), article('truncated')];
  it('feed.placeholders: show keeps every article; hide drops shells and captcha pages', () => {
    expect(take(list, undefined, 10, SHOW)).toHaveLength(5);
    expect(take(list, undefined, 10, HIDE).map((a) => a.state)).toEqual(['full', 'deleted', 'truncated']);
  });
  it('the limit counts the articles shown, after the placeholders are dropped', () => {
    expect(take(list, undefined, 2, HIDE).map((a) => a.state)).toEqual(['full', 'deleted']);
  });
  it('keepDeleted: false drops gone articles, with placeholders either way', () => {
    expect(shows(article('deleted'), undefined, { keepDeleted: false, placeholders: 'show' })).toBe(false);
    expect(shows(article('full', { notice: 'blocked' }), undefined, { keepDeleted: false, placeholders: 'hide' })).toBe(
      false,
    );
    expect(shows(article('shell'), { match: 'x', exclude: ['标题'] }, SHOW)).toBe(false);
  });
});
