/**
 * The time each item is shown at (feeds/times.ts; issue 12, item 10): distinct within a Beijing day, the same in
 * every feed, and unchanged for the articles already published when another arrives or one gets its exact time.
 */
import { describe, expect, it } from 'vitest';
import { type DayArticle, distinctTimes, shanghaiDayStart, shownTimes } from '../../src/feeds/times.js';

const DAY = Date.parse('2024-07-11T16:00:00Z'); // 2024-07-12 00:00 +08:00
const at = (s: number) => DAY + s * 1000;
const byDay = (key: string): DayArticle => ({ key, date: DAY, datePrecision: 'day' });
const exact = (key: string, date: number): DayArticle => ({ key, date, datePrecision: 'exact' });

describe('distinctTimes', () => {
  it('articles dated by the day: 00:00:00, 00:00:01, … in the order listed (first seen, oldest in feed order)', () => {
    expect([...distinctTimes(DAY, [byDay('c'), byDay('b'), byDay('a')])]).toEqual([
      ['c', at(0)],
      ['b', at(1)],
      ['a', at(2)],
    ]);
  });

  it('exact times keep theirs; a tie (one mass-send) and a time another holds move to the next free second', () => {
    const day = [
      byDay('d1'),
      exact('m2', at(3600)),
      exact('m1', at(3600)),
      byDay('d2'),
      exact('early', at(3)),
      exact('e', at(3601)),
      exact('late', at(7200) + 250),
    ];
    expect(Object.fromEntries(distinctTimes(DAY, day))).toEqual({
      d1: at(0),
      d2: at(3),
      early: at(4),
      m2: at(3600),
      m1: at(3601),
      e: at(3602),
      late: at(7200) + 250,
    });
  });

  it('stable: an article that arrives later, or one that gets its exact time, moves no other', () => {
    const first = distinctTimes(DAY, [byDay('a'), byDay('b'), byDay('c')]);
    const later = distinctTimes(DAY, [byDay('a'), exact('b', at(30_000)), byDay('c'), byDay('new')]);
    expect(later.get('a')).toBe(first.get('a'));
    expect(later.get('c')).toBe(first.get('c'));
    expect(later.get('b')).toBe(at(30_000));
    expect(later.get('new')).toBe(at(3));
  });
});

describe('shownTimes', () => {
  it('reads each Beijing day once, and gives every article of it its time', () => {
    const reads: number[] = [];
    const time = shownTimes((from, to) => {
      reads.push(from);
      expect(to - from).toBe(86_400_000);
      return from === DAY ? [byDay('x'), byDay('y')] : [];
    });
    expect(time({ key: 'y', date: DAY })).toBe(at(1));
    expect(time({ key: 'x', date: DAY })).toBe(at(0));
    expect(time({ key: 'z', date: DAY - 1000 })).toBe(DAY - 1000);
    expect(reads).toEqual([DAY, DAY - 86_400_000]);
  });
  it('the Beijing day of an instant', () => {
    expect(shanghaiDayStart(DAY)).toBe(DAY);
    expect(shanghaiDayStart(DAY + 86_399_999)).toBe(DAY);
    expect(shanghaiDayStart(DAY - 1)).toBe(DAY - 86_400_000);
  });
});
