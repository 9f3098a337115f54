/**
 * URL files that are not regular files (issue 20, item 5: a URL file that was a symlink to /etc/passwd was appended to
 * through `POST /api/urls`): a symbolic link, a FIFO, a directory or a device is neither read nor written, with a
 * message naming the file and what it is; through `wxfeed add` (addUrls) and `POST /api/urls` alike, the file it
 * points at unchanged. The build goes on with the other inputs, the file named as a problem.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import { build } from '../../src/stages/cycle.js';
import { serverRoutes } from '../../src/commands/daemon.js';
import { silentLogger } from '../helpers/log.js';
import { createApp, listen } from '../../src/server/app.js';
import { addUrls } from '../../src/commands/add.js';
import { appendUrls, readUrlInputs, UrlFileRefused } from '../../src/io/url-files.js';
import type { Config } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const TOKEN = 'url-file-token-0123456789';
const A1 = 'https://mp.weixin.qq.com/s?__biz=Mzg4NTc2OTYxMQ==&mid=2247483650&idx=1&sn=0123456789abcdef0123456789abcdef';
const A2 = 'https://mp.weixin.qq.com/s?__biz=Mzg4NTc2OTYxMQ==&mid=2247483651&idx=1&sn=1123456789abcdef0123456789abcdef';
const A3 = 'https://mp.weixin.qq.com/s?__biz=Mzg4NTc2OTYxMQ==&mid=2247483652&idx=1&sn=2123456789abcdef0123456789abcdef';
/** What the file outside holds: a URL, so that reading it through the link would show. */
const OUTSIDE = `root:x:0:0:root:/root:/bin/bash\n${A3}\n`;

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
  mkdirSync(join(t.dir, 'config'));
  mkdirSync(join(t.dir, 'dumps'));
  writeFileSync(join(t.dir, 'passwd'), OUTSIDE);
});
afterEach(() => t.cleanup());

const configFor = (files: string[]): Config =>
  resolveConfig(
    {
      dumps: ['../dumps'],
      output: '../out',
      store: '../data/wxfeed.db',
      urlFiles: files,
      server: { token: TOKEN, port: 0 },
    },
    join(t.dir, 'config/wxfeed.yaml'),
    join(t.dir, 'config'),
  );
const mkfifo = (path: string): boolean => spawnSync('mkfifo', [path]).status === 0;

/** Each kind of file that is not a regular one, made at `path`; false when this system cannot make it. */
const KINDS: Array<{ what: string; make: (path: string) => boolean }> = [
  {
    what: 'a symbolic link',
    make: (p) => {
      symlinkSync(join(t.dir, 'passwd'), p);
      return true;
    },
  },
  {
    what: 'a symbolic link',
    make: (p) => {
      symlinkSync(join(t.dir, 'nowhere.txt'), p); // dangling: appending must not create its target
      return true;
    },
  },
  { what: 'a FIFO', make: mkfifo },
  {
    what: 'a directory',
    make: (p) => {
      mkdirSync(p);
      return true;
    },
  },
];

describe('reading: a URL file that is not a regular file is a problem naming it; the rest is read', () => {
  for (const [i, kind] of KINDS.entries())
    it(`${kind.what} (${i})`, async (ctx) => {
      const bad = join(t.dir, 'config/urls.txt');
      if (!kind.make(bad)) ctx.skip();
      writeFileSync(join(t.dir, 'config/more.txt'), `${A2}\n`);
      const r = await readUrlInputs([A1], [bad, join(t.dir, 'config/more.txt')]);
      expect(r.entries.map((e) => e.parsed.canonical)).toEqual([A1, A2]);
      expect(r.problems).toEqual([
        {
          kind: 'url-file-refused',
          where: bad,
          reason: 'URL file not a regular file',
          detail: `${kind.what}; refusing to read or write it`,
        },
      ]);
    });

  it('a device (/dev/null as a URL file)', async () => {
    const r = await readUrlInputs([], ['/dev/null']);
    expect(r.problems).toEqual([
      {
        kind: 'url-file-refused',
        where: '/dev/null',
        reason: 'URL file not a regular file',
        detail: 'a character device; refusing to read or write it',
      },
    ]);
  });

  it('a build goes on: the other URL file is read, the refused one is a problem of the summary', async () => {
    symlinkSync(join(t.dir, 'passwd'), join(t.dir, 'config/urls.txt'));
    writeFileSync(join(t.dir, 'config/more.txt'), `${A2}\n`);
    const config = configFor(['urls.txt', 'more.txt']);
    const s = await build(config, { log: silentLogger, now: () => Date.UTC(2025, 0, 1) });
    expect(s.fetch).toMatchObject({
      offline: true,
      listed: 1,
      failures: [
        {
          where: join(t.dir, 'config/urls.txt'),
          reason: 'URL file not a regular file',
          detail: 'a symbolic link; refusing to read or write it',
        },
      ],
    });
  });
});

