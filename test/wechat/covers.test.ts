/**
 * Covers only from WeChat's image hosts (issue 20, item 5): a cover naming an internal address is dropped where a
 * WeChat-sourced cover enters (album list items, album page items, article pages), and the real pages' covers are
 * kept, as the parsers gave them before.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAlbumList, parseAlbumPage } from '../../src/wechat/album.js';
import { parseArticlePage } from '../helpers/parse-page.js';
import type { AlbumItem } from '../../src/wechat/album-item.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';

const B = 'MzAwMDAwMDAwMQ==';
const GOOD = 'https://mmbiz.qpic.cn/mmbiz_jpg/own3/300';
/** Covers a reader must never be sent to fetch. */
const HOSTILE = [
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'https://mmbiz.qpic.cn@127.0.0.1:8080/x',
  'https://mmbiz.qpic.cn\\@127.0.0.1:8080/x',
  'http://127.0.0.1:6379/',
  'http://[::1]/x.png',
  'https://mmbiz.qpic.cn:8443/x',
  'https://mmbiz.qpic.cn.evil.example/x.jpg',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'https://blog.example/cover.png',
];

const answer = (list: unknown) =>
  JSON.stringify({ base_resp: { ret: 0 }, getalbum_resp: { article_list: list, continue_flag: '0' } });
const entry = (n: number, cover: string) => ({
  create_time: String(1720000000 + n),
  itemidx: '1',
  msgid: String(2650000000 + n),
  title: `第${n}篇`,
  url: `http://mp.weixin.qq.com/s?__biz=${B}&mid=${2650000000 + n}&idx=1&sn=${String(n).padStart(32, '0')}#rd`,
  cover_img_1_1: cover,
});
const covers = (items: AlbumItem[]) => items.map((i) => [i.msgid, i.cover]);

describe('album list items', () => {
  it('a hostile cover is dropped, the item kept; a WeChat cover is kept (http, scheme-relative, escaped &)', () => {
    const r = parseAlbumList(
      answer([
        ...HOSTILE.map((c, i) => entry(i + 1, c)),
        entry(20, GOOD),
        entry(21, 'http://mmbiz.qpic.cn/mmbiz_jpg/x/0?wx_fmt=jpeg\\x26amp;from=appmsg'),
        entry(22, '//mmbiz.qpic.cn/mmbiz_png/y/0?wx_fmt=png'),
      ]),
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.skipped).toBe(0);
    expect(covers(r.items)).toEqual([
      ...HOSTILE.map((_, i) => [String(2650000001 + i), undefined]),
      ['2650000020', GOOD],
      ['2650000021', 'http://mmbiz.qpic.cn/mmbiz_jpg/x/0?wx_fmt=jpeg&from=appmsg'],
      ['2650000022', 'https://mmbiz.qpic.cn/mmbiz_png/y/0?wx_fmt=png'],
    ]);
  });
});

describe('album page items', () => {
  const own = readFileSync(`${OWN_FIXTURES}albums/album-page.html`, 'utf8');
  it("a hostile cover_img_1_1 is dropped, the item kept; our page's own cover kept", () => {
    const kept = parseAlbumPage(own);
    if (!kept.ok) throw new Error(kept.reason);
    expect(kept.page.items[0]!.cover).toBe(GOOD);
    for (const hostile of HOSTILE) {
      const js = hostile.replace(/\\/g, '\\\\');
      const r = parseAlbumPage(own.replace(`cover_img_1_1: '${GOOD}'`, `cover_img_1_1: '${js}'`));
      if (!r.ok) throw new Error(r.reason);
      expect(
        r.page.items.map((i) => i.msgid),
        hostile,
      ).toEqual(kept.page.items.map((i) => i.msgid));
      expect(r.page.items[0]!.cover, hostile).toBeUndefined();
    }
  });
});

