/** The loopback album server (test/helpers/album-server.ts) itself: paging, both orders, the page shapes, each fault. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { albumListUrl, parseAlbumList, parseAlbumPage, parseAlbumUrl } from '../../src/wechat/album.js';
import { parseArticlePage } from '../helpers/parse-page.js';
import type { AlbumItem } from '../../src/wechat/album-item.js';
import type { AlbumCursor, AlbumRef } from '../../src/wechat/album-url.js';
import { type AlbumServer, startAlbumServer } from '../helpers/album-server.js';

let srv: AlbumServer;
beforeAll(async () => {
  srv = await startAlbumServer({ albums: 2, articles: 7 });
});
afterAll(() => srv.close());
beforeEach(() => {
  Object.assign(srv.faults, { latencyMs: 0, html: 0, ret: 0, redirect: 0, growOnList: 0 });
});

const ref = (a: number): AlbumRef => {
  const r = parseAlbumUrl(srv.albumUrl(a));
  if (!r.ok) throw new Error(r.reason);
  return r.album;
};
const get = (url: string) => fetch(url, { redirect: 'manual' });
const raw = async (a: number, cursor?: AlbumCursor, reverse = true, count = 3) =>
  (await get(albumListUrl(ref(a), cursor, { count, reverse, origin: srv.origin }))).json() as Promise<{
    getalbum_resp: Record<string, unknown>;
  }>;
async function list(a: number, cursor?: AlbumCursor, reverse = true, count = 3) {
  const res = await get(albumListUrl(ref(a), cursor, { count, reverse, origin: srv.origin }));
  const r = parseAlbumList(await res.text(), ref(a));
  if (!r.ok) throw new Error(r.reason);
  return r;
}
/** Every item of an album, page after page. */
async function walk(a: number, count = 3): Promise<AlbumItem[]> {
  const items: AlbumItem[] = [];
  let cursor: AlbumCursor | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await list(a, cursor, true, count);
    items.push(...r.items);
    if (!r.more) break;
    cursor = r.cursor;
  }
  return items;
}

describe('album server: the model', () => {
  it('albums of distinct accounts; every fourth article the second of its message', () => {
    expect(srv.albums.map((al) => [al.biz, al.albumId, al.title, al.articles.length])).toEqual([
      ['MzkwMDAwMDAwMA==', '3300000000000000000', '测试合集0', 7],
      ['MzkwMDAwMDAwMQ==', '3300000000001000003', '测试合集1', 7],
    ]);
    const [a2, a3] = [srv.albums[0]!.articles[2]!, srv.albums[0]!.articles[3]!];
    expect([a3.mid, a3.idx, a3.createTime]).toEqual([a2.mid, '2', a2.createTime]);
  });
});

