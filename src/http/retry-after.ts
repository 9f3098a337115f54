/**
 * Pure: how long an answer asked us to wait (`Retry-After`, RFC 9110 §10.2.3), in ms. The header holds either a
 * number of seconds (digits only) or an HTTP-date; a date counts from the answer's own `Date` header when that is a
 * valid date (the two come from the same server clock, so a skewed local clock does not matter), else from `now`.
 * Anything else (a negative or fractional number, words, a date of another form, a value too long to be either) is
 * ignored: the caller falls back on its own back-off. A date already past means "now" (0). A wait longer than a day
 * is cut to a day: no honest server asks for more, and a hostile one must not park fetching for good.
 */

/** The longest wait taken from an answer. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** Longer than any delay-seconds or HTTP-date worth reading. */
const MAX_LENGTH = 64;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const TIME = String.raw`(\d{2}):(\d{2}):(\d{2})`;
/** `Sun, 06 Nov 1994 08:49:37 GMT` (the preferred form). */
const IMF = new RegExp(String.raw`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (${MONTH}) (\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete RFC 850 form: two-digit year). */
const RFC850 = new RegExp(
  String.raw`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-(${MONTH})-(\d{2}) ${TIME} GMT$`,
);
/** `Sun Nov  6 08:49:37 1994` (obsolete asctime form: day padded with a space). */
const ASCTIME = new RegExp(String.raw`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (${MONTH}) ( \d|\d{2}) ${TIME} (\d{4})$`);

/**
 * Epoch ms of an HTTP-date in any of its three forms; undefined for anything else or an impossible date. `now`
 * places the two-digit year of the obsolete RFC 850 form.
 */
export function parseHttpDate(value: string, now: number): number | undefined {
  if (value.length > MAX_LENGTH) return undefined;
  let day: string;
  let month: string;
  let year: number;
  let hms: [string, string, string];
  let m = IMF.exec(value);
  if (m) {
    [day, month, year, hms] = [m[1]!, m[2]!, Number(m[3]), [m[4]!, m[5]!, m[6]!]];
  } else if ((m = RFC850.exec(value))) {
    // RFC 9110: a two-digit year that would be more than 50 years ahead is the latest past year with those digits.
    const current = new Date(now).getUTCFullYear();
    let y = current - (current % 100) + Number(m[3]);
    if (y > current + 50) y -= 100;
    [day, month, year, hms] = [m[1]!, m[2]!, y, [m[4]!, m[5]!, m[6]!]];
  } else if ((m = ASCTIME.exec(value))) {
    [month, day, hms, year] = [m[1]!, m[2]!.trim(), [m[3]!, m[4]!, m[5]!], Number(m[6])];
  } else return undefined;
  const [h, min, s] = hms.map(Number) as [number, number, number];
  const d = Number(day);
  const mon = MONTHS.indexOf(month);
  if (h > 23 || min > 59 || s > 60 || d < 1 || d > 31) return undefined;
  const ms = Date.UTC(year, mon, d, h, min, Math.min(s, 59));
  // 31 Feb rolls over into March in Date.UTC: such a date is not one.
  return new Date(ms).getUTCDate() === d ? ms : undefined;
}

/**
 * The wait `Retry-After` asks for, in ms (0 … MAX_RETRY_AFTER_MS), or undefined when absent or not readable.
 * `date`: the answer's `Date` header; `now`: the local clock, used when the answer has no valid date.
 */
export function retryAfterMs(
  value: string | readonly string[] | undefined,
  date: string | readonly string[] | undefined,
  now: number,
): number | undefined {
  const raw = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!raw || raw.length > MAX_LENGTH) return undefined;
  if (/^\d+$/.test(raw)) return Math.min(Number(raw) * 1000, MAX_RETRY_AFTER_MS);
  const at = parseHttpDate(raw, now);
  if (at === undefined) return undefined;
  const sent = parseHttpDate((typeof date === 'string' ? date : date?.[0])?.trim() ?? '', now);
  const from = sent ?? now;
  return Math.min(Math.max(0, at - from), MAX_RETRY_AFTER_MS);
}
