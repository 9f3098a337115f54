/**
 * What one build's fetching shares between lists and pages. A refusal of **the client** stops every request of the
 * build: a captcha or verify page (or a redirect to one), `verify_status` ≠ "0", a frequency-control `ret`
 * (wechat/refusal.ts), HTTP 429, or 403 twice in a row. An answer about one list or page fails that one alone.
 */
import type { FetchOutcome } from '../../fetch/fetcher.js';
import { UNREACHABLE_AFTER } from '../../fetch/schedule.js';

/** 403s in a row (pages or lists) after which WeChat counts as refusing the client. */
const REFUSED_403_AFTER = 2;

/**
 * Why WeChat refused: a captcha or verify page (or a redirect to one), or another refusal (HTTP 429, 403s in a row,
 * frequency control); what the cool-down reports; how long WeChat asked us to wait, if it said.
 */
export interface Refusal {
  at: number;
  kind: 'captcha' | 'refused';
  reason: string;
  retryAfterMs?: number;
}

/** One build's fetching: its stop signal, why it stopped, its failure streaks and what is left of its budgets. */
export class FetchRun {
  private readonly stop = new AbortController();
  /** Aborted when fetching stops for this build (or the build is interrupted). */
  readonly signal: AbortSignal;
  /** When and why WeChat refused the client. */
  refusal: Refusal | undefined;
  /** When several connection failures in a row made WeChat count as unreachable. */
  unreachableAt: number | undefined;
  private unreachableRun = 0;
  private forbiddenRun = 0;
  /** List and list-page requests this build may still make (`follow.maxRequestsPerRun`). */
  listRequests: number;
  /** First reads of newly followed lists this build may still start (`follow.maxNewAlbumsPerRun`). */
  firstReads: number;

  constructor(outer: AbortSignal | undefined, budget: { listRequests: number; firstReads: number }) {
    this.signal = outer ? AbortSignal.any([outer, this.stop.signal]) : this.stop.signal;
    this.listRequests = budget.listRequests;
    this.firstReads = budget.firstReads;
  }

  /** Fetching stopped for this build: WeChat refused the client or is out of reach. */
  stopped(): boolean {
    return this.refusal !== undefined || this.unreachableAt !== undefined;
  }

  /** WeChat refused the client: stop every request of this build. */
  refused(r: Refusal): void {
    if (!this.stopped()) this.refusal = r;
    this.stop.abort();
  }

  /**
   * Notes one request's outcome; true when it stopped the build: HTTP 429 or REFUSED_403_AFTER 403s in a row refuse
   * the client, and UNREACHABLE_AFTER connection failures in a row make WeChat unreachable.
   */
  note(r: FetchOutcome, at: number): boolean {
    if (this.stopped()) return false;
    const refusal = this.refusalOf(r, at);
    if (refusal) {
      this.refused(refusal);
      return true;
    }
    this.unreachableRun = r.kind === 'error' && r.unreachable ? this.unreachableRun + 1 : 0;
    if (this.unreachableRun < UNREACHABLE_AFTER) return false;
    this.unreachableAt = at;
    this.stop.abort();
    return true;
  }

  /** A request answered with a status that refuses the client, or undefined. */
  private refusalOf(r: FetchOutcome, at: number): Refusal | undefined {
    const status = r.kind === 'error' ? r.status : undefined;
    this.forbiddenRun = status === 403 ? this.forbiddenRun + 1 : 0;
    if (r.kind !== 'error' || (status !== 429 && this.forbiddenRun < REFUSED_403_AFTER)) return undefined;
    const wait = r.retryAfterMs;
    return {
      at,
      kind: 'refused',
      reason: status === 429 ? 'HTTP 429 (too many requests)' : `HTTP 403 ${this.forbiddenRun} times in a row`,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    };
  }

  /** Take one list request from the build's budget; false when none is left. */
  takeListRequest(): boolean {
    if (this.listRequests <= 0) return false;
    this.listRequests--;
    return true;
  }

  /** The time fetching paused at, if it did. */
  pausedAt(): number | undefined {
    return this.unreachableAt ?? this.refusal?.at;
  }
}
