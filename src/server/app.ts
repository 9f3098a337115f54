/**
 * The HTTP server, routed by Hono: output/ under the path of baseUrl, and GET /healthz, which tells anyone the state
 * and counts only (`Health.summary`) and the full report only to a request bearing `server.token` (without a token, to
 * no one); the routes given (the image proxy, the management API) before the files.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { StaticFiles } from './static.js';
import { plain } from './answer.js';
import { Auth, type ServerEnv } from './auth.js';

export interface Health {
  /** 200 unless the last cycle failed outright. */
  ok: boolean;
  /** The full report (paths, error texts, problems): for the holder of the server token only. */
  body: unknown;
  /** What anyone may see: the state and counts, no path, error text or URL. Without it, `{ ok }`. */
  summary?: unknown;
}

/** What a set of routes is given: the server's guard and its health report. */
export interface RouteContext {
  auth: Auth;
  health: () => Health;
}

/** A set of routes, registered on the server before the files. */
export type Route = (app: Hono<ServerEnv>, ctx: RouteContext) => void;

export interface AppOptions {
  output: string;
  baseUrl: string;
  health: () => Health;
  /** `server.token` (or how to read it now, for a config that is reloaded): its holder gets the full health report. */
  token?: string | undefined | (() => string | undefined);
  routes?: Route[];
}

/** The path of a request as sent, not decoded (the files decode it once, themselves). */
function rawPath(request: Request): string {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('://') + 3);
  if (start < 0) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}

/** The server of output/ and /healthz, with `routes` tried before the files. */
export function createApp(opts: AppOptions): Server {
  const files = new StaticFiles(opts.output);
  const token = opts.token;
  const auth = new Auth(opts.baseUrl, typeof token === 'function' ? token : () => token);
  const base = auth.base;
  const app = new Hono<ServerEnv>({ getPath: rawPath });

  app.onError((error) => {
    process.emitWarning(`server: ${error.message}`);
    return plain(500, 'internal error');
  });
  app.use(async (c, next) => {
    // A NUL byte is refused before any route sees the path (backslashes are refused by the Node adapter).
    if ((c.env?.incoming?.url ?? c.req.url).includes('\0')) return plain(400, 'bad request');
    await next();
  });
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (path !== '/healthz' && path !== `${base}healthz`) return next();
    const h = opts.health();
    const detailed = auth.token() !== undefined && auth.bearer(c) === 'ok';
    return new Response(JSON.stringify(detailed ? h.body : (h.summary ?? { ok: h.ok }), null, 2), {
      status: h.ok ? 200 : 503,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  });
  for (const route of opts.routes ?? []) route(app, { auth, health: opts.health });
  app.get('*', (c) => {
    const path = c.req.path;
    if (!path.startsWith(base) && `${path}/` !== base) return plain(404, 'not found');
    const incoming = c.env?.incoming;
    // Node's own headers when there are (cheaper than the fetch API's, made on demand).
    const header = incoming
      ? (name: string) => {
          const v = incoming.headers[name];
          return Array.isArray(v) ? v.join(', ') : v;
        }
      : (name: string) => c.req.header(name);
    return files.serve(header, path.slice(base.length));
  });
  app.all('*', () => plain(405, 'method not allowed', { Allow: 'GET, HEAD' }));
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}

/** Listen and resolve with the bound address. */
export async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
