import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageClient as Fetcher, toOriginUrl } from '../../src/http/pages.js';
import { Pacer, type PacerClock } from '../../src/http/pacer.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import type { FetchOutcome } from '../../src/types.js';

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
      url: 'https://example.com/s/x',
      reason: 'not a mp.weixin.qq.com URL',
    });
  });
  it('a response slower than the timeout', async () => {
    const r = await get('/fault/slow', { timeoutMs: 200, retries: 0 });
    expect(r).toMatchObject({ kind: 'error', reason: 'timeout after 200 ms' });
  });
  it('500s then success: retried; always 5xx: retries exactly `retries` times; 4xx never retried', async () => {
    expect(await get('/fault/500-then-ok')).toMatchObject({ kind: 'ok', html: '<html>ok after 500s</html>' });
    expect(srv.hits.get('/fault/500-then-ok')).toBe(3);
    expect(await get('/fault/always-500', { retries: 3 })).toMatchObject({
      kind: 'error',
      reason: 'HTTP 503',
      status: 503,
    });
    expect(srv.hits.get('/fault/always-500')).toBe(4);
    expect(await get('/fault/404', { retries: 3 })).toMatchObject({ kind: 'error', reason: 'HTTP 404' });
    expect(srv.hits.get('/fault/404')).toBe(1);
  });
  it('a connection reset and a truncated body are errors (retried, then reported)', async () => {
    expect(await get('/fault/reset', { retries: 1 })).toMatchObject({ kind: 'error' });
    expect(srv.hits.get('/fault/reset')).toBe(2);
    const t = await get('/fault/truncated', { retries: 0 });
    expect(t).toMatchObject({ kind: 'error', reason: 'truncated body (19 of 100000 bytes)' });
  });
  it('a 50 MB body and a gzip bomb are cut at maxBytes, memory stays bounded', async () => {
    const before = process.memoryUsage().rss;
    expect(await get('/fault/huge', { maxBytes: 1024 * 1024 })).toMatchObject({
      kind: 'error',
      reason: 'response over 1048576 bytes',
    });
    expect(await get('/fault/gzip-bomb', { maxBytes: 1024 * 1024 })).toMatchObject({
      kind: 'error',
      reason: 'response over 1048576 bytes',
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });
  it('redirects: loops, chains past 5, other hosts and captcha paths', async () => {
    expect(await get('/fault/loop')).toMatchObject({ kind: 'error', reason: 'redirect loop' });
    expect(await get('/fault/chain')).toMatchObject({ kind: 'error', reason: 'more than 5 redirects' });
    expect(await get('/fault/elsewhere')).toMatchObject({
      kind: 'error',
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
