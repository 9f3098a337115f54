/**
 * Who a request is: the holder of `server.token` (an `Authorization: Bearer` header), a signed-in browser (the session
 * cookie), or anyone. A cookie is sent by the browser whoever made the page that asks, so a changing request it
 * authenticates must come from a page of this server (its `Origin`). Wrong tokens, by sign-in or bearer, count as
 * failures of the client's address, and past the limit every attempt of it is refused for a while.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import { json } from './answer.js';
import { FailureLimit, SESSION_COOKIE, SESSION_MAX_AGE_S, Sessions, sameSecret } from './session.js';

/** The server's Hono environment: the Node request and response under the fetch API's. */
export type ServerEnv = { Bindings: HttpBindings };
export type ServerContext = Context<ServerEnv>;

/** What a request's credentials prove: `ok` by bearer or cookie, or why not. */
type Proof = { ok: true; by: 'bearer' | 'cookie' } | { ok: false; answer: Response };

/** The methods that change something: a cookie alone does not authorize them from another origin. */
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The server's guard: its token (read when asked, so a reloaded config takes effect), sessions and failure limit. */
export class Auth {
  /** The path of baseUrl, ending in `/`: the cookie's path. */
  readonly base: string;
  private readonly origin: string;
  private readonly secure: boolean;

  constructor(
    private readonly baseUrl: string,
    readonly token: () => string | undefined,
    readonly sessions = new Sessions(),
    readonly limit = new FailureLimit(),
  ) {
    const url = new URL(baseUrl);
    this.base = url.pathname.replace(/\/?$/, '/');
    this.origin = url.origin;
    this.secure = url.protocol === 'https:';
  }

  /** The same guard (its sessions and failure counts) with the token read by `token`. */
  withToken(token: () => string | undefined): Auth {
    return new Auth(this.baseUrl, token, this.sessions, this.limit);
  }

  /** The client's address, as the failure limit counts it. */
  client(c: ServerContext): string {
    return c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
  }

  /** A 429 answer when the client is over the failure limit. */
  limited(c: ServerContext, now = Date.now()): Response | undefined {
    const seconds = this.limit.retryAfter(this.client(c), now);
    if (seconds === undefined) return undefined;
    return json(
      429,
      { error: `too many failed attempts: try again in ${seconds} s`, retryAfter: seconds },
      { 'Retry-After': String(seconds) },
    );
  }

  /** Whether `given` is the token, counting a wrong one as a failure of the client. */
  checkToken(c: ServerContext, given: string, now = Date.now()): boolean {
    const token = this.token();
    const ok = token !== undefined && sameSecret(given, token);
    if (!ok) this.limit.fail(this.client(c), now);
    return ok;
  }

  /** The bearer token of the request: absent, right, or wrong (counted), unless the client is over the limit. */
  bearer(c: ServerContext): 'none' | 'ok' | 'wrong' | 'limited' {
    const header = c.req.header('authorization');
    if (header === undefined) return 'none';
    if (this.limited(c)) return 'limited';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    return m && this.checkToken(c, m[1]!.trim()) ? 'ok' : 'wrong';
  }

  /**
   * The proof of a management request: a right bearer token, or a live session cookie (and, for a changing request,
   * an `Origin` of this server).
   */
  prove(c: ServerContext): Proof {
    const bearer = this.bearer(c);
    if (bearer === 'ok') return { ok: true, by: 'bearer' };
    if (bearer === 'limited') return { ok: false, answer: this.limited(c)! };
    const token = this.token();
    if (bearer === 'none' && token !== undefined && this.sessions.valid(this.cookie(c), token, Date.now())) {
      if (CHANGING.has(c.req.method) && !this.sameOrigin(c))
        return { ok: false, answer: json(403, { error: 'refused: this request did not come from this server' }) };
      return { ok: true, by: 'cookie' };
    }
    return {
      ok: false,
      answer: json(
        401,
        { error: 'sign in (POST api/session) or send Authorization: Bearer <server.token>' },
        { 'WWW-Authenticate': 'Bearer' },
      ),
    };
  }

  /**
   * Whether the request's `Origin` is this server: baseUrl's origin, or the origin its `Host` names (the server
   * reached by another name than baseUrl's, such as its LAN address; a page elsewhere cannot send that pair).
   */
  sameOrigin(c: ServerContext): boolean {
    const origin = c.req.header('origin');
    if (!origin) return false;
    if (origin === this.origin) return true;
    const host = c.req.header('host');
    try {
      const url = new URL(origin);
      return host !== undefined && /^https?:$/.test(url.protocol) && url.host === host.toLowerCase();
    } catch {
      return false;
    }
  }

  /** The session cookie's value, if sent. */
  cookie(c: ServerContext): string | undefined {
    return getCookie(c, SESSION_COOKIE);
  }

  /** Sign the browser in: a new session, its cookie set on the answer. */
  signIn(c: ServerContext, token: string): void {
    const value = this.sessions.open(token, Date.now());
    setCookie(c, SESSION_COOKIE, value, {
      path: this.base,
      maxAge: SESSION_MAX_AGE_S,
      httpOnly: true,
      sameSite: 'Strict',
      secure: this.secure,
    });
  }

  /** Sign the browser out: its session forgotten, its cookie cleared. */
  signOut(c: ServerContext): void {
    this.sessions.close(this.cookie(c));
    deleteCookie(c, SESSION_COOKIE, { path: this.base, httpOnly: true, sameSite: 'Strict', secure: this.secure });
  }
}
