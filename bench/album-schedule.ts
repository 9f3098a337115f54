/**
 * The album schedule (issue 20 item 2) over a simulated month: how many list requests polling by activity
 * (src/fetch/schedule.ts `nextListPoll`, `isListDue`) costs, and how late a post shows up, against today's rule
 * (every album every 60 minutes), on the same stream of posts and the same daemon cycles. Pure and deterministic: no
 * network, no store, no clock; the same arguments give the same figures.
 *
 * Run: npx tsx bench/album-schedule.ts [--days 30] [--accounts 10] [--albums 30] [--seed S] [--short] [--json FILE]
 *        [--budget 100] [--burst-hours H] [--quiet-divisor D] [--recheck-rounds]
 * --short (npm test, through run.ts --short): a 7-day month of the same shape (the same accounts, albums and history;
 * its posts are the first 7 days of the full month's), judged on the same targets. Exit 1 when a target fails.
 *
 * The model (numbers chosen from what is known; the real album of ../shared/fixtures/wechat-html, 微型小说 of one
 * account, 56 list items over 2024–2026, is the one real series at hand):
 * - 10 accounts × 30 albums. Accounts have habits (the 10 in turn, more accounts repeat the cycle):
 *   | habit      | accounts | mass sends (群发)                            | articles a send | active / middle / dormant albums |
 *   | daily      | 1        | 95 % of days                                 | 3–8             | 4 / 6 / 20                       |
 *   | few a week | 4        | 45 % of days (about 3 a week)                | 1–4             | 2 / 4 / 24                       |
 *   | weekly     | 3        | on its own weekday 85 % of weeks, +3 % a day | 1–3             | 1 / 3 / 26                       |
 *   | rare       | 2        | 4 % of days (about 1 a month)                | 1–2             | 0 / 2 / 28                       |
 *   A mass send puts all its articles out at one instant (WeChat allows up to 8 a send): 65 % of sends between
 *   17:00 and 22:30 Beijing time, 25 % between 11:30 and 17:00, 10 % between 07:00 and 11:30 (the real album's items
 *   were sent between 12:00 and 16:00 in 2024 and 17:00 and 20:00 in 2025, with a few at 22:00–00:40).
 * - Each article is in no album (25 %: not discoverable by any album rule, left out of the delay figures and counted
 *   apart), in one (60 %) or in two (15 %): the fixture account's 106 pages each name one or two of its albums. Its
 *   album is drawn by weight: an active album (a regular series, like the real album in 2024: a post every 1–2 days)
 *   10, a middle one (like the real album in 2025: 2–30 days apart) 1, a dormant one 0. Of 300 albums, 15 are active,
 *   35 middle and 250 dormant (83 %: the fixture account's pages name 29 albums, most of them old series).
 * - Revival: 1.5 % of album listings go to a dormant album of the account instead, drawn uniformly (a series taken up
 *   again); from then on that album weighs as a middle one. About 4 a month over the 10 accounts.
 * - History before the month: the same generator over the 120 days before it (no revivals) gives the active and middle
 *   albums their newest article; a middle album without one there is older (120–210 days); a dormant album's newest
 *   article is 90–900 days old. Every album is followed (half a year ago) and walked: its last poll is staggered over
 *   the last hour, the poll that found its newest article came 0–60 minutes after it (as hourly polling does), so
 *   the month measures the steady state, not the first read. One album of each account (its first active or middle
 *   one) is listed by the user (`via: url`), the rest were named by its pages (`via: page`, `follow.albums: urls`).
 * - The month starts at 2026-03-01 00:00 Beijing time; a build (daemon cycle) runs every 30 minutes
 *   (the default `schedule.cron`) from then on, and 2 days past the month's end with no new post, so every post of
 *   the month is found; requests and deferrals count within the month only.
 *
 * A build, under the activity rule (as src/fetch/stage.ts uses it):
 * - a list is polled when `isListDue(a, accountFoundAt, now, 60)`, `accountFoundAt` being the latest `foundAt` over the
 *   account's lists at the start of the build;
 * - a poll sees every post up to `now`, reads newest first and stops at the first article the list already holds: one
 *   request per 20 new articles, at least one; then `polledAt = now`, `foundAt = now` when it found an article new to
 *   the list, `newestAt` = the newest article it holds, `pollSoon = false`;
 * - an article new to the store has its page read in the same build; its page names its albums, and each one not yet
 *   polled in this build gets `pollSoon` and is polled in a later round of the same build;
 * - at most `follow.maxRequestsPerRun` (100) list requests a build; the due lists past it wait for the next build
 *   (deferred), in this order: the user's lists before those found on pages, then the most recently active first
 *   (the later of `newestAt` and `foundAt`). A poll starts while a request is left and makes all its requests.
 * - `--recheck-rounds`: later rounds also poll the lists that a find in an earlier round made due (the burst window
 *   evaluated again within the build), for a stage that evaluates due lists in every round.
 * Today's rule (the baseline): every album when `now − polledAt ≥ 60 min`, same cycles, no pollSoon, no budget. Also
 * quoted: every album in every build (every 30 minutes), and the activity rule without its burst window
 * (`accountFoundAt` null), without pollSoon, and without both.
 *
 * Figures, per policy: list requests per day (mean and the busiest day), polls deferred by the budget, and the delay
 * from a post to (a) its appearance in the account's feed (the first poll of any album that lists it) and (b) its
 * appearance in each album's feed that lists it (that album's poll), median and p95 in minutes (nearest rank).
 * Targets (issue 20 item 2), for the activity rule: ≥ 5× fewer list requests than the baseline; median delay, (a) and
 * (b) each, ≤ 1.5× the baseline's.
 *
 * Variants of the rule (`--burst-hours`, `--quiet-divisor`) run a copy of `nextListPoll` with those constants, shown as
 * a row of their own and judged apart (lower-case pass / fail lines, not in the exit code); with the real constants,
 * the copy is checked call by call against the real function on every row that uses the real rule.
 */
