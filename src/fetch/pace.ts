/**
 * Pure pacing policy (issue 20, item 3): how fast wxfeed asks WeChat, and how long it pauses after a block. One state
 * object, `PaceState`, kept by the fetch stage as JSON under the store's meta key `PACE_KEY`; every function here
 * takes it (or undefined: never blocked) and the time, and returns a new one. No clock, no store.
 *
 * A block is WeChat refusing the client (a captcha or verify page, a redirect to one, a frequency-control answer,
 * HTTP 429, 403s in a row: reason `captcha` or `refused`) or WeChat out of reach (connection failures in a row:
 * `unreachable`). The rules:
 *
 * - Cool-down. The first block pauses all fetching for `fetch.cooldownMinutes`. A block that comes within an hour of
 *   the end of the previous cool-down doubles that cool-down (at most `fetch.cooldownMaxMinutes`); a block after a
 *   clean hour (an hour since the previous cool-down ended, with no block) starts again at `fetch.cooldownMinutes`.
 *   A `Retry-After` longer than the cool-down so computed extends it (at most `fetch.cooldownMaxMinutes`), and the
 *   next repeat doubles the cool-down as extended. The doubling counts blocks of any reason, as before.
 * - Pace. After a refusal (`captcha`, `refused`), fetching resumes at half the rate: the multiplier of `fetch.delayMs`
 *   becomes 2 × the multiplier in force when the block came, at most 16. It then creeps back toward 1: the rate grows
 *   10 % per clean hour, counted from the end of the cool-down: m(t) = max(1, m₀ / 1.1^h), h the hours since then.
 *   From 2× the configured pace is back after 7.3 hours; from 16×, after 29.1 hours.
 * - The recovery is continuous (h is fractional), not stepped per whole hour: each build, whenever cron runs it, gets
 *   the pace its own time calls for, the pace never jumps at an hour's boundary, and no hour needs to be tracked.
 *   A block within the recovery doubles the multiplier in force at that moment, not the one the recovery began at.
 * - `unreachable` is not a refusal: WeChat said nothing about our rate. It keeps the doubling cool-down (nothing is
 *   gained by knocking on a closed door every build) but leaves the pace as it was, recovery included.
 *
 * Call `paceOnBlock` once per block (once per build at most: the build stops at the first); `paceOnCleanBuild` after
 * a build with no block (it only forgets what can no longer matter, so calling it more often is harmless).
 */

/** Meta key of the pace state (JSON of `PaceState`). */
export const PACE_KEY = 'pace';
/** Meta key of the cool-down an older wxfeed kept (`{"until":…,"level":…,"reason"?:…}`), read once on upgrade. */
export const LEGACY_COOLDOWN_KEY = 'cooldown';

/** The slowest pace: 16 × `fetch.delayMs`. */
export const MAX_MULTIPLIER = 16;
/** The rate grows by this factor per clean hour. */
export const RECOVERY_PER_HOUR = 1.1;
/** A block this soon after the previous cool-down ended repeats it (the cool-down doubles). */
export const REPEAT_WINDOW_MS = 3600_000;

const HOUR = 3600_000;
const MINUTE = 60_000;

/** Why fetching paused: a captcha or verify page, a refusal (HTTP 429, 403s, frequency control), or no connection. */
export type PaceReason = 'captcha' | 'refused' | 'unreachable';

const REASONS: readonly PaceReason[] = ['captcha', 'refused', 'unreachable'];

/** A cool-down: in force while `until` is ahead. */
export interface PaceCooldown {
  /** When fetching may start again (epoch ms). */
  until: number;
  /** 1 for a block after a clean hour; one more for each block within the hour after the previous one's end. */
  level: number;
  reason: PaceReason;
  /** How long it lasts (Retry-After included): the next block within the hour doubles it. */
  minutes: number;
}

/**
 * What the policy remembers. `cooldown`: the last one, in force or not; kept after it ends so that a block within the
 * hour doubles it (its `until` is the end of the last block). `multiplier` from `multiplierAt` on, decaying from
 * there; 1 when the pace is the configured one.
 */
