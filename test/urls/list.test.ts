import { describe, expect, it } from 'vitest';
import { checkArticleUrl, parseUrlList } from '../../src/urls/list.js';

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
