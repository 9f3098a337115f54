/**
 * `Retry-After` as the page client reads it (issue 20, item 5): seconds or an HTTP-date in any of its three forms,
 * a date counted from the answer's `Date` (else the clock), garbage ignored, a past date as 0, a day at most.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseHttpDate, retryAfterMs } from '../../src/http/retry-after.js';

const NOW = Date.UTC(2024, 6, 20, 4, 0, 0); // Sat, 20 Jul 2024 04:00:00 GMT
const DAY = 86_400_000;

describe('retryAfterMs: delay-seconds', () => {
  it('digits are seconds; surrounding spaces and leading zeros are fine; the first of several values counts', () => {
    expect(retryAfterMs('120', undefined, NOW)).toBe(120_000);
    expect(retryAfterMs('  7 ', undefined, NOW)).toBe(7000);
    expect(retryAfterMs('0', undefined, NOW)).toBe(0);
    expect(retryAfterMs('0030', undefined, NOW)).toBe(30_000);
    expect(retryAfterMs(['45', '900'], undefined, NOW)).toBe(45_000);
  });

  it('garbage is ignored: negative, fractional, signed, exponent, words, empty, absent', () => {
    for (const v of ['-5', '1.5', '+5', '1e3', '5s', 'soon', '', '   ', '0x10', '１２', '12 34']) {
      expect(retryAfterMs(v, undefined, NOW), v).toBeUndefined();
    }
    expect(retryAfterMs(undefined, undefined, NOW)).toBeUndefined();
    expect(retryAfterMs([], undefined, NOW)).toBeUndefined();
  });

  it('an absurd wait is cut to a day; a value longer than 64 characters is not read at all', () => {
    expect(retryAfterMs('86401', undefined, NOW)).toBe(DAY);
    expect(retryAfterMs('999999999999', undefined, NOW)).toBe(DAY);
    expect(retryAfterMs('9'.repeat(64), undefined, NOW)).toBe(DAY);
    expect(retryAfterMs('9'.repeat(65), undefined, NOW)).toBeUndefined();
    expect(MAX_RETRY_AFTER_MS).toBe(DAY);
  });
});

describe('retryAfterMs: HTTP-date', () => {
  it("counts from the answer's Date, not the local clock (a skewed clock changes nothing)", () => {
    const date = 'Sat, 20 Jul 2024 04:00:00 GMT';
    expect(retryAfterMs('Sat, 20 Jul 2024 04:05:00 GMT', date, NOW)).toBe(300_000);
    expect(retryAfterMs('Sat, 20 Jul 2024 04:05:00 GMT', date, NOW + 3 * 3600_000)).toBe(300_000);
    expect(retryAfterMs('Sat, 20 Jul 2024 04:05:00 GMT', [date], NOW - DAY)).toBe(300_000);
  });

  it('counts from the clock when the answer has no Date, or one that is not a date', () => {
    expect(retryAfterMs('Sat, 20 Jul 2024 04:01:30 GMT', undefined, NOW)).toBe(90_000);
    expect(retryAfterMs('Sat, 20 Jul 2024 04:01:30 GMT', 'yesterday', NOW)).toBe(90_000);
    expect(retryAfterMs('Sat, 20 Jul 2024 04:01:30 GMT', 'Sat, 31 Feb 2024 04:00:00 GMT', NOW + 30_000)).toBe(60_000);
  });

  it('a date already past is 0; one more than a day ahead is a day', () => {
    expect(retryAfterMs('Fri, 19 Jul 2024 04:00:00 GMT', undefined, NOW)).toBe(0);
    expect(retryAfterMs('Fri, 01 Jan 2100 00:00:00 GMT', 'Sat, 20 Jul 2024 04:00:00 GMT', NOW)).toBe(DAY);
  });

  it('reads the obsolete RFC 850 and asctime forms too', () => {
    expect(retryAfterMs('Saturday, 20-Jul-24 04:10:00 GMT', undefined, NOW)).toBe(600_000);
    expect(retryAfterMs('Sat Jul 20 04:00:20 2024', undefined, NOW)).toBe(20_000);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it("an RFC 850 two-digit year more than 50 years ahead is the last century's", () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sunday, 06-Nov-74 08:49:37 GMT', NOW)).toBe(Date.UTC(2074, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sunday, 06-Nov-75 08:49:37 GMT', NOW)).toBe(Date.UTC(1975, 10, 6, 8, 49, 37));
  });

  it('a date of another form, or an impossible one, is garbage', () => {
    for (const v of [
      '2024-07-20T04:05:00Z',
      'Sat, 20 Jul 2024 04:05:00 +0000',
      'Sat, 20 Jul 2024 04:05:00 UTC',
      'sat, 20 jul 2024 04:05:00 gmt',
      'Sat, 20 Jul 2024 4:05:00 GMT',
      'Sat, 31 Feb 2024 04:05:00 GMT',
      'Sat, 20 Jul 2024 24:05:00 GMT',
      'Sat, 20 Jul 2024 04:60:00 GMT',
      'Sat, 00 Jul 2024 04:05:00 GMT',
      'Sat, 20 Jul 2024 04:05:00 GMT trailing',
    ]) {
      expect(retryAfterMs(v, undefined, NOW), v).toBeUndefined();
    }
  });

  it('never throws, and is always undefined or a whole wait within [0, a day]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.option(fc.string({ maxLength: 40 })), (v, d) => {
        const r = retryAfterMs(v, d ?? undefined, NOW);
        return r === undefined || (Number.isInteger(r) && r >= 0 && r <= DAY);
      }),
    );
  });
});
