import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageClient as Fetcher, toOriginUrl } from '../../src/http/pages.js';
import { Pacer, type PacerClock } from '../../src/http/pacer.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import type { FetchOutcome } from '../../src/fetch/fetcher.js';

let srv: FaultServer;
const W = 'https://mp.weixin.qq.com';
const settings = () => ({
  origin: srv.origin,
  concurrency: 2,
  delayMs: 0,
  timeoutMs: 1000,
  retries: 2,
  retryBaseMs: 10,
  maxBytes: 5 * 1024 * 1024,
});

beforeAll(async () => {
  srv = await startFaultServer();
  srv.pages.set('/s/page', '<html><body>hello</body></html>');
});
afterAll(async () => srv.close());

describe('toOriginUrl', () => {
  it('keeps path and query, replaces scheme and host; refuses other hosts', () => {
    expect(toOriginUrl(`${W}/s?__biz=a==&sn=1#rd`, 'http://127.0.0.1:9000')).toBe(
      'http://127.0.0.1:9000/s?__biz=a==&sn=1',
    );
    expect(toOriginUrl(`${W}/s/abc`, 'https://mirror.example.org/ignored')).toBe('https://mirror.example.org/s/abc');
    expect(toOriginUrl('https://example.com/s/abc', 'http://127.0.0.1:1')).toBeUndefined();
    expect(toOriginUrl('not a url', 'http://127.0.0.1:1')).toBeUndefined();
  });
});

