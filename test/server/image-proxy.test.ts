/**
 * The image proxy under hostile or broken conditions (issue 13): media types from the bytes only, raster images
 * only, the sandboxing headers on every answer; one upstream fetch per image however many ask at once; a cache that
 * fails never fails an image; only canonical signed paths for the known image hosts on their default ports.
 * A real upstream server on 127.0.0.1; nothing touches the internet.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, listen } from '../../src/server/app.js';
import { imageProxyRoute } from '../../src/server/image-proxy.js';
import { signedImagePath, verifyImagePath } from '../../src/content/image-sign.js';
import { tempDir } from '../helpers/tmp.js';
import { IMAGES } from '../helpers/images.js';

const SECRET = 'a-test-secret-that-is-long-enough';
const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>document.title="pwned"</script></svg>',
);
const HTML = Buffer.from('<!doctype html><html><body><script>document.title="pwned"</script></body></html>');

interface Upstream {
  type: string;
  body: Buffer;
  delayMs?: number;
  status?: number;
}

let upstream: Server;
let upstreamOrigin = '';
const routes = new Map<string, Upstream>();
const hits = new Map<string, number>();
const hitsOf = (path: string) => hits.get(path) ?? 0;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, hitsOf(path) + 1);
    const r = routes.get(path);
    if (!r) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('missing');
    const answer = () => res.writeHead(r.status ?? 200, { 'content-type': r.type }).end(r.body);
    if (r.delayMs) setTimeout(answer, r.delayMs);
    else answer();
  });
  upstreamOrigin = `http://127.0.0.1:${(await listen(upstream, '127.0.0.1', 0)).port}`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

let t: { dir: string; cleanup: () => void };
let app: Server | undefined;
let base = '';
let cacheErrors: Error[];

/** A server with the proxy over the cache folder given (default: <tmp>/cache). */
async function start(cacheDir = join(t.dir, 'cache'), cacheMaxBytes = 1024 * 1024): Promise<void> {
  cacheErrors = [];
  const route = imageProxyRoute({
    basePath: '/',
    secret: SECRET,
    maxBytes: 1024 * 1024,
    timeoutMs: 5000,
    cacheDir,
    cacheMaxBytes,
    upstream: upstreamOrigin,
    onCacheError: (error: Error) => cacheErrors.push(error),
  });
  app = createApp({
    output: join(t.dir, 'out'),
    baseUrl: 'http://localhost/',
    health: () => ({ ok: true, body: {} }),
    routes: [route],
  });
  base = `http://127.0.0.1:${(await listen(app, '127.0.0.1', 0)).port}/`;
}

beforeEach(() => {
  t = tempDir();
  mkdirSync(join(t.dir, 'out'));
  routes.clear();
  hits.clear();
});
afterEach(async () => {
  if (app) {
    app.closeAllConnections();
    await new Promise((r) => app!.close(r));
  }
  app = undefined;
  t.cleanup();
});

let n = 0;
/** A fresh image URL on the WeChat host and the upstream path it maps to, serving `r`. */
function image(r: Upstream, query = 'wx_fmt=png'): { url: string; path: string } {
  const path = `/mmbiz_png/test${++n}/640`;
  routes.set(path, r);
  return { url: `https://mmbiz.qpic.cn${path}?${query}`, path };
}
const proxied = (url: string) => fetch(`${base}${signedImagePath(SECRET, url)}`);
const cached = (dir = join(t.dir, 'cache')) => (existsSync(dir) ? readdirSync(dir) : []);
const CSP = "default-src 'none'; sandbox";

