/**
 * Issue 13, item 2, in a real browser: Chromium ran the script of an SVG the proxy served in our origin. Headless
 * Chromium (Debian's /usr/bin/chromium; skipped without it) opens the same SVG from the upstream directly (its
 * script runs: the check can see it) and through the proxy (refused: nothing runs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createApp, listen } from '../../src/server/app.js';
import { imageProxyRoute } from '../../src/server/image-proxy.js';
import { signedImagePath } from '../../src/content/image-sign.js';
import { tempDir } from '../helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'browser-test-secret-0123456789';
const MARK = "document.documentElement.setAttribute('data-pwned','yes')";
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>${MARK}</script></svg>`;
const HTML = `<!doctype html><html><body><script>${MARK}</script></body></html>`;

let t: { dir: string; cleanup: () => void };
let upstream: Server;
let app: Server;
let up = '';
let base = '';

/** The DOM Chromium ends up with after loading the URL (scripts run). */
function dumpDom(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        `--user-data-dir=${join(t.dir, 'profile')}`,
        '--dump-dom',
        url,
      ],
      { timeout: 30_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

beforeAll(async () => {
  t = tempDir();
  mkdirSync(join(t.dir, 'out'));
  upstream = createServer((req, res) => {
    if (req.url?.includes('html')) res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
    else res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG);
  });
  up = `http://127.0.0.1:${(await listen(upstream, '127.0.0.1', 0)).port}`;
  app = createApp({
    output: join(t.dir, 'out'),
    baseUrl: 'http://localhost/',
    health: () => ({ ok: true, body: {} }),
    routes: [
      imageProxyRoute({
        basePath: '/',
        secret: SECRET,
        maxBytes: 1024 * 1024,
        timeoutMs: 5000,
        cacheDir: join(t.dir, 'cache'),
        cacheMaxBytes: 1024 * 1024,
        upstream: up,
      }),
    ],
  });
  base = `http://127.0.0.1:${(await listen(app, '127.0.0.1', 0)).port}/`;
});
afterAll(async () => {
  await new Promise((r) => app.close(r));
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
  t.cleanup();
});

describe.skipIf(!existsSync(CHROMIUM))('image proxy in Chromium (item 2)', () => {
  it('an SVG or HTML with script runs when opened from the upstream, and not through the proxy', async () => {
    expect(await dumpDom(`${up}/mmbiz_svg/x/0?wx_fmt=svg`)).toContain('data-pwned="yes"');
    for (const path of ['/mmbiz_svg/x/0?wx_fmt=svg', '/html/0?wx_fmt=svg']) {
      const dom = await dumpDom(`${base}${signedImagePath(SECRET, `https://mmbiz.qpic.cn${path}`)}`);
      expect(dom, path).not.toContain('data-pwned="yes"');
      expect(dom, path).toContain('not a raster image');
    }
  });
});
