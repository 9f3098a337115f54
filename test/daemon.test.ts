import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../src/commands/daemon.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { readFeed } from './helpers/feeds.js';
import { startFaultServer } from './helpers/fault-server.js';
import { OWN_FIXTURES } from './helpers/paths.js';
import { liveFor } from '../src/commands/live.js';
import { captureLog } from './helpers/log.js';

const url = (n: number) =>
  `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=${1000 + n}&idx=1&sn=${String(n).padStart(32, 'b')}`;

let t: { dir: string; cleanup: () => void };
let daemon: Daemon | undefined;
let lines: Array<Record<string, unknown>>;

function logger() {
  const captured = captureLog('info');
  lines = captured.lines;
  return captured.log;
}

function config(extra = '', token?: string): void {
  writeFileSync(
    join(t.dir, 'wxfeed.yaml'),
    `dumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nschedule:\n  cron: "* * * * * *"\nserver:\n  port: 0\n${token ? `  token: ${token}\n` : ''}${extra}`,
  );
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; log: ${JSON.stringify(lines.slice(-5))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cycles = () => lines.filter((l) => l.msg === 'cycle done').length;

beforeEach(() => {
  t = tempDir();
  writeFile(
    join(t.dir, 'dumps/1.md'),
    dump({ title: '第一篇', url: url(1), source: '账号', date: '2024-07-01' }, '正文一。'),
  );
});
afterEach(async () => {
  await daemon?.stop('test over');
  daemon = undefined;
  t.cleanup();
});

describe('wxfeed daemon', () => {
  it('serves feeds; a dump added while it runs shows up after the next tick; unchanged feeds answer 304', async () => {
    config('', 'daemon-test-token-0123456789');
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
    await until(() => cycles() >= 1);
    const base = `http://127.0.0.1:${daemon.address()!.port}`;
    const first = await fetch(`${base}/3267269114/atom.xml`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const etag = first.headers.get('etag')!;
    expect(readFeed(await first.text()).items.map((i) => i.title)).toEqual(['第一篇']);
    expect((await fetch(`${base}/3267269114/atom.xml`, { headers: { 'If-None-Match': etag } })).status).toBe(304);

    writeFile(
      join(t.dir, 'dumps/2.md'),
      dump({ title: '第二篇', url: url(2), source: '账号', date: '2024-07-02' }, '正文二。'),
    );
    const seen = cycles();
    await until(() => cycles() >= seen + 2);
    const next = await fetch(`${base}/3267269114/atom.xml`, { headers: { 'If-None-Match': etag } });
    expect(next.status).toBe(200);
    expect(readFeed(await next.text()).items.map((i) => i.title)).toEqual(['第二篇', '第一篇']);
    const authorization = 'Bearer daemon-test-token-0123456789';
    const health = (await (await fetch(`${base}/healthz`, { headers: { authorization } })).json()) as {
      lastCycle: { result: string; start: string; end: string; summary: { articles: number } };
      sources: Array<{ slug: string; items: number }>;
    };
    expect(health.lastCycle.result).toBe('ok');
    expect(Date.parse(health.lastCycle.end)).toBeGreaterThanOrEqual(Date.parse(health.lastCycle.start));
    expect(health.lastCycle.summary.articles).toBe(2);
    expect(health.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ slug: '3267269114', items: 2 }),
        expect.objectContaining({ slug: 'all', items: 2 }),
      ]),
    );
  });

  it('never runs two cycles at once: a tick during a long cycle is skipped and logged', async () => {
    // A cycle made long for certain: it fetches one followed URL from a loopback server that answers after 3 s,
    // while the schedule ticks every second.
    const srv = await startFaultServer({ latencyMs: 3000 });
    try {
      srv.pages.set('/s', readFileSync(`${OWN_FIXTURES}pages/article.html`, 'utf8'));
      writeFileSync(
        join(t.dir, 'urls.txt'),
        'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111\n',
      );
      config(`urlFiles: [urls.txt]\nfetch:\n  origin: ${srv.origin}\n  delayMs: 0\n  retries: 0\n  timeoutMs: 10000\n`);
      daemon = await startDaemon({
        configPath: join(t.dir, 'wxfeed.yaml'),
        log: logger(),
        live: (c) => liveFor(c, { offline: false, refetch: false }),
      });
      await until(() => lines.some((l) => l.msg === 'tick skipped: a cycle is still running'));
      expect(cycles()).toBe(0);
      await until(() => cycles() >= 1);
      // Every tick between the start of the first cycle and its end was skipped: no second cycle overlapped it.
      const firstDone = lines.findIndex((l) => l.msg === 'cycle done');
      const skips = lines.filter((l, i) => l.msg === 'tick skipped: a cycle is still running' && i < firstDone).length;
      expect(skips).toBeGreaterThanOrEqual(1);
      expect(lines[firstDone]).toMatchObject({ reason: 'start', fetched: 1 });
      expect(srv.hits.get('/s')).toBe(1);
      daemon.runNow();
      expect(daemon.runNow()).toBe(false); // synchronous: a cycle is running now, whoever started it
    } finally {
      await daemon?.stop('test over');
      daemon = undefined;
      await srv.close();
    }
  });

  it('re-reads a changed config before a cycle; an invalid one is reported and the previous stays', async () => {
    config('feed:\n  title: 第一个标题\n');
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
    await until(() => cycles() >= 1);
    expect(readFeed(readFileSync(join(t.dir, 'out/all/atom.xml'), 'utf8')).title).toBe('第一个标题');
    config('feed:\n  title: 第二个标题\n');
    await until(() => lines.some((l) => l.msg === 'config reloaded'));
    await until(() => readFileSync(join(t.dir, 'out/all/atom.xml'), 'utf8').includes('第二个标题'));
    config('feed:\n  title: 第三个标题\n  colour: blue\n');
    await until(() => lines.some((l) => l.msg === 'config invalid: the previous config stays in force'));
    const bad = lines.find((l) => l.msg === 'config invalid: the previous config stays in force')!;
    expect(String(bad.error)).toContain('feed.colour: unknown key');
    const seen = cycles();
    await until(() => cycles() >= seen + 1);
    expect(readFileSync(join(t.dir, 'out/all/atom.xml'), 'utf8')).toContain('第二个标题');
    expect(lines.at(-1)?.msg).not.toBe('cycle failed');
  });
});

