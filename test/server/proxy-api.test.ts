import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, listen } from '../../src/server/app.js';
import { imageProxyRoute } from '../../src/server/image-proxy.js';
import { apiRoute, type ManageOps } from '../../src/server/api.js';
import { signedImagePath, verifyImagePath } from '../../src/content/image-sign.js';
import { rewriteImages } from '../../src/content/images.js';
import { tempDir } from '../helpers/tmp.js';

const SECRET = 'a-test-secret-that-is-long-enough';
const TOKEN = 'admin-token-0123456789';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]);

let t: { dir: string; cleanup: () => void };
let upstream: Server;
let app: Server;
let base = '';
const upstreamHits: string[] = [];
const added: string[][] = [];
let refreshes = 0;

/** The work behind the API: adds as given; the rest is not called here. */
function ops(add: ManageOps['add']): ManageOps {
  const never = () => Promise.reject(new Error('not called in this test'));
  return { add, follows: never, unfollowAlbum: never, unfollowUrl: never, unfollowAccount: never, resume: never };
}

beforeAll(async () => {
  t = tempDir();
  mkdirSync(join(t.dir, 'out'));
  upstream = createServer((req, res) => {
    upstreamHits.push(`${req.url} referer=${req.headers.referer}`);
    if (req.url?.startsWith('/huge/')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Number.MAX_SAFE_INTEGER));
      pump();
      return;
    }
    if (req.headers.referer !== 'https://mp.weixin.qq.com/') {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('此图片来自微信公众平台 未经允许不可引用');
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  });
  const up = await listen(upstream, '127.0.0.1', 0);
  app = createApp({
    output: join(t.dir, 'out'),
    baseUrl: 'http://localhost/feeds/',
    health: () => ({ ok: true, body: {} }),
    token: TOKEN,
    routes: [
      imageProxyRoute({
        basePath: '/feeds/',
        secret: SECRET,
        maxBytes: 1024 * 1024,
        timeoutMs: 5000,
        cacheDir: join(t.dir, 'cache'),
        cacheMaxBytes: 5000,
        upstream: `http://127.0.0.1:${up.port}`,
      }),
      apiRoute({
        ops: ops(async (urls) => {
          added.push(urls);
          return {
            lines: urls.map((u) => `added  ${u}`),
            added: urls,
            refused: 0,
            results: urls.map((u) => ({ input: u, outcome: 'added' as const, url: u })),
          };
        }),
        cycles: {
          request: () => (++refreshes === 1 ? 'started' : 'queued'),
          state: () => ({ running: refreshes > 0 }),
        },
      }),
    ],
  });
  base = `http://127.0.0.1:${(await listen(app, '127.0.0.1', 0)).port}`;
});
afterAll(async () => {
  await new Promise((r) => app.close(r));
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
  t.cleanup();
});

const IMG = 'https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png&from=appmsg';