export interface PaceState {
  cooldown?: PaceCooldown;
  multiplier: number;
  /** When `multiplier` began to decay: the end of the cool-down of the refusal that set it (epoch ms). */
  multiplierAt: number;
}

/** The pace at one moment, for the page client (`setPace(multiplier)`), the cool-down check and the displays. */
export interface Pace {
  /** 1 … MAX_MULTIPLIER. */
  multiplier: number;
  /** The delay between request starts in force: `configuredDelayMs × multiplier`. */
  delayMs: number;
  configuredDelayMs: number;
  /** When the slowed pace began to recover (the end of the refusal's cool-down): only while `multiplier` > 1. */
  slowedSince?: number;
  /** The cool-down in force, if one is. */
  cooldown?: PaceCooldown;
}

export interface BlockSettings {
  /** `fetch.cooldownMinutes` and `fetch.cooldownMaxMinutes`. */
  cooldownMinutes: number;
  cooldownMaxMinutes: number;
  reason: PaceReason;
  /** What WeChat's `Retry-After` asked for, if it said. */
  retryAfterMs?: number | undefined;
}

/** The multiplier in force at `now`. */
export function currentMultiplier(state: PaceState | undefined, now: number): number {
  if (!state || state.multiplier <= 1) return 1;
  const hours = Math.max(0, now - state.multiplierAt) / HOUR;
  return Math.max(1, state.multiplier / RECOVERY_PER_HOUR ** hours);
}

/** A block seen at `at`: the cool-down it starts and the pace fetching resumes at. */
export function paceOnBlock(state: PaceState | undefined, at: number, s: BlockSettings): PaceState {
  const previous = state?.cooldown;
  const max = s.cooldownMaxMinutes;
  const repeat = previous !== undefined && at - previous.until < REPEAT_WINDOW_MS;
  let minutes = repeat ? Math.min(previous.minutes * 2, max) : Math.min(s.cooldownMinutes, max);
  const wait = s.retryAfterMs;
  if (wait !== undefined && Number.isFinite(wait) && wait > minutes * MINUTE) minutes = Math.min(wait / MINUTE, max);
  const until = at + minutes * MINUTE;
  const cooldown: PaceCooldown = { until, level: repeat ? previous.level + 1 : 1, reason: s.reason, minutes };
  if (s.reason === 'unreachable') {
    return { cooldown, multiplier: state?.multiplier ?? 1, multiplierAt: state?.multiplierAt ?? until };
  }
  return { cooldown, multiplier: Math.min(2 * currentMultiplier(state, at), MAX_MULTIPLIER), multiplierAt: until };
}

/** The pace at `now` for a configured `fetch.delayMs`. */
export function paceNow(state: PaceState | undefined, now: number, configuredDelayMs: number): Pace {
  const multiplier = currentMultiplier(state, now);
  const cooldown = state?.cooldown;
  return {
    multiplier,
    delayMs: configuredDelayMs * multiplier,
    configuredDelayMs,
    ...(multiplier > 1 && state ? { slowedSince: state.multiplierAt } : {}),
    ...(cooldown && cooldown.until > now ? { cooldown } : {}),
  };
}

/**
 * A build went by with no block: forget what can no longer matter. The cool-down, an hour after its end (a block
 * then starts again at `fetch.cooldownMinutes`); the multiplier, once it is back to 1. Undefined when nothing is left
 * (the key can go); the same object when nothing changed (nothing to write).
 */
export function paceOnCleanBuild(state: PaceState | undefined, now: number): PaceState | undefined {
  if (!state) return undefined;
  const cooldown = state.cooldown && now - state.cooldown.until < REPEAT_WINDOW_MS ? state.cooldown : undefined;
  const slowed = currentMultiplier(state, now) > 1;
  if (!cooldown && !slowed) return undefined;
  if (cooldown === state.cooldown && (slowed || state.multiplier === 1)) return state;
  return {
    ...(cooldown ? { cooldown } : {}),
    multiplier: slowed ? state.multiplier : 1,
    multiplierAt: state.multiplierAt,
  };
}