describe('Fetcher against a loopback server that injects faults', () => {
  const get = (path: string, over = {}) => new Fetcher({ ...settings(), ...over }).fetch(`${W}${path}`);

  it('ok page; no cookies kept between requests', async () => {
    const a = await get('/s/page');
    expect(a).toMatchObject({ kind: 'ok', status: 200, html: '<html><body>hello</body></html>' });
    const f = new Fetcher(settings());
    await f.fetch(`${W}/s/page`);
    await f.fetch(`${W}/s/page`);
    expect(srv.cookiesSeen).toEqual([]);
  });
  it('refuses other hosts without a request', async () => {
    expect(await new Fetcher(settings()).fetch('https://example.com/s/x')).toEqual({
      kind: 'error',
      code: 'not-wechat',
      url: 'https://example.com/s/x',
      reason: 'not a mp.weixin.qq.com URL',
    });
  });
  it('a response slower than the timeout', async () => {
    const r = await get('/fault/slow', { timeoutMs: 200, retries: 0 });
    expect(r).toMatchObject({ kind: 'error', code: 'timeout', reason: 'timeout after 200 ms' });
  });
  it('500s then success: retried; always 5xx: retries exactly `retries` times; 4xx never retried', async () => {
    expect(await get('/fault/500-then-ok')).toMatchObject({ kind: 'ok', html: '<html>ok after 500s</html>' });
    expect(srv.hits.get('/fault/500-then-ok')).toBe(3);
    expect(await get('/fault/always-500', { retries: 3 })).toMatchObject({
      kind: 'error',
      code: 'status',
      reason: 'HTTP 503',
      status: 503,
    });
    expect(srv.hits.get('/fault/always-500')).toBe(4);
    expect(await get('/fault/404', { retries: 3 })).toMatchObject({ kind: 'error', reason: 'HTTP 404' });
    expect(srv.hits.get('/fault/404')).toBe(1);
  });
  it('a connection reset and a truncated body are errors (retried, then reported)', async () => {
    expect(await get('/fault/reset', { retries: 1 })).toMatchObject({ kind: 'error', code: 'network' });
    expect(srv.hits.get('/fault/reset')).toBe(2);
    const t = await get('/fault/truncated', { retries: 0 });
    expect(t).toMatchObject({ kind: 'error', code: 'truncated', reason: 'truncated body (19 of 100000 bytes)' });
  });
  it('a 50 MB body and a gzip bomb are cut at maxBytes, memory stays bounded', async () => {
    const before = process.memoryUsage().rss;
    expect(await get('/fault/huge', { maxBytes: 1024 * 1024 })).toMatchObject({
      kind: 'error',
      code: 'too-large',
      reason: 'response over 1048576 bytes',
    });
    expect(await get('/fault/gzip-bomb', { maxBytes: 1024 * 1024 })).toMatchObject({
      kind: 'error',
      code: 'too-large',
      reason: 'response over 1048576 bytes',
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });
  it('redirects: loops, chains past 5, other hosts and captcha paths', async () => {
    expect(await get('/fault/loop')).toMatchObject({ kind: 'error', code: 'redirect', reason: 'redirect loop' });
    expect(await get('/fault/chain')).toMatchObject({ kind: 'error', reason: 'more than 5 redirects' });
    expect(await get('/fault/elsewhere')).toMatchObject({
      kind: 'error',
      code: 'redirect',
      reason: 'redirect to another host: http://127.0.0.2:9',
    });
    expect(await get('/fault/to-captcha')).toMatchObject({ kind: 'captcha' });
    expect(srv.hits.get('/mp/wappoc_appmsgcaptcha')).toBeUndefined();
  });
  it('redirects: false (album lists) follows none: any redirect is captcha, with its location, in one request', async () => {
    const f = new Fetcher(settings());
    const before = srv.hits.get('/fault/404-not') ?? 0;
    expect(await f.fetchOne(`${W}/fault/redirect-ok`, { redirects: false })).toEqual({
      kind: 'captcha',
      url: `${W}/fault/redirect-ok`,
      location: `${srv.origin}/fault/404-not`,
    });
    expect(srv.hits.get('/fault/404-not') ?? 0).toBe(before);
    expect(await f.fetchOne(`${W}/fault/redirect-ok`)).toMatchObject({ kind: 'error', status: 404 });
    expect(await f.fetchOne(`${W}/s/page`, { redirects: false })).toMatchObject({ kind: 'ok', status: 200 });
  });
  it('fetchAll keeps concurrency and stops on abort', async () => {
    const s = await startFaultServer({ latencyMs: 30 });
    for (let i = 0; i < 12; i++) s.pages.set(`/s/p${i}`, `<html>${i}</html>`);
    try {
      const f = new Fetcher({ ...settings(), origin: s.origin, concurrency: 3 });
      const got: FetchOutcome[] = [];
      await f.fetchAll(
        Array.from({ length: 12 }, (_, i) => `${W}/s/p${i}`),
        (r) => void got.push(r),
      );
      expect(got.filter((r) => r.kind === 'ok')).toHaveLength(12);
      expect(s.peakInFlight()).toBe(3);
      const stop = new AbortController();
      const seen: FetchOutcome[] = [];
      await f.fetchAll(
        Array.from({ length: 12 }, (_, i) => `${W}/s/p${i}`),
        (r) => {
          seen.push(r);
          if (seen.length === 2) stop.abort();
        },
        stop.signal,
      );
      expect(seen.length).toBeLessThanOrEqual(5);
      // The requests the abort cut short are not handed on as failures.
      expect(seen.filter((r) => r.kind === 'error' && r.code === 'aborted')).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('Pacer', () => {
  function fakeClock(): PacerClock & { t: number } {
    const c = {
      t: 0,
      now: () => c.t,
      sleep: async (ms: number) => {
        c.t += ms;
      },
    };
    return c;
  }
  it('starts are at least delayMs apart on average, each within ±20 %', async () => {
    const clock = fakeClock();
    const p = new Pacer(1, 100, clock, () => 0.5);
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const release = await p.acquire();
      starts.push(clock.t);
      release();
    }
    expect(starts).toEqual([0, 100, 200, 300, 400]);
    const jittery = new Pacer(1, 100, fakeClock(), () => 0);
    const c2 = (jittery as unknown as { clock: { t: number } }).clock;
    const s2: number[] = [];
    for (let i = 0; i < 3; i++) {
      (await jittery.acquire())();
      s2.push(c2.t);
    }
    expect(s2).toEqual([0, 80, 160]);
  });
  it('never more than `concurrency` in flight', async () => {
    const p = new Pacer(2, 0);
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await p.acquire();
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        release();
      }),
    );
    expect(peak).toBe(2);
  });
});

/** What a handler of the fault server saw of one request: method, path and query, length header, body bytes. */
interface Seen {
  method: string;
  url: string;
  length: string | undefined;
  type: string | undefined;
  body: number;
}

/** A handler that records each request (its body read whole) and answers with `answer(n)` for the n-th (1-based). */
function recording(
  seen: Seen[],
  answer: (n: number, req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let body = 0;
    req.on('data', (c: Buffer) => (body += c.length));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        length: req.headers['content-length'],
        type: req.headers['content-type'],
        body,
      });
      answer(seen.length, req, res);
    });
  };
}