import { writeFileSync } from 'node:fs';
import { BURST_MS, type ListActivity, QUIET_DIVISOR, isListDue, nextListPoll } from '../src/fetch/schedule.js';

interface Rng {
  next(): number;
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
}
// The bench's PRNG is plain JavaScript without declarations: loaded by a path the compiler leaves alone.
const { Rng: RngClass } = (await import(new URL('./lib/rng.mjs', import.meta.url).href)) as {
  Rng: new (seed: string) => Rng;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 2026-03-01 00:00 Beijing time. */
const MONTH_START = Date.UTC(2026, 2, 1) - 8 * HOUR;
/** The daemon's cycle (the default `schedule.cron`: every 30 minutes). */
const CYCLE = 30 * MINUTE;
/** `follow.albumIntervalMinutes`, today's default. */
const BASE_MINUTES = 60;
/** Builds go on this long after the month, with no new post, so that every post of the month is found. */
const TAIL = 2 * DAY;
const HISTORY_DAYS = 120;
const PAGE = 20;

// ---------------------------------------------------------------------------------------------------------- arguments

const argv = process.argv.slice(2);
const SHORT = argv.includes('--short');
function opt(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`album-schedule: --${name} needs a value`);
  return v;
}
function num(name: string, def: number, min: number, max: number, integer = true): number {
  const raw = opt(name);
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    throw new Error(`album-schedule: --${name} must be ${integer ? 'a whole number' : 'a number'} in [${min}, ${max}]`);
  return n;
}
const DAYS = num('days', SHORT ? 7 : 30, 1, 366);
const ACCOUNTS = num('accounts', 10, 1, 1000);
const ALBUMS = num('albums', 30, 1, 1000);
const SEED = opt('seed') ?? 'album-schedule';
const JSON_OUT = opt('json') ?? '';
const BUDGET = num('budget', 100, 1, 1_000_000);
const RECHECK = argv.includes('--recheck-rounds');
const BURST_HOURS = num('burst-hours', BURST_MS / HOUR, 0, 1000, false);
const DIVISOR = num('quiet-divisor', QUIET_DIVISOR, 2, 100_000, false);
const VARIANT = BURST_HOURS * HOUR !== BURST_MS || DIVISOR !== QUIET_DIVISOR;

// -------------------------------------------------------------------------------------------------------------- model

type Habit = 'daily' | 'few a week' | 'weekly' | 'rare';
type Kind = 'active' | 'middle' | 'dormant';

