/**
 * What one build's fetching shares between polling albums and reading pages: the signal that stops it, why it
 * stopped (a captcha or a blocked album list, or WeChat unreachable), and the streak of connection failures.
 */
import type { FetchOutcome } from '../types.js';
import { UNREACHABLE_AFTER } from './schedule.js';

export class FetchRun {
  private readonly stop = new AbortController();
  /** Aborted when fetching stops for this build (or the build is interrupted). */
  readonly signal: AbortSignal;
  /** When a captcha page, a redirect to a verification page or a blocked album list stopped fetching. */
  captchaAt: number | undefined;
  /** When several connection failures in a row made WeChat count as unreachable. */
  unreachableAt: number | undefined;
  private unreachableRun = 0;

  constructor(outer: AbortSignal | undefined) {
    this.signal = outer ? AbortSignal.any([outer, this.stop.signal]) : this.stop.signal;
  }

  stopped(): boolean {
    return this.captchaAt !== undefined || this.unreachableAt !== undefined;
  }

  /** WeChat refused (captcha, verification page, blocked album list): stop every request of this build. */
  blocked(at: number): void {
    if (!this.stopped()) this.captchaAt = at;
    this.stop.abort();
  }

  /**
   * Note the outcome of one request: connection-level failures in a row; at UNREACHABLE_AFTER, WeChat counts as
   * unreachable and every request of this build stops. True when this outcome made it so.
   */
  note(r: FetchOutcome, at: number): boolean {
    this.unreachableRun = r.kind === 'error' && r.unreachable ? this.unreachableRun + 1 : 0;
    if (this.unreachableRun < UNREACHABLE_AFTER || this.stopped()) return false;
    this.unreachableAt = at;
    this.stop.abort();
    return true;
  }

  /** The time fetching paused at, if it did. */
  pausedAt(): number | undefined {
    return this.unreachableAt ?? this.captchaAt;
  }
}