const json = (res: ServerResponse, body: unknown): void =>
  void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('POST (the homepage list)', () => {
  const LIST = '/mp/homepage?__biz=MzA5MTAxMjEyMQ==&hid=4&cid=0&begin=0&count=5&action=appmsg_list';

  it('reaches the server as a POST with an empty body (content-length 0), path and query kept', async () => {
    const seen: Seen[] = [];
    srv.pages.set(
      '/mp/homepage',
      recording(seen, (_n, _req, res) => json(res, { appmsg_list: [] })),
    );
    const r = await new Fetcher(settings()).fetchOne(`${W}${LIST}`, { method: 'POST', redirects: false });
    expect(r).toEqual({
      kind: 'ok',
      url: `${W}${LIST}`,
      finalUrl: `${srv.origin}${LIST}`,
      status: 200,
      html: '{"appmsg_list":[]}',
    });
    expect(seen).toEqual([{ method: 'POST', url: LIST, length: '0', type: undefined, body: 0 }]);
    // Without `method`, the same URL is a GET, as before.
    await new Fetcher(settings()).fetchOne(`${W}${LIST}`);
    expect(seen[1]).toEqual({ method: 'GET', url: LIST, length: undefined, type: undefined, body: 0 });
  });

  it('a POST is retried on a 5xx like a GET (a read: asking again changes nothing), each try a POST', async () => {
    const seen: Seen[] = [];
    srv.pages.set(
      '/mp/homepage-500',
      recording(seen, (n, _req, res) => (n < 3 ? void res.writeHead(502).end('bad gateway') : json(res, { ok: 1 }))),
    );
    const r = await new Fetcher(settings()).fetchOne(`${W}/mp/homepage-500?hid=1`, { method: 'POST' });
    expect(r).toMatchObject({ kind: 'ok', html: '{"ok":1}' });
    expect(seen.map((s) => `${s.method} ${s.length}`)).toEqual(['POST 0', 'POST 0', 'POST 0']);
  });

  it('a redirected POST: 307 and 308 keep the POST, 302 and 303 turn it into a GET', async () => {
    const seen: Seen[] = [];
    srv.pages.set(
      '/mp/homepage-target',
      recording(seen, (_n, _req, res) => json(res, { ok: 1 })),
    );
    for (const status of [302, 303, 307, 308]) {
      srv.pages.set(
        `/mp/homepage-${status}`,
        (_req, res) => void res.writeHead(status, { location: '/mp/homepage-target?x=1' }).end(),
      );
      const r = await new Fetcher(settings()).fetchOne(`${W}/mp/homepage-${status}`, { method: 'POST' });
      expect(r).toMatchObject({ kind: 'ok', finalUrl: `${srv.origin}/mp/homepage-target?x=1` });
    }
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET', 'POST', 'POST']);
    // With redirects: false (how lists are read) a redirected POST is a refusal, as a GET's is, in one request.
    const r = await new Fetcher(settings()).fetchOne(`${W}/mp/homepage-307`, { method: 'POST', redirects: false });
    expect(r).toEqual({
      kind: 'captcha',
      url: `${W}/mp/homepage-307`,
      location: `${srv.origin}/mp/homepage-target?x=1`,
    });
    expect(seen).toHaveLength(4);
  });
});