describe('appending: refused, the file and what it points at unchanged', () => {
  for (const [i, kind] of KINDS.entries())
    it(`${kind.what} (${i}): wxfeed add`, async (ctx) => {
      const bad = join(t.dir, 'config/urls.txt');
      if (!kind.make(bad)) ctx.skip();
      const config = configFor(['urls.txt']);
      await expect(addUrls(config, [A1])).rejects.toThrow(
        `URL file ${bad} is ${kind.what}; refusing to read or write it`,
      );
      expect(readFileSync(join(t.dir, 'passwd'), 'utf8')).toBe(OUTSIDE);
      expect(existsSync(join(t.dir, 'nowhere.txt'))).toBe(false);
    });

  it('a device: refused after it is opened (the check is on what was opened, not on the name)', async () => {
    const error = await appendUrls('/dev/null', [A1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UrlFileRefused);
    expect((error as Error).message).toBe('URL file /dev/null is a character device; refusing to read or write it');
  });

  it('a FIFO with a reader waiting is refused too, after it is opened: nothing written to it', async (ctx) => {
    const fifo = join(t.dir, 'config/urls.txt');
    if (!mkfifo(fifo)) ctx.skip();
    // A reader waiting on the FIFO: opening it to write then succeeds, and only the check of the opened file refuses.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const ended = new Promise<number | null>((r) => reader.once('exit', r));
    await new Promise((r) => setTimeout(r, 200));
    try {
      await expect(appendUrls(fifo, [A1])).rejects.toThrow(`URL file ${fifo} is a FIFO; refusing to read or write it`);
    } finally {
      // Our end closed, the reader sees the end of the FIFO; if it never opened, it is stopped.
      const timer = setTimeout(() => reader.kill(), 300);
      await ended;
      clearTimeout(timer);
    }
    expect(got).toBe('');
  });

  it('a missing file is still created (mode 0644 under the usual umask), with its header', async () => {
    const file = join(t.dir, 'config/new/urls.txt');
    await appendUrls(file, [A1, A2]);
    expect(readFileSync(file, 'utf8')).toBe(
      `# WeChat article, album and homepage URLs followed by wxfeed, one per line. \`wxfeed add URL\` appends here.\n${A1}\n${A2}\n`,
    );
    expect(statSync(file).mode & 0o777).toBe(0o644 & ~process.umask());
    writeFileSync(file, `${A1}`); // no final newline: the next URL goes on a line of its own
    await appendUrls(file, [A3]);
    expect(readFileSync(file, 'utf8')).toBe(`${A1}\n${A3}\n`);
  });

  it('POST /api/urls: 409 naming the file and what it is; the target unchanged', async () => {
    const link = join(t.dir, 'config/urls.txt');
    symlinkSync(join(t.dir, 'passwd'), link);
    const config = configFor(['urls.txt']);
    const app: Server = createApp({
      output: join(t.dir, 'out'),
      baseUrl: config.baseUrl,
      health: () => ({ ok: true, body: {} }),
      routes: serverRoutes(config, () => false),
    });
    const { port } = await listen(app, '127.0.0.1', 0);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/urls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ urls: [A1] }),
      });
      expect(r.status).toBe(409);
      expect(await r.json()).toEqual({ error: `URL file ${link} is a symbolic link; refusing to read or write it` });
      expect(readFileSync(join(t.dir, 'passwd'), 'utf8')).toBe(OUTSIDE);
    } finally {
      app.closeAllConnections();
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});