describe('image proxy: media types from the bytes, raster only (item 2)', () => {
  it('every answer (200, 403, 404 upstream, 502) carries the CSP sandbox and nosniff', async () => {
    await start();
    const ok = image({ type: 'image/png', body: IMAGES.png });
    const answers = [
      await proxied(ok.url),
      await fetch(`${base}img/AAAAAAAAAAAAAAAAAAAAAA/${Buffer.from(ok.url).toString('base64url')}`),
      await proxied('https://mmbiz.qpic.cn/not/there?wx_fmt=png'),
      await proxied(image({ type: 'image/svg+xml', body: SVG }, 'wx_fmt=svg').url),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 403, 502, 502]);
    for (const r of answers) {
      expect(r.headers.get('content-security-policy'), String(r.status)).toBe(CSP);
      expect(r.headers.get('x-content-type-options'), String(r.status)).toBe('nosniff');
    }
  });

  it('the type comes from the magic numbers, never from the upstream header or the URL', async () => {
    await start();
    const cases: Array<[keyof typeof IMAGES, string, string]> = [
      ['png', 'application/octet-stream', 'image/png'],
      ['jpeg', 'image/png', 'image/jpeg'],
      ['gif', 'text/html', 'image/gif'],
      ['webp', 'image/jpeg', 'image/webp'],
      ['bmp', 'image/png', 'image/bmp'],
      ['avif', 'application/octet-stream', 'image/avif'],
    ];
    for (const [name, claimed, want] of cases) {
      const { url } = image({ type: claimed, body: IMAGES[name] }, 'wx_fmt=svg');
      const r = await proxied(url);
      expect(r.status, name).toBe(200);
      expect(r.headers.get('content-type'), name).toBe(want);
      expect(Buffer.from(await r.arrayBuffer()).equals(IMAGES[name]), name).toBe(true);
    }
  });

  it('SVG with script, and HTML under wx_fmt=svg: 502 with the reason, never cached', async () => {
    await start();
    const svg = image({ type: 'image/svg+xml', body: SVG }, 'wx_fmt=svg');
    const html = image({ type: 'text/html', body: HTML }, 'wx_fmt=svg');
    for (const { url, path } of [svg, html]) {
      const r = await proxied(url);
      expect(r.status, path).toBe(502);
      expect(r.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
      const text = await r.text();
      expect(text, path).toContain('not a raster image');
      expect(text, path).not.toContain('<script');
      expect((await proxied(url)).status, path).toBe(502);
      expect(hitsOf(path), `${path} fetched again: the refusal was not cached`).toBe(2);
    }
    expect(cached().filter((f) => f.endsWith('.img'))).toEqual([]);
  });

  it('a cache entry holding SVG (written by an older version) is not served; the image is fetched again', async () => {
    const { url, path } = image({ type: 'image/png', body: IMAGES.png });
    mkdirSync(join(t.dir, 'cache'));
    const key = createHash('sha256').update(url).digest('hex');
    writeFileSync(join(t.dir, 'cache', `${key}.img`), Buffer.concat([Buffer.from('image/svg+xml\n'), SVG]));
    await start();
    const r = await proxied(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await r.arrayBuffer()).equals(IMAGES.png)).toBe(true);
    expect(hitsOf(path)).toBe(1);
  });
});