describe('image proxy', () => {
  it('signed: fetched with an accepted Referer, then served from the bounded cache', async () => {
    const r = await fetch(`${base}/feeds/${signedImagePath(SECRET, IMG)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await r.arrayBuffer()).equals(PNG)).toBe(true);
    expect(upstreamHits).toEqual(['/mmbiz_png/abc/640?wx_fmt=png&from=appmsg referer=https://mp.weixin.qq.com/']);
    expect((await fetch(`${base}/feeds/${signedImagePath(SECRET, IMG)}`)).status).toBe(200);
    expect(upstreamHits).toHaveLength(1);
    for (let i = 0; i < 5; i++) await fetch(`${base}/feeds/${signedImagePath(SECRET, `${IMG}&n=${i}`)}`);
    const cached = readdirSync(join(t.dir, 'cache')).filter((f) => f.endsWith('.img'));
    const bytes = cached.reduce((n, f) => n + readFileSync(join(t.dir, 'cache', f)).length, 0);
    expect(bytes).toBeLessThanOrEqual(5000);
    expect(cached.length).toBeGreaterThan(0);
  });
  it('unsigned, tampered and foreign-host URLs get 403', async () => {
    const good = signedImagePath(SECRET, IMG).split('/');
    const tamperedUrl = Buffer.from(IMG.replace('abc', 'abd')).toString('base64url');
    const foreign = signedImagePath(SECRET, 'https://evil.example.com/x.png');
    for (const path of [
      `img/${good[2]}`,
      `img/AAAAAAAAAAAAAAAAAAAAAA/${good[2]}`,
      `img/${good[1]}/${tamperedUrl}`,
      foreign,
      `img/${good[1]}/${good[2]}/extra`,
    ]) {
      expect((await fetch(`${base}/feeds/${path}`)).status, path).toBe(403);
    }
    expect(verifyImagePath(SECRET, good[1]!, good[2]!)).toBe(IMG);
    expect(verifyImagePath('another-secret-entirely!!', good[1]!, good[2]!)).toBeUndefined();
  });
  it('an oversize image is cut off, not served', async () => {
    const rss = process.memoryUsage().rss;
    const r = await fetch(`${base}/feeds/${signedImagePath(SECRET, 'https://mmbiz.qpic.cn/huge/1?wx_fmt=png')}`);
    expect(r.status).toBe(502);
    expect(await r.text()).toContain('image over 1048576 bytes');
    expect(process.memoryUsage().rss - rss).toBeLessThan(40 * 1024 * 1024);
  });
  it('content rewriting: no-referrer adds the policy; proxy points WeChat images at the proxy only', () => {
    const html =
      '<p><img src="https://mmbiz.qpic.cn/a/0?wx_fmt=png&amp;x=1" alt="" /><img src="https://example.com/b.png" /></p>';
    expect(rewriteImages(html, 'no-referrer')).toBe(
      '<p><img referrerpolicy="no-referrer" src="https://mmbiz.qpic.cn/a/0?wx_fmt=png&amp;x=1" alt="" /><img referrerpolicy="no-referrer" src="https://example.com/b.png" /></p>',
    );
    const out = rewriteImages(html, 'proxy', (u) => `http://h/${signedImagePath(SECRET, u)}`);
    expect(out).toContain(`src="http://h/${signedImagePath(SECRET, 'https://mmbiz.qpic.cn/a/0?wx_fmt=png&x=1')}"`);
    expect(out).toContain('src="https://example.com/b.png"');
    expect(rewriteImages(html, 'direct')).toBe(html);
  });
});

describe('admin API', () => {
  it('no token, wrong token: 401; right token: the work is done', async () => {
    const post = (path: string, auth?: string, body?: unknown) =>
      fetch(`${base}/feeds/api/${path}`, {
        method: 'POST',
        headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    expect((await post('urls', undefined, ['u'])).status).toBe(401);
    expect((await post('urls', 'Bearer wrong-token-0123456789', ['u'])).status).toBe(401);
    expect((await post('refresh', `Bearer ${TOKEN}x`)).status).toBe(401);
    expect(added).toEqual([]);
    const ok = await post('urls', `Bearer ${TOKEN}`, ['https://mp.weixin.qq.com/s/abcdef123']);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      lines: ['added  https://mp.weixin.qq.com/s/abcdef123'],
      added: ['https://mp.weixin.qq.com/s/abcdef123'],
      refused: 0,
      results: [
        {
          input: 'https://mp.weixin.qq.com/s/abcdef123',
          outcome: 'added',
          url: 'https://mp.weixin.qq.com/s/abcdef123',
        },
      ],
      cycle: 'started',
    });
    expect((await post('urls', `Bearer ${TOKEN}`, { nope: 1 })).status).toBe(400);
    const refresh = await post('refresh', `Bearer ${TOKEN}`);
    expect(refresh.status).toBe(202);
    expect(await refresh.json()).toEqual({ cycle: 'queued' });
    expect((await fetch(`${base}/feeds/api/refresh`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      405,
    );
  });
  it('an add that fails answers 500 with the reason (a JSON error, not a bare internal error)', async () => {
    const failing = createApp({
      output: join(t.dir, 'out'),
      baseUrl: 'http://localhost/',
      health: () => ({ ok: true, body: {} }),
      token: TOKEN,
      routes: [
        apiRoute({
          ops: ops(async () => {
            throw new Error('add: /x/urls.txt.lock is held by pid 1');
          }),
        }),
      ],
    });
    const { port } = await listen(failing, '127.0.0.1', 0);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/urls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(['https://mp.weixin.qq.com/s/abcdef123']),
      });
      expect(r.status).toBe(500);
      expect(await r.json()).toEqual({ error: 'add: /x/urls.txt.lock is held by pid 1' });
    } finally {
      await new Promise((r) => failing.close(r));
    }
  });
  it('under wxfeed serve (no cycles) a refresh is 503 and an add says no cycle runs', async () => {
    const served = createApp({
      output: join(t.dir, 'out'),
      baseUrl: 'http://localhost/',
      health: () => ({ ok: true, body: {} }),
      token: TOKEN,
      routes: [
        apiRoute({
          ops: ops(async (urls) => ({
            lines: [],
            added: urls,
            refused: 0,
            results: urls.map((u) => ({ input: u, outcome: 'added' as const })),
          })),
        }),
      ],
    });
    const { port } = await listen(served, '127.0.0.1', 0);
    try {
      const post = (path: string, body?: unknown) =>
        fetch(`http://127.0.0.1:${port}/api/${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}` },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      const refresh = await post('refresh');
      expect(refresh.status).toBe(503);
      expect(((await refresh.json()) as { error: string }).error).toMatch(/wxfeed serve only serves/);
      expect(await (await post('urls', ['https://mp.weixin.qq.com/s/abcdef123'])).json()).toMatchObject({
        cycle: 'none',
      });
    } finally {
      await new Promise((r) => served.close(r));
    }
  });
});
