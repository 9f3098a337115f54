/**
 * The management panel of the index page in Chromium, against a stand-in of the management API on 127.0.0.1 that
 * keeps its state in memory and records every request (the end-to-end test against the real daemon is
 * test/manage-browser.test.ts). What the page's script does with each answer: read-only when the API is not there,
 * sign-in by POST with a wrong token, a rate limit and the right one, hostile names and errors kept as text, a pasted
 * text's per-line outcomes, the new feeds shown when the cycle ends, unfollowing with a confirmation (from the panel
 * and from an album's card), a refresh that ends a cool-down only when confirmed, an ended session, sign-out; all of
 * it by keyboard, and without any console error or any request but the page and the API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import { renderIndex } from '../../src/feeds/index-page.js';
import { listen } from '../../src/server/app.js';
import { HAVE_CHROMIUM, launchChromium, shoot, watchPage } from '../helpers/browser.js';

const TOKEN = 'stand-in-token-0123456789';
const EVIL = '<img src=x onerror="window.__pwned=1">';
const NOW = Date.UTC(2024, 6, 20, 4);
const ARTICLE =
  'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111';

interface Recorded {
  method: string;
  path: string;
  body: string;
  origin: string | undefined;
  cookie: string | undefined;
}

/** What the stand-in answers and keeps. */
interface StandIn {
  base: string;
  requests: Recorded[];
  signedIn: Set<string>;
  failures: number;
  cooldown: { until: string; reason: string } | undefined;
  /** Status polls left before the running cycle ends. */
  running: number;
  lastEnded: string;
  accounts: Array<Record<string, unknown>>;
  /** Article URLs added whose account is not known yet (`other` of kind `urls`). */
  unknown: Array<{ url: string; where: string }>;
  /** What the cycle that is running adds when it ends. */
  pending: Array<Record<string, unknown>>;
  reset(): void;
}

/** A feed as `GET api/follows` names it: its Atom URL (the other two files beside it). */
function feed(base: string, slug: string, title: string, extra: object = {}) {
  return { slug, title, url: `${base}${slug}/atom.xml`, items: 3, ...extra };
}

