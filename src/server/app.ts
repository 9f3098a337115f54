/**
 * The HTTP server: output/ under the path of baseUrl, and GET /healthz, which tells anyone the state and counts only
 * (`Health.summary`) and the full report only to a request bearing `server.token` (without a token, to no one).
 */
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticFiles, plain } from './static.js';
import { authorized } from './api.js';

export interface Health {
  /** 200 unless the last cycle failed outright. */
  ok: boolean;
  /** The full report (paths, error texts, problems): for the holder of the server token only. */
  body: unknown;
  /** What anyone may see: the state and counts, no path, error text or URL. Without it, `{ ok }`. */
  summary?: unknown;
}

export interface AppOptions {
  output: string;
  baseUrl: string;
  health: () => Health;
  /** `server.token`: a request bearing it gets the full health report. */
  token?: string | undefined;
  /** Extra routes (the image proxy, the admin API) tried before static files; return true when handled. */
  routes?: Array<(req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>>;
}

/** The server of output/ and /healthz, trying `routes` before the files. */
export function createApp(opts: AppOptions): Server {
  const files = new StaticFiles(opts.output);
  const base = new URL(opts.baseUrl).pathname.replace(/\/?$/, '/');
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
      process.emitWarning(`server: ${(error as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    if (raw.includes('\0') || raw.includes('\\')) return plain(res, 400, 'bad request');
    const pathOnly = raw.split('?')[0]!;
    if (!pathOnly.startsWith('/')) return plain(res, 400, 'bad request');
    if (pathOnly === '/healthz' || pathOnly === `${base}healthz`) {
      const h = opts.health();
      const detailed = opts.token !== undefined && authorized(req.headers.authorization, opts.token);
      const body = JSON.stringify(detailed ? h.body : (h.summary ?? { ok: h.ok }), null, 2);
      res.statusCode = h.ok ? 200 : 503;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    for (const route of opts.routes ?? []) if (await route(req, res, pathOnly)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'method not allowed');
    }
    if (!pathOnly.startsWith(base) && `${pathOnly}/` !== base) return plain(res, 404, 'not found');
    await files.serve(req, res, pathOnly.slice(base.length));
  }
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
