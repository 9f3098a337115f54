/**
 * The loopback stand-in's homepages (test/helpers/album-server.ts): the model, paging, the page, the article pages,
 * each fault; and homepage.ts reads every answer of it back exactly. The stand-in is built from the fields issue 20
 * and RSSHub name (no real answer is saved anywhere), so these tests pin the stand-in to the parser, not to WeChat.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  homepageListUrl,
  type HomepageRef,
  parseHomepageList,
  parseHomepagePage,
  parseHomepageUrl,
} from '../../src/wechat/homepage.js';
import { parseArticlePage } from '../helpers/parse-page.js';
import type { AlbumItem } from '../../src/wechat/album-item.js';
import { type AlbumServer, type ModelArticle, startAlbumServer } from '../helpers/album-server.js';

let srv: AlbumServer;
beforeAll(async () => {
  srv = await startAlbumServer({ albums: 1, articles: 3, homepages: 2 });
});
afterAll(() => srv.close());
beforeEach(() => {
  Object.assign(srv.faults, { latencyMs: 0, html: 0, ret: 0, redirect: 0, status: 0, homepageShape: 0 });
  srv.faults.homepageShapeAs = 'string';
});

const NOW = Date.UTC(2025, 0, 1);
const ref = (h: number, s = srv): HomepageRef => {
  const r = parseHomepageUrl(s.homepageUrl(h));
  if (!r.ok) throw new Error(r.reason);
  return r.homepage;
};
const post = (url: string) => fetch(url, { method: 'POST', redirect: 'manual' });
async function page(h: number, begin: number, count: number, s = srv) {
  const res = await post(homepageListUrl(ref(h, s), begin, count, s.origin));
  expect(res.status).toBe(200);
  return parseHomepageList(await res.text(), ref(h, s), { begin, count }, NOW);
}
/** What the parser must make of a model article: every field exact. */
const expected = (a: ModelArticle): AlbumItem => ({
  msgid: a.mid,
  itemidx: a.idx,
  title: a.title,
  createTime: a.createTime * 1000,
  cover: a.cover,
  url: srv.articleUrl(a),
  key: `sn:${a.sn}`,
});
const newestFirst = (h: number, s = srv) => [...s.homepages[h]!.articles].reverse();

describe('homepage stand-in: the model', () => {
  it('one account per homepage, distinct from the albums; hid 4; cid "0" on every second one', () => {
    expect(srv.homepages.map((hp) => [hp.biz, hp.hid, hp.cid, hp.title, hp.nickname, hp.articles.length])).toEqual([
      ['Mzk1MDAwMDAwMA==', '4', undefined, '测试主页0', '主页账号0', 7],
      ['Mzk1MDAwMDAwMQ==', '4', '0', '测试主页1', '主页账号1', 7],
    ]);
    expect(srv.albums[0]!.biz).toBe('MzkwMDAwMDAwMA==');
    expect([ref(0).id, ref(1).id]).toEqual(['home-3950000000-4', 'home-3950000001-4-0']);
    expect(srv.homepageUrl(1)).toBe('https://mp.weixin.qq.com/mp/homepage?__biz=Mzk1MDAwMDAwMQ==&hid=4&cid=0');
    const [a2, a3] = [srv.homepages[0]!.articles[2]!, srv.homepages[0]!.articles[3]!];
    expect([a3.mid, a3.idx, a3.createTime, a3.album, a3.homepage]).toEqual([a2.mid, '2', a2.createTime, -1, 0]);
    expect(a2.title).toBe('测试主页0·第3篇 & "引号"');
  });
  it('options: no cid on any, or one cid on all; the number of articles', async () => {
    const s = await startAlbumServer({ albums: 0, homepages: 2, homepageArticles: 2, homepageCid: null });
    const t = await startAlbumServer({ albums: 0, homepages: 2, homepageArticles: 1, homepageCid: '3' });
    try {
      expect(s.homepages.map((hp) => [hp.cid, hp.articles.length])).toEqual([
        [undefined, 2],
        [undefined, 2],
      ]);
      expect(t.homepages.map((hp) => [hp.cid, hp.articles.length])).toEqual([
        ['3', 1],
        ['3', 1],
      ]);
      expect(s.counts).toMatchObject({ homepageList: 0, homepagePage: 0 });
    } finally {
      await Promise.all([s.close(), t.close()]);
    }
  });
});

