/**
 * The management API (issue 22, section 1 and "Bad input and safety") against a real daemon on 127.0.0.1 with a real
 * store and URL file: every endpoint by bearer token and by session cookie; without either 401 and nothing changed;
 * a cookie from another origin (403) or from before a token change (401); failed sign-ins limited per client; a
 * paste of 10,000 lines refused whole; hostile texts returned as JSON strings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/commands/daemon.js';
import type { PaceState } from '../../src/fetch/pace.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { silentLogger } from '../helpers/log.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

const TOKEN = 'manage-test-token-0123456789';
const BIZ = 'MzI2NzI2OTExNA==';
const NUMBER = '3267269114';
const ALBUM = '3329839945947119618';
const HOSTILE = '<img src=x onerror="alert(1)">\u202e"\'</script>';
const article = (n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=${2000 + n}&idx=1&sn=${String(n).padStart(32, 'c')}`;

let t: { dir: string; cleanup: () => void };
let daemon: Daemon | undefined;
let port = 0;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

/** One request to the daemon: node's own client, so the source address can be chosen (`from`). */
function call(
  method: string,
  path: string,
  opts: { body?: string | object; headers?: Record<string, string>; from?: string } = {},
): Promise<Answer> {
  const body = typeof opts.body === 'string' || opts.body === undefined ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = {
    ...(typeof opts.body === 'object' ? { 'content-type': 'application/json' } : {}),
    ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    ...opts.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers, ...(opts.from ? { localAddress: opts.from } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });
const origin = () => `http://127.0.0.1:${port}`;

function writeConfig(token: string | null): void {
  writeFileSync(
    join(t.dir, 'wxfeed.yaml'),
    `dumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nurlFiles: [urls.txt]\nschedule:\n  cron: "0 0 1 1 *"\nserver:\n  port: 0\n${token ? `  token: ${token}\n` : ''}`,
  );
}

const urlFile = () => readFileSync(join(t.dir, 'urls.txt'), 'utf8');

/** What a management call may change: the URL file, the lists followed, the marks of unfollowing, the pace. */
function state(): string {
  const db = openStore(join(t.dir, 'data/wxfeed.db'));
  try {
    const store = new Store(db);
    return JSON.stringify({
      urls: urlFile(),
      albums: store.albums.all().map((a) => [a.albumId, a.followed]),
      unfollowed: store.meta.unfollowed.get() ?? null,
      pace: store.meta.pace.get() ?? null,
    });
  } finally {
    closeStore(db, true);
  }
}

/** The store seeded: an album of the account followed, its name hostile, a cool-down in force. */
function seed(): void {
  const db = openStore(join(t.dir, 'data/wxfeed.db'));
  try {
    const store = new Store(db);
    store.albums.insert({ albumId: ALBUM, biz: BIZ, title: HOSTILE }, 'url', null, true, Date.now());
    store.accounts.record(NUMBER, HOSTILE, Date.now());
    const until = Date.now() + 3_600_000;
    const pace: PaceState = {
      cooldown: { until, level: 1, reason: 'captcha', minutes: 60 },
      multiplier: 2,
      multiplierAt: until,
    };
    store.meta.pace.set(JSON.stringify(pace));
  } finally {
    closeStore(db, true);
  }
}

async function start(token: string | null = TOKEN): Promise<Daemon> {
  writeConfig(token);
  const d = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: silentLogger, live: () => undefined });
  daemon = d;
  port = d.address()!.port;
  await settled(d);
  return d;
}

