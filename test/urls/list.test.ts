import { describe, expect, it } from 'vitest';
import { checkArticleUrl, checkFollowUrl, parseUrlList, readUrlInputs } from '../../src/io/url-files.js';

describe('URL lists', () => {
  it('one URL per line, # comments and blank lines allowed; bad lines named by file and line', () => {
    const text = [
      '# my accounts',
      '',
      'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1&idx=1&sn=abcdef0123456789abcdef0123456789&chksm=x#rd  # note',
      'https://mp.weixin.qq.com/s/AbCdEf123',
      'https://example.com/blog',
      'https://mp.weixin.qq.com/s?src=11&timestamp=1&ver=1&signature=x',
      '   ',
    ].join('\r\n');
    const r = parseUrlList(text, '/c/urls.txt');
    expect(r.entries.map((e) => [e.where, e.parsed.canonical])).toEqual([
      [
        '/c/urls.txt:3',
        'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1&idx=1&sn=abcdef0123456789abcdef0123456789',
      ],
      ['/c/urls.txt:4', 'https://mp.weixin.qq.com/s/AbCdEf123'],
    ]);
    expect(r.problems.map((p) => [p.where, p.reason])).toEqual([
      ['/c/urls.txt:5', 'bad URL'],
      ['/c/urls.txt:6', 'bad URL'],
    ]);
    expect(r.problems[0]!.detail).toContain('not a WeChat article URL');
    expect(r.problems[1]!.detail).toContain('temporary search link');
  });
  it('checkArticleUrl refuses what is not an article', () => {
    expect(checkArticleUrl('hello').ok).toBe(false);
    expect(checkArticleUrl('https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=x').ok).toBe(false);
  });
});

describe('album URLs in URL lists', () => {
  const canonical =
    'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum&album_id=3329839945947119618';
  /** Every form a user pastes. */
  const forms = [
    canonical,
    `${canonical}#wechat_redirect`,
    canonical.replace('https://', 'http://'),
    canonical.replace(/&/g, '&amp;'),
    canonical.replace(/&/g, '\\x26amp;'),
    `https://mp.weixin.qq.com/mp/appmsgalbum?action=getalbum&album_id=3329839945947119618&__biz=Mzg4NTc2OTYxMQ==&scene=126&sessionid=1&uin=&key=&devicetype=iOS&nolastread=1#wechat_redirect`,
    'http://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ%3D%3D&amp;action=getalbum&amp;album_id=3329839945947119618&amp;scene=21#wechat_redirect',
  ];
  it('every pasted form is the one album, mixed freely with articles', () => {
    const text = [
      forms[0],
      'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1&idx=1&sn=abcdef0123456789abcdef0123456789',
      ...forms.slice(1),
    ].join('\n');
    const r = parseUrlList(text, 'u.txt');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.where)).toEqual(['u.txt:2']);
    expect(r.albums.map((a) => [a.where, a.album.canonical])).toEqual([
      ['u.txt:1', canonical],
      ...forms.slice(1).map((_, i) => [`u.txt:${i + 3}`, canonical]),
    ]);
  });
  it('an album URL without album_id, or a non-numeric one, is refused saying so', () => {
    expect(checkFollowUrl('https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum')).toEqual({
      ok: false,
      reason: 'album URL has no album_id',
    });
    expect(checkFollowUrl(`${canonical.replace('3329839945947119618', 'abc')}`)).toEqual({
      ok: false,
      reason: 'album_id "abc" is not a number',
    });
    const r = parseUrlList('https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&album_id=12x', 'u.txt');
    expect(r.problems).toEqual([
      {
        kind: 'bad-url',
        where: 'u.txt:1',
        reason: 'bad URL',
        detail:
          'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&album_id=12x: album_id "12x" is not a number',
      },
    ]);
  });
  it('the config urls take albums too', async () => {
    const r = await readUrlInputs([forms[3]!, 'https://mp.weixin.qq.com/mp/appmsgalbum?album_id=1'], []);
    expect(r.albums.map((a) => [a.where, a.album.canonical])).toEqual([['config urls[0]', canonical]]);
    expect(r.problems).toEqual([
      {
        kind: 'bad-url',
        where: 'config urls[1]',
        reason: 'bad URL',
        detail: 'https://mp.weixin.qq.com/mp/appmsgalbum?album_id=1: album URL has no __biz',
      },
    ]);
  });
});