describe('wxfeed daemon: /healthz and problems (items 10 and 20)', () => {
  const TOKEN = 'health-token-0123456789abc';
  const healthz = async (auth?: string) => {
    const r = await fetch(`http://127.0.0.1:${daemon!.address()!.port}/healthz`, {
      headers: auth ? { authorization: auth } : {},
    });
    return { status: r.status, text: await r.text() };
  };

  it('anonymous: state and counts only; with the token: paths, reasons and the current problems', async () => {
    writeFile(join(t.dir, 'dumps/empty.md'), '');
    writeFileSync(join(t.dir, 'urls.txt'), 'https://example.com/not-wechat\n');
    config('urlFiles: [urls.txt]\n', TOKEN);
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
    await until(() => cycles() >= 1);
    for (const auth of [undefined, 'Bearer wrong-token-0123456789', TOKEN, `Basic ${TOKEN}`]) {
      const anon = await healthz(auth);
      expect(anon.status, String(auth)).toBe(200);
      // No absolute path (the temp folder, the config file, dumps), no problem reason, no URL from the URL file.
      for (const secret of [t.dir, 'wxfeed.yaml', 'empty.md', 'empty file', 'example.com', 'not a WeChat'])
        expect(anon.text, `${auth}: ${secret}`).not.toContain(secret);
      const body = JSON.parse(anon.text) as Record<string, unknown>;
      expect(body).toMatchObject({ ok: true, running: expect.any(Boolean), problems: 2, feeds: 2 });
      expect(body.lastCycle).toMatchObject({
        result: 'ok',
        summary: { articles: 1, problems: 1, fetch: { listed: 0 } },
      });
    }
    const full = await healthz(`Bearer ${TOKEN}`);
    expect(full.status).toBe(200);
    const body = JSON.parse(full.text) as {
      config: string;
      problems: Array<{ where: string; reason: string }>;
      sources: Array<{ slug: string }>;
    };
    expect(body.config).toBe(join(t.dir, 'wxfeed.yaml'));
    expect(body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ where: join(t.dir, 'dumps/empty.md'), reason: 'empty file' }),
        expect.objectContaining({ where: `${join(t.dir, 'urls.txt')}:1`, reason: 'bad URL' }),
      ]),
    );
    expect(body.sources.map((s) => s.slug).sort()).toEqual(['3267269114', 'all']);
  });

  it('a failed cycle: 503 for everyone, its error text only with the token', async () => {
    writeFile(join(t.dir, 'data/wxfeed.db'), 'this is not a database, at a secret path');
    config('', TOKEN);
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
    await until(() => lines.some((l) => l.msg === 'cycle failed'));
    const anon = await healthz();
    expect(anon.status).toBe(503);
    expect(JSON.parse(anon.text)).toMatchObject({ ok: false, lastCycle: { result: 'failed' } });
    expect(anon.text).not.toContain('wxfeed store');
    expect(anon.text).not.toContain(t.dir);
    const full = await healthz(`Bearer ${TOKEN}`);
    expect(full.status).toBe(503);
    expect(JSON.parse(full.text)).toMatchObject({
      lastCycle: { result: 'failed', error: expect.stringContaining('not a wxfeed store') },
    });
  });

  it('logs each new problem with its path and reason once, not again while it persists', async () => {
    writeFile(join(t.dir, 'dumps/empty.md'), '');
    config();
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
    await until(() => cycles() >= 3);
    const problemLines = () => lines.filter((l) => l.msg === 'problem');
    expect(problemLines()).toEqual([
      expect.objectContaining({ where: join(t.dir, 'dumps/empty.md'), reason: 'empty file', level: 40 }),
    ]);
    writeFile(join(t.dir, 'dumps/binary.md'), Buffer.from([0, 1, 2, 3]));
    const seen = cycles();
    await until(() => cycles() >= seen + 3);
    expect(problemLines().map((l) => [l.where, l.reason])).toEqual([
      [join(t.dir, 'dumps/empty.md'), 'empty file'],
      [join(t.dir, 'dumps/binary.md'), 'binary file'],
    ]);
    expect(daemon.health().body).toMatchObject({
      problems: [
        expect.objectContaining({ where: join(t.dir, 'dumps/binary.md') }),
        expect.objectContaining({ where: join(t.dir, 'dumps/empty.md') }),
      ],
    });
    // Fixed: said once, gone from /healthz; the other stays and is not logged again.
    writeFile(join(t.dir, 'dumps/empty.md'), dump({ title: '不再空', url: url(3), source: '账号' }, '正文。'));
    const before = cycles();
    await until(() => cycles() >= before + 2);
    expect(lines.filter((l) => l.msg === 'problem gone').map((l) => l.where)).toEqual([join(t.dir, 'dumps/empty.md')]);
    expect(problemLines()).toHaveLength(2);
    expect(daemon.health().body).toMatchObject({
      problems: [expect.objectContaining({ where: join(t.dir, 'dumps/binary.md') })],
    });
  });
});