/** Until no cycle runs and at least one has ended. */
async function settled(d: Daemon): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const h = d.health().body as { running: boolean; lastCycle: unknown };
    if (!h.running && h.lastCycle !== null) return;
    if (Date.now() > end) throw new Error('the cycle did not finish');
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Sign in (from `from`) and return the cookie to send. */
async function signIn(from?: string): Promise<string> {
  const r = await call('POST', '/api/session', {
    body: `token=${encodeURIComponent(TOKEN)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: origin() },
    ...(from ? { from } : {}),
  });
  expect(r.status).toBe(204);
  const set = String(r.headers['set-cookie']);
  return set.split(';')[0]!;
}

beforeEach(() => {
  t = tempDir();
  writeFile(
    join(t.dir, 'dumps/1.md'),
    dump({ title: '第一篇', url: article(1), source: '账号', date: '2024-07-01' }, '正文一。'),
  );
  writeFile(join(t.dir, 'urls.txt'), `${article(9)}\n`);
  seed();
});
afterEach(async () => {
  await daemon?.stop('test over');
  daemon = undefined;
  t.cleanup();
});

/** Every management call, with a body that would change something if it were allowed. */
const CALLS: Array<[string, string, object | undefined]> = [
  ['GET', '/api/status', undefined],
  ['GET', '/api/follows', undefined],
  ['POST', '/api/urls', { text: article(3) }],
  ['POST', '/api/urls', [article(4)]],
  ['DELETE', '/api/urls', { url: article(9) }],
  ['DELETE', `/api/albums/${ALBUM}`, undefined],
  ['DELETE', `/api/accounts/${NUMBER}`, undefined],
  ['DELETE', '/api/accounts', { url: article(1) }],
  ['POST', '/api/refresh', { resume: true }],
];

describe('management API: no session, no token', () => {
  it('every call answers 401 and changes nothing: URL file and store as they were', async () => {
    await start();
    const before = state();
    for (const [method, path, body] of CALLS) {
      const sets: Array<Record<string, string>> = [{}, { cookie: 'wxfeed_session=forged.value' }, { origin: origin() }];
      for (const headers of sets) {
        const r = await call(method, path, { ...(body ? { body } : {}), headers });
        expect(r.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(r.headers['www-authenticate']).toBe('Bearer');
        expect(r.json().error).toMatch(/sign in/);
      }
    }
    expect(state()).toBe(before);
  });

  it('without server.token the API is off: 404 everywhere, nothing changes, the files are served', async () => {
    await start(null);
    const before = state();
    for (const [method, path, body] of CALLS) {
      const r = await call(method, path, { ...(body ? { body } : {}), headers: bearer() });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.json().error).toMatch(/server\.token/);
    }
    expect((await call('POST', '/api/session', { body: { token: TOKEN } })).status).toBe(404);
    expect(state()).toBe(before);
    expect((await call('GET', '/index.html')).status).toBe(200);
  });
});

describe('management API: by bearer token', () => {
  it('status and follows: the health report with the cycle; the account with its feed, album and URLs', async () => {
    await start();
    const status = await call('GET', '/api/status', { headers: bearer() });
    expect(status.status).toBe(200);
    expect(status.headers['cache-control']).toBe('no-store');
    expect(status.json()).toMatchObject({ ok: true, running: false, cycle: { running: false } });
    expect(status.json().cycle).toHaveProperty('lastEnded');

    const f = await call('GET', '/api/follows', { headers: bearer() });
    expect(f.status).toBe(200);
    const follows = f.json() as {
      accounts: Array<Record<string, unknown>>;
      other: Array<{ kind: string; feed?: { slug: string; url: string } }>;
      pace: { cooldown?: { reason: string } };
      cycle: { running: boolean };
    };
    expect(follows.accounts).toHaveLength(1);
    const account = follows.accounts[0]!;
    expect(account).toMatchObject({
      account: NUMBER,
      name: HOSTILE,
      followed: true,
      feed: { slug: NUMBER, title: '账号', url: `http://localhost:8080/${NUMBER}/atom.xml`, items: 1 },
      albums: [
        {
          id: ALBUM,
          kind: 'album',
          title: HOSTILE,
          url: expect.stringContaining(`album_id=${ALBUM}`),
          status: { followed: true, items: 0 },
        },
      ],
      urls: [{ url: article(9), where: `${join(t.dir, 'urls.txt')}:1`, followed: true }],
    });
    expect(follows.other).toContainEqual(
      expect.objectContaining({ kind: 'all', feed: expect.objectContaining({ slug: 'all' }) }),
    );
    expect(follows.pace.cooldown?.reason).toBe('captcha');
    expect(follows.cycle.running).toBe(false);
  });

  it('POST urls {text}: each pasted line as wxfeed add reads it; a cycle starts; the URL file has the new ones', async () => {
    const d = await start();
    const pasted = [
      `${article(5).replace(/&/g, '&amp;')}#wechat_redirect`,
      '',
      '   ',
      article(6).replace('https://', 'http://'),
      article(9),
      'not a url at all',
      `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=${ALBUM}#wechat_redirect`,
    ].join('\r\n');
    const r = await call('POST', '/api/urls', { body: { text: pasted }, headers: bearer() });
    expect(r.status).toBe(422); // one refused
    const body = r.json() as { results: unknown[]; cycle: string; added: string[] };
    expect(body.results).toEqual([
      { input: pasted.split('\r\n')[0], outcome: 'added', url: article(5) },
      { input: article(6).replace('https://', 'http://'), outcome: 'added', url: article(6) },
      { input: article(9), outcome: 'already', url: article(9) },
      { input: 'not a url at all', outcome: 'refused', reason: 'not a URL' },
      {
        input: expect.stringContaining('appmsgalbum'),
        outcome: 'added',
        url: `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=${ALBUM}`,
      },
    ]);
    expect(['started', 'queued']).toContain(body.cycle);
    expect(urlFile().trim().split('\n')).toEqual([
      article(9),
      article(5),
      article(6),
      `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=${ALBUM}`,
    ]);
    await settled(d);
    // Nothing new: no cycle.
    const again = await call('POST', '/api/urls', { body: [article(5)], headers: bearer() });
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ cycle: 'none', results: [{ outcome: 'already' }] });
  });

  it('DELETE album, url and account: done, saying what stays; an unknown album is 404', async () => {
    await start();
    const album = await call('DELETE', `/api/albums/${ALBUM}`, { headers: bearer() });
    expect(album.status).toBe(200);
    expect((album.json().lines as string[])[0]).toMatch(/^unfollowed .*articles and its feed stay/);
    const unknown = await call('DELETE', '/api/albums/1234567890123456789', { headers: bearer() });
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toMatch(/no album or homepage 1234567890123456789 is followed/);

    const url = await call('DELETE', '/api/urls', { body: { url: article(9) }, headers: bearer() });
    expect(url.status).toBe(200);
    expect(url.json()).toMatchObject({ ok: true, url: article(9) });
    expect((await call('DELETE', '/api/urls', { body: {}, headers: bearer() })).status).toBe(400);

    const account = await call('DELETE', `/api/accounts/${NUMBER}`, { headers: bearer() });
    expect(account.status).toBe(200);
    expect(account.json()).toMatchObject({ ok: true, account: { number: NUMBER } });
    const follows = (await call('GET', '/api/follows', { headers: bearer() })).json() as {
      accounts: Array<{ followed: boolean; albums: Array<{ status: { followed: boolean } }>; urls: unknown[] }>;
    };
    expect(follows.accounts[0]).toMatchObject({ followed: false, albums: [{ status: { followed: false } }] });
    expect(urlFile()).toBe(`${article(9)}\n`); // the URL files are never edited
  });

  it('POST refresh: a cycle now, or after the running one; {"resume": true} ends the cool-down', async () => {
    const d = await start();
    const r = await call('POST', '/api/refresh', { body: { resume: true }, headers: bearer() });
    expect(r.status).toBe(202);
    expect(r.json()).toEqual({ cycle: 'started', resumed: true });
    const queued = await call('POST', '/api/refresh', { headers: bearer() });
    expect(queued.status).toBe(202);
    expect(queued.json()).toEqual({ cycle: 'queued' });
    await settled(d);
    const pace = (await call('GET', '/api/follows', { headers: bearer() })).json().pace as Record<string, unknown>;
    expect(pace.cooldown).toBeUndefined();
    expect((await call('GET', '/api/refresh', { headers: bearer() })).status).toBe(405);
    expect((await call('GET', '/api/nothing', { headers: bearer() })).status).toBe(404);
  });
});

