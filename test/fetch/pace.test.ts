/**
 * The pacing policy (issue 20, item 3), rule by rule with exact numbers: the cool-down (first, repeated within the
 * hour, after a clean hour, extended by Retry-After, capped), the pace after a refusal (doubled, capped at 16,
 * recovering 10 % per clean hour), unreachable (cool-down without slowing), forgetting after clean builds, and the
 * stored JSON read back strictly (and an older wxfeed's cool-down upgraded). Properties over random histories.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BlockSettings,
  currentMultiplier,
  MAX_MULTIPLIER,
  type PaceReason,
  type PaceState,
  paceFromLegacyCooldown,
  paceNow,
  paceOnBlock,
  paceOnCleanBuild,
  parsePaceState,
  readPaceState,
} from '../../src/fetch/pace.js';

const T = Date.UTC(2024, 6, 20, 4); // 2024-07-20 12:00 in Beijing
const MIN = 60_000;
const HOUR = 3_600_000;
/** The config's defaults: 15 minutes, doubling up to 6 hours. */
const LIMITS = { cooldownMinutes: 15, cooldownMaxMinutes: 360 };
const block = (reason: PaceReason, extra: Partial<BlockSettings> = {}): BlockSettings => ({
  ...LIMITS,
  reason,
  ...extra,
});

describe('cool-down', () => {
  it('the first block pauses for cooldownMinutes', () => {
    expect(paceOnBlock(undefined, T, block('captcha'))).toEqual({
      cooldown: { until: T + 15 * MIN, level: 1, reason: 'captcha', minutes: 15 },
      multiplier: 2,
      multiplierAt: T + 15 * MIN,
    });
  });

  it('a block within the hour after the end of the previous one doubles it, up to cooldownMaxMinutes', () => {
    let s = paceOnBlock(undefined, T, block('refused'));
    const lengths = [s.cooldown!.minutes];
    const levels = [s.cooldown!.level];
    for (let i = 0; i < 6; i++) {
      s = paceOnBlock(s, s.cooldown!.until + 59 * MIN, block('refused'));
      lengths.push(s.cooldown!.minutes);
      levels.push(s.cooldown!.level);
    }
    expect(lengths).toEqual([15, 30, 60, 120, 240, 360, 360]);
    expect(levels).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const end = s.cooldown!.until;
    const again = paceOnBlock(s, end + 10 * MIN, block('refused'));
    expect(again.cooldown).toEqual({ until: end + 10 * MIN + 360 * MIN, level: 8, reason: 'refused', minutes: 360 });
  });

  it('a block after a clean hour starts again at cooldownMinutes (an hour exactly is clean)', () => {
    const first = paceOnBlock(undefined, T, block('captcha'));
    const second = paceOnBlock(first, first.cooldown!.until + 30 * MIN, block('captcha'));
    expect(second.cooldown).toMatchObject({ minutes: 30, level: 2 });
    const end = second.cooldown!.until;
    const clean = paceOnBlock(second, end + HOUR, block('captcha'));
    expect(clean.cooldown).toEqual({ until: end + HOUR + 15 * MIN, level: 1, reason: 'captcha', minutes: 15 });
    const justBefore = paceOnBlock(second, end + HOUR - 1, block('captcha'));
    expect(justBefore.cooldown).toMatchObject({ minutes: 60, level: 3 });
  });

  it('a Retry-After longer than the cool-down extends it, capped; a shorter one changes nothing', () => {
    expect(paceOnBlock(undefined, T, block('refused', { retryAfterMs: 2 * HOUR })).cooldown).toEqual({
      until: T + 2 * HOUR,
      level: 1,
      reason: 'refused',
      minutes: 120,
    });
    expect(paceOnBlock(undefined, T, block('refused', { retryAfterMs: 90_000 })).cooldown).toEqual({
      until: T + 15 * MIN,
      level: 1,
      reason: 'refused',
      minutes: 15,
    });
    expect(paceOnBlock(undefined, T, block('refused', { retryAfterMs: 20 * HOUR })).cooldown).toMatchObject({
      until: T + 6 * HOUR,
      minutes: 360,
    });
    // Not a number a server could mean: ignored.
    expect(paceOnBlock(undefined, T, block('refused', { retryAfterMs: Number.NaN })).cooldown?.minutes).toBe(15);
    // The next repeat doubles the cool-down as extended: 20 minutes asked for, 40 next.
    const extended = paceOnBlock(undefined, T, block('refused', { retryAfterMs: 20 * MIN }));
    expect(extended.cooldown?.minutes).toBe(20);
    expect(paceOnBlock(extended, T + 21 * MIN, block('refused')).cooldown?.minutes).toBe(40);
  });

  it('a cooldownMaxMinutes below cooldownMinutes wins; a cool-down of 0 minutes stays 0', () => {
    const tight = { cooldownMinutes: 30, cooldownMaxMinutes: 10 };
    expect(paceOnBlock(undefined, T, { ...tight, reason: 'captcha' }).cooldown?.minutes).toBe(10);
    const zero = { cooldownMinutes: 0, cooldownMaxMinutes: 360 };
    const s = paceOnBlock(undefined, T, { ...zero, reason: 'captcha' });
    expect(s.cooldown).toEqual({ until: T, level: 1, reason: 'captcha', minutes: 0 });
    expect(paceOnBlock(s, T + MIN, { ...zero, reason: 'captcha' }).cooldown).toMatchObject({ minutes: 0, level: 2 });
  });

  it('paceNow reports the cool-down while it is in force only', () => {
    const s = paceOnBlock(undefined, T, block('captcha'));
    expect(paceNow(s, T + 14 * MIN, 1500).cooldown).toEqual(s.cooldown);
    expect(paceNow(s, T + 15 * MIN, 1500).cooldown).toBeUndefined();
  });
});

