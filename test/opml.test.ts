/**
 * Subscribing through the OPML gets each article once: feeds.opml lists the accounts and the other sources, not the
 * albums and homepages, whose articles are in their account's feed too (they are in albums.opml). Checked on the
 * feed files, and with newsboat, which keeps one copy of an id across feeds: imported with the album feeds as well,
 * it showed an account's feed empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import Database from 'better-sqlite3';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { liveFor } from '../src/commands/live.js';
import { createApp, listen } from '../src/server/app.js';
import type { Config } from '../src/types.js';
import { bizToNumber } from '../src/wechat/url.js';
import { type AlbumServer, startAlbumServer } from './helpers/album-server.js';
import { readFeed } from './helpers/feeds.js';
import { silentLogger } from './helpers/log.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';

const HAVE_NEWSBOAT = spawnSync('newsboat', ['-v'], { encoding: 'utf8' }).status === 0;
if (process.env.CI && !HAVE_NEWSBOAT) throw new Error('CI: newsboat is missing (.ci/run must install it)');

let t: { dir: string; cleanup: () => void };
let srv: AlbumServer;
let server: Server;
let config: Config;

beforeAll(async () => {
  t = tempDir();
  // Two albums of one account and a homepage of another, followed; an account and a site known from dumps only.
  srv = await startAlbumServer({ albums: 2, articles: 4, oneAccount: true, homepages: 1, homepageArticles: 3 });
  writeFile(
    join(t.dir, 'dumps/a.md'),
    dump(
      {
        title: '乙的文章',
        url: `https://mp.weixin.qq.com/s?__biz=MjM5NTU4NjgzMg==&mid=200&idx=1&sn=${'e'.repeat(32)}`,
        source: '账号乙',
        date: '2024-07-03',
      },
      '正文。',
    ),
  );
  writeFile(
    join(t.dir, 'dumps/b.md'),
    dump(
      { title: 'A post', url: 'https://blog.example.com/post-1', source: 'Example Blog', date: '2024-07-04' },
      'Text.',
    ),
  );
  server = createApp({
    output: join(t.dir, 'out'),
    baseUrl: 'http://127.0.0.1/',
    health: () => ({ ok: true, body: {} }),
  });
  const { port } = await listen(server, '127.0.0.1', 0);
  config = resolveConfig(
    {
      baseUrl: `http://127.0.0.1:${port}/`,
      dumps: ['dumps'],
      output: 'out',
      store: 'data/wxfeed.db',
      urlFiles: [],
      urls: [srv.albumUrl(0), srv.albumUrl(1), srv.homepageUrl(0)],
      fetch: { origin: srv.origin, delayMs: 0, retries: 0, timeoutMs: 5000 },
    },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
  await build(config, {
    log: silentLogger,
    now: () => Date.UTC(2025, 0, 1),
    live: liveFor(config, { offline: false, refetch: false }),
  });
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await srv?.close();
  t?.cleanup();
});

/** The feeds an OPML file of the output subscribes to, by URL. */
const outlines = (name: string): string[] =>
  [...readFileSync(join(config.output, name), 'utf8').matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]!);
/** The ids of a feed of the output, by its URL. */
const idsOf = (url: string): string[] =>
  readFeed(readFileSync(join(config.output, new URL(url).pathname), 'utf8')).items.map((i) => String(i.id));
const base = () => config.baseUrl;

describe('feeds.opml and albums.opml', () => {
  it('feeds.opml: the accounts and other sources; albums.opml: the albums and the homepage; all/ in neither', () => {
    const slugs = (urls: string[]) => urls.map((u) => u.slice(base().length).replace(/\/atom\.xml$/, '')).sort();
    const accountOfAlbums = bizToNumber(srv.albums[0]!.biz)!;
    expect(srv.albums.map((a) => bizToNumber(a.biz))).toEqual([accountOfAlbums, accountOfAlbums]);
    const homepageAccount = bizToNumber(srv.homepages[0]!.biz)!;
    expect(slugs(outlines('feeds.opml'))).toEqual(
      [accountOfAlbums, homepageAccount, '2395586832', 'example-blog'].sort(),
    );
    expect(slugs(outlines('albums.opml'))).toEqual(
      [...srv.albums.map((a) => `album-${a.albumId}`), `home-${homepageAccount}-4`].sort(),
    );
    expect(readFileSync(join(config.output, 'index.html'), 'utf8')).toContain(`<a href="${base()}albums.opml">`);
  });

  it('the feeds of feeds.opml hold every article once: none in two, none left out', () => {
    const feeds = outlines('feeds.opml').map(idsOf);
    for (const ids of feeds) expect(ids.length).toBeGreaterThan(0);
    const subscribed = feeds.flat();
    expect(new Set(subscribed).size).toBe(subscribed.length);
    expect(subscribed.sort()).toEqual(idsOf(`${base()}all/atom.xml`).sort());
    // What the album feeds hold, their accounts' feeds hold too: albums.opml adds no article.
    for (const id of outlines('albums.opml').flatMap(idsOf)) expect(subscribed).toContain(id);
  });
});

/** Newsboat imports `files` (OPML of the output), reloads every feed from the server, and says what each holds. */
async function newsboat(name: string, files: string[]): Promise<Map<string, string[]>> {
  const home = join(t.dir, `nb-${name}`);
  writeFile(join(home, 'config'), 'reload-threads 2\n');
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
  const common = ['-C', join(home, 'config'), '-u', join(home, 'urls'), '-c', join(home, 'cache.db')];
  for (const file of files) {
    const imp = spawnSync('newsboat', [...common, '-i', join(config.output, file)], { env, encoding: 'utf8' });
    expect(imp.status, imp.stderr).toBe(0);
  }
  // Asynchronously: the feed server runs in this process and must keep answering while newsboat reloads.
  const reload = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn('newsboat', [...common, '-x', 'reload'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, err }));
  });
  expect(reload.code, reload.err).toBe(0);
  const db = new Database(join(home, 'cache.db'), { readonly: true });
  const rows = db.prepare('SELECT guid, feedurl FROM rss_item').all() as Array<{ guid: string; feedurl: string }>;
  db.close();
  const byFeed = new Map<string, string[]>();
  for (const file of files) for (const url of outlines(file)) byFeed.set(url, []);
  for (const r of rows) byFeed.get(r.feedurl)?.push(r.guid);
  return byFeed;
}

/** The feeds newsboat shows with fewer items than their file holds (an id it kept under another feed). */
function shortFeeds(shown: Map<string, string[]>): string[] {
  return [...shown].filter(([url, guids]) => guids.length < idsOf(url).length).map(([url]) => url);
}

describe.skipIf(!HAVE_NEWSBOAT)('newsboat', () => {
  it('imports feeds.opml: every feed non-empty, each shows all its items, no id in two feeds', async () => {
    const shown = await newsboat('feeds', ['feeds.opml']);
    expect(shown.size).toBe(4);
    for (const [url, guids] of shown) expect(guids.length, url).toBeGreaterThan(0);
    expect(shortFeeds(shown)).toEqual([]);
    const all = [...shown.values()].flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(idsOf(`${base()}all/atom.xml`).sort());
  });

  it('the same check fails when the album feeds are imported too: their ids leave other feeds short', async () => {
    const shown = await newsboat('both', ['feeds.opml', 'albums.opml']);
    expect(shown.size).toBe(7);
    expect(shortFeeds(shown).length).toBeGreaterThan(0);
  });
});
