import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { albumListUrl, isAlbumUrl, parseAlbumUrl } from '../../src/wechat/album.js';

const BIZ = 'Mzg4NTc2OTYxMQ==';
const ID = '3329839945947119618';
const CANON = `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=${ID}`;
const ALBUM = { biz: BIZ, albumId: ID, canonical: CANON };

describe('parseAlbumUrl: every form a user pastes', () => {
  const cases: Array<[string, string]> = [
    ['canonical', CANON],
    ['&amp; and #wechat_redirect (as album_info_list writes it)', `${CANON.replace(/&/g, '&amp;')}#wechat_redirect`],
    [
      '\\x26amp; (as cgiDataNew writes it)',
      `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}\\x26amp;action=getalbum\\x26amp;album_id=${ID}#wechat_redirect`,
    ],
    ['\\x26', `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}\\x26action=getalbum\\x26album_id=${ID}`],
    ['http://', CANON.replace('https:', 'http:')],
    ['no scheme, spaces around', `  mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=${ID}  `],
    [
      'extra parameters in another order',
      `https://mp.weixin.qq.com/mp/appmsgalbum?album_id=${ID}&scene=173&from_msgid=2247484584&from_itemidx=1&count=3&nolastread=1&__biz=${BIZ}&action=getalbum&f=json&subscene=&sessionid=svr_1#wechat_redirect`,
    ],
    ['no action', `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&album_id=${ID}`],
    [
      'trailing slash on the path',
      `https://mp.weixin.qq.com/mp/appmsgalbum/?__biz=${BIZ}&action=getalbum&album_id=${ID}`,
    ],
    ['upper-case host', `https://MP.WEIXIN.QQ.COM/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=${ID}`],
    ['__biz percent-encoded', `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ%3D%3D&album_id=${ID}`],
    ['__biz without its padding', `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ&album_id=${ID}`],
    ['album_id given twice, the same', `${CANON}&album_id=${ID}`],
  ];
  for (const [name, url] of cases) {
    it(name, () => {
      expect(parseAlbumUrl(url)).toEqual({ ok: true, album: ALBUM });
      expect(isAlbumUrl(url)).toBe(true);
    });
  }

  it('other albums of the fixtures', () => {
    expect(
      parseAlbumUrl(
        'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzI2NDk5NzA0Mw==&amp;action=getalbum&amp;album_id=4128812927555911694#wechat_redirect',
      ),
    ).toEqual({
      ok: true,
      album: {
        biz: 'MzI2NDk5NzA0Mw==',
        albumId: '4128812927555911694',
        canonical:
          'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzI2NDk5NzA0Mw==&action=getalbum&album_id=4128812927555911694',
      },
    });
  });
});

