/**
 * The page client: fetches mp.weixin.qq.com URLs (article pages, album and homepage lists) from the configured origin
 * (path and query kept), politely (Pacer: concurrency and spacing), retrying network errors and 5xx with backoff.
 * Article pages follow redirects within the origin only (at most 5; one to a captcha or verify path is reported as
 * captcha). Lists follow none: a redirect is reported as `captcha` with its location, and stages/fetch/albums.ts
 * tells the verification page (the client refused) from any other (the list failed). Never throws for a URL.
 *
 * A 429 is never retried (asking again makes it worse), nor a 503 that says when to come back; their `Retry-After`
 * goes on as `retryAfterMs` for the cool-down. A POST (the homepage list) is retried like a GET: it is a read, so a
 * lost answer is safely asked again. The pacing policy (fetch/pace.ts) decides how far `setPace` slows the pace.
 */
import type { FetchConfig } from '../types.js';
import type { FetchFailure, FetchOutcome, PageFetcher } from '../fetch/fetcher.js';
import { WECHAT_HOST } from '../wechat/url.js';
import { type Exchange, request } from './client.js';
import { checkPace, Pacer, type PacerClock, realClock } from './pacer.js';

const MAX_REDIRECTS = 5;
const CAPTCHA_PATH = /captcha|verify/i;
const PAGE_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
};

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
  | {
      kind: 'error';
      code: FetchFailure;
      reason: string;
      status?: number;
      retriable: boolean;
      unreachable?: true;
      retryAfterMs?: number;
    };

type Method = 'GET' | 'POST';

/** The fetch settings the page client uses. */
export type PageClientSettings = Pick<
  FetchConfig,
  'origin' | 'concurrency' | 'delayMs' | 'timeoutMs' | 'retries' | 'retryBaseMs' | 'maxBytes'
>;

/** Fetches WeChat pages and lists from the configured origin, paced, retried and within the origin. */
export class PageClient implements PageFetcher {
  private readonly pacer: Pacer;
  private readonly origin: URL;
  private multiplier = 1;

  /** `random`: the pacer's jitter (tests pin it to measure spacing exactly). */
  constructor(
    private readonly settings: PageClientSettings,
    private readonly clock: PacerClock = realClock,
    random: () => number = Math.random,
  ) {
    this.pacer = new Pacer(settings.concurrency, settings.delayMs, clock, random);
    this.origin = new URL(settings.origin);
  }

  /** Request starts become `delayMs × multiplier` apart from the next start on; a RangeError below 1 or not finite. */
  setPace(multiplier: number): void {
    this.multiplier = checkPace(multiplier);
    this.pacer.setDelay(this.settings.delayMs * multiplier);
  }

  /** The pace multiplier in force (1: the configured pace). */
  pace(): number {
    return this.multiplier;
  }

  /**
   * One URL under the same pacing and retries; `redirects: false` reports any redirect as captcha (album lists);
   * `method: 'POST'` sends an empty body (the homepage list).
   */
  fetchOne(
    url: string,
    opts: { redirects?: boolean; method?: Method } = {},
    signal?: AbortSignal,
  ): Promise<FetchOutcome> {
    return this.fetch(url, signal, opts.redirects ?? true, opts.method ?? 'GET');
  }

  /** One URL: paced, retried, and its redirects followed (or reported as captcha when `redirects` is false). */
  async fetch(url: string, signal?: AbortSignal, redirects = true, method: Method = 'GET'): Promise<FetchOutcome> {
    const target = toOriginUrl(url, this.settings.origin);
    if (!target) return { kind: 'error', code: 'not-wechat', url, reason: `not a ${WECHAT_HOST} URL` };
    let last: Attempt = { kind: 'error', code: 'aborted', reason: 'not fetched', retriable: false };
    for (let attempt = 0; attempt <= this.settings.retries; attempt++) {
      if (attempt > 0) {
        try {
          await this.clock.sleep(this.settings.retryBaseMs * 2 ** (attempt - 1), signal);
        } catch {
          return { kind: 'error', code: 'aborted', url, reason: 'aborted' };
        }
      }
      let release: () => void;
      try {
        release = await this.pacer.acquire(signal);
      } catch {
        return { kind: 'error', code: 'aborted', url, reason: 'aborted' };
      }
      try {
        last = await this.follow(target, signal, redirects, method);
      } finally {
        release();
      }
      if (last.kind !== 'error' || !last.retriable || signal?.aborted) break;
    }
    if (last.kind === 'ok') return { kind: 'ok', url, finalUrl: last.finalUrl, status: last.status, html: last.html };
    if (last.kind === 'captcha') return { kind: 'captcha', url, location: last.location };
    return {
      kind: 'error',
      code: last.code,
      url,
      reason: last.reason,
      ...(last.status ? { status: last.status } : {}),
      ...(last.unreachable ? { unreachable: last.unreachable } : {}),
      ...(last.retryAfterMs !== undefined ? { retryAfterMs: last.retryAfterMs } : {}),
    };
  }

  /**
   * One attempt: the request and the redirects it leads to. A POST redirected by 307 or 308 is sent again as a POST;
   * by any other 3xx it becomes a GET, as browsers do.
   */
  private async follow(
    start: string,
    signal: AbortSignal | undefined,
    redirects: boolean,
    method: Method,
  ): Promise<Attempt> {
    let current = start;
    let verb = method;
    const seen = new Set<string>();
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      seen.add(`${verb} ${current}`);
      const r = await this.once(current, signal, verb);
      if (r.kind !== 'redirect') return r;
      if (r.status !== 307 && r.status !== 308) verb = 'GET';
      const next = new URL(r.location, current);
      if (!redirects) return { kind: 'captcha', location: next.href };
      if (CAPTCHA_PATH.test(next.pathname)) return { kind: 'captcha', location: next.href };
      if (next.protocol !== this.origin.protocol || next.host !== this.origin.host) {
        const reason = `redirect to another host: ${next.origin}`;
        return { kind: 'error', code: 'redirect', reason, retriable: false };
      }
      if (seen.has(`${verb} ${next.href}`))
        return { kind: 'error', code: 'redirect', reason: 'redirect loop', retriable: false };
      current = next.href;
    }
    return { kind: 'error', code: 'redirect', reason: `more than ${MAX_REDIRECTS} redirects`, retriable: false };
  }

  private async once(
    url: string,
    signal: AbortSignal | undefined,
    method: Method,
  ): Promise<Attempt | { kind: 'redirect'; status: number; location: string }> {
    const { maxBytes, timeoutMs } = this.settings;
    const r: Exchange = await request(url, { maxBytes, timeoutMs, signal, headers: PAGE_HEADERS, method });
    if (r.kind === 'ok') return { kind: 'ok', status: r.status, finalUrl: url, html: r.body.toString('utf8') };
    return r;
  }

  /** Every URL, `concurrency` at a time; each result goes to `onResult` as it comes. */
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
        if (signal?.aborted && result.kind === 'error' && result.code === 'aborted') continue;
        // Let the next request go out on the wire before the (synchronous) handling of this one.
        await new Promise<void>((r) => setImmediate(r));
        await onResult(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, urls.length) }, worker));
  }
}