describe('Retry-After and refusals', () => {
  /** A path that answers `status` with these headers every time. */
  const answering = (path: string, status: number, headers: Record<string, string>): void =>
    void srv.pages.set(path, (_req, res) => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      res.writeHead(status).end('no');
    });
  const one = (path: string) => new Fetcher({ ...settings(), retries: 3 }).fetchOne(`${W}${path}`);

  it('429: never retried, its Retry-After (seconds) kept as retryAfterMs', async () => {
    answering('/r/429', 429, { 'retry-after': '120' });
    expect(await one('/r/429')).toEqual({
      kind: 'error',
      code: 'status',
      url: `${W}/r/429`,
      reason: 'HTTP 429',
      status: 429,
      retryAfterMs: 120_000,
    });
    expect(srv.hits.get('/r/429')).toBe(1);
    answering('/r/429-bare', 429, {});
    expect(await one('/r/429-bare')).toEqual({
      kind: 'error',
      code: 'status',
      url: `${W}/r/429-bare`,
      reason: 'HTTP 429',
      status: 429,
    });
    expect(srv.hits.get('/r/429-bare')).toBe(1);
  });

  it("503 with a date: counted from the answer's Date header, and not retried (the server named its time)", async () => {
    answering('/r/503-date', 503, {
      date: 'Sat, 20 Jul 2024 04:00:00 GMT',
      'retry-after': 'Sat, 20 Jul 2024 04:05:00 GMT',
    });
    expect(await one('/r/503-date')).toMatchObject({ kind: 'error', status: 503, retryAfterMs: 300_000 });
    expect(srv.hits.get('/r/503-date')).toBe(1);
  });

  it('503 with garbage in Retry-After: ignored, so retried like any 5xx', async () => {
    answering('/r/503-garbage', 503, { 'retry-after': 'soon' });
    expect(await one('/r/503-garbage')).toEqual({
      kind: 'error',
      code: 'status',
      url: `${W}/r/503-garbage`,
      reason: 'HTTP 503',
      status: 503,
    });
    expect(srv.hits.get('/r/503-garbage')).toBe(4);
  });

  it('403 keeps its Retry-After; an absurd one is cut to a day; a date with no valid Date counts from the clock', async () => {
    answering('/r/403', 403, { 'retry-after': '60' });
    expect(await one('/r/403')).toMatchObject({ kind: 'error', status: 403, retryAfterMs: 60_000 });
    expect(srv.hits.get('/r/403')).toBe(1);
    answering('/r/429-absurd', 429, { 'retry-after': '31536000' });
    expect(await one('/r/429-absurd')).toMatchObject({ status: 429, retryAfterMs: 86_400_000 });
    answering('/r/429-far', 429, { date: 'not a date', 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' });
    expect(await one('/r/429-far')).toMatchObject({ status: 429, retryAfterMs: 86_400_000 });
    answering('/r/429-negative', 429, { 'retry-after': '-30' });
    expect(await one('/r/429-negative')).toEqual({
      kind: 'error',
      code: 'status',
      url: `${W}/r/429-negative`,
      reason: 'HTTP 429',
      status: 429,
    });
  });

  it('other statuses ignore Retry-After (a 404 is about the URL, not a wait)', async () => {
    answering('/r/404', 404, { 'retry-after': '60' });
    expect(await one('/r/404')).toEqual({
      kind: 'error',
      code: 'status',
      url: `${W}/r/404`,
      reason: 'HTTP 404',
      status: 404,
    });
  });
});

describe('setPace: the delay between starts becomes delayMs × multiplier, from the next start', () => {
  /** A clock that only moves when slept on: the time a request starts is the clock's time when it returns. */
  function steppingClock(): PacerClock & { t: number; slept: number[] } {
    const c = {
      t: 0,
      slept: [] as number[],
      now: () => c.t,
      sleep: async (ms: number) => {
        c.slept.push(ms);
        c.t += ms;
      },
    };
    return c;
  }

  it('starts 1 s apart, then 3 s after setPace(3), then 1 s again after setPace(1); pace() says which', async () => {
    const clock = steppingClock();
    const f = new Fetcher({ ...settings(), concurrency: 1, delayMs: 1000, retries: 0 }, clock, () => 0.5);
    const starts: number[] = [];
    const go = async (): Promise<void> => {
      expect(await f.fetchOne(`${W}/s/page`)).toMatchObject({ kind: 'ok' });
      starts.push(clock.t);
    };
    expect(f.pace()).toBe(1);
    await go();
    await go();
    f.setPace(3);
    expect(f.pace()).toBe(3);
    await go();
    await go();
    f.setPace(1.5);
    await go();
    f.setPace(1);
    await go();
    expect(starts).toEqual([0, 1000, 4000, 7000, 8500, 9500]);
    expect(clock.slept).toEqual([1000, 3000, 3000, 1500, 1000]);
  });

  it('fetchAll is paced the same way', async () => {
    const clock = steppingClock();
    const f = new Fetcher({ ...settings(), concurrency: 1, delayMs: 200, retries: 0 }, clock, () => 0.5);
    f.setPace(4);
    const got: string[] = [];
    await f.fetchAll([`${W}/s/page`, `${W}/s/page`, `${W}/s/page`], (r) => void got.push(r.kind));
    expect(got).toEqual(['ok', 'ok', 'ok']);
    // Each start waits for its turn on the clock: 0, then 800 and 1600 (fetchAll places the next start before it
    // hands a result on, so the waits say when the starts were, not the clock at each result).
    expect(clock.slept).toEqual([800, 800]);
    expect(clock.t).toBe(1600);
  });

  it('refuses a multiplier below 1 or not finite, and keeps the pace it had', () => {
    const f = new Fetcher(settings());
    f.setPace(2);
    for (const bad of [0.5, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => f.setPace(bad)).toThrow(RangeError);
    }
    expect(f.pace()).toBe(2);
  });
});

describe('Pacer.setDelay', () => {
  it('takes effect from the next start; starts already placed keep their time; a bad delay is refused', async () => {
    const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
    const p = new Pacer(1, 100, c, () => 0.5);
    const starts: number[] = [];
    const go = async (): Promise<void> => {
      (await p.acquire())();
      starts.push(c.t);
    };
    await go();
    await go();
    p.setDelay(500);
    expect(p.delay()).toBe(500);
    await go();
    await go();
    p.setDelay(0);
    await go();
    expect(starts).toEqual([0, 100, 600, 1100, 1100]);
    expect(() => p.setDelay(-1)).toThrow(RangeError);
    expect(() => p.setDelay(Number.NaN)).toThrow(RangeError);
    expect(p.delay()).toBe(0);
  });

  it('a start placed before the change is not moved by it', async () => {
    // A clock whose sleeps wait until the test lets them go: the second start is placed (at 100) while it sleeps.
    const wakers: Array<() => void> = [];
    const c = {
      t: 0,
      now: () => c.t,
      sleep: (ms: number) =>
        new Promise<void>((resolve) =>
          wakers.push(() => {
            c.t += ms;
            resolve();
          }),
        ),
    };
    const p = new Pacer(2, 100, c, () => 0.5);
    (await p.acquire())();
    const second = p.acquire();
    await Promise.resolve();
    p.setDelay(1000);
    expect(wakers).toHaveLength(1);
    wakers.shift()!();
    (await second)();
    expect(c.t).toBe(100);
    const third = p.acquire();
    await Promise.resolve();
    wakers.shift()!();
    (await third)();
    expect(c.t).toBe(1100);
  });
});