describe('article pages', () => {
  const own = readFileSync(`${OWN_FIXTURES}pages/article.html`, 'utf8');
  const OWN_COVER = 'https://mmbiz.qpic.cn/mmbiz_jpg/cover1/0?wx_fmt=jpeg';
  const url = 'https://mp.weixin.qq.com/s/unknown';
  const withCovers = (cdn: string, og: string) =>
    own
      .replace(`var msg_cdn_url = "${OWN_COVER}"`, `var msg_cdn_url = "${cdn.replace(/\\/g, '\\\\')}"`)
      .replace(`<meta property="og:image" content="${OWN_COVER}">`, `<meta property="og:image" content="${og}">`);

  it('msg_cdn_url hostile: og:image is the cover; both hostile: no cover; the page itself is read as before', () => {
    expect(parseArticlePage(own, url).cover).toBe(OWN_COVER);
    const og = 'https://mmbiz.qpic.cn/mmbiz_jpg/og2/0?wx_fmt=png';
    for (const hostile of HOSTILE) {
      const one = parseArticlePage(withCovers(hostile, og), url);
      expect(one.cover, hostile).toBe(og);
      const both = parseArticlePage(withCovers(hostile, hostile.replace(/"/g, '&quot;')), url);
      expect(both.cover, hostile).toBeUndefined();
      expect(both).toMatchObject({ state: 'ok', title: '测试文章：懒加载与语音', account: '测试账号' });
    }
  });

  it("an image post's cgiDataNew cover (cdn_url): kept when WeChat's, dropped when not", () => {
    const post = readFileSync(`${OWN_FIXTURES}pages/image-post.html`, 'utf8');
    expect(parseArticlePage(post, url).cover).toBe('https://mmbiz.qpic.cn/mmbiz_png/p1/0?wx_fmt=png&from=appmsg');
    const hostile = post.replace(
      "cdn_url: JsDecode('https://mmbiz.qpic.cn/mmbiz_png/p1/0?wx_fmt=png\\x26amp;from=appmsg')",
      "cdn_url: JsDecode('http://169.254.169.254/latest/meta-data/')",
    );
    expect(hostile).not.toBe(post);
    expect(parseArticlePage(hostile, url).cover).toBeUndefined();
  });
});

describe.skipIf(!HAVE_SHARED)("the real pages' covers are kept", () => {
  const real = (name: string) => readFileSync(`${REAL_PAGES}${name}`, 'utf8');
  it('article pages: msg_cdn_url (http and https), og:image of an image post', () => {
    const cases: Array<[string, string]> = [
      [
        'chyroc__WechatSogou__article_detail_backgroud-image.html',
        'http://mmbiz.qpic.cn/mmbiz_jpg/Jyco923vDiagVGkknJr8Wz4fSqs1jqNiakLllm1c28ICAuWGc3QJ4OEhRGeAVW1kicynEupV4gM9qnlJ3MXEJNKhg/0?wx_fmt=jpeg',
      ],
      [
        'soda92__biao-short-novels__2247484173.html',
        'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxYeeBSiaAAxqEHyrzmAfxZtO6MSMYkEwt3jKEOE3GjuWicKKjpaL0G62we0vJlYBlficM5KPAicseTdXQ/0?wx_fmt=jpeg',
      ],
      [
        'wechat-article__wechat-article-exporter__normal-c01.html',
        'https://mmbiz.qpic.cn/sz_mmbiz_jpg/SUIPcAicB0bhnNKkh1YNsK0NF8o1fOAF02fKUwOszueyBzSiajI9OuciaxrCkNib8m2XwodicySKIocOMdAZxO1fNvg/0?wx_fmt=jpeg',
      ],
      [
        'wechat-article__wechat-article-exporter__image-share-c01.html',
        'https://mmbiz.qpic.cn/sz_mmbiz_jpg/o02wSnKAPeGIic5JruUutVUpNxliaXY2CeD27ichTv0YZ8Y9zqZeW2H5VZX98TtzWlvnWPeQ0zzAmecVD2icRic7z3lbDVR6LIn8cu5ABImp62u4/0?wx_fmt=jpeg',
      ],
    ];
    for (const [name, cover] of cases)
      expect(parseArticlePage(real(name), 'https://mp.weixin.qq.com/s/x').cover, name).toBe(cover);
    expect(
      parseArticlePage(
        real('wechat-article__wechat-article-exporter__text-share-01.html'),
        'https://mp.weixin.qq.com/s/x',
      ).cover,
    ).toBeUndefined();
  });

  it('the album page: its 10 covers, as before', () => {
    const r = parseAlbumPage(real('soda92__biao-short-novels__album-page.html'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.items.map((i) => i.cover)).toEqual([
      'https://mmbiz.qpic.cn/mmbiz_jpg/zzFsMsg0vAY5kVq2y6HSwcP5VadJPnQB4KichIPoiamgkqgOiaOYyKUGN4pnSSwhDSgv47EV4piaVZHOcbWc06vFapzh8UnOB1ZJyAXelKdnuNo/300',
      'https://mmbiz.qpic.cn/sz_mmbiz_jpg/zzFsMsg0vAZ5XLrQvRFzccZSh9kLvQgHibzysIugTWvIllVdicE1J5vOJPVGBicQvibzBUkXdY4VibLNLGeN0eicCvL8jAFKdn61MkscKXPmknxes/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxbjtyib00nKfgKiadkP6PWwJEibzqB1EibcANZPGdYicKxs9mS8PWIMfiaPgvdWoUWvzsktjJ7AiamForibQg/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxZ6l3tM7NjoYibtIu5fctiazTrVn3v7IhlibiczKq49OibOPzEHYLKA9Iyw2nToMNsE5qvHjzKhw6jlakw/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxb5PpGMopD1mpU5gt2ox0wo8SKxWjDyrUtE95H8iaFCnZCb16hiczf1Wl78JdQicYTOBxBO7MSGNiaVxA/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxaMsQ7vzOR64UsxtUgmWiaXQPYjQ6aIksloFYzMbiapC68dqGO6sQ08xHp3G8FnKEr3K2yP9au7On7w/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxaP4anRnbNw2moK6ibPTTwJYeeOwWO9dfINribu8NFZoNLNfVGCRE8FD4Lagyp1viaPJpZLOHykq2eicg/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxYNypANU9wc4OicjUia8pS18KC03fXUgXhDzRNVBRoatHBKVN0fTea3TKicAKTxwlhg6bM6QicPdx6IHQ/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxYpZLiaYGIv3Rq692CaBpauUtRWtUmc3Chvx9CeqUcUIbVoTMszvt5wSPaUz3ekZJOBHxvRsg0YNLQ/300',
      'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxau7ElvFuSqJdBCZgpaJwx5WRe0vsXSmn7dNz5pQDxOgmHh7lEsqfA8icba7FYANFlShe0ZGr7ibFaQ/300',
    ]);
  });

  it('the album JSON lists: every item (20, 16, 20) keeps its cover', () => {
    for (const name of ['album-2247484063', 'album-2247483853', 'album-2247484477']) {
      const r = parseAlbumList(real(`soda92__biao-short-novels__${name}.json`), { biz: 'Mzg4NTc2OTYxMQ==' });
      if (!r.ok) throw new Error(r.reason);
      expect(
        r.items.map((i) => i.cover?.startsWith('https://mmbiz.qpic.cn/')),
        name,
      ).toEqual(Array(name === 'album-2247483853' ? 16 : 20).fill(true));
    }
  });
});
