import { describe, expect, it } from 'vitest';
import { parseDate, shanghaiDay, shanghaiIso, shanghaiRfc822 } from '../src/time.js';

describe('parseDate', () => {
  const iso = (raw: string) => {
    const d = parseDate(raw);
    return d && [new Date(d.ms).toISOString(), d.precision];
  };
  it('a date-only value is 00:00 in Asia/Shanghai, never UTC midnight', () => {
    expect(iso('2024-07-12')).toEqual(['2024-07-11T16:00:00.000Z', 'day']);
    expect(iso('2024/7/2')).toEqual(['2024-07-01T16:00:00.000Z', 'day']);
    expect(iso('2024-01-01')).toEqual(['2023-12-31T16:00:00.000Z', 'day']);
  });
  it('a date-time without a zone is Beijing time, with microseconds', () => {
    expect(iso('2025-10-06T17:44:32.464154')).toEqual(['2025-10-06T09:44:32.464Z', 'exact']);
    expect(iso('2024-07-12 08:00')).toEqual(['2024-07-12T00:00:00.000Z', 'exact']);
  });
  it('a zoned date-time is taken as written', () => {
    expect(iso('2024-06-01T10:00:00Z')).toEqual(['2024-06-01T10:00:00.000Z', 'exact']);
    expect(iso('2024-06-01T10:00:00+02:00')).toEqual(['2024-06-01T08:00:00.000Z', 'exact']);
  });
  it('rejects what is not a date', () => {
    for (const bad of ['', 'yesterday', '2024-02-30', '2024-13-01', '2024-07-12T25:00', '12/07/2024'])
      expect(parseDate(bad)).toBeUndefined();
    expect(parseDate(undefined)).toBeUndefined();
  });
  it('takes a day as Date.UTC does: leap years, years 0–99 read as 1900–1999', () => {
    for (const y of [0, 4, 24, 96, 99, 100, 1900, 2000, 2023, 2024, 2100, 2400])
      for (let mo = 1; mo <= 12; mo++)
        for (let d = 27; d <= 31; d++) {
          const probe = new Date(Date.UTC(y, mo - 1, d));
          const exists = probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
          const text = `${String(y).padStart(4, '0')}-${mo}-${d}`;
          expect(parseDate(text) !== undefined, text).toBe(exists);
          expect(parseDate(`${text} 23:59:60`) !== undefined, text).toBe(exists);
        }
  });
  it('shanghaiDay', () => {
    expect(shanghaiDay(Date.parse('2024-07-11T16:00:00Z'))).toBe('2024-07-12');
    expect(shanghaiDay(Date.parse('2024-07-11T15:59:59Z'))).toBe('2024-07-11');
  });
  it('shanghaiIso and shanghaiRfc822: the same instant written in Beijing time (+08:00, +0800)', () => {
    const midnight = Date.parse('2024-07-11T16:00:00Z');
    expect(shanghaiIso(midnight)).toBe('2024-07-12T00:00:00+08:00');
    expect(Date.parse(shanghaiIso(midnight))).toBe(midnight);
    expect(shanghaiIso(Date.parse('2024-12-31T23:59:59.250Z'))).toBe('2025-01-01T07:59:59.250+08:00');
    expect(shanghaiRfc822(midnight)).toBe('Fri, 12 Jul 2024 00:00:00 +0800');
    expect(Date.parse(shanghaiRfc822(midnight))).toBe(midnight);
    expect(shanghaiRfc822(Date.parse('2024-02-29T15:59:59Z'))).toBe('Thu, 29 Feb 2024 23:59:59 +0800');
    expect(shanghaiIso(0)).toBe('1970-01-01T08:00:00+08:00');
  });
});
