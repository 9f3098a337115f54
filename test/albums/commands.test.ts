/**
 * Album URLs through every way in (wxfeed add, POST /api/urls, the command line), wxfeed unfollow and wxfeed list on
 * the command line, and what /healthz says of followed albums, anonymous and to the token holder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import pino from 'pino';
import { resolveConfig } from '../../src/config.js';
import { type Daemon, serverRoutes, startDaemon } from '../../src/commands/daemon.js';
import { liveFor } from '../../src/commands/live.js';
import { createApp, listen } from '../../src/server/app.js';
import { addUrls } from '../../src/commands/add.js';
import type { Config } from '../../src/types.js';
import { type AlbumServer, startAlbumServer } from '../helpers/album-server.js';
import { tempDir } from '../helpers/tmp.js';

const TOKEN = 'albums-token-0123456789';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/commands/cli.ts');
const TSX = import.meta.resolve('tsx');
const CANONICAL =
  'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum&album_id=3329839945947119618';
/** Every form a user pastes of the one album. */
const FORMS = [
  `${CANONICAL.replace('https://', 'http://').replace(/&/g, '&amp;')}#wechat_redirect`,
  CANONICAL,
  `${CANONICAL}&scene=126&nolastread=1#wechat_redirect`,
  CANONICAL.replace(/&/g, '\\x26amp;'),
];
const ARTICLE =
  'https://mp.weixin.qq.com/s?__biz=Mzg4NTc2OTYxMQ==&mid=2247483650&idx=1&sn=0123456789abcdef0123456789abcdef';

