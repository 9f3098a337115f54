import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { Server } from 'node:http';
import { createApp, listen } from '../../src/server/app.js';
import { pickEncoding, safeRelativePath } from '../../src/server/static.js';
import { tempDir } from '../helpers/tmp.js';

let t: { dir: string; cleanup: () => void };
let server: Server;
let port = 0;
let healthy = true;
let withSummary = true;
const TOKEN = 'static-test-token-0123456789';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  t = tempDir();
  const out = join(t.dir, 'output');
  mkdirSync(join(out, 'acct'), { recursive: true });
  writeFileSync(
    join(out, 'acct/atom.xml'),
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">${'<x/>'.repeat(500)}</feed>`,
  );
  writeFileSync(join(out, 'acct/rss.xml'), '<rss version="2.0"/>');
  writeFileSync(join(out, 'acct/feed.json'), '{"version":"https://jsonfeed.org/version/1"}');
  writeFileSync(join(out, 'feeds.opml'), '<opml version="2.0"/>');
  writeFileSync(join(out, 'index.html'), '<!doctype html><title>i</title>');
  writeFileSync(join(t.dir, 'secret.txt'), 'secret');
  symlinkSync(join(t.dir, 'secret.txt'), join(out, 'leak.xml'));
  symlinkSync(t.dir, join(out, 'up'));
  server = createApp({
    output: out,
    baseUrl: 'http://localhost:8080/feeds/',
    token: TOKEN,
    health: () => ({
      ok: healthy,
      body: { lastCycle: healthy ? 'ok' : 'failed', config: '/srv/secret/wxfeed.yaml' },
      ...(withSummary ? { summary: { lastCycle: healthy ? 'ok' : 'failed' } } : {}),
    }),
  });
  port = (await listen(server, '127.0.0.1', 0)).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  t.cleanup();
});