describe('image proxy: one upstream fetch per image at a time (item 3)', () => {
  it('20 concurrent requests for one uncached image: 20 × 200, identical bytes, 1 upstream request', async () => {
    await start();
    const { url, path } = image({ type: 'image/jpeg', body: IMAGES.jpeg, delayMs: 200 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const r = await proxied(url);
        return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (const a of answers) expect(a.body.equals(IMAGES.jpeg)).toBe(true);
    expect(hitsOf(path)).toBe(1);
    expect(cached().filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(cached().filter((f) => f.endsWith('.img'))).toHaveLength(1);
  });

  it('a failure is shared by the waiters of that fetch only: the next request fetches again', async () => {
    await start();
    const { url, path } = image({ type: 'text/plain', body: Buffer.from('busy'), delayMs: 150, status: 503 });
    const statuses = await Promise.all(Array.from({ length: 5 }, async () => (await proxied(url)).status));
    expect(statuses).toEqual(Array(5).fill(502));
    expect(hitsOf(path)).toBe(1);
    routes.set(path, { type: 'image/png', body: IMAGES.png });
    expect((await proxied(url)).status).toBe(200);
    expect(hitsOf(path)).toBe(2);
  });
});

describe('image proxy: the cache is best effort (item 4)', () => {
  it('cache folder deleted while running: images still 200', async () => {
    await start();
    expect((await proxied(image({ type: 'image/png', body: IMAGES.png }).url)).status).toBe(200);
    rmSync(join(t.dir, 'cache'), { recursive: true, force: true });
    const r = await proxied(image({ type: 'image/png', body: IMAGES.gif }).url);
    expect(r.status).toBe(200);
    expect(Buffer.from(await r.arrayBuffer()).equals(IMAGES.gif)).toBe(true);
  });

  it('a file where the cache folder should be, from the start: 200, the error reported once', async () => {
    writeFileSync(join(t.dir, 'cache'), 'not a folder');
    await start();
    for (let i = 0; i < 3; i++) {
      const r = await proxied(image({ type: 'image/png', body: IMAGES.png }).url);
      expect(r.status).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).equals(IMAGES.png)).toBe(true);
    }
    expect(cacheErrors).toHaveLength(1);
    expect(cacheErrors[0]!.message).toContain(join(t.dir, 'cache'));
  });

  it('the folder replaced by a file while running: 200, the error reported once, no temp files left', async () => {
    await start();
    expect((await proxied(image({ type: 'image/png', body: IMAGES.png }).url)).status).toBe(200);
    rmSync(join(t.dir, 'cache'), { recursive: true, force: true });
    writeFileSync(join(t.dir, 'cache'), 'not a folder');
    for (let i = 0; i < 3; i++)
      expect((await proxied(image({ type: 'image/png', body: IMAGES.png }).url)).status).toBe(200);
    expect(cacheErrors).toHaveLength(1);
  });

  it('a write that fails after its temp file was made (as on a full disk): 200, the temp file removed', async () => {
    const { url } = image({ type: 'image/png', body: IMAGES.png });
    const key = createHash('sha256').update(url).digest('hex');
    // The entry's name is taken by a folder: the temp file is written, the rename over it fails.
    mkdirSync(join(t.dir, 'cache', `${key}.img`), { recursive: true });
    await start();
    const r = await proxied(url);
    expect(r.status).toBe(200);
    expect(Buffer.from(await r.arrayBuffer()).equals(IMAGES.png)).toBe(true);
    expect(cached().filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(cacheErrors).toHaveLength(1);
  });

  it('leftover temp files of the atomic writer are removed at start; other files stay', async () => {
    mkdirSync(join(t.dir, 'cache'));
    const leftovers = ['.0123abcd.img.4242.deadbeef.tmp', '.x.img.1.0badf00d.tmp'];
    for (const f of [...leftovers, 'keep.txt', 'keep.tmp']) writeFileSync(join(t.dir, 'cache', f), 'x');
    await start();
    expect(cached().sort()).toEqual(['keep.tmp', 'keep.txt']);
  });
});

describe('image proxy: canonical signed paths, known hosts on default ports (item 11)', () => {
  it('an allowed host on another port or scheme, or with credentials, is refused even when signed', async () => {
    await start();
    const { path } = image({ type: 'image/png', body: IMAGES.png });
    for (const url of [
      `http://mmbiz.qpic.cn:9103${path}?wx_fmt=png`,
      `https://mmbiz.qpic.cn:8443${path}?wx_fmt=png`,
      `http://mmbiz.qpic.cn:443${path}?wx_fmt=png`,
      `https://user:pw@mmbiz.qpic.cn${path}?wx_fmt=png`,
      `ftp://mmbiz.qpic.cn${path}?wx_fmt=png`,
    ]) {
      expect((await proxied(url)).status, url).toBe(403);
    }
    expect(hitsOf(path)).toBe(0);
    for (const url of [`https://mmbiz.qpic.cn${path}?wx_fmt=png`, `http://mmbiz.qpic.cn:80${path}?wx_fmt=png`])
      expect((await proxied(url)).status, url).toBe(200);
  });

  it('only the canonical base64url of the signature and of the URL: no padding, no other trailing bits', async () => {
    await start();
    const { url } = image({ type: 'image/png', body: IMAGES.png });
    const [, sig, encoded] = signedImagePath(SECRET, url).split('/') as [string, string, string];
    expect(verifyImagePath(SECRET, sig, encoded)).toBe(url);
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    /** The same bytes spelled with other trailing bits (the last character's low bits are not part of the data). */
    const otherTrailingBits = (s: string) => s.slice(0, -1) + ALPHABET[ALPHABET.indexOf(s.at(-1)!) ^ 1];
    // 16 bytes: 22 characters, 4 unused bits; pick a URL whose encoding leaves unused bits too.
    const odd = `${url}&x=1`.length % 3 === 0 ? `${url}&x=12` : `${url}&x=1`;
    const [, oddSig, oddEncoded] = signedImagePath(SECRET, odd).split('/') as [string, string, string];
    expect(Buffer.from(otherTrailingBits(sig), 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    expect(Buffer.from(otherTrailingBits(oddEncoded), 'base64url').toString()).toBe(odd);
    const variants: Array<[string, string]> = [
      [otherTrailingBits(sig), encoded],
      [oddSig, otherTrailingBits(oddEncoded)],
      [`${sig}==`, encoded],
      [sig, `${encoded}=`],
      [`${sig.slice(0, -1)}+`, encoded],
    ];
    for (const [s, e] of variants) {
      expect(verifyImagePath(SECRET, s, e), `${s}/${e}`).toBeUndefined();
      expect((await fetch(`${base}img/${s}/${e}`)).status, `${s}/${e}`).toBe(403);
    }
    expect((await fetch(`${base}img/${oddSig}/${oddEncoded}`)).status).toBe(200);
  });

  it('a URL whose bytes are not valid UTF-8 is refused (it would not re-encode to the same path)', () => {
    const bytes = Buffer.concat([
      Buffer.from('https://mmbiz.qpic.cn/a/'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('?wx_fmt=png'),
    ]);
    const encoded = bytes.toString('base64url');
    const url = bytes.toString('utf8');
    // Signed over the decoded text, as an attacker holding a valid signature for that text would present it.
    const [, sig] = signedImagePath(SECRET, url).split('/') as [string, string];
    expect(verifyImagePath(SECRET, sig, encoded)).toBeUndefined();
  });
});
