/**
 * The background queue of what wxfeed tells others (alerts, WebSub pings): POSTs through node's fetch (the HTTP
 * client, http/client.ts, sends no request body), off the cycle's path. Each lane (one target, one hub) sends in order,
 * `parallel` at a time; a delivery is retried with backoff until it goes through, is refused for good, or its time
 * budget runs out, then logged. Nothing here throws, and nothing a caller does waits for it but `close`.
 */
import type { Logger } from '../log.js';

/** One POST. */
export interface Post {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A delivery: the request, and how logs name it (never with its URL: it may hold a secret). */
export interface Delivery {
  post: Post;
  /** What it is, for the log line: `alert`, `hub ping`. */
  what: string;
  /** Log fields: the target by kind and host, the event or feed. */
  fields: Record<string, unknown>;
}

/** A lane: where its deliveries go, how many run at once. */
export interface Lane {
  key: string;
  parallel: number;
}

export interface OutboxOptions {
  log: Logger;
  /** Time limit of one request. */
  timeoutMs?: number;
  /** Time a delivery may take from its queueing, retries included; past it, it is given up. */
  budgetMs?: number;
  /** Wait before the first retry; it is multiplied by 4 before each next one. */
  retryBaseMs?: number;
  /** Deliveries a lane holds at most; the oldest is dropped past it. */
  maxQueued?: number;
}

/** How a delivery ended: sent, or given up with the last error. */
export type Sent = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

interface Queued extends Delivery {
  deadline: number;
}

interface LaneState {
  queue: Queued[];
  running: number;
  parallel: number;
}

/** Why a request failed, and whether asking again may help. */
interface Failure {
  error: string;
  retriable: boolean;
  waitMs?: number;
}

/** An answer's `Retry-After` in seconds (the only form these services send), within reason. */
function retryAfter(value: string | null): number | undefined {
  const s = value === null ? Number.NaN : Number(value);
  return Number.isFinite(s) && s >= 0 ? Math.min(s, 3600) * 1000 : undefined;
}

/** A fetch error as words without the URL: its code (`ECONNREFUSED`), `timeout` or `aborted`. */
function describe(error: unknown, signal: AbortSignal, timedOut: boolean): string {
  if (timedOut) return 'timeout';
  if (signal.aborted) return 'aborted';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  // fetch refuses the ports browsers block (the "bad ports" of the Fetch standard): say so, the port is the cause.
  return typeof cause?.message === 'string' && /bad port/i.test(cause.message)
    ? 'bad port (fetch refuses it)'
    : 'network error';
}

/** The background queue of alerts and pings. */
export class Outbox {
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly budgetMs: number;
  private readonly retryBaseMs: number;
  private readonly maxQueued: number;
  private readonly lanes = new Map<string, LaneState>();
  private readonly stop = new AbortController();
  private waiters: Array<() => void> = [];

  constructor(opts: OutboxOptions) {
    this.log = opts.log;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.budgetMs = opts.budgetMs ?? 120_000;
    this.retryBaseMs = opts.retryBaseMs ?? 2000;
    this.maxQueued = opts.maxQueued ?? 2000;
  }

  /** Queue a delivery on its lane; returns at once. */
  add(lane: Lane, delivery: Delivery): void {
    if (this.stop.signal.aborted) return;
    let state = this.lanes.get(lane.key);
    if (!state) {
      state = { queue: [], running: 0, parallel: lane.parallel };
      this.lanes.set(lane.key, state);
    }
    if (state.queue.length >= this.maxQueued) {
      const dropped = state.queue.shift()!;
      this.log.warn({ ...dropped.fields, error: 'queue full' }, `${dropped.what} not sent`);
    }
    state.queue.push({ ...delivery, deadline: Date.now() + this.budgetMs });
    this.pump(state);
  }

  /** Nothing queued or in flight. */
  idle(): boolean {
    for (const s of this.lanes.values()) if (s.queue.length > 0 || s.running > 0) return false;
    return true;
  }

  /** Wait up to `waitMs` for what is queued, then give up the rest (logged). */
  async close(waitMs: number): Promise<void> {
    if (!this.idle()) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => this.waiters.push(r)),
        new Promise<void>((r) => (timer = setTimeout(r, waitMs))),
      ]);
      clearTimeout(timer);
    }
    const left = [...this.lanes.values()].reduce((n, s) => n + s.queue.length + s.running, 0);
    if (left > 0) this.log.warn({ deliveries: left }, 'stopping: alerts and pings not sent');
    for (const s of this.lanes.values()) s.queue.length = 0;
    this.stop.abort();
  }

  private pump(state: LaneState): void {
    while (state.running < state.parallel && state.queue.length > 0) {
      const next = state.queue.shift()!;
      state.running++;
      void this.deliver(next).finally(() => {
        state.running--;
        this.pump(state);
        if (this.idle()) for (const w of this.waiters.splice(0)) w();
      });
    }
  }

  /** Send one delivery now, outside the queue, with the same retries and budget; how it ended. */
  send(delivery: Delivery): Promise<Sent> {
    return this.deliver({ ...delivery, deadline: Date.now() + this.budgetMs });
  }

  /** Send one delivery, retrying while it may help and its budget lasts; log how it ended. */
  private async deliver(d: Queued): Promise<Sent> {
    let wait = this.retryBaseMs;
    for (let attempt = 1; ; attempt++) {
      if (this.stop.signal.aborted) return { ok: false, attempts: attempt - 1, error: 'stopped' };
      const failure = await this.attempt(d.post, d.deadline);
      if (!failure) {
        this.log.debug({ ...d.fields, attempts: attempt }, `${d.what} sent`);
        return { ok: true, attempts: attempt };
      }
      const pause = Math.max(wait, failure.waitMs ?? 0);
      if (!failure.retriable || Date.now() + pause >= d.deadline) {
        this.log.warn({ ...d.fields, attempts: attempt, error: failure.error }, `${d.what} not sent`);
        return { ok: false, attempts: attempt, error: failure.error };
      }
      await this.sleep(pause);
      wait *= 4;
    }
  }

  /** One POST: undefined when the answer is a 2xx. */
  private async attempt(post: Post, deadline: number): Promise<Failure | undefined> {
    const limit = Math.max(1, Math.min(this.timeoutMs, deadline - Date.now()));
    const local = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      local.abort();
    }, limit);
    const onStop = () => local.abort();
    this.stop.signal.addEventListener('abort', onStop, { once: true });
    try {
      const res = await fetch(post.url, {
        method: 'POST',
        headers: post.headers,
        body: post.body,
        // A redirect is not followed: it would carry the message (and any key in it) elsewhere.
        redirect: 'manual',
        signal: local.signal,
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return undefined;
      const retriable = res.status === 429 || res.status >= 500;
      const waitMs = retryAfter(res.headers.get('retry-after'));
      return { error: `HTTP ${res.status}`, retriable, ...(waitMs !== undefined ? { waitMs } : {}) };
    } catch (error) {
      return { error: describe(error, this.stop.signal, timedOut), retriable: true };
    } finally {
      clearTimeout(timer);
      this.stop.signal.removeEventListener('abort', onStop);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stop.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stop.signal.addEventListener('abort', done, { once: true });
    });
  }
}
