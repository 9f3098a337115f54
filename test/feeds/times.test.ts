/**
 * The time each item is shown at (feeds/times.ts; issue 12, item 10): distinct within a Beijing day, the same in
 * every feed, and unchanged for the articles already published when another arrives.
 */
import { describe, expect, it } from 'vitest';
import { distinctTimes, shanghaiDayStart, shownTimes } from '../../src/feeds/times.js';

const DAY = Date.parse('2024-07-11T16:00:00Z'); // 2024-07-12 00:00 +08:00
const at = (s: number) => DAY + s * 1000;

describe('distinctTimes', () => {
  it('articles dated by the day: 00:00:00, 00:00:01, … oldest first', () => {
    const day = [
      { key: 'c', date: DAY },
      { key: 'b', date: DAY },
      { key: 'a', date: DAY },
    ];
    expect([...distinctTimes(day)]).toEqual([
      ['c', at(0)],
      ['b', at(1)],
      ['a', at(2)],
    ]);
  });
  it('exact times keep theirs, and a tie (one mass-send) is spread over the following seconds', () => {
    const day = [
      { key: 'd1', date: DAY },
      { key: 'd2', date: DAY },
      { key: 'm2', date: at(3600) },
      { key: 'm1', date: at(3600) },
      { key: 'e', date: at(3601) },
      { key: 'late', date: at(7200) + 250 },
    ];
    expect(Object.fromEntries(distinctTimes(day))).toEqual({
      d1: at(0),
      d2: at(1),
      m2: at(3600),
      m1: at(3601),
      e: at(3602),
      late: at(7200) + 250,
    });
  });
});

describe('shownTimes', () => {
  it('reads each Beijing day once, and gives every article of it its time', () => {
    const reads: number[] = [];
    const time = shownTimes((from, to) => {
      reads.push(from);
      expect(to - from).toBe(86_400_000);
      return from === DAY
        ? [
            { key: 'x', date: DAY },
            { key: 'y', date: DAY },
          ]
        : [];
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
