import { describe, expect, it } from 'vitest';
import { mergeObservations } from '../src/merge.js';
import type { StoredObservation as Observation } from '../src/types.js';

const base: Observation = {
  origin: 'file:/a.md',
  key: 'sn:x',
  source: 'S',
  id: 'https://mp.weixin.qq.com/s?sn=x',
  link: 'https://mp.weixin.qq.com/s?sn=x',
  biz: 'B',
  mid: 1,
  idx: 1,
  sn: 'x',
  title: 'T',
  author: null,
  date: 1000,
  datePrecision: 'day',
  capturedAt: 10,
  state: 'full',
  bodyHash: 'full',
  textLength: 4,
  summary: 'full',
  cover: null,
};
const obs = (o: Partial<Observation>): Observation => ({ ...base, ...o });

describe('mergeObservations', () => {
  it('full beats truncated beats shell and notices, whatever the order', () => {
    const shell = obs({ origin: 'file:/s.md', state: 'shell', bodyHash: 'empty', textLength: 0 });
    const cut = obs({ origin: 'file:/c.md', state: 'truncated', bodyHash: 'cut', textLength: 9000 });
    const full = obs({ origin: 'file:/f.md', state: 'full', bodyHash: 'full', textLength: 100 });
    for (const order of [
      [shell, cut, full],
      [full, cut, shell],
      [cut, shell, full],
    ]) {
      const m = mergeObservations(order)!;
      expect(m.bestOrigin).toBe('file:/f.md');
      expect(m.state).toBe('full');
    }
    expect(mergeObservations([shell, cut])!.state).toBe('truncated');
  });
  it('a deletion notice captured after the kept copy is recorded beside it', () => {
    const m = mergeObservations([
      obs({ capturedAt: 10 }),
      obs({ origin: 'file:/d.md', state: 'deleted', bodyHash: 'empty', textLength: 0, capturedAt: 20 }),
    ])!;
    expect(m.state).toBe('full');
    expect(m.notice).toBe('deleted');
    const older = mergeObservations([
      obs({ capturedAt: 30 }),
      obs({ origin: 'file:/d.md', state: 'deleted', bodyHash: 'empty', textLength: 0, capturedAt: 20 }),
    ])!;
    expect(older.notice).toBeUndefined();
  });
  it('an exact time from a page beats a date-only value; fields missing in the best copy come from the others', () => {
    const m = mergeObservations([
      obs({}),
      obs({
        origin: 'page:https://x',
        state: 'shell',
        textLength: 0,
        date: 1234,
        datePrecision: 'exact',
        cover: 'https://c/0?wx_fmt=png',
        author: '作者',
      }),
    ])!;
    expect(m.date).toBe(1234);
    expect(m.datePrecision).toBe('exact');
    expect(m.cover).toBe('https://c/0?wx_fmt=png');
    expect(m.author).toBe('作者');
    expect(m.bestOrigin).toBe('file:/a.md');
  });
  it('the content hash follows what feeds show', () => {
    const a = mergeObservations([obs({})])!;
    expect(mergeObservations([obs({})])!.contentHash).toBe(a.contentHash);
    expect(mergeObservations([obs({ title: 'T2' })])!.contentHash).not.toBe(a.contentHash);
    expect(mergeObservations([])).toBeUndefined();
  });
  it('one copy merges as that copy twice does (the general way), whatever its fields', () => {
    const copies: Observation[] = [
      obs({}),
      obs({ author: '', biz: '', sn: '', cover: '', mid: 0, idx: null }),
      obs({ origin: 'page:https://x', datePrecision: 'exact', date: 1234, state: 'deleted', textLength: 0 }),
      obs({ title: 'lone \ud800 😀 [a](b)', summary: '', capturedAt: null, author: '作者', cover: 'https://c/0' }),
      obs({ state: 'shell', bodyHash: 'empty', textLength: 0, mid: null, idx: 2 }),
      obs({ state: 'truncated', capturedAt: 99 }),
    ];
    for (const o of copies) expect(mergeObservations([o])).toEqual(mergeObservations([o, { ...o }]));
  });
});