describe('wxfeed daemon: image proxy wiring', () => {
  it('a cache folder that cannot be used: images are served, the cache error is logged once with its path', async () => {
    const { createServer } = await import('node:http');
    const { signedImagePath } = await import('../src/content/image-sign.js');
    const { IMAGES } = await import('./helpers/images.js');
    const upstream = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(IMAGES.png));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    try {
      const up = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
      writeFileSync(join(t.dir, 'not-a-folder'), 'x');
      const secret = 'daemon-test-secret-0123456789';
      config(`images: proxy\nimageProxy:\n  secret: ${secret}\n  cacheDir: not-a-folder\n`);
      process.env.WXFEED_IMAGE_UPSTREAM = up;
      daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
      const base = `http://127.0.0.1:${daemon.address()!.port}/`;
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${base}${signedImagePath(secret, `https://mmbiz.qpic.cn/a/${i}?wx_fmt=png`)}`);
        expect(r.status).toBe(200);
        expect(Buffer.from(await r.arrayBuffer()).equals(IMAGES.png)).toBe(true);
      }
      const errors = lines.filter((l) => l.msg === 'image cache error: images are served without the cache');
      expect(errors).toHaveLength(1);
      expect(String(errors[0]!.error)).toContain(join(t.dir, 'not-a-folder'));
    } finally {
      delete process.env.WXFEED_IMAGE_UPSTREAM;
      upstream.closeAllConnections();
      await new Promise((r) => upstream.close(r));
    }
  });
});

describe('wxfeed daemon process', () => {
  it('SIGTERM with a cycle in flight: exit 0 within seconds, feeds intact and valid, store consistent', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const Database = (await import('better-sqlite3')).default;
    const { existsSync, readdirSync } = await import('node:fs');
    for (let i = 3; i < 3000; i++)
      writeFile(
        join(t.dir, `dumps/bulk/${i}.md`),
        dump(
          { title: `文章 ${i}`, url: url(i), source: `账号${i % 7}`, date: '2024-07-03' },
          `正文 ${i}。\n\n${'内容。'.repeat(300)}`,
        ),
      );
    // After reading the dumps the cycle fetches a followed URL from a server that answers after 20 s: whenever
    // SIGTERM comes, a cycle is in flight.
    const srv = await startFaultServer({ latencyMs: 20_000 });
    srv.pages.set('/s', readFileSync(`${OWN_FIXTURES}pages/article.html`, 'utf8'));
    writeFileSync(
      join(t.dir, 'urls.txt'),
      'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111\n',
    );
    config(`urlFiles: [urls.txt]\nfetch:\n  origin: ${srv.origin}\n  delayMs: 0\n  retries: 0\n  timeoutMs: 60000\n`);
    const cli = fileURLToPath(new URL('../src/commands/cli.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), cli, 'daemon', '--config', join(t.dir, 'wxfeed.yaml')],
      { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Wait until the first cycle is reading files, then stop it.
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(t.dir, 'data/wxfeed.db')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    const sent = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    await srv.close();
    expect(code, err).toBe(0);
    expect(Date.now() - sent).toBeLessThan(12_000); // the daemon waits at most 8 s for the cycle; generous for a loaded CI machine
    expect(err).toContain('cycle stopped');
    expect(err).not.toContain('cycle done');
    const db = new Database(join(t.dir, 'data/wxfeed.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const out = join(t.dir, 'out');
    for (const dir of existsSync(out) ? readdirSync(out) : []) {
      if (dir.endsWith('.html') || dir.endsWith('.opml')) continue;
      for (const f of ['atom.xml', 'rss.xml']) {
        const p = join(out, dir, f);
        if (existsSync(p)) readFeed(readFileSync(p, 'utf8'));
      }
    }
    expect(
      readdirSync(t.dir, { recursive: true })
        .map(String)
        .filter((p) => p.endsWith('.tmp')),
    ).toEqual([]);
  });
});
