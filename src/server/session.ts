/**
 * Sign-in sessions, kept in memory: a cookie value is a random id and its HMAC under a key derived from the server
 * token, so a token change makes every session invalid, and a restart forgets them all. Failed sign-ins are counted
 * per client address and refused for a while past a limit.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie's name. */
export const SESSION_COOKIE = 'wxfeed_session';
/** How long a session lasts, in seconds: 7 days. */
export const SESSION_MAX_AGE_S = 7 * 24 * 3600;
/** At most this many sessions at once: the oldest is forgotten first. */
const MAX_SESSIONS = 1000;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** `a` equals `b`, in a time that does not tell how much of them agrees (hashes make the lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The sessions signed in under one server token at a time. */
export class Sessions {
  /** Session id → when it ends (epoch ms), oldest first. */
  private readonly live = new Map<string, number>();
  /** The token the live sessions were signed in with (its hash), and the key derived from it. */
  private tokenHash: Buffer | undefined;
  private key = Buffer.alloc(0);

  /** The key of `token`; a new token forgets every session of the previous one. */
  private keyFor(token: string): Buffer {
    const hash = digest(token);
    if (!this.tokenHash?.equals(hash)) {
      this.tokenHash = hash;
      this.key = createHmac('sha256', token).update('wxfeed session').digest();
      this.live.clear();
    }
    return this.key;
  }

  private mac(token: string, id: string): string {
    return createHmac('sha256', this.keyFor(token)).update(id).digest('base64url');
  }

  /** A new session under `token` at `now`: the cookie's value. */
  open(token: string, now: number): string {
    const id = randomBytes(24).toString('base64url');
    const value = `${id}.${this.mac(token, id)}`;
    for (const [old, until] of this.live) if (until <= now || this.live.size >= MAX_SESSIONS) this.live.delete(old);
    this.live.set(id, now + SESSION_MAX_AGE_S * 1000);
    return value;
  }

  /** Whether `value` is a session signed in under `token` that has not ended at `now`. */
  valid(value: string | undefined, token: string, now: number): boolean {
    const [id, mac, ...rest] = (value ?? '').split('.');
    if (!id || !mac || rest.length > 0) return false;
    const want = Buffer.from(this.mac(token, id));
    const given = Buffer.from(mac);
    if (given.length !== want.length || !timingSafeEqual(given, want)) return false;
    const until = this.live.get(id);
    return until !== undefined && until > now;
  }

  /** Forget the session of `value`, if any. */
  close(value: string | undefined): void {
    const id = (value ?? '').split('.')[0];
    if (id) this.live.delete(id);
  }
}

/** At most `max` failures per client in `windowMs`; then every attempt of that client waits for the window. */
export class FailureLimit {
  /** Client address → times of its failures within the window, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
    private readonly maxClients = 10_000,
  ) {}

  private recent(client: string, now: number): number[] {
    const list = (this.failures.get(client) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.failures.delete(client);
    else this.failures.set(client, list);
    return list;
  }

  /** Seconds until `client` may try again, or undefined when it may now. */
  retryAfter(client: string, now: number): number | undefined {
    const list = this.recent(client, now);
    if (list.length < this.max) return undefined;
    return Math.max(1, Math.ceil((list[list.length - this.max]! + this.windowMs - now) / 1000));
  }

  /** Count a failure of `client` at `now`. */
  fail(client: string, now: number): void {
    const list = this.recent(client, now);
    if (list.length === 0 && this.failures.size >= this.maxClients) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(client, [...list, now]);
  }
}