describe('management API: by session cookie', () => {
  it('sign in (form or JSON), use, sign out; the cookie is HttpOnly, SameSite=Strict, for the base path, 7 days', async () => {
    await start();
    const r = await call('POST', '/api/session', {
      body: { token: TOKEN },
      headers: { origin: origin() },
    });
    expect(r.status).toBe(204);
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(/^wxfeed_session=[\w-]+\.[\w-]+; Max-Age=604800; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = set.split(';')[0]!;
    const headers = { cookie, origin: origin() };
    // JSON sent as a string without its type (a script's fetch) signs in too.
    const untyped = await call('POST', '/api/session', { body: JSON.stringify({ token: TOKEN }) });
    expect(untyped.status).toBe(204);
    expect(untyped.headers['set-cookie']).toBeDefined();
    expect((await call('GET', '/api/status', { headers: { cookie } })).status).toBe(200);
    const added = await call('POST', '/api/urls', { body: [article(7)], headers });
    expect(added.status).toBe(200);
    expect(urlFile()).toContain(article(7));
    expect((await call('DELETE', `/api/albums/${ALBUM}`, { headers })).status).toBe(200);

    const out = await call('DELETE', '/api/session', { headers });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^wxfeed_session=; Max-Age=0; Path=\//);
    const before = state();
    for (const [method, path, body] of CALLS)
      expect((await call(method, path, { ...(body ? { body } : {}), headers })).status, `${method} ${path}`).toBe(401);
    expect(state()).toBe(before);
  });

  it('CSRF: a changing call with the cookie but another Origin, or none, is 403 and changes nothing', async () => {
    await start();
    const cookie = await signIn();
    const before = state();
    for (const [method, path, body] of CALLS.filter(([m]) => m !== 'GET')) {
      for (const o of ['https://evil.example', `http://127.0.0.1:${port + 1}`, 'null', undefined]) {
        const headers = { cookie, ...(o ? { origin: o } : {}) };
        const r = await call(method, path, { ...(body ? { body } : {}), headers });
        expect(r.status, `${method} ${path} from ${o}`).toBe(403);
      }
    }
    expect(state()).toBe(before);
    // Reading needs no Origin; a bearer call needs none either.
    expect((await call('GET', '/api/follows', { headers: { cookie, origin: 'https://evil.example' } })).status).toBe(
      200,
    );
    expect((await call('POST', '/api/urls', { body: [article(8)], headers: bearer() })).status).toBe(200);
    // A sign-in posted by another site's page is refused too.
    const foreign = await call('POST', '/api/session', {
      body: { token: TOKEN },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['set-cookie']).toBeUndefined();
  });

  it('a token change signs every session out: the old cookie and the old token get 401', async () => {
    await start();
    const cookie = await signIn();
    expect((await call('GET', '/api/follows', { headers: { cookie } })).status).toBe(200);
    writeConfig('a-new-token-for-the-test-0123');
    const before = state();
    expect((await call('GET', '/api/follows', { headers: { cookie } })).status).toBe(401);
    expect(
      (await call('POST', '/api/urls', { body: [article(8)], headers: { cookie, origin: origin() } })).status,
    ).toBe(401);
    expect((await call('GET', '/api/follows', { headers: bearer() })).status).toBe(401);
    expect(state()).toBe(before);
    expect((await call('GET', '/api/follows', { headers: bearer('a-new-token-for-the-test-0123') })).status).toBe(200);
  });

  it('failed sign-ins: 5 a minute per client, then 429 with Retry-After, even for the right token; others go on', async () => {
    await start();
    for (let i = 0; i < 5; i++) {
      const r = await call('POST', '/api/session', { body: `token=wrong-${i}` });
      expect(r.status).toBe(401);
    }
    const limited = await call('POST', '/api/session', { body: { token: TOKEN } });
    expect(limited.status).toBe(429);
    const after = Number(limited.headers['retry-after']);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ retryAfter: after });
    expect(limited.headers['set-cookie']).toBeUndefined();
    // Guessing by bearer is the same guess: refused too.
    expect((await call('GET', '/api/follows', { headers: bearer() })).status).toBe(429);
    // Another client address is not held back.
    await signIn('127.0.0.2');
  });
});

