/**
 * Politeness: at most `concurrency` requests in flight, and request starts at least `delayMs` apart (±20 % jitter,
 * which averages out, so N starts take N × delayMs). Pure scheduling over an injectable clock.
 */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

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

export class Pacer {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private nextStart = 0;

  constructor(
    private readonly concurrency: number,
    private readonly delayMs: number,
    private readonly clock: PacerClock = realClock,
    private readonly random: () => number = Math.random,
  ) {}

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
      const start = Math.max(now, this.nextStart);
      this.nextStart = start + this.delayMs * (0.8 + 0.4 * this.random());
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
