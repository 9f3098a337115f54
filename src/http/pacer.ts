/**
 * Politeness: at most `concurrency` requests in flight, and request starts at least `delayMs` apart (±20 % jitter,
 * which averages out, so N starts take N × delayMs). Pure scheduling over an injectable clock.
 *
 * The delay can change while requests run (`setDelay`: the pacing policy slows down after WeChat refused us). Each
 * start is placed from the previous start with the delay in force when it is placed, so a new delay holds from the
 * next start on; starts already placed keep their time.
 */

/** The clock the pacer reads and sleeps on: the real one, or a test's. */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The monotonic clock and real timers. */
export const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A pace multiplier as the page client takes it: a finite number ≥ 1 (1 is the configured pace). */
export function checkPace(multiplier: number): number {
  if (!Number.isFinite(multiplier) || multiplier < 1) {
    throw new RangeError(`pacer: a pace multiplier is a finite number ≥ 1, not ${multiplier}`);
  }
  return multiplier;
}

/** Holds requests to `concurrency` in flight and their starts `delayMs` apart. */
export class Pacer {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** The last start placed, and the jitter drawn for the gap after it. */
  private lastStart = Number.NEGATIVE_INFINITY;
  private lastJitter = 1;

  constructor(
    private readonly concurrency: number,
    private delayMs: number,
    private readonly clock: PacerClock = realClock,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay between request starts from the next start on (ms, finite, ≥ 0). */
  setDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`pacer: a delay is a finite number of ms ≥ 0, not ${ms}`);
    this.delayMs = ms;
  }

  /** The delay between request starts in force. */
  delay(): number {
    return this.delayMs;
  }

  /** Wait for a slot and for this start's turn; call the returned function when the request is done. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.inFlight >= this.concurrency) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const i = this.waiting.indexOf(go);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal!.reason as Error);
        };
        const go = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiting.push(go);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else this.inFlight++;
    try {
      const now = this.clock.now();
      const start = Math.max(now, this.lastStart + this.delayMs * this.lastJitter);
      this.lastStart = start;
      this.lastJitter = 0.8 + 0.4 * this.random();
      if (start > now) await this.clock.sleep(start - now, signal);
    } catch (error) {
      this.release();
      throw error;
    }
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.release();
      }
    };
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.inFlight--;
  }
}