describe('homepage stand-in: the JSON list', () => {
  it('an answer as the issue names it: base_resp, appmsg_list of title, digest, cover, link, sendtime', async () => {
    const a = newestFirst(1);
    const body = await (await post(homepageListUrl(ref(1), 4, 2, srv.origin))).json();
    expect(body).toEqual({
      base_resp: { ret: 0 },
      appmsg_list: [a[4], a[5]].map((x) => ({
        title: x!.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;'),
        digest: `${x!.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}的摘要`,
        cover: x!.cover,
        link: expect.stringMatching(
          new RegExp(
            `^http://mp\\.weixin\\.qq\\.com/s\\?__biz=${x!.biz}&mid=${x!.mid}&idx=${x!.idx}&sn=${x!.sn}&chksm=[0-9a-f]{40}#rd$`,
          ),
        ),
        sendtime: x!.createTime,
      })),
    });
    // The fifth newest is the third article: its title is written escaped.
    expect((body as { appmsg_list: Array<{ title: string }> }).appmsg_list[0]!.title).toBe(
      '测试主页1·第3篇 &amp; &quot;引号&quot;',
    );
  });
  it('walking page by page reads every article back exactly, newest first, and stops on the short page', async () => {
    for (const h of [0, 1]) {
      const before = srv.counts.homepageList!;
      const items: AlbumItem[] = [];
      let begin = 0;
      const seen: Array<[number, boolean, number]> = [];
      for (let i = 0; i < 10; i++) {
        const r = await page(h, begin, 3);
        if (!r.ok) throw new Error(r.reason);
        expect([r.skipped, r.skipReasons]).toEqual([0, []]);
        items.push(...r.items);
        seen.push([r.items.length, r.more, r.next]);
        if (!r.more) break;
        begin = r.next;
      }
      expect(seen).toEqual([
        [3, true, 3],
        [3, true, 6],
        [1, false, 7],
      ]);
      expect(items).toEqual(newestFirst(h).map(expected));
      expect(srv.counts.homepageList! - before).toBe(3);
    }
  });
  it('a full last page says more; the next answer, past the end, is an empty list: the end', async () => {
    const r = await page(0, 4, 3);
    expect(r).toMatchObject({ ok: true, more: true, next: 7 });
    const raw = await (await post(homepageListUrl(ref(0), 7, 3, srv.origin))).json();
    expect(raw).toEqual({ base_resp: { ret: 0 }, appmsg_list: [] });
    expect(await page(0, 7, 3)).toEqual({
      ok: true,
      items: [],
      more: false,
      next: 7,
      order: 'unknown',
      skipped: 0,
      skipReasons: [],
    });
  });
  it('count is capped at 20 (default 10), and one page of 20 reads back whole', async () => {
    const s = await startAlbumServer({ albums: 0, homepages: 1, homepageArticles: 25 });
    try {
      const url = (q: string) => `${s.origin}/mp/homepage?__biz=${s.homepages[0]!.biz}&hid=4&${q}&action=appmsg_list`;
      const sizes = [];
      for (const q of ['begin=0&count=50', 'begin=0', 'begin=20&count=20', 'begin=x&count=-3'])
        sizes.push(((await (await post(url(q))).json()) as { appmsg_list: unknown[] }).appmsg_list.length);
      expect(sizes).toEqual([20, 10, 5, 1]);
      const r = await page(0, 0, 20, s);
      if (!r.ok) throw new Error(r.reason);
      expect([r.items.length, r.more, r.next, r.order]).toEqual([20, true, 20, 'newest-first']);
      expect(r.items[0]!.key).toBe(`sn:${s.homepages[0]!.articles[24]!.sn}`);
    } finally {
      await s.close();
    }
  });
  it('a new article at the head: the next poll lists it first', async () => {
    const s = await startAlbumServer({ albums: 0, homepages: 1, homepageArticles: 2 });
    try {
      const added = s.growHomepage();
      expect([added.posNum, added.homepage, added.album, added.title]).toEqual([3, 0, -1, '测试主页0·第3篇 & "引号"']);
      const r = await page(0, 0, 5, s);
      if (!r.ok) throw new Error(r.reason);
      expect(r.items.map((i) => i.key)).toEqual([
        `sn:${added.sn}`,
        ...newestFirst(0, s)
          .slice(1)
          .map((a) => `sn:${a.sn}`),
      ]);
      expect(r.items[0]).toMatchObject({ title: '测试主页0·第3篇 & "引号"', createTime: added.createTime * 1000 });
    } finally {
      await s.close();
    }
  });
  it('the list must be POSTed: a GET with action answers 405', async () => {
    const before = srv.counts.homepageList!;
    const res = await fetch(homepageListUrl(ref(0), 0, 3, srv.origin));
    expect([res.status, res.headers.get('allow'), await res.text()]).toEqual([405, 'POST', 'POST only']);
    expect(srv.counts.homepageList! - before).toBe(1);
  });
  it('an unknown homepage (biz, hid or cid) or another action answers invalid args: a failed list, not a refusal', async () => {
    const h0 = ref(0);
    const h1 = ref(1);
    const urls = [
      homepageListUrl({ ...h0, hid: '5' }, 0, 3, srv.origin),
      homepageListUrl({ ...h0, cid: '0' }, 0, 3, srv.origin),
      homepageListUrl({ biz: h1.biz, hid: h1.hid }, 0, 3, srv.origin),
      homepageListUrl({ biz: 'MzkwMDAwMDAwMA==', hid: '4' }, 0, 3, srv.origin),
      `${srv.origin}/mp/homepage?__biz=${h0.biz}&hid=4&action=other`,
    ];
    for (const url of urls) {
      const body = await (await post(url)).text();
      expect([url, body]).toEqual([url, '{"base_resp":{"ret":-2,"errmsg":"invalid args"}}']);
      expect(parseHomepageList(body, h0, { begin: 0, count: 3 })).toEqual({
        ok: false,
        reason: 'base_resp.ret -2 ("invalid args")',
        refused: false,
      });
    }
  });
});

