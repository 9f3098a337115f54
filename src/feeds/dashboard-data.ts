/**
 * What the index page (the dashboard) shows, derived from what the store holds: per feed its live-fetch state (ok,
 * failing since …, or cool-down until …), the request pace when it is slowed, and its dates in Beijing time (its texts
 * are in messages.ts). Pure: rows in, values out.
 */
import type { Pace, PaceReason } from '../fetch/pace.js';
import { isFailedResult } from '../states.js';
import { SHANGHAI_OFFSET_MS, shanghaiDay } from '../time.js';
import type { FetchHistoryRow } from '../types.js';

type FetchRow = FetchHistoryRow;

/**
 * A feed's live fetching: `ok`, its latest fetch went through; `failing` since the first failure on record after the
 * last success (each URL keeps only its latest fetch); `cooldown`: all fetching paused until `until`, then `after`.
 */
export type LiveState =
  | { kind: 'ok'; at: number }
  | { kind: 'failing'; since: number; at: number; reason?: string }
  | { kind: 'cooldown'; until: number; after: Exclude<LiveState, { kind: 'cooldown' }> };

/** A cool-down as the page shows it: when it ends and why (a captcha page, a refusal, WeChat out of reach). */
export interface IndexCooldown {
  until: number;
  level?: number;
  reason?: PaceReason | undefined;
}

/** The state of one feed from the fetch rows of its source labels; undefined when none of its URLs was fetched. */
export function liveState(
  rows: readonly FetchRow[],
  cooldown: Pick<IndexCooldown, 'until'> | undefined,
  now: number,
): LiveState | undefined {
  if (rows.length === 0) return undefined;
  let last = rows[0]!;
  let okAt = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (r.at > last.at) last = r;
    if (!isFailedResult(r.result) && r.at > okAt) okAt = r.at;
  }
  let base: Exclude<LiveState, { kind: 'cooldown' }>;
  if (isFailedResult(last.result)) {
    let since = last.at;
    for (const r of rows) if (isFailedResult(r.result) && r.at > okAt && r.at < since) since = r.at;
    base = { kind: 'failing', since, at: last.at, ...(last.reason ? { reason: last.reason } : {}) };
  } else base = { kind: 'ok', at: last.at };
  return cooldown && cooldown.until > now ? { kind: 'cooldown', until: cooldown.until, after: base } : base;
}

/** Per feed slug, its live state: the fetch rows of its source labels (`slugLabels`, as publish records them). */
export function liveStates(
  rows: readonly FetchRow[],
  slugLabels: Readonly<Record<string, readonly string[]>>,
  cooldown: Pick<IndexCooldown, 'until'> | undefined,
  now: number,
): Map<string, LiveState> {
  const bySource = new Map<string, FetchRow[]>();
  for (const r of rows) {
    const list = bySource.get(r.source);
    if (list) list.push(r);
    else bySource.set(r.source, [r]);
  }
  const out = new Map<string, LiveState>();
  for (const [slug, labels] of Object.entries(slugLabels)) {
    const state = liveState(
      labels.flatMap((l) => bySource.get(l) ?? []),
      cooldown,
      now,
    );
    if (state) out.set(slug, state);
  }
  return out;
}

/** The request pace as the page shows it, to one decimal (`3.0` s, `1.8`×) so the page changes only when it does. */
export interface IndexPace {
  seconds: string;
  multiplier: string;
}

/** The pace the page shows; undefined when nothing is slowed (a multiplier that rounds to 1, or no delay at all). */
export function indexPace(pace: Pick<Pace, 'multiplier' | 'delayMs'>): IndexPace | undefined {
  const tenths = Math.round(pace.multiplier * 10);
  if (!Number.isFinite(tenths) || tenths <= 10 || !(pace.delayMs > 0)) return undefined;
  return { seconds: (pace.delayMs / 1000).toFixed(1), multiplier: String(tenths / 10) };
}

// ─────────────────────────────────────────── Dates, in Beijing time ───────────────────────────────────────────

const beijing = (ms: number): string => new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
/** `12:30`. */
export const clockOf = (ms: number): string => beijing(ms).slice(11, 16);
/** `2024-07-20 12:30`. */
export const dateTimeOf = (ms: number): string => `${shanghaiDay(ms)} ${clockOf(ms)}`;
/** The instant with its Beijing offset, for `<time datetime>`: `2024-07-20T12:30:00+08:00`. */
export const isoOf = (ms: number): string => `${beijing(ms).slice(0, 19)}+08:00`;