interface HabitModel {
  /** Chance of a mass send on a given day. */
  perDay: number;
  /** Weekly posters: the chance of a send on the account's own weekday (on top of perDay). */
  weekday: number;
  articles: [number, number];
  active: number;
  middle: number;
}

const HABITS: Record<Habit, HabitModel> = {
  daily: { perDay: 0.95, weekday: 0, articles: [3, 8], active: 4, middle: 6 },
  'few a week': { perDay: 0.45, weekday: 0, articles: [1, 4], active: 2, middle: 4 },
  weekly: { perDay: 0.03, weekday: 0.85, articles: [1, 3], active: 1, middle: 3 },
  rare: { perDay: 0.04, weekday: 0, articles: [1, 2], active: 0, middle: 2 },
};
/** The habits of 10 accounts in turn. */
const HABIT_CYCLE: Habit[] = [
  'daily',
  'few a week',
  'few a week',
  'few a week',
  'few a week',
  'weekly',
  'weekly',
  'weekly',
  'rare',
  'rare',
];
const WEIGHT: Record<Kind, number> = { active: 10, middle: 1, dormant: 0 };
const IN_NO_ALBUM = 0.25;
const IN_TWO_ALBUMS = 0.15;
const REVIVAL = 0.015;

interface Album {
  id: number;
  account: number;
  kind: Kind;
  /** Listed by the user (`via: url`); otherwise named by the account's pages. */
  userListed: boolean;
}

interface Account {
  index: number;
  habit: Habit;
  weekday: number;
  albums: Album[];
}

/** One article of the month: when its mass send went out, and the albums that list it. */
interface Article {
  id: number;
  account: number;
  at: number;
  albums: number[];
}

interface ListStart {
  polledAt: number;
  newestAt: number;
  foundAt: number;
}

interface World {
  accounts: Account[];
  albums: Album[];
  articles: Article[];
  /** Per album, its articles of the month, oldest first. */
  byAlbum: Article[][];
  start: ListStart[];
  sends: number;
  revived: number;
  end: number;
}

/** Time of day of a mass send, in ms after Beijing midnight. */
function sendTime(rng: Rng): number {
  const r = rng.next();
  const [from, to] = r < 0.65 ? [17, 22.5] : r < 0.9 ? [11.5, 17] : [7, 11.5];
  return Math.floor((from + rng.next() * (to - from)) * HOUR);
}

/**
 * The mass sends of one account from `from` to `to` (Beijing midnights), as articles with their albums. Albums are drawn
 * by weight; with `revive`, a listing goes now and then to a dormant album, which from then on weighs as a middle one.
 */
