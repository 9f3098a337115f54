import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseAlbumList, parseAlbumPage } from '../../src/wechat/album.js';
import type { AlbumPage, AlbumPageResult } from '../../src/wechat/album-page.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';

const own = (name: string) => readFileSync(`${OWN_FIXTURES}albums/${name}`, 'utf8');
const B = 'MzAwMDAwMDAwMQ==';
const art = (biz: string, mid: string, idx: string, sn: string) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=${idx}&sn=${sn}`;
const OWN_URL = `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${B}&action=getalbum&album_id=3000000000000000001#wechat_redirect`;

function page(r: AlbumPageResult): AlbumPage {
  if (!r.ok) throw new Error(`expected an album page, got: ${r.reason}`);
  return r.page;
}

describe('an album page we wrote', () => {
  it("cgiData: title (\\x26amp; and \\' decoded), account, size, order; items with &amp; urls; numbers from the markup", () => {
    const p = page(parseAlbumPage(own('album-page.html')));
    expect(p).toMatchObject({
      albumId: '3000000000000000001',
      title: "测试合集：& '引号'",
      account: '测试账号',
      accountId: 'gh_0123456789ab',
      articleCount: 3,
      reverse: true,
      more: false,
      cursor: { msgid: '2650000007', itemidx: '1' },
      order: 'newest-first',
      skipped: 0,
      skipReasons: [],
    });
    // Without the URL, the page's items name two accounts: no biz is claimed.
    expect(p.biz).toBeUndefined();
    expect(p.items).toEqual([
      {
        msgid: '2650000010',
        itemidx: '1',
        title: '第三篇',
        createTime: 1720000300000,
        cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/own3/300',
        url: art(B, '2650000010', '1', '0000000000000000000000000000000a'),
        key: 'sn:0000000000000000000000000000000a',
        posNum: 3,
      },
      {
        msgid: '2650000009',
        itemidx: '2',
        title: '第二篇 <标签>',
        createTime: 1720000200000,
        url: art(B, '2650000009', '2', '00000000000000000000000000000009'),
        key: 'sn:00000000000000000000000000000009',
        posNum: 2,
      },
      {
        msgid: '2650000008',
        itemidx: '1',
        title: '别的账号的文章',
        createTime: 1720000100000,
        url: art('MzAwMDAwMDAwMg==', '2650000008', '1', '00000000000000000000000000000008'),
        key: 'sn:00000000000000000000000000000008',
      },
      {
        msgid: '2650000007',
        itemidx: '1',
        title: '第一篇',
        createTime: 1720000000000,
        url: art(B, '2650000007', '1', '00000000000000000000000000000007'),
        key: 'sn:00000000000000000000000000000007',
      },
    ]);
  });
  it('with the URL it came from: the biz is the URL’s, and an article of another account is skipped', () => {
    const p = page(parseAlbumPage(own('album-page.html'), OWN_URL));
    expect(p.biz).toBe(B);
    expect(p.items.map((i) => i.msgid)).toEqual(['2650000010', '2650000009', '2650000007']);
    expect([p.skipped, p.skipReasons]).toEqual([1, ['article of another account']]);
  });
  it('a URL naming another album is a failure', () => {
    expect(parseAlbumPage(own('album-page.html'), OWN_URL.replace('0000001#', '0000002#'))).toEqual({
      ok: false,
      reason: 'page is album 3000000000000000001, the URL names album 3000000000000000002',
      refused: false,
    });
  });
  it('the verification page refuses the client; a page without cgiData is not an album page', () => {
    expect(parseAlbumPage(own('verify.html'))).toEqual({
      ok: false,
      reason: 'verification page instead of the album',
      refused: true,
    });
    expect(parseAlbumPage('<html><body><p>参数错误</p></body></html>')).toEqual({
      ok: false,
      reason: 'no window.cgiData: not an album page',
      refused: false,
    });
    expect(parseAlbumPage('<html><body>当前环境异常，完成验证后即可继续访问。</body></html>')).toEqual({
      ok: false,
      reason: 'verification page instead of the album',
      refused: true,
    });
  });
});

