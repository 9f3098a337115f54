/**
 * Admin endpoints, only when `server.token` is set, bearer-token checked in constant time:
 * POST <base>api/urls (a JSON list of URLs, the rules of `wxfeed add`) and POST <base>api/refresh (a cycle now).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { plain } from './static.js';
import { UrlFileRefused } from '../io/url-files.js';

export interface ApiOptions {
  basePath: string;
  token: string;
  addUrls: (urls: string[]) => Promise<{ lines: string[]; added: string[]; refused: number }>;
  refresh: () => boolean;
}

const MAX_BODY = 256 * 1024;

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time comparison of the bearer token (hashes make the lengths equal). */
export function authorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]!.trim()), digest(token));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/** The admin API's route: POST `<base>api/urls` and `<base>api/refresh`; false for any path outside `<base>api/`. */
export function apiRoute(opts: ApiOptions) {
  const prefix = `${opts.basePath}api/`;
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (!path.startsWith(prefix)) return false;
    if (!authorized(req.headers.authorization, opts.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      plain(res, 401, 'unauthorized');
      return true;
    }
    const name = path.slice(prefix.length);
    if (req.method !== 'POST' || (name !== 'urls' && name !== 'refresh')) {
      plain(
        res,
        name === 'urls' || name === 'refresh' ? 405 : 404,
        name === 'urls' || name === 'refresh' ? 'method not allowed' : 'not found',
      );
      return true;
    }
    if (name === 'refresh') {
      const started = opts.refresh();
      json(res, started ? 202 : 409, { started, message: started ? 'cycle started' : 'a cycle is already running' });
      return true;
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      json(res, 400, { error: `expected a JSON list of URLs: ${(error as Error).message}` });
      return true;
    }
    const urls = Array.isArray(body) ? body : (body as { urls?: unknown } | null)?.urls;
    if (!Array.isArray(urls) || urls.length === 0 || !urls.every((u) => typeof u === 'string')) {
      json(res, 400, { error: 'expected a JSON list of URLs, or {"urls": [...]}' });
      return true;
    }
    let result: Awaited<ReturnType<ApiOptions['addUrls']>>;
    try {
      result = await opts.addUrls(urls as string[]);
    } catch (error) {
      // The caller holds the token: the reason (a held lock file, an unwritable URL file) is theirs to see. A URL file
      // that is not a regular file (a link, a FIFO, a directory) is refused as the state of the server: 409.
      json(res, error instanceof UrlFileRefused ? 409 : 500, { error: (error as Error).message });
      return true;
    }
    json(res, result.refused > 0 ? 422 : 200, result);
    return true;
  };
}