describe('album server: JSON list pages', () => {
  it('newest first with is_reverse=1, count honoured, exclusive cursor; a page of one item is an object', async () => {
    const arts = srv.albums[0]!.articles;
    const first = await raw(0);
    expect(first.getalbum_resp).toMatchObject({ continue_flag: '1', reverse_continue_flag: '1' });
    const list0 = first.getalbum_resp.article_list as Array<Record<string, string>>;
    expect(list0.map((e) => e.pos_num)).toEqual(['7', '6', '5']);
    expect(list0[0]).toMatchObject({
      msgid: arts[6]!.mid,
      itemidx: '1',
      create_time: String(arts[6]!.createTime),
      url: expect.stringMatching(/^http:\/\/mp\.weixin\.qq\.com\/s\?__biz=.*&mid=.*&chksm=[0-9a-f]{40}#rd$/),
    });
    const last = await raw(0, { msgid: arts[1]!.mid, itemidx: '1' });
    expect(last.getalbum_resp.article_list).toMatchObject({ msgid: arts[0]!.mid, pos_num: '1' });
    expect(last.getalbum_resp.continue_flag).toBe('0');
  });
  it('the end of the list has no article_list', async () => {
    const arts = srv.albums[0]!.articles;
    const end = await raw(0, { msgid: arts[0]!.mid, itemidx: '1' });
    expect(end).toEqual({
      base_resp: { exportkey_token: '', ret: 0 },
      getalbum_resp: { base_info: { is_first_screen: '0' }, continue_flag: '0', reverse_continue_flag: '1' },
    });
    expect(await list(0, { msgid: arts[0]!.mid, itemidx: '1' })).toMatchObject({ items: [], more: false });
  });
  it('walking the album page by page gives every article once, newest first, in 3 requests', async () => {
    const before = srv.counts.list;
    const items = await walk(0);
    expect(items.map((i) => i.posNum)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(items.map((i) => i.key)).toEqual([...srv.albums[0]!.articles].reverse().map((a) => `sn:${a.sn}`));
    expect(srv.counts.list - before).toBe(3);
  });
  it('without is_reverse: another order (oldest first), and parseAlbumList says so', async () => {
    const r = await list(1, undefined, false, 20);
    expect(r.items.map((i) => i.posNum)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r).toMatchObject({ order: 'oldest-first', more: false });
    expect((await list(1, undefined, true, 20)).order).toBe('newest-first');
  });
});

describe('album server: HTML pages', () => {
  it('the album page: cgiData with the 10 newest (here all 7) and the markup numbers', async () => {
    const before = srv.counts.albumPage;
    const res = await get(
      `${srv.origin}/mp/appmsgalbum?__biz=${ref(1).biz}&action=getalbum&album_id=${ref(1).albumId}`,
    );
    const r = parseAlbumPage(await res.text(), srv.albumUrl(1));
    if (!r.ok) throw new Error(r.reason);
    expect(r.page).toMatchObject({
      albumId: '3300000000001000003',
      biz: 'MzkwMDAwMDAwMQ==',
      title: '测试合集1',
      account: '测试账号1',
      articleCount: 7,
      reverse: true,
      more: false,
      order: 'newest-first',
      skipped: 0,
    });
    expect(r.page.items.map((i) => i.posNum)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(srv.counts.albumPage - before).toBe(1);
  });
  it('each article page: identity, title, ct 23 s after the list’s time, and its album', async () => {
    const a = srv.albums[1]!.articles[3]!;
    const before = srv.counts.article;
    const res = await get(`${srv.origin}/s?__biz=${a.biz}&mid=${a.mid}&idx=${a.idx}&sn=${a.sn}`);
    const p = parseArticlePage(await res.text(), srv.articleUrl(a));
    expect(p).toMatchObject({
      state: 'ok',
      biz: a.biz,
      mid: a.mid,
      idx: '2',
      sn: a.sn,
      title: '测试合集1·第4篇',
      account: '测试账号1',
      publishedAt: (a.createTime + 23) * 1000,
      albums: [{ albumId: '3300000000001000003', biz: 'MzkwMDAwMDAwMQ==', title: '测试合集1', size: 7 }],
    });
    expect(p.contentHtml).toContain('正文第一段');
    expect(srv.counts.article - before).toBe(1);
    expect((await get(`${srv.origin}/s?__biz=x&mid=1&idx=1&sn=nope`)).status).toBe(404);
  });
});

describe('album server: faults', () => {
  it('latency', async () => {
    srv.faults.latencyMs = 120;
    const t = performance.now();
    await raw(0);
    expect(performance.now() - t).toBeGreaterThanOrEqual(110);
  });
  it('an HTML answer, then JSON again: refused, then a page', async () => {
    srv.faults.html = 1;
    const res = await get(albumListUrl(ref(0), undefined, { origin: srv.origin }));
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(parseAlbumList(await res.text())).toEqual({
      ok: false,
      reason: 'verification page instead of the list',
      refused: 'captcha',
    });
    expect((await list(0)).items).toHaveLength(3);
  });
  it('base_resp.ret 200013: refused', async () => {
    Object.assign(srv.faults, { ret: 1, retValue: 200013 });
    const res = await get(albumListUrl(ref(0), undefined, { origin: srv.origin }));
    expect(parseAlbumList(await res.text())).toEqual({
      ok: false,
      reason: 'base_resp.ret 200013 ("freq control")',
      refused: 'refused',
    });
    expect(srv.faults.ret).toBe(0);
  });
  it('a 302 (to the verification path), for any request', async () => {
    srv.faults.redirect = 2;
    const res = await get(albumListUrl(ref(0), undefined, { origin: srv.origin }));
    expect([res.status, res.headers.get('location')]).toEqual([
      302,
      '/mp/wappoc_appmsgcaptcha?poc_token=test&target_url=x',
    ]);
    const a = srv.albums[0]!.articles[0]!;
    expect(
      (await get(`${srv.origin}${new URL(srv.articleUrl(a)).pathname}${new URL(srv.articleUrl(a)).search}`)).status,
    ).toBe(302);
    expect((await get(albumListUrl(ref(0), undefined, { origin: srv.origin }))).status).toBe(200);
  });
  it('a growing list: an article published at the head while paging shifts nothing after the cursor', async () => {
    const s = await startAlbumServer({ albums: 1, articles: 5 });
    try {
      const url = (c?: AlbumCursor) =>
        albumListUrl({ biz: s.albums[0]!.biz, albumId: s.albums[0]!.albumId }, c, { count: 2, origin: s.origin });
      const page = async (c?: AlbumCursor) => {
        const r = parseAlbumList(await (await fetch(url(c))).text());
        if (!r.ok) throw new Error(r.reason);
        return r;
      };
      const p1 = await page();
      s.faults.growOnList = 1;
      const p2 = await page(p1.cursor);
      const p3 = await page(p2.cursor);
      expect([...p1.items, ...p2.items, ...p3.items].map((i) => i.posNum)).toEqual([5, 4, 3, 2, 1]);
      expect(p3.more).toBe(false);
      const head = await page();
      expect(head.items.map((i) => i.posNum)).toEqual([6, 5]);
      const added = s.grow();
      expect(added.posNum).toBe(7);
      expect((await page()).items[0]).toMatchObject({ key: `sn:${added.sn}`, posNum: 7, title: '测试合集0·第7篇' });
      expect(s.counts.list).toBe(5);
    } finally {
      await s.close();
    }
  });
  it('unknown album and unknown paths', async () => {
    const before = srv.counts.other;
    const bad = await get(`${srv.origin}/mp/appmsgalbum?action=getalbum&album_id=1&f=json`);
    expect(parseAlbumList(await bad.text())).toEqual({
      ok: false,
      reason: 'base_resp.ret -2 ("invalid args")',
      refused: false,
    });
    expect((await get(`${srv.origin}/mp/appmsgalbum?album_id=1`)).status).toBe(404);
    expect((await get(`${srv.origin}/favicon.ico`)).status).toBe(404);
    expect(srv.counts.other - before).toBe(1);
    expect(srv.requests.at(-1)).toBe('/favicon.ico');
  });
});