describe('pace after a refusal', () => {
  it('resumes at half the rate: 2 × the multiplier in force, counted from the end of the cool-down', () => {
    const s = paceOnBlock(undefined, T, block('captcha'));
    const end = T + 15 * MIN;
    expect(paceNow(s, T + MIN, 1500)).toEqual({
      multiplier: 2,
      delayMs: 3000,
      configuredDelayMs: 1500,
      slowedSince: end,
      cooldown: { until: end, level: 1, reason: 'captcha', minutes: 15 },
    });
    expect(paceNow(s, end, 1500)).toEqual({ multiplier: 2, delayMs: 3000, configuredDelayMs: 1500, slowedSince: end });
  });

  it('recovers 10 % per clean hour, continuously: m = max(1, m0 / 1.1^h)', () => {
    const s = paceOnBlock(undefined, T, block('captcha'));
    const end = s.multiplierAt;
    expect(currentMultiplier(s, end + HOUR)).toBe(2 / 1.1);
    expect(currentMultiplier(s, end + 2 * HOUR)).toBe(2 / 1.1 ** 2);
    expect(currentMultiplier(s, end + 30 * MIN)).toBe(2 / 1.1 ** 0.5);
    expect(paceNow(s, end + 3 * HOUR, 1000).delayMs).toBe(1000 * (2 / 1.1 ** 3));
    // 2× is back to 1× after log(2) / log(1.1) = 7.27 hours.
    expect(currentMultiplier(s, end + 7 * HOUR)).toBe(2 / 1.1 ** 7);
    expect(currentMultiplier(s, end + 7 * HOUR)).toBeGreaterThan(1);
    expect(currentMultiplier(s, end + 7.3 * HOUR)).toBe(1);
    expect(paceNow(s, end + 8 * HOUR, 1500)).toEqual({ multiplier: 1, delayMs: 1500, configuredDelayMs: 1500 });
  });

  it('a refusal during the recovery doubles the multiplier in force then; the recovery starts again at its end', () => {
    const first = paceOnBlock(undefined, T, block('captcha'));
    const at = first.multiplierAt + 2 * HOUR;
    const second = paceOnBlock(first, at, block('refused'));
    expect(second.multiplier).toBe(2 * (2 / 1.1 ** 2));
    expect(second.multiplierAt).toBe(at + 15 * MIN);
    expect(second.cooldown).toMatchObject({ minutes: 15, level: 1, reason: 'refused' });
  });

  it('doubles on each refusal up to 16×, never beyond', () => {
    let s: PaceState | undefined;
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const at: number = s ? s.multiplierAt : T;
      s = paceOnBlock(s, at, block('captcha'));
      seen.push(s.multiplier);
    }
    expect(seen).toEqual([2, 4, 8, 16, 16, 16]);
    expect(MAX_MULTIPLIER).toBe(16);
    // 16× is back to 1× after log(16) / log(1.1) = 29.09 hours.
    expect(currentMultiplier(s, s!.multiplierAt + 29 * HOUR)).toBe(16 / 1.1 ** 29);
    expect(currentMultiplier(s, s!.multiplierAt + 29.1 * HOUR)).toBe(1);
  });
});

