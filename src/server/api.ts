/**
 * The management API under `<base>api/`, only when `server.token` is set (else every path answers 404): sign-in
 * sessions, and what is followed, read and changed by the holder of the token (`Authorization: Bearer`) or a signed-in
 * browser (the session cookie). Every request without either answers 401 and changes nothing. The work itself is
 * given (`ManageOps`: the commands', wired by the daemon), so that this module knows HTTP only.
 */
import type { Hono } from 'hono';
import { json } from './answer.js';
import type { Auth, ServerContext, ServerEnv } from './auth.js';
import type { Route, RouteContext } from './app.js';
import type { CycleState, Follows } from './follows.js';
import { UrlFileRefused } from '../io/url-files.js';

/** What a request for a cycle became: begun now, to run after the one running, or none (no daemon serves). */
type CycleAnswer = 'started' | 'queued' | 'none';

/** The daemon's cycles, as the API may ask for them. */
export interface Cycles {
  /** A cycle now, or after the running one: `refresh` reads every followed list and URL again; `added`, what is due. */
  request(why: 'refresh' | 'added'): CycleAnswer;
  state(): CycleState;
}

/** What an unfollowing answers: whether it was done, why not, and the lines that say what stays. */
interface Unfollowed {
  ok: boolean;
  reason?: string | undefined;
  lines: string[];
}

/** The work behind the endpoints. */
export interface ManageOps {
  follows(cycle: CycleState): Promise<Follows>;
  add(urls: string[]): Promise<{
    lines: string[];
    added: string[];
    refused: number;
    results: Array<{ input: string; outcome: 'added' | 'already' | 'refused'; reason?: string; url?: string }>;
  }>;
  unfollowAlbum(id: string): Promise<Unfollowed>;
  unfollowUrl(url: string): Promise<Unfollowed>;
  unfollowAccount(target: string, remove: boolean): Promise<Unfollowed>;
  /** End a cool-down in force: whether one was. */
  resume(): Promise<boolean>;
}

export interface ApiOptions {
  ops: ManageOps;
  /** How to read `server.token` now, when not the server's own (`createApp`'s `token`). */
  token?: (() => string | undefined) | undefined;
  /** The daemon's cycles; none under `wxfeed serve`. */
  cycles?: Cycles | undefined;
}

/** A body larger than this is refused whole (413). */
const MAX_BODY = 256 * 1024;
/** More URLs or pasted lines than this are refused whole (413). */
const MAX_URLS = 1000;
/** A sign-in or unfollow body is small. */
const MAX_SMALL_BODY = 4096;

class TooLarge extends Error {}

