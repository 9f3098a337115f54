/**
 * The one HTTP client (the only module that imports got): one user agent, no cookies, no automatic redirects or
 * retries, a timeout, and a body size cap counted after decompression with the stream aborted past it. Callers
 * (article pages and album lists through `PageClient`, images for the proxy) decide what to do with the answer.
 * Never throws: every outcome is a value.
 */
import got, { type Response } from 'got';

export const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** What one request gave. */
export type Exchange =
  | { kind: 'ok'; status: 200; headers: Record<string, string | string[] | undefined>; body: Buffer }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'error'; reason: string; status?: number; retriable: boolean; unreachable?: true };

/** How long a TCP connection may take to open. */
const CONNECT_TIMEOUT_MS = 5000;

export interface RequestOptions {
  maxBytes: number;
  timeoutMs: number;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

const client = got.extend({
  headers: { 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br' },
  followRedirect: false,
  throwHttpErrors: false,
  retry: { limit: 0 },
  decompress: true,
});

/** One GET. 3xx with a Location is a redirect; 5xx and broken transfers are retriable errors; other non-200 are not. */
export function request(url: string, opts: RequestOptions): Promise<Exchange> {
  const { maxBytes, timeoutMs, signal: outer } = opts;
  // One controller per request, linked to the caller's signal by one listener that is removed when done.
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
    // A connection that does not open within 5 s will not: do not wait the whole request timeout for it.
    const timeout = { request: timeoutMs, connect: Math.min(timeoutMs, CONNECT_TIMEOUT_MS) };
    const stream = client.stream(url, { timeout, signal, headers: opts.headers ?? {} });
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
      } else if (status >= 500) {
        stream.destroy();
        done({ kind: 'error', reason: `HTTP ${status}`, status, retriable: true });
      } else if (status !== 200) {
        stream.destroy();
        done({ kind: 'error', reason: `HTTP ${status}`, status, retriable: false });
      }
    });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stream.destroy();
        done({ kind: 'error', reason: `response over ${maxBytes} bytes`, retriable: false });
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => done({ kind: 'ok', status: 200, headers, body: Buffer.concat(chunks) }));
    stream.on('error', (error: Error & { code?: string }) => {
      if (signal.aborted) return done({ kind: 'error', reason: 'aborted', retriable: false });
      if (expected !== undefined && size < expected) {
        return done({ kind: 'error', reason: `truncated body (${size} of ${expected} bytes)`, retriable: true });
      }
      const unreachable = UNREACHABLE.has(error.code ?? '') || error.name === 'TimeoutError';
      done({
        kind: 'error',
        reason: describe(error, timeoutMs),
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

function describe(error: Error & { code?: string }, timeoutMs: number): string {
  if (error.code === 'ETIMEDOUT' || error.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  if (error.code === 'ECONNRESET') return 'connection reset';
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ERR_STREAM_PREMATURE_CLOSE' || /premature|aborted/i.test(error.message)) return 'truncated body';
  if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR') return 'broken compressed body';
  return (error.code ?? error.message.split('\n')[0]) || 'network error';
}