let t: { dir: string; cleanup: () => void };
let config: Config;
const listed = () =>
  readFileSync(join(t.dir, 'urls.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

function wxfeed(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args, '--config', join(t.dir, 'wxfeed.yaml')], {
    cwd: t.dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeEach(() => {
  t = tempDir();
  mkdirSync(join(t.dir, 'dumps'));
  writeFileSync(join(t.dir, 'wxfeed.yaml'), 'dumps: [dumps]\nurlFiles: [urls.txt]\nstore: data/wxfeed.db\n');
  config = resolveConfig(
    { dumps: ['dumps'], urlFiles: ['urls.txt'], store: 'data/wxfeed.db', server: { token: TOKEN, port: 0 } },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
});
afterEach(() => t.cleanup());

describe('adding album URLs', () => {
  it('wxfeed add: every pasted form is the one album, written once, beside articles; a bad album URL is refused saying why', async () => {
    const r = await addUrls(config, [
      ...FORMS,
      ARTICLE,
      'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum#wechat_redirect',
      CANONICAL.replace('3329839945947119618', '33298x'),
    ]);
    expect(r.lines).toEqual([
      `added album  ${CANONICAL}`,
      `already followed  ${CANONICAL}`,
      `already followed  ${CANONICAL}`,
      `already followed  ${CANONICAL}`,
      `added  ${ARTICLE}`,
      'refused  https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum#wechat_redirect: album URL has no album_id',
      `refused  ${CANONICAL.replace('3329839945947119618', '33298x')}: album_id "33298x" is not a number`,
      `2 added to ${join(t.dir, 'urls.txt')}; the next build fetches them.`,
    ]);
    expect(r.refused).toBe(2);
    expect(listed()).toEqual([CANONICAL, ARTICLE]);
    expect((await addUrls(config, [FORMS[0]!])).lines).toEqual([`already followed  ${CANONICAL}`]);
  });

  it('POST /api/urls takes album URLs in every form; a bad one is 422 with the reason', async () => {
    const app: Server = createApp({
      output: join(t.dir, 'out'),
      baseUrl: config.baseUrl,
      health: () => ({ ok: true, body: {} }),
      routes: serverRoutes(config, () => false),
    });
    const { port } = await listen(app, '127.0.0.1', 0);
    const post = async (urls: string[]) => {
      const r = await fetch(`http://127.0.0.1:${port}/api/urls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ urls }),
      });
      return { status: r.status, body: (await r.json()) as { lines: string[]; added: string[] } };
    };
    try {
      const ok = await post(FORMS);
      expect(ok.status).toBe(200);
      expect(ok.body.added).toEqual([CANONICAL]);
      const bad = await post(['https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&album_id=abc']);
      expect(bad.status).toBe(422);
      expect(bad.body.lines).toEqual([
        'refused  https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&album_id=abc: album_id "abc" is not a number',
      ]);
      expect(listed()).toEqual([CANONICAL]);
      // A homepage, pasted as it is shared (`&amp;`, http, a fragment), is followed too; one without hid is refused.
      const home = await post([
        'http://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==&amp;hid=4&amp;sn=x#wechat_redirect',
      ]);
      expect(home.status).toBe(200);
      expect(home.body.added).toEqual(['https://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==&hid=4']);
      const noHid = await post(['https://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==']);
      expect(noHid.status).toBe(422);
      expect(noHid.body.lines[0]).toMatch(/homepage URL has no numeric hid$/);
      expect(listed()).toEqual([CANONICAL, 'https://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==&hid=4']);
    } finally {
      app.closeAllConnections();
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});

describe('the command line', () => {
  it('add refuses a bad album URL (exit 2); list shows what is followed; unfollow stops an album, keeps it listed as unfollowed', () => {
    const bad = wxfeed(['add', 'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain(
      'refused  https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==: album URL has no album_id',
    );
    expect(bad.err).toContain('1 of 1 URLs refused');
    const add = wxfeed(['add', FORMS[0]!, ARTICLE]);
    expect(add.code).toBe(0);
    const list = wxfeed(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toBe(
      [
        'articles (1):',
        `  ${ARTICLE}`,
        `      ${join(t.dir, 'urls.txt')}:3; not read yet`,
        'albums and homepages (1):',
        '  account 3885769611:',
        `    Album 3329839945947119618  ${CANONICAL}`,
        '        0 articles known; not polled yet; next poll: next build',
        `        listed at ${join(t.dir, 'urls.txt')}:2; feed album-3329839945947119618/`,
        '',
      ].join('\n'),
    );
    const json = JSON.parse(wxfeed(['list', '--json']).out) as { albums: Array<{ albumId: string }> };
    expect(json.albums.map((a) => a.albumId)).toEqual(['3329839945947119618']);
    const un = wxfeed(['unfollow', `${CANONICAL}#wechat_redirect`, 'album-12x']);
    expect(un.code).toBe(2);
    expect(un.out).toBe(
      [
        `unfollowed  ${CANONICAL}: it was not followed; no page will make it followed`,
        `  still listed at ${join(t.dir, 'urls.txt')}:2: it stays unfollowed; remove that line, or \`wxfeed follow\` it to follow it again`,
        'refused  album-12x: not an album or homepage URL, id or feed folder (album-<id>, home-<account>-<hid>)',
        '',
      ].join('\n'),
    );
    expect(wxfeed(['list']).out).toContain('unfollowed (1; `wxfeed follow` their URL to follow one again):');
    expect(wxfeed(['help', 'unfollow']).out.replace(/\s+/g, ' ')).toContain(
      'an account (its number, an article URL of it, or its feed folder), or an album or homepage (URL, album id',
    );
  }, 60_000);
});

describe('/healthz and followed albums', () => {
  let srv: AlbumServer;
  let daemon: Daemon | undefined;
  afterEach(async () => {
    await daemon?.stop('test over');
    daemon = undefined;
    await srv.close();
  });

  it('anyone: each followed album with its feed, articles known, last poll and result; the token holder: the reason too', async () => {
    srv = await startAlbumServer({ albums: 2, articles: 3 });
    srv.faults.malformed = 1;
    writeFileSync(join(t.dir, 'urls.txt'), `${srv.albumUrl(0)}\n${srv.albumUrl(1)}\n`);
    writeFileSync(
      join(t.dir, 'wxfeed.yaml'),
      `dumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nurlFiles: [urls.txt]\nserver:\n  port: 0\n  token: ${TOKEN}\n` +
        `fetch:\n  origin: ${srv.origin}\n  delayMs: 0\n  concurrency: 1\n  retries: 0\n`,
    );
    const done: unknown[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) {
          const line = JSON.parse(l) as { msg?: string };
          if (line.msg === 'cycle done' || line.msg === 'cycle failed') done.push(line);
        }
        cb();
      },
    });
    daemon = await startDaemon({
      configPath: join(t.dir, 'wxfeed.yaml'),
      log: pino({ level: 'info' }, sink),
      live: (c) => liveFor(c, { offline: false, refetch: false }),
    });
    const end = Date.now() + 30_000;
    while (done.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const get = async (auth?: string) =>
      (await (
        await fetch(`http://127.0.0.1:${daemon!.address()!.port}/healthz`, {
          headers: auth ? { authorization: auth } : {},
        })
      ).json()) as Record<string, unknown>;
    const anon = await get();
    const [a0, a1] = srv.albums;
    const anonPoll = (i: number) => (anon.albums as Array<{ lastPoll: { at: string } }>)[i]!.lastPoll.at;
    expect(anon.albums).toEqual([
      {
        // Its page was read before its list answered malformed: its title and account are known.
        slug: `album-${a0!.albumId}`,
        title: '测试合集0',
        account: '测试账号0',
        items: 0,
        lastPoll: { at: expect.any(String), result: 'failed' },
        // Its own backoff: an hour after the failure.
        nextPoll: new Date(Date.parse(anonPoll(0)) + 3600_000).toISOString(),
        failing: { since: anonPoll(0), polls: 1 },
      },
      {
        slug: `album-${a1!.albumId}`,
        title: '测试合集1',
        account: '测试账号1',
        items: 3,
        lastPoll: { at: expect.any(String), result: 'ok' },
        nextPoll: expect.any(String),
      },
    ]);
    expect(JSON.stringify(anon)).not.toContain('getalbum_resp');
    expect(anon.lastCycle).toMatchObject({ summary: { fetch: { albums: { active: 2, polled: 1, failed: 1 } } } });
    const full = (await get(`Bearer ${TOKEN}`)) as {
      albums: Array<{ albumId: string; lastPoll: { result: string; reason?: string } }>;
      sources: Array<{ slug: string; kind: string; album?: { items: number } }>;
    };
    expect(full.albums.map((a) => [a.albumId, a.lastPoll.result, a.lastPoll.reason])).toEqual([
      [a0!.albumId, 'failed', 'getalbum_resp is not an object: "not an object"'],
      [a1!.albumId, 'ok', undefined],
    ]);
    expect(full.sources.find((s) => s.kind === 'album')).toMatchObject({
      slug: `album-${a1!.albumId}`,
      album: { items: 3 },
    });
    // "Refresh now" (POST /api/refresh) polls every list at once, as `build --refetch` does, even the album that
    // just failed and one the schedule would leave for a day (its newest article is old by the daemon's clock).
    const lists = srv.counts.list;
    const refresh = await fetch(`http://127.0.0.1:${daemon!.address()!.port}/api/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(refresh.status).toBe(202);
    const until = Date.now() + 30_000;
    while (done.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(done).toHaveLength(2);
    expect(srv.counts.list - lists).toBe(2);
  }, 60_000);
});