describe('management API: bad input', () => {
  it('a paste of 10,000 lines, a list of 1,001 URLs and a body over 256 KiB are refused whole (413)', async () => {
    await start();
    const before = state();
    const lines = Array.from({ length: 10_000 }, (_, i) => `https://mp.weixin.qq.com/s/${String(i).padStart(8, 'x')}`);
    const big = await call('POST', '/api/urls', { body: { text: lines.join('\n') }, headers: bearer() });
    expect(big.status).toBe(413);
    expect(big.json().error).toMatch(/over 262144 bytes/);
    const many = await call('POST', '/api/urls', {
      body: { text: lines.slice(0, 1001).join('\n') },
      headers: bearer(),
    });
    expect(many.status).toBe(413);
    expect(many.json().error).toBe('1001 URLs: at most 1000 at once; nothing was added');
    expect((await call('POST', '/api/urls', { body: lines.slice(0, 1001), headers: bearer() })).status).toBe(413);
    expect(state()).toBe(before);
    expect((await call('POST', '/api/urls', { body: '{not json', headers: bearer() })).status).toBe(400);
    expect((await call('POST', '/api/urls', { body: { text: '\n \n' }, headers: bearer() })).status).toBe(400);
    expect(state()).toBe(before);
  });

  it('hostile texts come back as JSON strings, byte for byte', async () => {
    await start();
    const r = await call('POST', '/api/urls', { body: { text: HOSTILE }, headers: bearer() });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.json().results).toEqual([{ input: HOSTILE, outcome: 'refused', reason: 'not a URL' }]);
    const f = await call('GET', '/api/follows', { headers: bearer() });
    const account = (f.json().accounts as Array<{ name: string; albums: Array<{ title: string }> }>)[0]!;
    expect(account.name).toBe(HOSTILE);
    expect(account.albums[0]!.title).toBe(HOSTILE);
  });
});
