/**
 * Managing wxfeed from its index page, end to end: Debian's Chromium against a real daemon (startDaemon: a real
 * store, a real URL file, its own server on 127.0.0.1) following a loopback WeChat stand-in with one album. A person
 * signs in, pastes one article URL as people paste it, sees the account's feed and the album's appear with their
 * subscribe links once the cycle ends, unfollows the album, sees the cool-down (and its reason) that the stand-in's
 * captcha pages force, signs out; after that every management call answers 401 and changes nothing. Screenshots at
 * phone and desktop width, light and dark, go to test-artifacts/screenshots/. Skipped where Chromium is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type Daemon, startDaemon } from '../src/commands/daemon.js';
import { liveFor } from '../src/commands/live.js';
import { bizToNumber } from '../src/wechat/url.js';
import { HAVE_CHROMIUM, launchChromium, shoot, watchPage } from './helpers/browser.js';
import { type AlbumServer, startAlbumServer } from './helpers/album-server.js';
import { silentLogger } from './helpers/log.js';
import { tempDir, writeFile } from './helpers/tmp.js';

const TOKEN = 'manage-e2e-token-0123456789';
/** The album's title as the stand-in gives it: markup that would run if the page wrote it as HTML. */
const HOSTILE = '<img src=x onerror="window.__pwned=1"> 合集';

/** A port free now (the daemon's baseUrl must name the port it listens on: the API checks Origin against it). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

async function cycleOver(d: Daemon, after: number): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    const h = d.health().body as { running: boolean; lastCycle: { end?: string } | null };
    if (!h.running && h.lastCycle?.end && Date.parse(h.lastCycle.end) >= after) return;
    if (Date.now() > end) throw new Error('no cycle ended');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 401 from the API is an answer the page expects (before sign-in, after sign-out). */
const expect401 = (status: number, url: string) => status === 401 && url.includes('/api/');