// ──────────────────────────────────────────── Reading it back ────────────────────────────────────────────

/** Longer than any state this module writes. */
const MAX_RAW = 4096;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A time a Date can hold (±8.64e15 ms): anything further cannot be shown, and was not written by this module. */
const isTime = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) <= 8.64e15;
const isLevel = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

function parseJson(raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw || raw.length > MAX_RAW) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function parsePaceCooldown(v: unknown): PaceCooldown | undefined {
  if (!isRecord(v)) return undefined;
  const { until, level, reason, minutes } = v;
  if (!isTime(until) || !isLevel(level) || !REASONS.includes(reason as PaceReason)) return undefined;
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) return undefined;
  return { until, level, reason: reason as PaceReason, minutes };
}

/**
 * The pace state stored under `PACE_KEY`, checked: undefined when absent or malformed in any part (not JSON, not an
 * object, a multiplier outside 1 … 16, a time a Date cannot hold, a cool-down of another shape or reason).
 * Never throws; keys it does not know are dropped.
 */
export function parsePaceState(raw: string | undefined): PaceState | undefined {
  const v = parseJson(raw);
  if (!v) return undefined;
  const { multiplier, multiplierAt: at } = v;
  if (typeof multiplier !== 'number' || !(multiplier >= 1 && multiplier <= MAX_MULTIPLIER)) return undefined;
  if (!isTime(at)) return undefined;
  if (v.cooldown === undefined) return { multiplier, multiplierAt: at };
  const cooldown = parsePaceCooldown(v.cooldown);
  return cooldown ? { cooldown, multiplier, multiplierAt: at } : undefined;
}

/**
 * The cool-down an older wxfeed kept under `LEGACY_COOLDOWN_KEY` (`{"until":…,"level":…,"reason"?:"captcha" |
 * "unreachable"}`: it doubled on every repeat), as a pace state, so an upgrade keeps a cool-down in force. Its length
 * was not stored: it is the one its level gave under today's settings. A captcha cool-down also halves the rate from
 * its end, as one under these rules would. Undefined when absent or malformed.
 */
export function paceFromLegacyCooldown(
  raw: string | undefined,
  s: Pick<BlockSettings, 'cooldownMinutes' | 'cooldownMaxMinutes'>,
): PaceState | undefined {
  const v = parseJson(raw);
  if (!v || !isTime(v.until)) return undefined;
  const reason = v.reason ?? 'captcha';
  if (reason !== 'captcha' && reason !== 'unreachable') return undefined;
  // The old reader took a missing or odd level as 1.
  const level = isLevel(v.level) ? Math.min(v.level, 64) : 1;
  const minutes = Math.min(s.cooldownMinutes * 2 ** (level - 1), s.cooldownMaxMinutes);
  const cooldown: PaceCooldown = { until: v.until, level, reason, minutes };
  return { cooldown, multiplier: reason === 'captcha' ? 2 : 1, multiplierAt: v.until };
}

/**
 * The pace state of a store: its `PACE_KEY` value, else what an older wxfeed's cool-down says, else undefined. The
 * stage deletes `LEGACY_COOLDOWN_KEY` when it first writes `PACE_KEY`, so an old cool-down is read once.
 */
export function readPaceState(
  paceRaw: string | undefined,
  legacyRaw: string | undefined,
  s: Pick<BlockSettings, 'cooldownMinutes' | 'cooldownMaxMinutes'>,
): PaceState | undefined {
  return parsePaceState(paceRaw) ?? paceFromLegacyCooldown(legacyRaw, s);
}

/** The pace state kept in a store's meta table (anything with `get(key)`), read as `readPaceState` reads it. */
export function storedPaceState(
  meta: { get(key: string): string | undefined },
  s: Pick<BlockSettings, 'cooldownMinutes' | 'cooldownMaxMinutes'>,
): PaceState | undefined {
  return readPaceState(meta.get(PACE_KEY), meta.get(LEGACY_COOLDOWN_KEY), s);
}