describe('homepage stand-in: the HTML page and the article pages', () => {
  it('the page: the header gives the title and the account (the list below it is not the title)', async () => {
    const before = srv.counts.homepagePage!;
    for (const h of [0, 1]) {
      const res = await fetch(
        `${srv.origin}${new URL(srv.homepageUrl(h)).pathname}${new URL(srv.homepageUrl(h)).search}`,
      );
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(parseHomepagePage(await res.text(), srv.homepageUrl(h))).toEqual({
        ok: true,
        page: { title: `测试主页${h}`, account: `主页账号${h}` },
      });
    }
    expect(srv.counts.homepagePage! - before).toBe(2);
    const none = await fetch(`${srv.origin}/mp/homepage?__biz=${ref(0).biz}&hid=9`);
    expect([none.status, srv.counts.homepagePage! - before]).toEqual([404, 3]);
  });
  it('each homepage article has its page: identity, title (with & and "), ct 23 s after sendtime, no album', async () => {
    const before = srv.counts.article;
    for (const a of srv.homepages[1]!.articles) {
      const res = await fetch(`${srv.origin}/s?__biz=${a.biz}&mid=${a.mid}&idx=${a.idx}&sn=${a.sn}`);
      const p = parseArticlePage(await res.text(), srv.articleUrl(a));
      expect(p).toMatchObject({
        state: 'ok',
        biz: a.biz,
        mid: a.mid,
        idx: a.idx,
        sn: a.sn,
        title: a.title,
        account: '主页账号1',
        publishedAt: (a.createTime + 23) * 1000,
        albums: [],
      });
    }
    expect(srv.counts.article - before).toBe(7);
  });
  it('the page title suffix applies to homepage articles too', async () => {
    srv.faults.pageTitleSuffix = '（全文）';
    try {
      const a = srv.homepages[0]!.articles[0]!;
      const res = await fetch(`${srv.origin}/s?__biz=${a.biz}&mid=${a.mid}&idx=${a.idx}&sn=${a.sn}`);
      expect(parseArticlePage(await res.text(), srv.articleUrl(a)).title).toBe('测试主页0·第1篇（全文）');
    } finally {
      srv.faults.pageTitleSuffix = '';
    }
  });
});