describe.skipIf(!HAVE_CHROMIUM)('managing from the index page of a daemon, in Chromium', () => {
  let srv: AlbumServer;
  let t: { dir: string; cleanup: () => void };
  let daemon: Daemon;
  let base: string;
  let urlFile: string;

  beforeAll(async () => {
    srv = await startAlbumServer({ albums: 1, articles: 5 });
    srv.albums[0]!.title = HOSTILE;
    t = tempDir();
    const port = await freePort();
    base = `http://127.0.0.1:${port}/`;
    writeFile(join(t.dir, 'dumps/.keep.md'), '');
    urlFile = join(t.dir, 'urls.txt');
    writeFileSync(urlFile, '');
    writeFileSync(
      join(t.dir, 'wxfeed.yaml'),
      [
        `baseUrl: ${base}`,
        'dumps: [dumps]',
        'output: out',
        'store: data/wxfeed.db',
        'urlFiles: [urls.txt]',
        'schedule:',
        '  cron: "0 0 1 1 *"',
        'server:',
        '  host: 127.0.0.1',
        `  port: ${port}`,
        `  token: ${TOKEN}`,
        'fetch:',
        `  origin: ${srv.origin}`,
        '  delayMs: 0',
        '  retries: 0',
        '  timeoutMs: 5000',
        '',
      ].join('\n'),
    );
    const started = Date.now();
    daemon = await startDaemon({
      configPath: join(t.dir, 'wxfeed.yaml'),
      log: silentLogger,
      live: (c) => liveFor(c, { offline: false, refetch: false }),
    });
    await cycleOver(daemon, started);
  }, 90_000);
  afterAll(async () => {
    await daemon?.stop('test over');
    await srv?.close();
    t?.cleanup();
  });

  it('sign in, paste one article URL, see its feeds, unfollow the album, see a cool-down, sign out', async () => {
    const album = srv.albums[0]!;
    const account = bizToNumber(album.biz)!;
    const albumSlug = `album-${album.albumId}`;
    const article = album.articles[2]!;
    // As people paste it: http://, &amp; and #wechat_redirect.
    const pasted = `${srv.articleUrl(article).replace('https://', 'http://').replaceAll('&', '&amp;')}#wechat_redirect`;
    const b = await launchChromium({ viewport: { width: 390, height: 844 } });
    try {
      const page = await b.context.newPage();
      const w = watchPage(page, expect401);
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.accept();
      });
      await page.goto(base);

      // 1. Sign in.
      await expect.poll(() => page.isVisible('#wxmIn')).toBe(true);
      await page.locator('#wxmToken').fill(TOKEN);
      await page.locator('#wxmToken').press('Enter');
      await expect.poll(() => page.isVisible('#wxmPanel')).toBe(true);
      await expect.poll(() => page.textContent('#wxmList')).toBe('还没有关注任何公众号。');
      const [session] = await b.context.cookies(base);
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

      // 2. Paste one article URL.
      await page.locator('#wxmText').fill(pasted);
      await page.locator('#wxmFollow button').click();
      await expect.poll(() => page.locator('#wxmResults li').count()).toBe(1);
      expect(await page.textContent('#wxmResults li .badge')).toBe('已添加');
      // What it became: https, plain &, no fragment.
      expect(await page.locator('#wxmResults li code').allTextContents()).toEqual([pasted, srv.articleUrl(article)]);
      expect(readFileSync(urlFile, 'utf8')).toContain(srv.articleUrl(article));

      // 3. When the cycle ends: the account's feed and the album's, with their subscribe links.
      const card = page.locator('#wxmList > li').first();
      await expect.poll(() => card.locator('h3').textContent(), { timeout: 60_000 }).toBe('测试账号0');
      // The album's hostile title stays text.
      await expect.poll(() => card.locator('ul li strong').allTextContents()).toEqual([HOSTILE]);
      const hrefs = await page
        .locator('#wxmList a')
        .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
      for (const slug of [account, albumSlug])
        for (const file of ['atom.xml', 'rss.xml', 'feed.json']) expect(hrefs).toContain(`${base}${slug}/${file}`);
      for (const slug of [account, albumSlug]) {
        const res = await fetch(`${base}${slug}/atom.xml`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain(article.title);
      }
      expect(await page.textContent('#wxmCycle')).toMatch(/^上次抓取结束于 \d{4}-\d\d-\d\d \d\d:\d\d。$/);
      await shoot(page, 'manage-phone', true);
      await page.setViewportSize({ width: 1280, height: 900 });
      await shoot(page, 'manage-desktop', true);
      // The page's own list was written before: it says so, and a reload (still signed in) lists the new feeds.
      expect(await page.isVisible('#wxmStale')).toBe(true);
      await page.click('#wxmReload');
      await expect
        .poll(() => page.locator('#wxList > li.feed').evaluateAll((lis) => lis.map((li) => li.id).sort()))
        .toEqual([account, albumSlug].sort());
      await expect.poll(() => page.isVisible('#wxmPanel')).toBe(true);
      expect(await page.isVisible('#wxmStale')).toBe(false);

      // 4. Unfollow the album from its card (confirmed): it leaves the panel; the account and its URL stay.
      await page.locator(`#${albumSlug} button.wxm-unf`).click();
      await expect.poll(() => card.locator('ul li strong').count()).toBe(0);
      expect(dialogs).toEqual([`取消关注“${HOSTILE}”？已保存的文章会保留。`]);
      expect(await page.textContent('#wxmNote')).toContain(`已取消关注“${HOSTILE}”，已保存的文章会保留。`);
      expect(await card.locator('h3').textContent()).toBe('测试账号0');
      expect(await card.locator('.murl').allTextContents()).toEqual([srv.articleUrl(article)]);

      // 5. The stand-in turns to captcha pages; "refresh now" reads the URL again: the cool-down, with its reason.
      srv.faults.rateLimit = { perMinute: 0, clock: Date.now, refused: 0 };
      const asked = Date.now();
      await page.click('#wxmRefresh');
      await cycleOver(daemon, asked);
      await expect.poll(() => page.isVisible('#wxmCool'), { timeout: 15_000 }).toBe(true);
      expect(srv.faults.rateLimit.refused).toBeGreaterThan(0);
      expect(await page.textContent('#wxmCool')).toMatch(
        /^遇到验证码或限流，实时抓取暂停到 \d{4}-\d\d-\d\d \d\d:\d\d。$/,
      );
      await shoot(page, 'manage-cooldown-desktop', true);

      // 6. Sign out: every management call, with the cookie of the session that ended, answers 401.
      await page.click('#wxmOut');
      await expect.poll(() => page.textContent('#wxmState')).toBe('已退出登录。');
      const before = readFileSync(urlFile, 'utf8');
      const headers = { cookie: `${session!.name}=${session!.value}`, origin: base.slice(0, -1) };
      const calls: Array<[string, string, unknown?]> = [
        ['GET', 'api/status'],
        ['GET', 'api/follows'],
        ['POST', 'api/urls', { text: srv.albumUrl(0) }],
        ['DELETE', `api/albums/${album.albumId}`],
        ['DELETE', 'api/urls', { url: srv.articleUrl(article) }],
        ['DELETE', `api/accounts/${account}`],
        ['POST', 'api/refresh', { resume: true }],
      ];
      const statuses = [];
      for (const [method, path, body] of calls) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        statuses.push(`${method} ${path} ${res.status}`);
      }
      expect(statuses).toEqual(calls.map(([method, path]) => `${method} ${path} 401`));
      expect(readFileSync(urlFile, 'utf8')).toBe(before);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      expect(w.problems).toEqual([]);
      // Nothing but the page and the API, of its own origin.
      for (const r of w.requests) expect(r.url.startsWith(base), r.url).toBe(true);
    } finally {
      await b.close();
    }
  }, 180_000);

  it('dark mode at phone width, signed in', async () => {
    const b = await launchChromium({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      const page: Page = await b.context.newPage();
      const w = watchPage(page, expect401);
      await page.goto(base);
      await page.locator('#wxmToken').fill(TOKEN);
      await page.locator('#wxmToken').press('Enter');
      await expect.poll(() => page.isVisible('#wxmPanel')).toBe(true);
      const colours = await page.evaluate(() => {
        const g = globalThis as unknown as {
          document: { body: unknown; getElementById(id: string): unknown };
          getComputedStyle(e: unknown): { backgroundColor: string; color: string };
        };
        return {
          body: g.getComputedStyle(g.document.body).backgroundColor,
          box: g.getComputedStyle(g.document.getElementById('wxmText')).backgroundColor,
        };
      });
      expect(colours).toEqual({ body: 'rgb(14, 16, 19)', box: 'rgb(14, 16, 19)' });
      await shoot(page, 'manage-phone-dark', true);
      expect(w.problems).toEqual([]);
    } finally {
      await b.close();
    }
  }, 60_000);
});