/** The accounts the stand-in follows at first: one with a hostile name, album, URL and failure reason. */
function initialAccounts(base: string) {
  return [
    {
      account: '3000000001',
      name: EVIL,
      feed: feed(base, '3000000001', EVIL, {
        lastFetch: { result: 'error', at: '2024-07-20T03:00:00.000Z', reason: `${EVIL} timeout` },
      }),
      albums: [
        {
          id: '111',
          kind: 'album',
          title: `${EVIL} 合集`,
          url: 'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzAwMDAwMDAwMQ==&album_id=111',
          feed: { slug: 'album-111', url: `${base}album-111/atom.xml` },
          status: {
            followed: true,
            active: true,
            items: 3,
            lastPoll: { at: '2024-07-20T03:00:00.000Z', result: 'failed', reason: `HTTP 500 ${EVIL}` },
            nextPoll: { at: '2099-07-20T05:00:00.000Z', due: false },
            failing: { since: '2024-07-19T03:00:00.000Z', polls: 4 },
          },
        },
        // Unfollowed before: the store keeps it, the page does not show it as followed.
        {
          id: '112',
          kind: 'album',
          title: 'unfollowed',
          url: 'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzAwMDAwMDAwMQ==&album_id=112',
          status: { followed: false, active: false, items: 0 },
        },
      ],
      urls: [
        {
          url: `javascript:alert(1)//${EVIL}`,
          where: 'urls.txt:1',
          lastResult: 'captcha',
          lastAt: '2024-07-20T02:00:00.000Z',
        },
      ],
    },
  ];
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

async function startStandIn(): Promise<{ s: StandIn; server: Server }> {
  const s = {
    requests: [],
    signedIn: new Set<string>(),
    reset() {
      s.signedIn.clear();
      s.failures = 0;
      s.cooldown = undefined;
      s.running = 0;
      s.lastEnded = '2024-07-20T03:30:00.000Z';
      s.accounts = initialAccounts(s.base);
      s.pending = [];
      s.unknown = [];
      s.requests.length = 0;
    },
  } as unknown as StandIn;
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    void handle(req, res).catch((e: Error) => json(res, 500, { error: e.message }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const text = await body(req);
    const cookie = /(?:^|; )sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    s.requests.push({ method: req.method!, path: url.pathname, body: text, origin: req.headers.origin, cookie });
    const page = pages.get(url.pathname);
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(page);
    }
    if (!url.pathname.startsWith('/api/')) return json(res, 404, { error: 'not found' });
    const name = url.pathname.slice('/api/'.length);
    if (name === 'session' && req.method === 'POST') {
      if (s.failures >= 3) {
        res.setHeader('retry-after', '42');
        return json(res, 429, { error: 'too many failed sign-ins', retryAfter: 42 });
      }
      if ((JSON.parse(text) as { token?: string }).token !== TOKEN) {
        s.failures++;
        return json(res, 401, { error: 'unauthorized' });
      }
      const sid = `s${s.signedIn.size + 1}${Date.now()}`;
      s.signedIn.add(sid);
      res.writeHead(204, { 'set-cookie': `sid=${sid}; HttpOnly; SameSite=Strict; Path=/` });
      return void res.end();
    }
    if (!cookie || !s.signedIn.has(cookie)) return json(res, 401, { error: 'unauthorized' });
    if (name === 'session' && req.method === 'DELETE') {
      s.signedIn.delete(cookie);
      res.writeHead(204, { 'set-cookie': 'sid=; Max-Age=0; Path=/' });
      return void res.end();
    }
    const cycle = () => ({ running: s.running > 0, lastEnded: s.lastEnded });
    const pace = () => ({
      delayMs: 3000,
      configuredDelayMs: 3000,
      multiplier: 1,
      ...(s.cooldown ? { cooldown: { ...s.cooldown, level: 1, minutes: 60 } } : {}),
      at: new Date().toISOString(),
    });
    if (name === 'status' && req.method === 'GET') {
      // Each poll brings the running cycle closer to its end; at its end, what it found is followed.
      if (s.running > 0 && --s.running === 0) {
        s.lastEnded = new Date(Date.parse(s.lastEnded) + 60_000).toISOString();
        s.accounts.push(...s.pending.splice(0));
        s.unknown = [];
      }
      return json(res, 200, {
        ok: true,
        running: s.running > 0,
        pace: pace(),
        sources: [
          {
            slug: '3000000001',
            title: EVIL,
            kind: 'source',
            items: 3,
            lastFetch: { result: 'error', at: '2024-07-20T03:00:00.000Z', reason: `${EVIL} timeout` },
          },
        ],
        cycle: cycle(),
      });
    }
    if (name === 'follows' && req.method === 'GET') {
      const other = [
        { kind: 'all', feed: feed(s.base, 'all', 'All'), urls: [] },
        ...(s.unknown.length ? [{ kind: 'urls', urls: s.unknown }] : []),
      ];
      return json(res, 200, { accounts: s.accounts, other, pace: pace(), cycle: cycle() });
    }
    if (name === 'urls' && req.method === 'POST') {
      const lines = ((JSON.parse(text) as { text: string }).text ?? '').split('\n').filter((l) => l.trim());
      const results = lines.map((input) =>
        input.includes('mp.weixin.qq.com/s?')
          ? { input, outcome: 'added', url: input.replace('&amp;', '&') }
          : input.includes('already')
            ? { input, outcome: 'already' }
            : { input, outcome: 'refused', reason: `not a WeChat URL: ${EVIL}` },
      );
      const added = results.some((r) => r.outcome === 'added');
      for (const r of results) if (r.outcome === 'added') s.unknown.push({ url: r.url!, where: 'urls.txt:2' });
      if (added) {
        s.running = 2;
        s.pending.push({
          account: '3000000002',
          name: '新账号',
          feed: feed(s.base, '3000000002', '新账号', {
            lastFetch: { result: 'ok', at: '2024-07-20T04:00:00.000Z' },
          }),
          albums: [
            {
              id: '222',
              kind: 'album',
              title: '新合集',
              url: 'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzAwMDAwMDAwMg==&album_id=222',
              feed: { slug: 'album-222', url: `${s.base}album-222/atom.xml` },
              status: {
                followed: true,
                active: true,
                items: 1,
                lastPoll: { at: '2024-07-20T04:00:00.000Z', result: 'ok' },
              },
            },
          ],
          urls: [{ url: ARTICLE, where: 'urls.txt:2', lastResult: 'ok', lastAt: '2024-07-20T04:00:00.000Z' }],
        });
      }
      const refused = results.filter((r) => r.outcome === 'refused').length;
      return json(res, refused ? 422 : 200, {
        results,
        cycle: added ? 'started' : 'none',
        lines: [],
        added: results.filter((r) => r.outcome === 'added').map((r) => r.url),
        refused,
      });
    }
    if (name.startsWith('albums/') && req.method === 'DELETE') {
      const id = decodeURIComponent(name.slice('albums/'.length));
      for (const a of s.accounts) a.albums = (a.albums as Array<{ id: string }>).filter((x) => x.id !== id);
      return json(res, 200, { unfollowed: [id], lines: [`album ${id} unfollowed`, 'stored articles are kept'] });
    }
    if (name === 'urls' && req.method === 'DELETE') {
      const gone = (JSON.parse(text) as { url: string }).url;
      for (const a of s.accounts) a.urls = (a.urls as Array<{ url: string }>).filter((x) => x.url !== gone);
      return json(res, 200, { unfollowed: [gone], lines: ['stored articles are kept'] });
    }
    if (name.startsWith('accounts/') && req.method === 'DELETE') {
      const x = decodeURIComponent(name.slice('accounts/'.length));
      s.accounts = s.accounts.filter((a) => a.account !== x);
      return json(res, 200, { unfollowed: [x], lines: ['stored articles and the feed are kept'] });
    }
    if (name === 'refresh' && req.method === 'POST') {
      if ((JSON.parse(text || '{}') as { resume?: boolean }).resume) s.cooldown = undefined;
      s.running = 1;
      return json(res, 202, { cycle: 'started' });
    }
    return json(res, 404, { error: 'not found' });
  }
  const port = (await listen(server, '127.0.0.1', 0)).port;
  s.base = `http://127.0.0.1:${port}/`;
  const entry = (slug: string, title: string, kind?: 'album') => ({
    slug,
    title,
    items: 3,
    base: `${s.base}${slug}/`,
    ...(kind ? { kind, lastPoll: NOW } : {}),
  });
  const index = (baseUrl: string, language: 'zh-CN' | 'en') =>
    renderIndex({
      title: 'wxfeed',
      baseUrl,
      language,
      manage: true,
      all: entry('all', 'All'),
      entries: [entry('3000000001', EVIL), entry('album-111', `${EVIL} 合集`, 'album')],
      latest: [],
    });
  pages.set('/', index(s.base, 'zh-CN'));
  pages.set('/en.html', index(s.base, 'en'));
  // Under another base path, whose API is not there: a page served by some other web server.
  pages.set('/static/', index(`${s.base}static/`, 'en'));
  s.reset();
  return { s, server };
}

const pwned = (page: Page) => page.evaluate(() => (globalThis as { __pwned?: number }).__pwned);
/** 401 from the API is an answer the page expects (not signed in, signed out). */
const expect401 = (status: number, url: string) => status === 401 && url.includes('/api/');

async function signIn(page: Page): Promise<void> {
  await page.locator('#wxmToken').focus();
  await page.keyboard.type(TOKEN);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.isVisible('#wxmPanel')).toBe(true);
}

