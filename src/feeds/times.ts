/**
 * Pure: the time each item is shown at, distinct within a Beijing day. Articles dated by the day only are all at
 * 00:00 +08:00, and the articles of one mass-send share their second: a reader then cannot order them, and the W3C
 * validator warns (`DuplicateUpdated`). The rule, the same for every feed and format (an article has one time in its
 * account's feed, in an aggregator's and in `all/`):
 *
 * - the articles of a Beijing day are taken oldest first: by their date, then by when wxfeed first saw them, then in
 *   the reverse of the feeds' order (mass-send `mid` ascending, `idx` descending, key);
 * - each is shown at its own time, or one second after the one before it, whichever is later.
 *
 * So the articles of a day dated by the day only are shown at 00:00:00, 00:00:01, … in feed order from the oldest
 * (on a first build: the last of the day in the feed at 00:00:00); one that arrives on a later build goes after the
 * ones already published, whose times do not change.
 */
import { SHANGHAI_OFFSET_MS } from '../time.js';

const DAY_MS = 86_400_000;

/** Reads the articles dated in [from, to), oldest first (store/articles.ts sameDay). */
export type DayReader = (from: number, to: number) => ReadonlyArray<{ key: string; date: number }>;

/** The start of the Beijing day of an instant. */
export const shanghaiDayStart = (ms: number): number =>
  Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;

/** Distinct times for one day's articles, oldest first: each its own time or a second after the one before. */
export function distinctTimes(day: ReadonlyArray<{ key: string; date: number }>): Map<string, number> {
  const out = new Map<string, number>();
  let previous = Number.NEGATIVE_INFINITY;
  for (const { key, date } of day) {
    const shown = Math.max(date, previous + 1000);
    out.set(key, shown);
    previous = shown;
  }
  return out;
}

/** The time an article is shown at, each day read once (a publish asks for the articles of many feeds). */
export function shownTimes(read: DayReader): (article: { key: string; date: number }) => number {
  const days = new Map<number, Map<string, number>>();
  return ({ key, date }) => {
    const start = shanghaiDayStart(date);
    let times = days.get(start);
    if (!times) days.set(start, (times = distinctTimes(read(start, start + DAY_MS))));
    return times.get(key) ?? date;
  };
}
