import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { pageAlbums } from '../../src/wechat/album.js';
import { parseArticlePage } from '../helpers/parse-page.js';
import { objectBlock } from '../../src/wechat/page-scripts.js';
import type { PageAlbum } from '../../src/wechat/album-refs.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';

const B = 'MzAwMDAwMDAwMQ==';
const OTHER = 'MzAwMDAwMDAwMg==';
const own = (name: string) =>
  parseArticlePage(readFileSync(`${OWN_FIXTURES}albums/${name}`, 'utf8'), 'https://mp.weixin.qq.com/s/x');
const link = (biz: string, id: string, amp = '&amp;') =>
  `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${biz}${amp}action=getalbum${amp}album_id=${id}#wechat_redirect`;

describe('albums an article page names: pages we wrote', () => {
  it('every structure at once: own albums only, de-duplicated, in the order first named', () => {
    const p = own('article-albums.html');
    expect(p).toMatchObject({ state: 'ok', biz: B, mid: '2650000010', title: '名录齐全的文章' });
    expect(p.albums).toEqual<PageAlbum[]>([
      // album_info_list (its second entry is another account's: left out); cgiDataNew.appmsgalbuminfo repeats it
      { albumId: '3000000000000000001', biz: B, title: 'A合集', size: 12 },
      // cgiDataNew.public_tag_info.tags: no link, inside the page's own structure (the tag whose id and link
      // disagree is left out)
      { albumId: '3000000000000000002', biz: B, title: 'B合集', size: 5 },
      // window.appmsgalbuminfo
      { albumId: '3000000000000000003', biz: B, title: 'C合集', size: 7 },
      // window.cgiData.topics (another account's topic and a non-numeric id left out)
      { albumId: '3000000000000000004', biz: B, title: 'D合集', size: 2 },
    ]);
  });
  it('a 2024 page: var publicTagInfo, identity from the last operands', () => {
    expect(own('article-public-tag.html')).toMatchObject({
      state: 'ok',
      sn: '00000000000000000000000000000009',
      albums: [{ albumId: '3000000000000000005', biz: B, title: 'E合集', size: 41 }],
    });
  });
  it('an empty album_info_list, and an album link in the text, name no album', () => {
    expect(own('article-no-albums.html')).toMatchObject({ state: 'ok', title: '没有合集', albums: [] });
  });
  it('notices and the captcha page carry albums: []', () => {
    const page = (name: string) =>
      parseArticlePage(readFileSync(`${OWN_FIXTURES}pages/${name}`, 'utf8'), 'https://mp.weixin.qq.com/s/x');
    expect(page('deleted.html').albums).toEqual([]);
    expect(page('violation.html').albums).toEqual([]);
    expect(page('captcha-script.html').albums).toEqual([]);
    expect(page('article.html').albums).toEqual([]);
  });
});