/** The request body, at most `max` bytes (else TooLarge, read no further). */
async function readBody(c: ServerContext, max: number): Promise<string> {
  const declared = Number(c.req.header('content-length'));
  if (declared > max) throw new TooLarge();
  const body = c.req.raw.body;
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON (an empty body is `undefined`), or the answer that refuses it. */
async function readJson(
  c: ServerContext,
  max: number,
): Promise<{ ok: true; value: unknown } | { ok: false; answer: Response }> {
  let text: string;
  try {
    text = await readBody(c, max);
  } catch (error) {
    if (error instanceof TooLarge) return { ok: false, answer: json(413, { error: `body over ${max} bytes` }) };
    throw error;
  }
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, answer: json(400, { error: `body is not JSON: ${(error as Error).message}` }) };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The lines of a pasted text that say something (blank lines are not inputs). */
function pastedLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The URLs of a `POST api/urls` body: a JSON list, `{"urls": [...]}` or `{"text": "…"}`; else why not. */
function urlsOf(body: unknown): string[] | string {
  if (isRecord(body) && typeof body.text === 'string') return pastedLines(body.text);
  const urls = Array.isArray(body) ? body : isRecord(body) ? body.urls : undefined;
  if (!Array.isArray(urls) || urls.length === 0 || !urls.every((u) => typeof u === 'string'))
    return 'expected a JSON list of URLs, {"urls": [...]} or {"text": "<lines>"}';
  return urls as string[];
}

/** The token of a sign-in body: form-encoded `token=…` or JSON `{"token": "…"}` (a script may not type it). */
function tokenOf(contentType: string | undefined, text: string): string | undefined {
  if (/^application\/json\b/i.test(contentType ?? '') || text.trimStart().startsWith('{')) {
    try {
      const v = JSON.parse(text) as unknown;
      return isRecord(v) && typeof v.token === 'string' ? v.token : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(text).get('token') ?? undefined;
}

/** The answer of an unfollowing: 200 with what it did and what stays, 404 with why it was refused. */
function unfollowAnswer(r: Unfollowed): Response {
  return r.ok ? json(200, r) : json(404, { ...r, error: r.reason ?? r.lines.join('\n') });
}

/** The management API's routes (with the session routes), under `<base>api/`. */
export function apiRoute(opts: ApiOptions): Route {
  return (app: Hono<ServerEnv>, ctx: RouteContext) => {
    const { health } = ctx;
    const auth = opts.token ? ctx.auth.withToken(opts.token) : ctx.auth;
    const api = `${auth.base}api`;
    const { ops, cycles } = opts;
    const cycle = (): CycleState => cycles?.state() ?? { running: false };

    app.all(`${api}/*`, async (_c, next) => {
      if (auth.token() === undefined)
        return json(404, { error: 'management is off: set server.token in the config to enable it' });
      await next();
    });
    app.post(`${api}/session`, (c) => signIn(c, auth));
    app.delete(`${api}/session`, (c) => {
      if (c.req.header('origin') !== undefined && !auth.sameOrigin(c))
        return json(403, { error: 'refused: this request did not come from this server' });
      auth.signOut(c);
      return c.body(null, 204);
    });
    // Everything else needs the token or a session.
    app.all(`${api}/*`, async (c, next) => {
      const proof = auth.prove(c);
      if (!proof.ok) return proof.answer;
      await next();
    });

    app.get(`${api}/status`, () => {
      const body = health().body;
      return json(200, { ...(isRecord(body) ? body : { report: body }), cycle: cycle() });
    });
    app.get(`${api}/follows`, async () => json(200, await ops.follows(cycle())));

    app.post(`${api}/urls`, async (c) => {
      const body = await readJson(c, MAX_BODY);
      if (!body.ok) return body.answer;
      const urls = urlsOf(body.value);
      if (typeof urls === 'string') return json(400, { error: urls });
      if (urls.length === 0) return json(400, { error: 'no URL in the text' });
      if (urls.length > MAX_URLS)
        return json(413, { error: `${urls.length} URLs: at most ${MAX_URLS} at once; nothing was added` });
      let result: Awaited<ReturnType<ManageOps['add']>>;
      try {
        result = await ops.add(urls);
      } catch (error) {
        // The caller holds the token: the reason (a held lock file, an unwritable URL file) is theirs to see. A URL
        // file that is not a regular file (a link, a FIFO, a directory) is refused as the state of the server: 409.
        return json(error instanceof UrlFileRefused ? 409 : 500, { error: (error as Error).message });
      }
      const added = result.results.some((r) => r.outcome === 'added');
      const answer: CycleAnswer = added && cycles ? cycles.request('added') : 'none';
      return json(result.refused > 0 ? 422 : 200, { ...result, cycle: answer });
    });
    app.delete(`${api}/urls`, async (c) => {
      const body = await readJson(c, MAX_SMALL_BODY);
      if (!body.ok) return body.answer;
      if (!isRecord(body.value) || typeof body.value.url !== 'string')
        return json(400, { error: 'expected {"url": "<article URL>"}' });
      return unfollowAnswer(await ops.unfollowUrl(body.value.url));
    });
    app.delete(`${api}/albums/:id`, async (c) => unfollowAnswer(await ops.unfollowAlbum(c.req.param('id'))));
    app.delete(`${api}/accounts/:target?`, async (c) => {
      const body = await readJson(c, MAX_SMALL_BODY);
      if (!body.ok) return body.answer;
      const v = isRecord(body.value) ? body.value : {};
      const target = c.req.param('target') ?? (typeof v.url === 'string' ? v.url : undefined);
      if (!target)
        return json(400, { error: 'expected api/accounts/<number or feed folder>, or {"url": "<article URL>"}' });
      return unfollowAnswer(await ops.unfollowAccount(target, v.remove === true));
    });

    app.post(`${api}/refresh`, async (c) => {
      if (!cycles) return json(503, { error: 'no cycles here: wxfeed serve only serves; run wxfeed daemon or build' });
      const body = await readJson(c, MAX_SMALL_BODY);
      if (!body.ok) return body.answer;
      const resumed = isRecord(body.value) && body.value.resume === true ? await ops.resume() : undefined;
      return json(202, { cycle: cycles.request('refresh'), ...(resumed !== undefined ? { resumed } : {}) });
    });

    app.all(`${api}/*`, (c) => {
      const known = /^(?:session|status|follows|urls|refresh|albums\/[^/]+|accounts(?:\/[^/]+)?)$/.test(
        c.req.path.slice(api.length + 1),
      );
      return known ? json(405, { error: 'method not allowed' }) : json(404, { error: 'no such endpoint' });
    });
  };
}

/** `POST api/session`: the token from the body, a session for it, or why not. */
async function signIn(c: ServerContext, auth: Auth): Promise<Response> {
  if (c.req.header('origin') !== undefined && !auth.sameOrigin(c))
    return json(403, { error: 'refused: this request did not come from this server' });
  const limited = auth.limited(c);
  if (limited) return limited;
  let text: string;
  try {
    text = await readBody(c, MAX_SMALL_BODY);
  } catch (error) {
    if (error instanceof TooLarge) return json(413, { error: `body over ${MAX_SMALL_BODY} bytes` });
    throw error;
  }
  const given = tokenOf(c.req.header('content-type'), text);
  if (given === undefined || !auth.checkToken(c, given)) return json(401, { error: 'wrong token' });
  auth.signIn(c, given);
  return c.body(null, 204);
}