describe('hostile album pages', () => {
  const wrap = (cgi: string) => `<html><script>window.cgiData = {${cgi}};</script></html>`;
  it('cgiData.ret ≠ 0 and an empty page fail the album alone', () => {
    expect(parseAlbumPage(wrap("ret: '-1', albumId: '1'"))).toEqual({
      ok: false,
      reason: 'cgiData.ret "-1"',
      refused: false,
    });
    expect(parseAlbumPage('')).toEqual({ ok: false, reason: 'empty page', refused: false });
    expect(parseAlbumPage(undefined as unknown as string)).toEqual({ ok: false, reason: 'empty page', refused: false });
  });
  it('an unclosed cgiData is no cgiData', () => {
    expect(parseAlbumPage("<script>window.cgiData = { title: 'x', articleList: [ {").ok).toBe(false);
  });
  it('bad values are left out: a non-numeric album id and count, a title in a nested object only', () => {
    const p = page(
      parseAlbumPage(
        wrap("albumId: 'abc', article_count: 'many' * 1, is_reverse: '' * 1, info: { title: '嵌套' }, articleList: []"),
      ),
    );
    expect(p).toEqual({ items: [], order: 'unknown', skipped: 0, skipReasons: [] });
  });
  it('500 items: 100 are read; markup of 5,000 items and an unclosed <li costs nothing', () => {
    const entries = Array.from(
      { length: 500 },
      (_, n) =>
        `{ title: '第${n}篇', create_time: '${1720000000 - n}', msgid: '${2650000500 - n}', itemidx: '1', url: 'http://mp.weixin.qq.com/s?__biz=${B}&amp;mid=${2650000500 - n}&amp;idx=1&amp;sn=${String(n).padStart(32, '0')}#rd' }`,
    );
    const markup = '<li class="js_album_item" data-msgid="1" data-itemidx="1" data-pos_num="1">'.repeat(5000);
    const html = `${markup}<li ${'x'.repeat(100_000)}${wrap(`articleList: [${entries.join(',')}]`)}`;
    const t = performance.now();
    const p = page(parseAlbumPage(html));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(p.items).toHaveLength(100);
    expect(p.cursor).toEqual({ msgid: '2650000401', itemidx: '1' });
  });
  it('any text: a result, never a throw', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof parseAlbumPage(s).ok).toBe('boolean');
        expect(typeof parseAlbumPage(wrap(s)).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(!HAVE_SHARED)('the real album page (soda92/biao-short-novels, 2026-03-09)', () => {
  const html = () => readFileSync(`${REAL_PAGES}soda92__biao-short-novels__album-page.html`, 'utf8');
  const BIZ = 'Mzg4NTc2OTYxMQ==';

  it('album 3329839945947119618 微型小说 of 你的鸟儿会唱歌: 105 articles, newest first, the 10 newest (105 down to 96)', () => {
    const p = page(parseAlbumPage(html()));
    expect(p).toMatchObject({
      albumId: '3329839945947119618',
      biz: BIZ,
      title: '微型小说',
      account: '你的鸟儿会唱歌',
      accountId: 'gh_6847addcee78',
      articleCount: 105,
      reverse: true,
      more: true,
      cursor: { msgid: '2247484534', itemidx: '1' },
      order: 'newest-first',
      skipped: 0,
    });
    expect(p.items).toHaveLength(10);
    expect(p.items[0]).toEqual({
      msgid: '2247484584',
      itemidx: '1',
      title: '107 | 微型小说《贴地飞行》',
      createTime: 1772875800000,
      cover:
        'https://mmbiz.qpic.cn/mmbiz_jpg/zzFsMsg0vAY5kVq2y6HSwcP5VadJPnQB4KichIPoiamgkqgOiaOYyKUGN4pnSSwhDSgv47EV4piaVZHOcbWc06vFapzh8UnOB1ZJyAXelKdnuNo/300',
      url: `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247484584&idx=1&sn=6d871ee60881c48d673de3f46e7550a1`,
      key: 'sn:6d871ee60881c48d673de3f46e7550a1',
      posNum: 105,
    });
    expect(p.items[9]).toMatchObject({
      msgid: '2247484534',
      title: '98 | 微型小说《他的说话、他的故事》',
      createTime: 1755083489000,
      posNum: 96,
      key: 'sn:49e3caf0e6e49a6f0b2529a0df39e273',
    });
    expect(p.items.map((i) => i.posNum)).toEqual([105, 104, 103, 102, 101, 100, 99, 98, 97, 96]);
  });
  it('with its URL: the same, nothing skipped', () => {
    const p = page(
      parseAlbumPage(
        html(),
        `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=3329839945947119618`,
      ),
    );
    expect([p.items.length, p.skipped, p.biz]).toEqual([10, 0, BIZ]);
  });
  it('its items 2–10 are the first 9 of the 2026 JSON page, item for item (url, key, title, time, number)', () => {
    const p = page(parseAlbumPage(html()));
    const json = parseAlbumList(readFileSync(`${REAL_PAGES}soda92__biao-short-novels__album-2247484477.json`, 'utf8'));
    if (!json.ok) throw new Error(json.reason);
    expect(p.items.slice(1)).toEqual(json.items.slice(0, 9));
  });
});