describe('pageAlbums: one structure at a time, and hostile pages', () => {
  const list = (entries: string) => `<script>var album_info_list = [${entries}];</script>`;
  const info = (title: string, size: string, href: string, id: string) =>
    `{ title: '${title}', size: '${size}' * 1, link: '${href}', type: '0' * 1, albumId: '${id}' }`;

  it('window.album_info_list and var album_info_list; link only, id only', () => {
    expect(pageAlbums(`<script>window.album_info_list = [{ link: '${link(B, '11')}' }];</script>`, B)).toEqual([
      { albumId: '11', biz: B },
    ]);
    expect(pageAlbums(list(`{ albumId: '12', title: '只有 id' }`), B)).toEqual([
      { albumId: '12', biz: B, title: '只有 id' },
    ]);
  });
  it('the page’s biz may be written without padding; the albums take its one spelling', () => {
    expect(pageAlbums(list(info('甲', '3', link(B, '13'), '13')), 'MzAwMDAwMDAwMQ')).toEqual([
      { albumId: '13', biz: B, title: '甲', size: 3 },
    ]);
  });
  it('no album is the page’s own when the page’s biz is unknown or invalid', () => {
    const html = list(info('甲', '3', link(B, '13'), '13'));
    expect(pageAlbums(html, undefined)).toEqual([]);
    expect(pageAlbums(html, '')).toEqual([]);
    expect(pageAlbums(html, 'not a biz')).toEqual([]);
  });
  it('left out: another account, a link that is not an album, id and link disagreeing, a bad id', () => {
    const html = list(
      [
        info('别人的', '3', link(OTHER, '21'), '21'),
        info('文章链接', '3', 'https://mp.weixin.qq.com/s?__biz=x&amp;mid=1&amp;idx=1&amp;sn=abcdefabcdef', '22'),
        info('不符', '3', link(B, '23'), '24'),
        info('坏 id', '3', link(B, '25'), '25x'),
        info('坏链接', '3', 'javascript:alert(1)', '26'),
        `{ title: '什么都没有' }`,
      ].join(','),
    );
    expect(pageAlbums(html, B)).toEqual([]);
  });
  it('a later structure fills what an earlier one left out; the first title wins', () => {
    const html = `${list(`{ albumId: '31' }`)}<script>window.cgiData.topics = [{ tag_name: '话题', tag_link: '${link(B, '31', '\\x26amp;')}', tag_content_num: '9' * 1 || 0, album_id: '31' }, { tag_name: '第二个标题', album_id: '31' }];</script>`;
    expect(pageAlbums(html, B)).toEqual([{ albumId: '31', biz: B, title: '话题', size: 9 }]);
  });
  it('cgiDataNew structures are read from the block given', () => {
    const cgi = `{ appmsgalbuminfo: { album_id: JsDecode('41'), title: JsDecode('新'), content_size: '8' * 1 }, public_tag_info: { tags: [ { tag_name: JsDecode('标签'), tag_link: JsDecode('${link(B, '42', '\\x26amp;')}'), album_id: JsDecode('42') } ] } }`;
    expect(pageAlbums('<html></html>', B, cgi)).toEqual([
      { albumId: '41', biz: B, title: '新', size: 8 },
      { albumId: '42', biz: B, title: '标签' },
    ]);
  });
  it('huge lists are capped (50 entries a structure, 50 albums a page); long titles cut', () => {
    const entries = Array.from({ length: 300 }, (_, n) =>
      info(`合集${n}`, String(n), link(B, String(1000 + n)), String(1000 + n)),
    );
    const albums = pageAlbums(list(entries.join(',')), B);
    expect(albums).toHaveLength(50);
    expect(albums[49]).toEqual({ albumId: '1049', biz: B, title: '合集49', size: 49 });
    const long = pageAlbums(list(info('长'.repeat(3000), '1', link(B, '7'), '7')), B);
    expect(long[0]!.title).toBe(`${'长'.repeat(999)}…`);
  });
  it('unbalanced, truncated or absurd structures: nothing, never a throw', () => {
    expect(pageAlbums(`<script>var album_info_list = [{ albumId: '1', title: '未闭合`, B)).toEqual([]);
    expect(pageAlbums(`<script>var album_info_list = [ } ]`, B)).toEqual([]);
    expect(pageAlbums(`<script>var album_info_list = ${'['.repeat(100_000)}`, B)).toEqual([]);
    expect(pageAlbums(`<script>var album_info_list = [{ size: '${'9'.repeat(50)}' * 1, albumId: '5' }]`, B)).toEqual([
      { albumId: '5', biz: B },
    ]);
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(Array.isArray(pageAlbums(list(s), B))).toBe(true);
        expect(Array.isArray(pageAlbums(s, B, s))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(!HAVE_SHARED)('albums the real pages name', () => {
  const real = (name: string, url = 'https://mp.weixin.qq.com/s/x') =>
    parseArticlePage(readFileSync(`${REAL_PAGES}${name}`, 'utf8'), url);
  const NOVELS: PageAlbum = { albumId: '3329839945947119618', biz: 'Mzg4NTc2OTYxMQ==', title: '微型小说' };

  it('2247484584 (2026): album_info_list, cgiDataNew.appmsgalbuminfo and public_tag_info name one album, 105 articles', () => {
    const p = real('soda92__biao-short-novels__2247484584.html');
    expect(p).toMatchObject({ state: 'ok', mid: '2247484584', sn: '6d871ee60881c48d673de3f46e7550a1' });
    expect(p.albums).toEqual([{ ...NOVELS, size: 105 }]);
  });
  it('2247484173 (2024): var publicTagInfo, 77 articles then', () => {
    expect(real('soda92__biao-short-novels__2247484173.html').albums).toEqual([{ ...NOVELS, size: 77 }]);
  });
  it('normal-01: AI技术与AI编程 of 轩辕的编程宇宙, 21 articles', () => {
    expect(
      real(
        'wechat-article__wechat-article-exporter__normal-01.html',
        'https://mp.weixin.qq.com/s/KDWh_qGpFN5Vu1TR9t30Mw',
      ).albums,
    ).toEqual([{ albumId: '3457885223537541125', biz: 'MzIyNjMxOTY0NA==', title: 'AI技术与AI编程', size: 21 }]);
  });
  it('image-share-01 and -c01: 36氪透视图 (album_info_list type 8, window.appmsgalbuminfo, cgiData.topics), 14 then 25', () => {
    const album = { albumId: '4128812927555911694', biz: 'MzI2NDk5NzA0Mw==', title: '36氪透视图' };
    expect(real('wechat-article__wechat-article-exporter__image-share-01.html').albums).toEqual([
      { ...album, size: 14 },
    ]);
    expect(real('wechat-article__wechat-article-exporter__image-share-c01.html').albums).toEqual([
      { ...album, size: 25 },
    ]);
  });
  it('each real structure alone names the album', () => {
    const html = readFileSync(`${REAL_PAGES}soda92__biao-short-novels__2247484584.html`, 'utf8');
    const cgi = objectBlock(html, 'window.cgiDataNew');
    expect(cgi).toContain('appmsgalbuminfo');
    // cgiDataNew only (album_info_list renamed away)
    expect(pageAlbums(html.replace(/album_info_list/g, 'renamed_list'), NOVELS.biz, cgi)).toEqual([
      { ...NOVELS, size: 105 },
    ]);
    // album_info_list only
    expect(pageAlbums(html, NOVELS.biz)).toEqual([{ ...NOVELS, size: 105 }]);
    const image = readFileSync(`${REAL_PAGES}wechat-article__wechat-article-exporter__image-share-01.html`, 'utf8');
    // cgiData.topics only
    const topicsOnly = image.replace(/album_info_list/g, 'x_list').replace(/window\.appmsgalbuminfo/g, 'window.x');
    expect(pageAlbums(topicsOnly, 'MzI2NDk5NzA0Mw==')).toEqual([
      { albumId: '4128812927555911694', biz: 'MzI2NDk5NzA0Mw==', title: '36氪透视图', size: 14 },
    ]);
  });
  it('another account’s page names none of these albums', () => {
    const html = readFileSync(`${REAL_PAGES}wechat-article__wechat-article-exporter__image-share-01.html`, 'utf8');
    expect(pageAlbums(html, 'Mzg4NTc2OTYxMQ==')).toEqual([]);
  });
  it('pages without albums: []', () => {
    for (const name of [
      'wechat-article__wechat-article-exporter__normal-c01.html',
      'wechat-article__wechat-article-exporter__text-share-01.html',
      'chyroc__WechatSogou__article_detail_backgroud-image.html',
      'chyroc__WechatSogou__article_detail_iframe.html',
      'chyroc__WechatSogou__article_detail_mpvoice.html',
      'chyroc__WechatSogou__article_detail_qqmusic.html',
      'chyroc__WechatSogou__article_detail_expired.html',
      'wechat-article__wechat-article-exporter__deleted-01.html',
      'wechat-article__wechat-article-exporter__deleted-06-en.html',
      'wechat-article__wechat-article-exporter__violation-01.html',
      'wechat-article__wechat-article-exporter__violation-02.html',
      'wechat-article__wechat-article-exporter__unavailable-01.html',
      'f4de01__sub2obsidian__verification.html',
    ])
      expect([name, real(name).albums]).toEqual([name, []]);
  });
});