describe('homepage stand-in: faults', () => {
  it('homepageShape: the next N answers of another shape, each a failed list with its reason; then a page again', async () => {
    const reasons: string[] = [];
    for (const as of ['string', 'renamed', 'object'] as const) {
      Object.assign(srv.faults, { homepageShape: 1, homepageShapeAs: as });
      const r = await page(0, 0, 3);
      expect(r.ok).toBe(false);
      if (!r.ok) reasons.push(`${r.refused}: ${r.reason}`);
    }
    expect(reasons).toEqual([
      'false: appmsg_list is not a list: "x"',
      'false: no appmsg_list',
      'false: appmsg_list is not a list: {…}',
    ]);
    expect(srv.faults.homepageShape).toBe(0);
    expect(await page(0, 0, 3)).toMatchObject({ ok: true, more: true, next: 3 });
  });
  it('html and ret count down over both kinds of list: refusals of the client', async () => {
    Object.assign(srv.faults, { html: 1, ret: 1, retValue: 200013 });
    expect(await page(1, 0, 3)).toEqual({
      ok: false,
      reason: 'verification page instead of the homepage list',
      refused: 'captcha',
    });
    expect(await page(1, 0, 3)).toEqual({
      ok: false,
      reason: 'base_resp.ret 200013 ("freq control")',
      refused: 'refused',
    });
    expect([srv.faults.html, srv.faults.ret]).toEqual([0, 0]);
    srv.faults.ret = 1;
    const album = await fetch(
      `${srv.origin}/mp/appmsgalbum?__biz=${srv.albums[0]!.biz}&album_id=${srv.albums[0]!.albumId}&f=json`,
    );
    expect(await album.json()).toEqual({ base_resp: { ret: 200013, errmsg: 'freq control' } });
    expect(await page(1, 0, 3)).toMatchObject({ ok: true });
  });
  it('an HTTP status for the next list request, and a redirect for any request', async () => {
    Object.assign(srv.faults, { status: 1, statusValue: 429, retryAfter: '60' });
    try {
      const res = await post(homepageListUrl(ref(0), 0, 3, srv.origin));
      expect([res.status, res.headers.get('retry-after')]).toEqual([429, '60']);
      srv.faults.redirect = 1;
      const moved = await post(homepageListUrl(ref(0), 0, 3, srv.origin));
      expect([moved.status, moved.headers.get('location')]).toEqual([
        302,
        '/mp/wappoc_appmsgcaptcha?poc_token=test&target_url=x',
      ]);
    } finally {
      Object.assign(srv.faults, { statusValue: 404, retryAfter: '' });
    }
  });
  it('latency applies to homepage requests', async () => {
    srv.faults.latencyMs = 120;
    const t = performance.now();
    await page(0, 0, 1);
    expect(performance.now() - t).toBeGreaterThanOrEqual(110);
  });
});
