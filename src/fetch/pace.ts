/**
 * Pure pacing policy: how fast wxfeed asks WeChat, and how long it pauses after a block (the rules for users:
 * docs/following.md, "Pacing"). One state, `PaceState`, kept as JSON in the store's meta table; every function takes
 * it (undefined: never blocked) and the time, and returns a new one. No clock, no store.
 *
 * A block is WeChat refusing the client (captcha or verify page, frequency control, HTTP 429, 403s in a row: `captcha`
 * or `refused`) or out of reach (connection failures in a row: `unreachable`).
 * - Cool-down: `fetch.cooldownMinutes`, doubled (up to `fetch.cooldownMaxMinutes`) by a block of any reason within
 *   an hour of the previous one's end, and extended by a longer `Retry-After` (a repeat doubles the extended one).
 * - Pace: a refusal doubles the multiplier of `fetch.delayMs` in force (at most 16), which then decays continuously,
 *   m(t) = max(1, m₀ / 1.1^h), h the hours since the cool-down ended: each build, whenever cron runs it, gets the pace
 *   its own time calls for, and no hour needs tracking.
 * - `unreachable` says nothing about our rate: it keeps the doubling cool-down (no knocking on a closed door every
 *   build) but leaves the pace as it was.
 */

/** The slowest pace: 16 × `fetch.delayMs`. */
export const MAX_MULTIPLIER = 16;
/** The rate grows by this factor per clean hour. */
const RECOVERY_PER_HOUR = 1.1;
/** A block this soon after the previous cool-down ended repeats it (the cool-down doubles). */
const REPEAT_WINDOW_MS = 3600_000;

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
 * What the policy remembers: the last `cooldown`, kept after its end so that a block within the hour doubles it, and
 * `multiplier` as of `multiplierAt`, decaying from there (1: the configured pace).
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

/** A block as `paceOnBlock` takes it: the cool-down settings, its reason, and any `Retry-After`. */
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

/** A block seen at `at` (one a build: it stops at the first): the cool-down it starts and the pace it resumes at. */
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
 * After a build with no block: the cool-down forgotten an hour after its end, the multiplier once back to 1 (so extra
 * calls are harmless). Undefined when nothing is left; the same object when nothing changed (nothing to write).
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

/**
 * A cool-down ended on purpose at `now` (`wxfeed resume`): it stays on record, so that a block within the hour doubles
 * the next one, and a slowed pace starts recovering now. The same object when no cool-down is in force.
 */
export function resumePace(state: PaceState | undefined, now: number): PaceState | undefined {
  const cooldown = state?.cooldown;
  if (!state || !cooldown || cooldown.until <= now) return state;
  return {
    cooldown: { ...cooldown, until: now },
    multiplier: state.multiplier,
    multiplierAt: Math.min(state.multiplierAt, now),
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
 * The pace state as stored (JSON text), checked: undefined when absent or malformed in any part (a multiplier outside
 * 1 … 16, a time a Date cannot hold, a cool-down of another shape). Never throws; unknown keys are dropped.
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
 * An older wxfeed's cool-down (`{until, level, reason?}`) as a pace state, so an upgrade keeps it in force: its length
 * is what its level gives under the current settings; a captcha one halves the rate from its end, as these rules do.
 */
export function paceFromLegacyCooldown(
  raw: string | undefined,
  s: Pick<BlockSettings, 'cooldownMinutes' | 'cooldownMaxMinutes'>,
): PaceState | undefined {
  const v = parseJson(raw);
  if (!v || !isTime(v.until)) return undefined;
  const reason = v.reason ?? 'captcha';
  if (reason !== 'captcha' && reason !== 'unreachable') return undefined;
  // Older versions read a missing or odd level as 1.
  const level = isLevel(v.level) ? Math.min(v.level, 64) : 1;
  const minutes = Math.min(s.cooldownMinutes * 2 ** (level - 1), s.cooldownMaxMinutes);
  const cooldown: PaceCooldown = { until: v.until, level, reason, minutes };
  return { cooldown, multiplier: reason === 'captcha' ? 2 : 1, multiplierAt: v.until };
}

/**
 * The pace state of a store: its pace value, else what an older wxfeed's cool-down says, else undefined. The stage
 * removes the old cool-down when it first writes the pace, so an old cool-down is read once.
 */
export function readPaceState(
  paceRaw: string | undefined,
  legacyRaw: string | undefined,
  s: Pick<BlockSettings, 'cooldownMinutes' | 'cooldownMaxMinutes'>,
): PaceState | undefined {
  return parsePaceState(paceRaw) ?? paceFromLegacyCooldown(legacyRaw, s);
}

/** The pace state kept in a store's meta table (store/meta.ts), read as `readPaceState` reads it. */
export function storedPaceState(
  meta: { pace: { get(): string | undefined }; legacyCooldown: { get(): string | undefined } },
  s: Pick<BlockSettings, 'cooldownMinutes' | 'cooldownMaxMinutes'>,
): PaceState | undefined {
  return readPaceState(meta.pace.get(), meta.legacyCooldown.get(), s);
}