describe.skipIf(!HAVE_CHROMIUM)('the management panel in Chromium, against a stand-in of the API', () => {
  let s: StandIn;
  let server: Server;

  beforeAll(async () => {
    ({ s, server } = await startStandIn());
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });
  beforeEach(() => s.reset());

  it('read-only where the API is not there: the page says so, and shows no form', async () => {
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      const w = watchPage(page, (status, url) => status === 404 && url.endsWith('/static/api/status'));
      await page.goto(`${s.base}static/`);
      await expect
        .poll(() => page.textContent('#wxmState'))
        .toBe('Read-only: this server offers no management (serve the page with wxfeed daemon or wxfeed serve).');
      expect(await page.isVisible('#wxmIn')).toBe(false);
      expect(await page.isVisible('#wxmPanel')).toBe(false);
      expect(w.problems).toEqual([]);
      expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /static/', 'GET /static/api/status']);
    } finally {
      await b.close();
    }
  });

  it('signs in by POST: a wrong token, then a rate limit, say so; the token is never in a URL or storage', async () => {
    const b = await launchChromium({ viewport: { width: 390, height: 844 } });
    try {
      const page = await b.context.newPage();
      const w = watchPage(page, (status, url) => (status === 401 || status === 429) && url.includes('/api/'));
      await page.goto(s.base);
      await expect.poll(() => page.isVisible('#wxmIn')).toBe(true);
      expect(await page.isVisible('#wxmPanel')).toBe(false);
      for (let i = 0; i < 3; i++) {
        await page.fill('#wxmToken', `wrong-${i}`);
        await page.press('#wxmToken', 'Enter');
        await expect.poll(() => s.failures).toBe(i + 1);
      }
      await expect.poll(() => page.textContent('#wxmState')).toBe('令牌不对。');
      await page.fill('#wxmToken', TOKEN);
      await page.press('#wxmToken', 'Enter');
      await expect.poll(() => page.textContent('#wxmState')).toBe('失败次数太多，请 42 秒后再试。');
      expect(await page.isVisible('#wxmPanel')).toBe(false);
      s.failures = 0;
      await page.press('#wxmToken', 'Enter');
      await expect.poll(() => page.isVisible('#wxmPanel')).toBe(true);
      expect(await page.inputValue('#wxmToken')).toBe('');
      // The focus goes to the box to paste into.
      expect(await page.locator('#wxmText').evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
      const posts = s.requests.filter((r) => r.path === '/api/session');
      expect(posts.map((r) => [r.method, JSON.parse(r.body).token])).toEqual([
        ['POST', 'wrong-0'],
        ['POST', 'wrong-1'],
        ['POST', 'wrong-2'],
        ['POST', TOKEN],
        ['POST', TOKEN],
      ]);
      // The browser sends the page's origin with each POST (the server checks it).
      for (const r of posts) expect(r.origin).toBe(s.base.slice(0, -1));
      for (const r of w.requests) expect(r.url).not.toContain(TOKEN);
      const stored = await page.evaluate(() => {
        const g = globalThis as unknown as { localStorage: { length: number }; sessionStorage: { length: number } };
        return g.localStorage.length + g.sessionStorage.length;
      });
      expect(stored).toBe(0);
      // The session cookie is HttpOnly: the page's scripts cannot read it.
      expect(
        await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie),
      ).toBe('');
      expect(w.problems).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('hostile names, URLs and errors stay text; each feed says why it fails, since when, and its next poll', async () => {
    s.cooldown = { until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'refused' };
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      const w = watchPage(page, expect401);
      await page.goto(s.base);
      await signIn(page);
      await expect.poll(() => page.locator('#wxmList > li').count()).toBe(1);
      const card = page.locator('#wxmList > li').first();
      expect(await card.locator('h3').textContent()).toBe(EVIL);
      expect(await card.locator('ul li strong').first().textContent()).toBe(`${EVIL} 合集`);
      const album = await card.locator('ul li').first().textContent();
      expect(album).toContain('自 2024-07-19 11:00 起失败（连续 4 次）');
      expect(album).toContain(`原因：HTTP 500 ${EVIL}`);
      expect(album).toContain('下次轮询 2099-07-20 13:00');
      expect(album).toMatch(/冷却中，\d\d:\d\d 恢复/);
      // The account's feed: its last read failed, and why; the URL's too.
      expect(await card.textContent()).toContain(`原因：${EVIL} timeout`);
      expect(await card.locator('.st.fail').allTextContents()).toEqual([
        '上次读取 2024-07-20 11:00：error',
        '自 2024-07-19 11:00 起失败（连续 4 次）',
        '上次读取 2024-07-20 10:00：captcha',
      ]);
      // A URL that is not http(s) is shown, never linked.
      expect(
        await card
          .locator('.murl')
          .first()
          .evaluate((e) => e.tagName),
      ).toBe('SPAN');
      expect(await card.locator('.murl').first().textContent()).toBe(`javascript:alert(1)//${EVIL}`);
      // The cool-down with its reason.
      expect(await page.textContent('#wxmCool')).toMatch(
        /^微信拒绝了请求（HTTP 429\/403 或频率限制），实时抓取暂停到 \d{4}-\d\d-\d\d \d\d:\d\d。$/,
      );
      // The subscribe links of the feed, absolute, to its three files.
      expect(
        await card
          .locator(':scope > .links a')
          .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href)),
      ).toEqual(['atom.xml', 'rss.xml', 'feed.json'].map((f) => `${s.base}3000000001/${f}`));
      expect(await page.locator('img').count()).toBe(0);
      expect(await pwned(page)).toBeUndefined();
      // Every feed followed is in the page's own list.
      expect(await page.isVisible('#wxmStale')).toBe(false);
      await shoot(page, 'manage-stand-in-hostile-desktop', true);
      expect(w.problems).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('a pasted text: each line added, already followed or refused; the new feeds appear when the cycle ends', async () => {
    const b = await launchChromium({ viewport: { width: 390, height: 844 } });
    try {
      const page = await b.context.newPage();
      // Some lines refused: 422, with the outcome of each.
      const w = watchPage(
        page,
        (status, url) => expect401(status, url) || (status === 422 && url.endsWith('/api/urls')),
      );
      await page.goto(s.base);
      await signIn(page);
      const pasted = [ARTICLE.replace('&mid', '&amp;mid'), '', 'https://already.example/', `ftp://x ${EVIL}`].join(
        '\n',
      );
      await page.locator('#wxmText').fill(pasted);
      // By keyboard: from the box to its button.
      await page.locator('#wxmText').press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#wxmResults li').count()).toBe(3);
      expect(await page.locator('#wxmResults li').allInnerTexts()).toEqual([
        `已添加 ${ARTICLE.replace('&mid', '&amp;mid')} → ${ARTICLE}`,
        '已在关注 https://already.example/',
        `未添加 ftp://x ${EVIL} · not a WeChat URL: ${EVIL}`,
      ]);
      expect(JSON.parse(s.requests.find((r) => r.path === '/api/urls')!.body)).toEqual({ text: pasted });
      // The refused line stays in the box, to be corrected.
      expect(await page.inputValue('#wxmText')).toBe(`ftp://x ${EVIL}`);
      expect(await page.textContent('#wxmNote')).toBe('已开始抓取，完成后这里会显示新的订阅源。');
      // Shown at once, its account not known yet.
      await expect.poll(() => page.locator('#wxmList .murl').allTextContents()).toContain(ARTICLE);
      expect(await page.textContent('#wxmCycle')).toBe('正在抓取…');
      // The cycle ends after two status polls: the new account and its album, with their subscribe links.
      await expect
        .poll(() => page.locator('#wxmList > li > .head h3').allTextContents(), { timeout: 15_000 })
        .toEqual([EVIL, '新账号']);
      expect(await page.locator('#wxmList > li').count()).toBe(2);
      const added = page.locator('#wxmList > li').nth(1);
      expect(await added.locator('h3').textContent()).toBe('新账号');
      expect(await added.locator('a[href$="/3000000002/atom.xml"]').count()).toBe(1);
      expect(await added.locator('a[href$="/album-222/rss.xml"]').count()).toBe(1);
      expect(await added.locator('.st.fail').count()).toBe(0);
      expect(await added.locator('.st.ok').allTextContents()).toEqual(['上次读取 2024-07-20 12:00：ok']);
      expect(await page.textContent('#wxmCycle')).toBe('上次抓取结束于 2024-07-20 11:31。');
      // Feeds the page's own list does not have yet: a reload shows them.
      expect(await page.isVisible('#wxmStale')).toBe(true);
      expect(await pwned(page)).toBeUndefined();
      await shoot(page, 'manage-stand-in-followed-phone', true);
      expect(w.problems).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('unfollows only when confirmed: an album from its card, a URL, an account', async () => {
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      const w = watchPage(page, expect401);
      const dialogs: string[] = [];
      let accept = false;
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });
      await page.goto(s.base);
      await signIn(page);
      // The album's card in the page's own list has the button too.
      const cardButton = page.locator('#album-111 button.wxm-unf');
      await expect.poll(() => cardButton.count()).toBe(1);
      await cardButton.click();
      expect(dialogs).toEqual([`取消关注“${EVIL} 合集”？已保存的文章会保留。`]);
      expect(s.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
      accept = true;
      await cardButton.click();
      await expect
        .poll(() => page.textContent('#wxmNote'))
        .toBe(`已取消关注“${EVIL} 合集”，已保存的文章会保留。\nalbum 111 unfollowed\nstored articles are kept`);
      await expect.poll(() => cardButton.count()).toBe(0);
      expect(await page.locator('#wxmList ul li strong').count()).toBe(0);
      await page.locator('#wxmList button', { hasText: '停止关注' }).click();
      await expect.poll(() => page.locator('.murl').count()).toBe(0);
      await page.locator('#wxmList button', { hasText: '取消关注公众号' }).click();
      await expect.poll(() => page.textContent('#wxmList')).toBe('还没有关注任何公众号。');
      expect(dialogs.slice(2)).toEqual([
        `停止关注这个链接？已保存的文章会保留。\njavascript:alert(1)//${EVIL}`,
        `取消关注公众号“${EVIL}”的全部合集、主页和文章链接？已保存的文章会保留。`,
      ]);
      expect(s.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path, r.body, r.origin])).toEqual([
        ['/api/albums/111', '', s.base.slice(0, -1)],
        ['/api/urls', JSON.stringify({ url: `javascript:alert(1)//${EVIL}` }), s.base.slice(0, -1)],
        ['/api/accounts/3000000001', '', s.base.slice(0, -1)],
      ]);
      expect(await pwned(page)).toBeUndefined();
      expect(w.problems).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('refresh now: plain without a cool-down; with one, it ends it only when confirmed ({"resume": true})', async () => {
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      const w = watchPage(page, expect401);
      const dialogs: string[] = [];
      let accept = false;
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });
      await page.goto(`${s.base}en.html`);
      await signIn(page);
      await page.click('#wxmRefresh');
      await expect.poll(() => page.textContent('#wxmNote')).toBe('Fetching now.');
      expect(dialogs).toEqual([]);
      await expect.poll(() => page.textContent('#wxmCycle'), { timeout: 15_000 }).toMatch(/^The last fetch ended at /);

      s.cooldown = { until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'captcha' };
      await page.reload();
      await expect.poll(() => page.isVisible('#wxmCool')).toBe(true);
      expect(await page.textContent('#wxmCool')).toMatch(
        /^A captcha or rate-limit page: live fetching is paused until \d{4}-\d\d-\d\d \d\d:\d\d\.$/,
      );
      await page.click('#wxmRefresh');
      expect(dialogs).toHaveLength(1);
      expect(dialogs[0]).toMatch(/^Live fetching is paused until \d{4}-\d\d-\d\d \d\d:\d\d\. Refreshing now ends/);
      accept = true;
      await page.click('#wxmRefresh');
      await expect.poll(() => page.isVisible('#wxmCool')).toBe(false);
      expect(s.requests.filter((r) => r.path === '/api/refresh').map((r) => r.body)).toEqual(['{}', '{"resume":true}']);
      expect(s.cooldown).toBeUndefined();
      expect(w.problems).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('an ended session asks to sign in again; signing out forgets it', async () => {
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      const w = watchPage(page, expect401);
      await page.goto(`${s.base}en.html`);
      await signIn(page);
      s.signedIn.clear(); // a restart, or a token change
      await page.click('#wxmRefresh');
      await expect.poll(() => page.textContent('#wxmState')).toBe('The session has ended: sign in again.');
      expect(await page.isVisible('#wxmPanel')).toBe(false);
      await signIn(page);
      await page.click('#wxmOut');
      await expect.poll(() => page.textContent('#wxmState')).toBe('Signed out.');
      expect(s.signedIn.size).toBe(0);
      expect(await page.isVisible('#wxmIn')).toBe(true);
      expect(await page.locator('#wxmList li').count()).toBe(0);
      expect(s.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/session' });
      expect(w.problems).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
