/**
 * Pure date parsing. WeChat is in Asia/Shanghai (UTC+8, no daylight saving): a date-only value means 00:00 there,
 * and a date-time written without a zone is read as Beijing time. Never UTC midnight.
 */

/** How precise a date is: a day (00:00 Asia/Shanghai) or an exact instant. */
export type DatePrecision = 'day' | 'exact';

/** Beijing time's offset from UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** An instant and how precisely its source gave it. */
export interface ParsedDate {
  ms: number;
  precision: DatePrecision;
}

const DATE_ONLY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const NAIVE_DATE_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validParts(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  if (d <= 28) return true;
  // The day exists in its month, of the year Date.UTC reads (0–99 are 1900–1999).
  const year = y >= 0 && y <= 99 ? 1900 + y : y;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1]!);
}

/** Parse a date as dumps and pages write it. Undefined when it is not a date. */
export function parseDate(raw: string | undefined): ParsedDate | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  let m = DATE_ONLY.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (!validParts(y, mo, d)) return undefined;
    return { ms: Date.UTC(y, mo - 1, d) - SHANGHAI_OFFSET_MS, precision: 'day' };
  }
  m = NAIVE_DATE_TIME.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const h = Number(m[4]);
    const mi = Number(m[5]);
    const s = Number(m[6] ?? 0);
    if (!validParts(y, mo, d, h, mi, s)) return undefined;
    const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
    return { ms: Date.UTC(y, mo - 1, d, h, mi, s, frac) - SHANGHAI_OFFSET_MS, precision: 'exact' };
  }
  if (ZONED.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? { ms, precision: 'exact' } : undefined;
  }
  return undefined;
}

/** `YYYY-MM-DD` of an instant in Beijing time. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Beijing wall-clock parts of an instant. */
function shanghaiParts(ms: number): { iso: string; fraction: string } {
  const iso = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  const millis = iso.slice(20, 23);
  return { iso: iso.slice(0, 19), fraction: millis === '000' ? '' : `.${millis}` };
}

/**
 * An instant as RFC 3339 in Beijing time: `2024-07-12T00:00:00+08:00` (milliseconds only when there are any). The
 * same instant as `toISOString()`; a date-only article shows its own day in a reader that prints the raw value.
 */
export function shanghaiIso(ms: number): string {
  const { iso, fraction } = shanghaiParts(ms);
  return `${iso}${fraction}+08:00`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant as an RFC 822 date (RSS) in Beijing time: `Fri, 12 Jul 2024 00:00:00 +0800`. */
export function shanghaiRfc822(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  const day = String(d.getUTCDate()).padStart(2, '0');
  const time = d.toISOString().slice(11, 19);
  return `${WEEKDAYS[d.getUTCDay()]}, ${day} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} +0800`;
}