function sendsOf(account: Account, rng: Rng, from: number, to: number, revive: boolean, onRevive: () => void) {
  const model = HABITS[account.habit];
  const weights = account.albums.map((al) => WEIGHT[al.kind]);
  const out: Array<{ at: number; albums: number[] }[]> = [];
  const draw = (except: number): number => {
    const dormant = account.albums.map((_, i) => i).filter((i) => weights[i] === 0 && i !== except);
    if (revive && dormant.length > 0 && rng.chance(REVIVAL)) {
      const i = dormant[Math.floor(rng.next() * dormant.length)]!;
      weights[i] = WEIGHT.middle;
      onRevive();
      return i;
    }
    const total = weights.reduce((t, w, i) => t + (i === except ? 0 : w), 0);
    if (total === 0) return -1;
    let x = rng.next() * total;
    for (let i = 0; i < weights.length; i++) {
      if (i === except) continue;
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return -1;
  };
  for (let day = from; day < to; day += DAY) {
    const weekday = ((Math.round((day - MONTH_START) / DAY) % 7) + 7) % 7;
    const sends =
      (rng.chance(model.perDay) ? 1 : 0) + (weekday === account.weekday && rng.chance(model.weekday) ? 1 : 0);
    for (let s = 0; s < sends; s++) {
      const at = day + sendTime(rng);
      const n = rng.range(model.articles[0], model.articles[1]);
      const send: { at: number; albums: number[] }[] = [];
      for (let k = 0; k < n; k++) {
        const r = rng.next();
        const count = r < IN_NO_ALBUM ? 0 : r < 1 - IN_TWO_ALBUMS ? 1 : 2;
        const albums: number[] = [];
        for (let c = 0; c < count; c++) {
          const i = draw(albums[0] ?? -1);
          if (i >= 0) albums.push(account.albums[i]!.id);
        }
        send.push({ at, albums });
      }
      out.push(send);
    }
  }
  return out;
}

function makeWorld(days: number): World {
  const accounts: Account[] = [];
  const albums: Album[] = [];
  const shape = new RngClass(`${SEED}:accounts`);
  for (let a = 0; a < ACCOUNTS; a++) {
    const habit = HABIT_CYCLE[a % HABIT_CYCLE.length]!;
    const model = HABITS[habit];
    const account: Account = { index: a, habit, weekday: shape.range(0, 6), albums: [] };
    for (let k = 0; k < ALBUMS; k++) {
      const kind: Kind = k < model.active ? 'active' : k < model.active + model.middle ? 'middle' : 'dormant';
      const album: Album = { id: albums.length, account: a, kind, userListed: k === 0 };
      albums.push(album);
      account.albums.push(album);
    }
    accounts.push(account);
  }

  // History: the newest article of each album before the month, and the last poll (staggered over the last hour).
  const start: ListStart[] = [];
  for (const account of accounts) {
    const rng = new RngClass(`${SEED}:history:${account.index}`);
    const newest = new Map<number, number>();
    const from = MONTH_START - HISTORY_DAYS * DAY;
    for (const send of sendsOf(account, rng, from, MONTH_START, false, () => {}))
      for (const article of send) for (const id of article.albums) newest.set(id, article.at);
    for (const album of account.albums) {
      const older =
        album.kind === 'dormant'
          ? MONTH_START - (90 + rng.next() * 810) * DAY
          : MONTH_START - (HISTORY_DAYS + rng.next() * 90) * DAY;
      const newestAt = newest.get(album.id) ?? older;
      const polledAt = MONTH_START - HOUR + Math.floor(rng.next() * HOUR);
      start.push({ polledAt, newestAt, foundAt: Math.min(newestAt + Math.floor(rng.next() * HOUR), polledAt) });
    }
  }

  // The month: each account's own stream, so a shorter month is the start of a longer one.
  const end = MONTH_START + days * DAY;
  const articles: Article[] = [];
  let sends = 0;
  let revived = 0;
  for (const account of accounts) {
    const rng = new RngClass(`${SEED}:posts:${account.index}`);
    for (const send of sendsOf(account, rng, MONTH_START, end, true, () => revived++)) {
      sends++;
      for (const a of send) articles.push({ id: articles.length, account: account.index, at: a.at, albums: a.albums });
    }
  }
  const byAlbum: Article[][] = albums.map(() => []);
  for (const article of articles) for (const id of article.albums) byAlbum[id]!.push(article);
  for (const list of byAlbum) list.sort((x, y) => x.at - y.at || x.id - y.id);
  return { accounts, albums, articles, byAlbum, start, sends, revived, end };
}

// ----------------------------------------------------------------------------------------------------------- policies

interface ListState {
  polledAt: number;
  newestAt: number;
  foundAt: number;
  pollSoon: boolean;
  /** How many of the album's articles of the month it holds (they are oldest first). */
  seen: number;
}

interface Policy {
  name: string;
  due(s: ListState, accountFoundAt: number, now: number): boolean;
  pollSoon: boolean;
  budget: number;
  recheck: boolean;
}

/** A list's state as the schedule reads it: every poll of the simulation succeeds. */
function activity(s: ListState): ListActivity {
  return {
    polledAt: s.polledAt,
    addedAt: MONTH_START - 180 * DAY,
    newestAt: s.newestAt,
    foundAt: s.foundAt,
    lastResult: 'ok',
    lastAttemptAt: s.polledAt,
    failCount: 0,
    pollSoon: s.pollSoon,
  };
}

/**
 * `nextListPoll` with its two constants as parameters, for the variants; for lists that never fail (as here). With the
 * real constants it is checked against the real function on every call the real rule's rows make (`mirrorChecks`).
 */
function nextPollVariant(a: ListActivity, accountFoundAt: number | null, burstMs: number, divisor: number): number {
  const base = BASE_MINUTES * MINUTE;
  if (a.polledAt === null || a.pollSoon) return a.addedAt;
  const polled = a.polledAt;
  const active = Math.max(a.newestAt ?? Number.NEGATIVE_INFINITY, a.foundAt ?? Number.NEGATIVE_INFINITY);
  const since = Number.isFinite(active) ? Math.min(active, polled) : a.addedAt;
  // The first t with t − polled ≥ (t − since) / divisor, clamped to [base, a day].
  const fixed = (divisor * polled - since) / (divisor - 1);
  let next = Math.min(Math.max(fixed, polled + base), polled + Math.max(DAY, base));
  if (accountFoundAt !== null && accountFoundAt + burstMs >= polled + base) next = Math.min(next, polled + base);
  return Math.ceil(next);
}

let mirrorChecks = 0;

function rulePolicy(name: string, burst: boolean, pollSoon: boolean): Policy {
  return {
    name,
    pollSoon,
    budget: BUDGET,
    recheck: RECHECK,
    due: (s, accountFoundAt, now) => {
      const a = activity(s);
      const found = burst ? accountFoundAt : null;
      const real = isListDue(a, found, now, BASE_MINUTES);
      if (nextPollVariant(a, found, BURST_MS, QUIET_DIVISOR) !== nextListPoll(a, found, BASE_MINUTES))
        throw new Error(`album-schedule: the copy of nextListPoll differs at ${now} for ${JSON.stringify(a)}`);
      mirrorChecks++;
      return real;
    },
  };
}

function variantPolicy(): Policy {
  return {
    name: `variant: burst ${BURST_HOURS} h, quiet / ${DIVISOR}`,
    pollSoon: true,
    budget: BUDGET,
    recheck: RECHECK,
    due: (s, accountFoundAt, now) => nextPollVariant(activity(s), accountFoundAt, BURST_HOURS * HOUR, DIVISOR) <= now,
  };
}

const BASELINE: Policy = {
  name: 'baseline: every album every 60 min',
  pollSoon: false,
  budget: Number.POSITIVE_INFINITY,
  recheck: false,
  due: (s, _found, now) => now - s.polledAt >= BASE_MINUTES * MINUTE,
};
const EVERY_CYCLE: Policy = {
  name: 'every album every build (30 min)',
  pollSoon: false,
  budget: Number.POSITIVE_INFINITY,
  recheck: false,
  due: () => true,
};

// --------------------------------------------------------------------------------------------------------- simulation

interface Figures {
  policy: string;
  requests: number;
  perDay: { mean: number; max: number; maxDay: number };
  polls: number;
  deferred: number;
  /** Delay to the account's feed, minutes. */
  account: { median: number; p95: number; n: number };
  /** Delay to each album's feed that lists the article, minutes. */
  album: { median: number; p95: number; n: number };
  /** Month articles in an album that no poll found (none expected: builds run two days past the month). */
  unseen: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function summary(delays: number[]): { median: number; p95: number; n: number } {
  const s = [...delays].sort((a, b) => a - b);
  const min = (v: number) => Math.round((v / MINUTE) * 10) / 10;
  return { median: min(percentile(s, 0.5)), p95: min(percentile(s, 0.95)), n: s.length };
}

function simulate(world: World, policy: Policy, days: number): Figures {
  const { albums, byAlbum, accounts } = world;
  const states: ListState[] = world.start.map((s) => ({ ...s, pollSoon: false, seen: 0 }));
  const firstFound = new Array<number>(world.articles.length).fill(-1);
  const accountDelays: number[] = [];
  const albumDelays: number[] = [];
  const perDay = new Array<number>(days).fill(0);
  let polls = 0;
  let deferred = 0;

  const recency = (id: number) => Math.max(states[id]!.newestAt, states[id]!.foundAt);
  const order = (x: Album, y: Album) =>
    Number(y.userListed) - Number(x.userListed) || recency(y.id) - recency(x.id) || x.id - y.id;
  const accountFound = () => accounts.map((acc) => Math.max(...acc.albums.map((al) => states[al.id]!.foundAt)));

  for (let now = MONTH_START; now < world.end + TAIL; now += CYCLE) {
    const inMonth = now < world.end;
    const day = Math.floor((now - MONTH_START) / DAY);
    let found = accountFound();
    let budget = policy.budget;
    const polled = new Set<number>();
    const waiting = new Set<number>();
    let round = albums.filter((al) => policy.due(states[al.id]!, found[al.account]!, now));
    while (round.length > 0) {
      round.sort(order);
      const next = new Set<number>();
      for (const album of round) {
        if (budget < 1) {
          waiting.add(album.id);
          continue;
        }
        const s = states[album.id]!;
        const list = byAlbum[album.id]!;
        let k = s.seen;
        while (k < list.length && list[k]!.at <= now) k++;
        const fresh = k - s.seen;
        const requests = Math.max(1, Math.ceil(fresh / PAGE));
        budget -= requests;
        if (inMonth) perDay[day]! += requests;
        polls++;
        polled.add(album.id);
        waiting.delete(album.id);
        for (let i = s.seen; i < k; i++) {
          const article = list[i]!;
          albumDelays.push(now - article.at);
          if (firstFound[article.id] !== -1) continue;
          // New to the store: its page is read in this build, and names its albums.
          firstFound[article.id] = now;
          accountDelays.push(now - article.at);
          if (!policy.pollSoon) continue;
          for (const other of article.albums) {
            if (polled.has(other)) continue;
            states[other]!.pollSoon = true;
            next.add(other);
          }
        }
        s.seen = k;
        s.polledAt = now;
        if (fresh > 0) {
          s.foundAt = now;
          s.newestAt = Math.max(s.newestAt, list[k - 1]!.at);
        }
        s.pollSoon = false;
      }
      if (policy.recheck) {
        found = accountFound();
        for (const album of albums)
          if (!polled.has(album.id) && policy.due(states[album.id]!, found[album.account]!, now)) next.add(album.id);
      }
      // A list already waiting for budget is not polled again in this build.
      round = [...next].filter((id) => !polled.has(id) && !waiting.has(id)).map((id) => albums[id]!);
      if (budget < 1) {
        for (const album of round) waiting.add(album.id);
        round = [];
      }
    }
    if (inMonth) deferred += waiting.size;
  }

  const requests = perDay.reduce((t, n) => t + n, 0);
  const max = Math.max(...perDay);
  const inAlbum = world.articles.filter((a) => a.albums.length > 0);
  return {
    policy: policy.name,
    requests,
    perDay: { mean: Math.round((requests / days) * 10) / 10, max, maxDay: perDay.indexOf(max) + 1 },
    polls,
    deferred,
    account: summary(accountDelays),
    album: summary(albumDelays),
    unseen: inAlbum.filter((a) => firstFound[a.id] === -1).length,
  };
}

// ------------------------------------------------------------------------------------------------------------- report

interface Verdict {
  ok: boolean;
  what: string;
}

/** The two targets of issue 20 item 2, for one policy against the baseline. */
function judge(rule: Figures, base: Figures): Verdict[] {
  const ratio = base.requests / rule.requests;
  const line = (what: string, r: number, b: number): Verdict => ({
    ok: r <= 1.5 * b,
    what: `median delay to ${what}: ${r} min = ${(r / b).toFixed(2)}× the baseline's ${b} min; target ≤ 1.5×`,
  });
  return [
    {
      ok: ratio >= 5,
      what: `list requests: ${rule.perDay.mean} a day against the baseline's ${base.perDay.mean}, ${ratio.toFixed(2)}× fewer; target ≥ 5×`,
    },
    line("the account's feed (a)", rule.account.median, base.account.median),
    line("each album's feed (b)", rule.album.median, base.album.median),
  ];
}

function row(f: Figures, base: Figures): string {
  const ratio = base.requests / f.requests;
  return `| ${f.policy} | ${f.requests} | ${f.perDay.mean} | ${f.perDay.max} (day ${f.perDay.maxDay}) | ${ratio.toFixed(2)}× | ${f.deferred} | ${f.account.median} / ${f.account.p95} | ${f.album.median} / ${f.album.p95} |`;
}

function main(): number {
  const t0 = performance.now();
  const world = makeWorld(DAYS);
  const base = simulate(world, BASELINE, DAYS);
  const every = simulate(world, EVERY_CYCLE, DAYS);
  const rule = simulate(world, rulePolicy('activity rule (src/fetch/schedule.ts)', true, true), DAYS);
  const sensitivity = [
    simulate(world, rulePolicy('  without the burst window', false, true), DAYS),
    simulate(world, rulePolicy('  without pollSoon', true, false), DAYS),
    simulate(world, rulePolicy('  without both', false, false), DAYS),
  ];
  const variant = VARIANT ? simulate(world, variantPolicy(), DAYS) : undefined;
  const ms = performance.now() - t0;

  const kinds = (k: Kind) => world.albums.filter((al) => al.kind === k).length;
  const habits = Object.keys(HABITS)
    .map((h) => `${world.accounts.filter((a) => a.habit === h).length} ${h}`)
    .join(', ');
  const inNone = world.articles.filter((a) => a.albums.length === 0).length;
  const listings = world.articles.reduce((t, a) => t + a.albums.length, 0);
  const withPosts = world.byAlbum.filter((l) => l.length > 0).length;
  console.log(
    `album schedule (simulated month): ${DAYS} days from 2026-03-01 (Beijing), a build every 30 min, seed "${SEED}"${SHORT ? ' (short form)' : ''}`,
  );
  console.log(
    `model: ${ACCOUNTS} accounts (${habits}), ${world.albums.length} albums (${kinds('active')} active, ${kinds('middle')} middle, ${kinds('dormant')} dormant); ${world.sends} mass sends, ${world.articles.length} articles (${inNone} in no album: out of the delay figures), ${listings} album listings, ${world.revived} dormant albums revived, ${withPosts} albums with a post in the month`,
  );
  console.log(
    `budget ${BUDGET} list requests a build for the activity rule (none for the baseline and every build)${RECHECK ? '; later rounds re-check due lists (--recheck-rounds)' : ''}`,
  );
  console.log(
    '| policy | list requests | a day (mean) | busiest day | fewer than the baseline | deferred polls | delay to the account feed, min (median / p95) | delay to each album feed, min (median / p95) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const f of [base, every, rule, ...sensitivity, ...(variant ? [variant] : [])]) console.log(row(f, base));
  const all = [base, every, rule, ...sensitivity, ...(variant ? [variant] : [])];
  const unseen = all.filter((f) => f.unseen > 0);
  console.log(
    `simulated in ${Math.round(ms)} ms; the copy of nextListPoll matched the real one on ${mirrorChecks} calls${unseen.length ? `; UNSEEN posts: ${unseen.map((f) => `${f.policy} ${f.unseen}`).join(', ')}` : ''}`,
  );

  const verdicts = judge(rule, base);
  // Every post in an album must be found by the end, or the delays leave the slowest out.
  verdicts.push({
    ok: unseen.length === 0,
    what: `every post in an album found by every policy (${unseen.length === 0 ? 'all' : 'not all'})`,
  });
  console.log('');
  for (const v of verdicts) console.log(`${v.ok ? 'PASS' : 'FAIL'}  ${v.what}`);
  const variantVerdicts = variant ? judge(variant, base) : [];
  for (const v of variantVerdicts) console.log(`${v.ok ? 'pass' : 'fail'} (variant, not judged)  ${v.what}`);
  const ok = verdicts.every((v) => v.ok);
  if (JSON_OUT)
    writeFileSync(
      JSON_OUT,
      JSON.stringify(
        {
          days: DAYS,
          accounts: ACCOUNTS,
          albumsPerAccount: ALBUMS,
          seed: SEED,
          budget: BUDGET,
          recheckRounds: RECHECK,
          model: {
            albums: { active: kinds('active'), middle: kinds('middle'), dormant: kinds('dormant') },
            sends: world.sends,
            articles: world.articles.length,
            inNoAlbum: inNone,
            listings,
            revived: world.revived,
            albumsWithPosts: withPosts,
          },
          baseline: base,
          everyBuild: every,
          rule,
          sensitivity: { noBurst: sensitivity[0], noPollSoon: sensitivity[1], neither: sensitivity[2] },
          ...(variant
            ? {
                variant: {
                  burstHours: BURST_HOURS,
                  quietDivisor: DIVISOR,
                  figures: variant,
                  verdicts: variantVerdicts,
                },
              }
            : {}),
          verdicts,
          ms: Math.round(ms),
          ok,
        },
        null,
        2,
      ),
    );
  return ok ? 0 : 1;
}

process.exitCode = main();
