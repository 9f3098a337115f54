/**
 * Pure: the time each item is shown at, distinct within a Beijing day. Articles dated by the day only are all at
 * 00:00 +08:00, and the articles of one mass-send share their second: a reader then cannot order them, and the W3C
 * validator warns (`DuplicateUpdated`). The rule, the same for every feed and format (an article has one time in its
 * account's feed, in an aggregator's and in `all/`):
 *
 * - the articles of a Beijing day are numbered 0, 1, 2, … in the order wxfeed first saw them, and those seen
 *   together in the reverse of the feeds' order (mass-send `mid` ascending, `idx` descending, key);
 * - an article dated by the day only is shown at 00:00:00 plus its number in seconds;
 * - an article with an exact time keeps it, unless another article of the day is shown at that second: then the next
 *   free second (the articles of a mass-send, oldest first as above, take t, t+1 s, …).
 *
 * So on a first build a day's date-only articles are 00:00:00, 00:00:01, … in feed order from the oldest, and an
 * article that arrives on a later build goes after them. The times already published do not move when an article
 * arrives, nor when one of the day gets its exact time from its page (its number is kept, unused); only an article
 * leaving the day (its dump removed) moves the later ones up.
 */
import { type DatePrecision, SHANGHAI_OFFSET_MS } from '../time.js';

const DAY_MS = 86_400_000;
const SECOND = 1000;

/** One article of a day, as the store lists them (store/articles.ts sameDay: first seen first). */
export interface DayArticle {
  key: string;
  date: number;
  datePrecision: DatePrecision;
}

/** Reads the articles dated in [from, to), first seen first (store/articles.ts sameDay). */
export type DayReader = (from: number, to: number) => ReadonlyArray<DayArticle>;

/** The start of the Beijing day of an instant. */
export const shanghaiDayStart = (ms: number): number =>
  Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;

/** Distinct times for one day's articles, listed first seen first. */
export function distinctTimes(start: number, day: ReadonlyArray<DayArticle>): Map<string, number> {
  const out = new Map<string, number>();
  const taken = new Set<number>();
  day.forEach((a, n) => {
    if (a.datePrecision !== 'day') return;
    out.set(a.key, start + n * SECOND);
    taken.add(start + n * SECOND);
  });
  // Exact times, earliest first (a stable sort: a tie keeps the order above).
  const exact = day.filter((a) => a.datePrecision !== 'day').sort((a, b) => a.date - b.date);
  for (const a of exact) {
    let t = a.date;
    while (taken.has(t)) t += SECOND;
    out.set(a.key, t);
    taken.add(t);
  }
  return out;
}

/** The time an article is shown at, each day read once (a publish asks for the articles of many feeds). */
export function shownTimes(read: DayReader): (article: { key: string; date: number }) => number {
  const days = new Map<number, Map<string, number>>();
  return ({ key, date }) => {
    const start = shanghaiDayStart(date);
    let times = days.get(start);
    if (!times) days.set(start, (times = distinctTimes(start, read(start, start + DAY_MS))));
    return times.get(key) ?? date;
  };
}
