/**
 * The one HTTP client (the only module that imports got): one user agent, no cookies, no automatic redirects or
 * retries, a timeout, and a body size cap counted after decompression with the stream aborted past it. Callers
 * (article pages and album lists through `PageClient`, images for the proxy) decide what to do with the answer.
 * Never throws: every outcome is a value.
 *
 * GET, or a POST with an empty body (`content-length: 0`: WeChat's homepage list is read that way). A 429, 503 or 403
 * keeps the wait its `Retry-After` asks for (`retryAfterMs`, retry-after.ts).
 */
import got, { type Response } from 'got';
import type { RequestFailure } from '../fetch/fetcher.js';
import { retryAfterMs } from './retry-after.js';

/** The user agent of every request: a desktop browser's. */
const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** What one request gave. */
export type Exchange =
  | { kind: 'ok'; status: 200; headers: Record<string, string | string[] | undefined>; body: Buffer }
  | { kind: 'redirect'; status: number; location: string }
  | {
      kind: 'error';
      code: RequestFailure;
      reason: string;
      status?: number;
      retriable: boolean;
      unreachable?: true;
      retryAfterMs?: number;
    };

/** How long a TCP connection may take to open. */
const CONNECT_TIMEOUT_MS = 5000;

/** The limits of one request, and what it sends. */
export interface RequestOptions {
  maxBytes: number;
  timeoutMs: number;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** GET when left out. A POST is sent with an empty body. */
  method?: 'GET' | 'POST' | undefined;
  /** The clock an HTTP-date `Retry-After` counts from when the answer has no valid `Date` (epoch ms). */
  now?: (() => number) | undefined;
}

/** Statuses whose `Retry-After` is kept: a refusal (429, 403) or a server asking for time (503). */
const WAIT_STATUSES = new Set([403, 429, 503]);

const client = got.extend({
  headers: { 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br' },
  followRedirect: false,
  throwHttpErrors: false,
  retry: { limit: 0 },
  decompress: true,
});

/**
 * One request. 3xx with a Location is a redirect; 5xx and broken transfers are retriable, except a 503 that names its
 * time (the caller waits it out); other statuses are not, 429 above all (asking again at once makes it worse).
 */
export function request(url: string, opts: RequestOptions): Promise<Exchange> {
  const { maxBytes, timeoutMs, signal: outer } = opts;
  // A controller of its own, tied to the caller's shared signal by one listener removed when done: none pile up.
  const local = new AbortController();
  const onAbort = (): void => local.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const signal = local.signal;
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: Exchange): void => {
      if (settled) return;
      settled = true;
      outer?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    // A connection that does not open within CONNECT_TIMEOUT_MS will not: do not wait the whole request timeout.
    const timeout = { request: timeoutMs, connect: Math.min(timeoutMs, CONNECT_TIMEOUT_MS) };
    const method = opts.method ?? 'GET';
    // got waits for a POST stream's body to be written: an empty one ends it at once, with `content-length: 0`.
    const body = method === 'POST' ? { body: '' } : {};
    const stream = client.stream(url, { method, ...body, timeout, signal, headers: opts.headers ?? {} });
    const chunks: Buffer[] = [];
    let size = 0;
    let headers: Response['headers'] = {};
    let expected: number | undefined;
    stream.on('response', (res: Response) => {
      const status = res.statusCode;
      headers = res.headers;
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && !res.headers['content-encoding']) expected = length;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        stream.destroy();
        done({ kind: 'redirect', status, location });
      } else if (status !== 200) {
        stream.destroy();
        const wait = WAIT_STATUSES.has(status)
          ? retryAfterMs(res.headers['retry-after'], res.headers.date, (opts.now ?? Date.now)())
          : undefined;
        const retriable = status >= 500 && !(status === 503 && wait !== undefined);
        done({
          kind: 'error',
          code: 'status',
          reason: `HTTP ${status}`,
          status,
          retriable,
          ...(wait !== undefined ? { retryAfterMs: wait } : {}),
        });
      }
    });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stream.destroy();
        done({ kind: 'error', code: 'too-large', reason: `response over ${maxBytes} bytes`, retriable: false });
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => done({ kind: 'ok', status: 200, headers, body: Buffer.concat(chunks) }));
    stream.on('error', (error: Error & { code?: string }) => {
      if (signal.aborted) return done({ kind: 'error', code: 'aborted', reason: 'aborted', retriable: false });
      if (expected !== undefined && size < expected) {
        const reason = `truncated body (${size} of ${expected} bytes)`;
        return done({ kind: 'error', code: 'truncated', reason, retriable: true });
      }
      const unreachable = UNREACHABLE.has(error.code ?? '') || error.name === 'TimeoutError';
      done({
        kind: 'error',
        ...describe(error, timeoutMs),
        retriable: true,
        ...(unreachable ? { unreachable } : {}),
      });
    });
  });
}

/** Connection-level failures: the host cannot be reached at all (name, route, refusal, reset, timeout). */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
]);

/** A transfer error as a failure code and its words (got's and Node's own messages are matched, not ours). */
function describe(error: Error & { code?: string }, timeoutMs: number): { code: RequestFailure; reason: string } {
  if (error.code === 'ETIMEDOUT' || error.name === 'TimeoutError')
    return { code: 'timeout', reason: `timeout after ${timeoutMs} ms` };
  if (error.code === 'ECONNRESET') return { code: 'network', reason: 'connection reset' };
  if (error.code === 'ECONNREFUSED') return { code: 'network', reason: 'connection refused' };
  if (error.code === 'ERR_STREAM_PREMATURE_CLOSE' || /premature|aborted/i.test(error.message))
    return { code: 'truncated', reason: 'truncated body' };
  if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR')
    return { code: 'bad-body', reason: 'broken compressed body' };
  return { code: 'network', reason: (error.code ?? error.message.split('\n')[0]) || 'network error' };
}