describe('static feed server', () => {
  it('serves each media type with charset under the base path', async () => {
    const types: Array<[string, string]> = [
      ['/feeds/acct/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/feeds/acct/rss.xml', 'application/rss+xml; charset=utf-8'],
      ['/feeds/acct/feed.json', 'application/feed+json; charset=utf-8'],
      ['/feeds/feeds.opml', 'text/x-opml; charset=utf-8'],
      ['/feeds/index.html', 'text/html; charset=utf-8'],
      ['/feeds/', 'text/html; charset=utf-8'],
    ];
    for (const [path, type] of types) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
    }
    expect((await get('/feeds/acct/atom.xml')).headers['cache-control']).toBe('public, max-age=300');
    expect((await get('/acct/atom.xml')).status).toBe(404);
  });

  it('200 then 304 by ETag and by date', async () => {
    const first = await get('/feeds/acct/rss.xml');
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const byTag = await get('/feeds/acct/rss.xml', { 'If-None-Match': etag });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    const byDate = await get('/feeds/acct/rss.xml', { 'If-Modified-Since': first.headers['last-modified'] as string });
    expect(byDate.status).toBe(304);
    const old = await get('/feeds/acct/rss.xml', { 'If-Modified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' });
    expect(old.status).toBe(200);
    expect((await get('/feeds/acct/rss.xml', { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('If-None-Match matches our tags only, exactly: no suffix of our making is enough (item 11)', async () => {
    const first = await get('/feeds/acct/rss.xml');
    const etag = first.headers.etag as string;
    const bare = etag.slice(1, -1);
    for (const tag of [
      `"${bare}-garbage"`,
      `"${bare}-"`,
      `"${bare}-gzip-x"`,
      `"${bare}x"`,
      `${bare}`,
      `"${bare.slice(0, -1)}"`,
    ]) {
      expect((await get('/feeds/acct/rss.xml', { 'If-None-Match': tag })).status, tag).toBe(200);
    }
    for (const tag of [etag, `W/${etag}`, `"${bare}-gzip"`, `"${bare}-br"`, `"other", ${etag}`, '*'])
      expect((await get('/feeds/acct/rss.xml', { 'If-None-Match': tag })).status, tag).toBe(304);
  });

  it('If-Modified-Since in the future is not a 304 (item 11)', async () => {
    const future = new Date(Date.now() + 24 * 3600 * 1000).toUTCString();
    const r = await get('/feeds/acct/rss.xml', { 'If-Modified-Since': future });
    expect(r.status).toBe(200);
    expect(r.body.length).toBeGreaterThan(0);
    const now = await get('/feeds/acct/rss.xml', { 'If-Modified-Since': new Date().toUTCString() });
    expect(now.status).toBe(304);
  });

  it('gzip and br when asked, identity otherwise; HEAD has headers and no body', async () => {
    const plainBody = (await get('/feeds/acct/atom.xml')).body;
    const gz = await get('/feeds/acct/atom.xml', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plainBody)).toBe(true);
    expect(gz.body.length).toBeLessThan(plainBody.length);
    const br = await get('/feeds/acct/atom.xml', { 'Accept-Encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plainBody)).toBe(true);
    expect(
      (await get('/feeds/acct/atom.xml', { 'If-None-Match': gz.headers.etag as string, 'Accept-Encoding': 'gzip' }))
        .status,
    ).toBe(304);
    const head = await get('/feeds/acct/atom.xml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(plainBody.length));
    expect(head.body.length).toBe(0);
  });

  it('nothing outside output/ in any form; no listings', async () => {
    const attempts = [
      '/feeds/../secret.txt',
      '/feeds/%2e%2e/secret.txt',
      '/feeds/%2E%2E%2Fsecret.txt',
      '/feeds/..%2fsecret.txt',
      '/feeds/..%5csecret.txt',
      '/feeds/..\\secret.txt',
      '/feeds/%252e%252e/secret.txt',
      '/feeds//etc/passwd',
      '/feeds/acct/atom.xml%00.html',
      '/feeds/leak.xml',
      '/feeds/up/secret.txt',
      '/feeds/acct/',
      '/feeds/.hidden',
      '/feeds/C:/windows',
      '/feeds/%c0%ae%c0%ae/secret.txt',
    ];
    for (const path of attempts) {
      const r = await get(path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body.toString(), path).not.toContain('secret');
    }
  });

  it('other methods are refused', async () => {
    expect((await get('/feeds/acct/atom.xml', {}, 'POST')).status).toBe(405);
    expect((await get('/feeds/acct/atom.xml', {}, 'DELETE')).status).toBe(405);
  });

  it('/healthz: 200 with the state, 503 when the last cycle failed', async () => {
    const ok = await get('/healthz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toEqual({ lastCycle: 'ok' });
    healthy = false;
    expect((await get('/feeds/healthz')).status).toBe(503);
    healthy = true;
  });

  it('/healthz: the details only with the bearer token; anyone else gets the summary (item 10)', async () => {
    const as = async (auth?: string) =>
      JSON.parse((await get('/healthz', auth ? { Authorization: auth } : {})).body.toString()) as unknown;
    expect(await as(`Bearer ${TOKEN}`)).toEqual({ lastCycle: 'ok', config: '/srv/secret/wxfeed.yaml' });
    for (const auth of [undefined, 'Bearer nope-nope-nope-nope', `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`])
      expect(await as(auth), String(auth)).toEqual({ lastCycle: 'ok' });
    const r = await get('/healthz', { Authorization: `Bearer ${TOKEN}` });
    expect(r.headers['cache-control']).toBe('no-store');
    // A health report without a summary shows anyone its state only.
    withSummary = false;
    try {
      expect(await as()).toEqual({ ok: true });
    } finally {
      withSummary = true;
    }
  });

  it('/healthz of a server without a token never shows the details', async () => {
    const bare = createApp({
      output: join(t.dir, 'output'),
      baseUrl: 'http://localhost/',
      health: () => ({ ok: true, body: { config: '/srv/secret/wxfeed.yaml' } }),
    });
    const { port: p } = await listen(bare, '127.0.0.1', 0);
    try {
      const sets: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer ' },
        { authorization: `Bearer ${TOKEN}` },
      ];
      for (const headers of sets) {
        const r = await fetch(`http://127.0.0.1:${p}/healthz`, { headers });
        expect(await r.json()).toEqual({ ok: true });
      }
    } finally {
      await new Promise((r) => bare.close(r));
    }
  });
});

describe('pure helpers', () => {
  it('safeRelativePath', () => {
    expect(safeRelativePath('a/b/atom.xml')).toEqual({ ok: true, path: 'a/b/atom.xml' });
    expect(safeRelativePath('%E4%B8%AD/x')).toEqual({ ok: true, path: '中/x' });
    expect(safeRelativePath('a/%2e%2e/b')).toEqual({ ok: false, status: 400 });
    expect(safeRelativePath('%252e%252e/b')).toEqual({ ok: false, status: 400 });
    expect(safeRelativePath('%E0%A4%A')).toEqual({ ok: false, status: 400 });
  });
  it('pickEncoding', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip;q=1, br;q=0')).toBe('gzip');
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding(undefined)).toBeUndefined();
    expect(pickEncoding('*')).toBe('br');
  });
});