describe('parseAlbumUrl: refusals name what is wrong', () => {
  const A = 'https://mp.weixin.qq.com/mp/appmsgalbum';
  const cases: Array<[string, string, string]> = [
    ['no album_id', `${A}?__biz=${BIZ}&action=getalbum`, 'album URL has no album_id'],
    ['empty album_id', `${A}?__biz=${BIZ}&action=getalbum&album_id=`, 'album URL has no album_id'],
    ['non-numeric album_id', `${A}?__biz=${BIZ}&album_id=abc123`, 'album_id "abc123" is not a number'],
    ['negative album_id', `${A}?__biz=${BIZ}&album_id=-5`, 'album_id "-5" is not a number'],
    [
      'album_id of 21 digits',
      `${A}?__biz=${BIZ}&album_id=123456789012345678901`,
      'album_id "123456789012345678901" is not an album id (1 to 20 digits, no leading zero)',
    ],
    [
      'album_id with a leading zero',
      `${A}?__biz=${BIZ}&album_id=0329839945947119618`,
      'album_id "0329839945947119618" is not an album id (1 to 20 digits, no leading zero)',
    ],
    [
      'two different album_id',
      `${A}?__biz=${BIZ}&album_id=1&album_id=2`,
      'album URL has two different album_id values',
    ],
    ['no __biz', `${A}?action=getalbum&album_id=${ID}`, 'album URL has no __biz'],
    ['empty __biz', `${A}?__biz=&action=getalbum&album_id=${ID}`, 'album URL has no __biz'],
    [
      '__biz not base64',
      `${A}?__biz=not*base64&album_id=${ID}`,
      '__biz "not*base64" is not an account id (base64 of its number)',
    ],
    [
      '__biz base64 of text, not of a number',
      `${A}?__biz=aGVsbG8=&album_id=${ID}`,
      '__biz "aGVsbG8=" is not an account id (base64 of its number)',
    ],
    [
      '__biz as the bare number',
      `${A}?__biz=3885769611&album_id=${ID}`,
      '__biz "3885769611" is not an account id (base64 of its number)',
    ],
    [
      'another action',
      `${A}?__biz=${BIZ}&action=paylist&album_id=${ID}`,
      'album URL with action="paylist", expected getalbum',
    ],
    [
      'an article URL',
      `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247484584&idx=1&sn=6d871ee60881c48d673de3f46e7550a1`,
      'not an album URL (path "/s", expected /mp/appmsgalbum)',
    ],
    ['another host', `https://example.com/mp/appmsgalbum?__biz=${BIZ}&album_id=${ID}`, 'not a mp.weixin.qq.com URL'],
    ['not a URL', '合集', 'not a URL: "合集"'],
    ['empty', '   ', 'empty URL'],
  ];
  for (const [name, url, reason] of cases) {
    it(name, () => expect(parseAlbumUrl(url)).toEqual({ ok: false, reason }));
  }
  it('hostile input: never throws, long values cut in the reason', () => {
    expect(parseAlbumUrl(`${A}?__biz=${BIZ}&album_id=${'x'.repeat(5000)}`)).toEqual({
      ok: false,
      reason: `album_id "${'x'.repeat(40)}…" is not a number`,
    });
    expect(parseAlbumUrl('x'.repeat(9000))).toEqual({ ok: false, reason: 'URL longer than 8192 characters' });
    expect(parseAlbumUrl(42 as unknown as string)).toEqual({ ok: false, reason: 'empty URL' });
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const r = parseAlbumUrl(`${A}?__biz=${a}&album_id=${b}`);
        expect(typeof r.ok).toBe('boolean');
        expect(typeof parseAlbumUrl(a).ok).toBe('boolean');
      }),
    );
  });
});

describe('isAlbumUrl: albums apart from articles in a mixed list', () => {
  it('says which lines are albums (valid or not) and which are not', () => {
    const lines = [
      CANON,
      `${CANON.replace(/&/g, '&amp;')}#wechat_redirect`,
      'https://mp.weixin.qq.com/mp/appmsgalbum?action=getalbum&album_id=1',
      `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247484584&idx=1&sn=6d871ee60881c48d673de3f46e7550a1`,
      'https://mp.weixin.qq.com/s/KDWh_qGpFN5Vu1TR9t30Mw',
      'https://example.com/mp/appmsgalbum?album_id=1',
      '# a comment',
      '',
    ];
    expect(lines.map(isAlbumUrl)).toEqual([true, true, true, false, false, false, false, false]);
  });
});

describe('albumListUrl', () => {
  it('the first page: newest first, 20 a page, JSON', () => {
    expect(albumListUrl(ALBUM)).toBe(
      `https://mp.weixin.qq.com/mp/appmsgalbum?action=getalbum&__biz=${BIZ}&album_id=${ID}&count=20&is_reverse=1&f=json`,
    );
  });
  it('the next page from the last item of the page before (exclusive cursor)', () => {
    expect(albumListUrl(ALBUM, { msgid: '2247484477', itemidx: '1' })).toBe(
      `https://mp.weixin.qq.com/mp/appmsgalbum?action=getalbum&__biz=${BIZ}&album_id=${ID}&count=20&is_reverse=1&f=json&begin_msgid=2247484477&begin_itemidx=1`,
    );
  });
  it('options: count (1 to 20), the server order, another origin; a bad cursor is left out', () => {
    expect(albumListUrl(ALBUM, undefined, { count: 3, reverse: false, origin: 'http://127.0.0.1:9/' })).toBe(
      `http://127.0.0.1:9/mp/appmsgalbum?action=getalbum&__biz=${BIZ}&album_id=${ID}&count=3&f=json`,
    );
    expect(albumListUrl(ALBUM, undefined, { count: 500 })).toContain('&count=20&');
    expect(albumListUrl(ALBUM, undefined, { count: 0 })).toContain('&count=20&');
    expect(albumListUrl(ALBUM, undefined, { count: -4 })).toContain('&count=1&');
    expect(albumListUrl(ALBUM, { msgid: '1&x=2', itemidx: '1' })).not.toContain('begin_msgid');
  });
  it('a list URL is itself an album URL of the same album', () => {
    expect(parseAlbumUrl(albumListUrl(ALBUM, { msgid: '2247484477', itemidx: '1' }))).toEqual({
      ok: true,
      album: ALBUM,
    });
  });
});
