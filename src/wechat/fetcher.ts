/**
 * The page fetcher (got): only mp.weixin.qq.com URLs, sent to the configured origin (path and query kept);
 * polite (Pacer); retries network errors and 5xx with backoff; a size cap counted after decompression with the
 * stream aborted past it; redirects followed only within the origin, at most 5, and a redirect to a captcha or
 * verify path reported as captcha; no cookies kept. Never throws for a URL: every outcome is a result.
 */
import got, { type Response } from 'got';
import type { FetchConfig, FetchOutcome, PageFetcher } from '../types.js';
import { Pacer, realClock, type PacerClock } from './pacer.js';
import { WECHAT_HOST } from './url.js';

export const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const MAX_REDIRECTS = 5;
const CAPTCHA_PATH = /captcha|verify/i;

/** Pure: the URL to request for a WeChat URL, on the configured origin. Undefined for any other host. */
export function toOriginUrl(url: string, origin: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.hostname.toLowerCase() !== WECHAT_HOST) return undefined;
  const o = new URL(origin);
  return `${o.protocol}//${o.host}${u.pathname}${u.search}`;
}

type Attempt =
  | { kind: 'ok'; status: number; finalUrl: string; html: string }
  | { kind: 'captcha'; location: string }
  | { kind: 'error'; reason: string; status?: number; retriable: boolean };

export class Fetcher implements PageFetcher {
  private readonly pacer: Pacer;
  private readonly origin: URL;
  /** got with the options every request shares, merged once. No cookie jar: no cookies are kept. */
  private readonly client = got.extend({
    headers: {
      'user-agent': USER_AGENT,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
      'accept-encoding': 'gzip, deflate, br',
    },
    followRedirect: false,
    throwHttpErrors: false,
    retry: { limit: 0 },
    decompress: true,
  });

  constructor(
    private readonly settings: Pick<
      FetchConfig,
      'origin' | 'concurrency' | 'delayMs' | 'timeoutMs' | 'retries' | 'retryBaseMs' | 'maxBytes'
    >,
    private readonly clock: PacerClock = realClock,
  ) {
    this.pacer = new Pacer(settings.concurrency, settings.delayMs, clock);
    this.origin = new URL(settings.origin);
  }

  async fetch(url: string, signal?: AbortSignal): Promise<FetchOutcome> {
    const target = toOriginUrl(url, this.settings.origin);
    if (!target) return { kind: 'error', url, reason: `not a ${WECHAT_HOST} URL` };
    let last: Attempt = { kind: 'error', reason: 'not fetched', retriable: false };
    for (let attempt = 0; attempt <= this.settings.retries; attempt++) {
      if (attempt > 0) {
        try {
          await this.clock.sleep(this.settings.retryBaseMs * 2 ** (attempt - 1), signal);
        } catch {
          return { kind: 'error', url, reason: 'aborted' };
        }
      }
      let release: () => void;
      try {
        release = await this.pacer.acquire(signal);
      } catch {
        return { kind: 'error', url, reason: 'aborted' };
      }
      try {
        last = await this.follow(target, signal);
      } finally {
        release();
      }
      if (last.kind !== 'error' || !last.retriable || signal?.aborted) break;
    }
    if (last.kind === 'ok') return { kind: 'ok', url, finalUrl: last.finalUrl, status: last.status, html: last.html };
    if (last.kind === 'captcha') return { kind: 'captcha', url, location: last.location };
    return { kind: 'error', url, reason: last.reason, ...(last.status ? { status: last.status } : {}) };
  }

  /** One attempt: the request and the redirects it leads to. */
  private async follow(start: string, signal?: AbortSignal): Promise<Attempt> {
    let current = start;
    const seen = new Set<string>();
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      seen.add(current);
      const r = await this.once(current, signal);
      if (r.kind !== 'redirect') return r;
      const next = new URL(r.location, current);
      if (CAPTCHA_PATH.test(next.pathname)) return { kind: 'captcha', location: next.href };
      if (next.protocol !== this.origin.protocol || next.host !== this.origin.host) {
        return { kind: 'error', reason: `redirect to another host: ${next.origin}`, retriable: false };
      }
      if (seen.has(next.href)) return { kind: 'error', reason: 'redirect loop', retriable: false };
      current = next.href;
    }
    return { kind: 'error', reason: `more than ${MAX_REDIRECTS} redirects`, retriable: false };
  }

  private once(url: string, outer?: AbortSignal): Promise<Attempt | { kind: 'redirect'; location: string }> {
    const { maxBytes, timeoutMs } = this.settings;
    // One controller per request, linked to the caller's signal by one listener that is removed when done.
    const local = new AbortController();
    const onAbort = (): void => local.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    const signal = local.signal;
    return new Promise((resolve) => {
      let settled = false;
      const done = (v: Attempt | { kind: 'redirect'; location: string }): void => {
        if (settled) return;
        settled = true;
        outer?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const stream = this.client.stream(url, { timeout: { request: timeoutMs }, signal });
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      let expected: number | undefined;
      stream.on('response', (res: Response) => {
        status = res.statusCode;
        const length = Number(res.headers['content-length']);
        if (Number.isFinite(length) && !res.headers['content-encoding']) expected = length;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && location) {
          stream.destroy();
          done({ kind: 'redirect', location });
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
      stream.on('end', () => done({ kind: 'ok', status, finalUrl: url, html: Buffer.concat(chunks).toString('utf8') }));
      stream.on('error', (error: Error & { code?: string }) => {
        if (signal?.aborted) return done({ kind: 'error', reason: 'aborted', retriable: false });
        if (expected !== undefined && size < expected) {
          return done({ kind: 'error', reason: `truncated body (${size} of ${expected} bytes)`, retriable: true });
        }
        done({ kind: 'error', reason: describe(error, timeoutMs), retriable: true });
      });
    });
  }

  async fetchAll(
    urls: string[],
    onResult: (r: FetchOutcome) => void | Promise<void>,
    signal?: AbortSignal,
  ): Promise<void> {
    let next = 0;
    const take = (): Promise<FetchOutcome> | undefined =>
      next < urls.length && !signal?.aborted ? this.fetch(urls[next++]!, signal) : undefined;
    // Each worker starts its next request before handling the result it has, so handling never idles the link.
    const worker = async (): Promise<void> => {
      let pending = take();
      while (pending) {
        const result = await pending;
        pending = take();
        if (signal?.aborted && result.kind === 'error' && result.reason === 'aborted') continue;
        // Let the next request go out on the wire before the (synchronous) handling of this one.
        await new Promise<void>((r) => setImmediate(r));
        await onResult(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, urls.length) }, worker));
  }
}

function describe(error: Error & { code?: string }, timeoutMs: number): string {
  if (error.code === 'ETIMEDOUT' || error.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  if (error.code === 'ECONNRESET') return 'connection reset';
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ERR_STREAM_PREMATURE_CLOSE' || /premature|aborted/i.test(error.message)) return 'truncated body';
  if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR') return 'broken compressed body';
  return (error.code ?? error.message.split('\n')[0]) || 'network error';
}