describe('unreachable: the cool-down doubles as for a refusal, the pace stays', () => {
  it('a first unreachable block pauses for cooldownMinutes at the configured pace', () => {
    const s = paceOnBlock(undefined, T, block('unreachable'));
    expect(s).toEqual({
      cooldown: { until: T + 15 * MIN, level: 1, reason: 'unreachable', minutes: 15 },
      multiplier: 1,
      multiplierAt: T + 15 * MIN,
    });
    expect(paceNow(s, T + 15 * MIN, 1500)).toEqual({ multiplier: 1, delayMs: 1500, configuredDelayMs: 1500 });
  });

  it('within the hour after a refusal: the cool-down doubles; the slowed pace and its recovery are untouched', () => {
    const refused = paceOnBlock(undefined, T, block('refused'));
    const at = refused.cooldown!.until + 20 * MIN;
    const down = paceOnBlock(refused, at, block('unreachable'));
    expect(down.cooldown).toEqual({ until: at + 30 * MIN, level: 2, reason: 'unreachable', minutes: 30 });
    expect(down.multiplier).toBe(2);
    expect(down.multiplierAt).toBe(refused.multiplierAt);
    expect(currentMultiplier(down, at + HOUR)).toBe(currentMultiplier(refused, at + HOUR));
  });
});

describe('paceOnCleanBuild', () => {
  it('keeps everything (the same object) while it can still matter', () => {
    const s = paceOnBlock(undefined, T, block('captcha'));
    expect(paceOnCleanBuild(s, T + 5 * MIN)).toBe(s);
    expect(paceOnCleanBuild(s, s.cooldown!.until + 59 * MIN)).toBe(s);
  });

  it('forgets the cool-down an hour after its end; the slowed pace stays until it is back to 1', () => {
    const s = paceOnBlock(undefined, T, block('captcha'));
    const end = s.cooldown!.until;
    expect(paceOnCleanBuild(s, end + HOUR)).toEqual({ multiplier: 2, multiplierAt: end });
    expect(paceOnCleanBuild(s, end + 8 * HOUR)).toBeUndefined();
    expect(paceOnCleanBuild(undefined, T)).toBeUndefined();
  });

  it('an unreachable cool-down is forgotten an hour after its end; nothing is left', () => {
    const s = paceOnBlock(undefined, T, block('unreachable'));
    expect(paceOnCleanBuild(s, s.cooldown!.until + 30 * MIN)).toBe(s);
    expect(paceOnCleanBuild(s, s.cooldown!.until + HOUR)).toBeUndefined();
  });

  it('a pace back to 1 is written as 1 while a recent cool-down is kept', () => {
    // Slowed long ago, back to 1 now; an unreachable block 10 minutes ago (the pace untouched by it).
    const old = paceOnBlock(undefined, T, block('captcha'));
    const at = T + 10 * HOUR;
    const down = paceOnBlock(old, at, block('unreachable'));
    expect(down.multiplier).toBe(2);
    expect(paceOnCleanBuild(down, at + 20 * MIN)).toEqual({
      cooldown: down.cooldown,
      multiplier: 1,
      multiplierAt: old.multiplierAt,
    });
  });
});

describe('parsePaceState: the stored JSON, checked', () => {
  const full: PaceState = {
    cooldown: { until: T + 15 * MIN, level: 2, reason: 'refused', minutes: 30 },
    multiplier: 4,
    multiplierAt: T + 15 * MIN,
  };

  it('reads back what was written, and drops keys it does not know', () => {
    expect(parsePaceState(JSON.stringify(full))).toEqual(full);
    expect(parsePaceState('{"multiplier":1,"multiplierAt":0}')).toEqual({ multiplier: 1, multiplierAt: 0 });
    expect(parsePaceState(JSON.stringify({ ...full, extra: 'x' }))).toEqual(full);
    expect(parsePaceState('{"multiplier":1,"multiplierAt":5,"__proto__":{"polluted":true}}')).toEqual({
      multiplier: 1,
      multiplierAt: 5,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('anything malformed is undefined, never a throw', () => {
    const bad = [
      undefined,
      '',
      'null',
      '[]',
      '"pace"',
      '42',
      '{',
      '{"multiplier":0.5,"multiplierAt":0}',
      '{"multiplier":17,"multiplierAt":0}',
      '{"multiplier":"2","multiplierAt":0}',
      '{"multiplier":2}',
      '{"multiplier":2,"multiplierAt":"2024"}',
      '{"multiplier":2,"multiplierAt":1e999}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":null}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":[]}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":{"until":1,"level":1,"reason":"captcha"}}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":{"until":1,"level":0,"reason":"captcha","minutes":15}}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":{"until":1,"level":1.5,"reason":"captcha","minutes":15}}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":{"until":1,"level":1,"reason":"bored","minutes":15}}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":{"until":1,"level":1,"reason":"captcha","minutes":-1}}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":{"until":"1","level":1,"reason":"captcha","minutes":15}}',
      `{"multiplier":1,"multiplierAt":0,"pad":"${'x'.repeat(5000)}"}`,
      // Times a Date cannot hold (/healthz shows them as ISO dates).
      '{"multiplier":2,"multiplierAt":9e15}',
      '{"multiplier":2,"multiplierAt":0,"cooldown":{"until":1e300,"level":1,"reason":"captcha","minutes":15}}',
    ];
    for (const raw of bad) expect(parsePaceState(raw), String(raw)).toBeUndefined();
  });

  it('never throws on any text, and what it accepts is within the rules', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (raw) => {
        const s = parsePaceState(raw);
        return s === undefined || (s.multiplier >= 1 && s.multiplier <= 16 && Number.isFinite(s.multiplierAt));
      }),
    );
  });
});

describe("an older wxfeed's cool-down (meta `cooldown`), upgraded", () => {
  it('a captcha cool-down stays in force, with the length its level gives, and slows the pace from its end', () => {
    const raw = JSON.stringify({ until: T + 20 * MIN, level: 3, reason: 'captcha' });
    const s = paceFromLegacyCooldown(raw, LIMITS);
    expect(s).toEqual({
      cooldown: { until: T + 20 * MIN, level: 3, reason: 'captcha', minutes: 60 },
      multiplier: 2,
      multiplierAt: T + 20 * MIN,
    });
    expect(paceNow(s, T, 1500).cooldown?.until).toBe(T + 20 * MIN);
    // A block soon after it ends doubles it, as the old rule would have.
    expect(paceOnBlock(s, T + 30 * MIN, block('captcha')).cooldown).toMatchObject({ minutes: 120, level: 4 });
  });

  it('no reason (the oldest form) is captcha; unreachable does not slow the pace; a bad level is 1', () => {
    expect(paceFromLegacyCooldown(`{"until":${T},"level":1}`, LIMITS)?.cooldown?.reason).toBe('captcha');
    expect(paceFromLegacyCooldown(`{"until":${T},"level":2,"reason":"unreachable"}`, LIMITS)).toEqual({
      cooldown: { until: T, level: 2, reason: 'unreachable', minutes: 30 },
      multiplier: 1,
      multiplierAt: T,
    });
    expect(paceFromLegacyCooldown(`{"until":${T},"level":"x"}`, LIMITS)?.cooldown).toMatchObject({
      level: 1,
      minutes: 15,
    });
    expect(paceFromLegacyCooldown(`{"until":${T},"level":99}`, LIMITS)?.cooldown).toMatchObject({
      level: 64,
      minutes: 360,
    });
  });

  it('malformed: undefined', () => {
    for (const raw of [
      undefined,
      '',
      'x',
      '[]',
      '{"level":1}',
      `{"until":"${T}"}`,
      `{"until":${T},"reason":"x"}`,
      '{"until":1e16}',
    ]) {
      expect(paceFromLegacyCooldown(raw, LIMITS), String(raw)).toBeUndefined();
    }
  });

  it('readPaceState: the pace key first, the old cool-down when it is absent or malformed', () => {
    const pace = JSON.stringify({ multiplier: 3, multiplierAt: T });
    const legacy = JSON.stringify({ until: T + HOUR, level: 1, reason: 'captcha' });
    expect(readPaceState(pace, legacy, LIMITS)).toEqual({ multiplier: 3, multiplierAt: T });
    expect(readPaceState(undefined, legacy, LIMITS)?.cooldown?.until).toBe(T + HOUR);
    expect(readPaceState('{broken', legacy, LIMITS)?.cooldown?.until).toBe(T + HOUR);
    expect(readPaceState(undefined, undefined, LIMITS)).toBeUndefined();
  });
});

describe('properties over random histories', () => {
  /** A history: blocks and clean builds at increasing times. */
  const history = fc.array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: 30 * HOUR }),
      kind: fc.constantFrom<'clean' | PaceReason>('clean', 'captcha', 'refused', 'unreachable'),
      retryAfterMs: fc.option(fc.integer({ min: 0, max: 48 * HOUR }), { nil: undefined }),
    }),
    { maxLength: 40 },
  );
  const limits = fc.record({
    cooldownMinutes: fc.integer({ min: 0, max: 600 }),
    cooldownMaxMinutes: fc.integer({ min: 0, max: 2000 }),
  });

  function run(
    events: Array<{ gapMs: number; kind: 'clean' | PaceReason; retryAfterMs: number | undefined }>,
    l: { cooldownMinutes: number; cooldownMaxMinutes: number },
    check: (before: PaceState | undefined, after: PaceState | undefined, at: number, kind: string) => void,
  ): void {
    let s: PaceState | undefined;
    let at = T;
    for (const e of events) {
      at += e.gapMs;
      const before = s;
      s =
        e.kind === 'clean'
          ? paceOnCleanBuild(s, at)
          : paceOnBlock(s, at, { ...l, reason: e.kind, retryAfterMs: e.retryAfterMs });
      check(before, s, at, e.kind);
    }
  }

  it('the multiplier is always within 1 … 16, and never rises over clean time', () => {
    fc.assert(
      fc.property(history, limits, fc.array(fc.integer({ min: 0, max: 40 * HOUR }), { maxLength: 8 }), (h, l, ts) => {
        run(h, l, (_before, after, at) => {
          let last = Number.POSITIVE_INFINITY;
          for (const dt of [0, ...ts].sort((a, b) => a - b)) {
            const m = paceNow(after, at + dt, 1500).multiplier;
            expect(m).toBeGreaterThanOrEqual(1);
            expect(m).toBeLessThanOrEqual(16);
            expect(m).toBeLessThanOrEqual(last);
            last = m;
          }
        });
      }),
    );
  });

  it('a cool-down lasts within [min(base, max), max] and ends `minutes` after the block', () => {
    fc.assert(
      fc.property(history, limits, (h, l) => {
        run(h, l, (_before, after, at, kind) => {
          if (kind === 'clean') return;
          const c = after!.cooldown!;
          expect(c.minutes).toBeGreaterThanOrEqual(Math.min(l.cooldownMinutes, l.cooldownMaxMinutes));
          expect(c.minutes).toBeLessThanOrEqual(l.cooldownMaxMinutes);
          expect(c.until).toBe(at + c.minutes * MIN);
        });
      }),
    );
  });

  it('a clean build never changes the pace or the cool-down in force; unreachable never changes the pace', () => {
    fc.assert(
      fc.property(history, limits, fc.integer({ min: 0, max: 40 * HOUR }), (h, l, dt) => {
        run(h, l, (before, after, at, kind) => {
          if (kind === 'unreachable' || kind === 'clean') {
            expect(paceNow(after, at + dt, 1500).multiplier).toBe(paceNow(before, at + dt, 1500).multiplier);
          }
          if (kind === 'clean') expect(paceNow(after, at, 1500)).toEqual(paceNow(before, at, 1500));
        });
      }),
    );
  });

  it('what the policy writes, parsePaceState reads back whole', () => {
    fc.assert(
      fc.property(history, limits, (h, l) => {
        run(h, l, (_before, after) => {
          if (after) expect(parsePaceState(JSON.stringify(after))).toEqual(after);
        });
      }),
    );
  });
});
