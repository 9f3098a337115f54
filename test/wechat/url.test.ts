import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bizToNumber, numberToBiz, parseUrl, isWechatUrl, unescapeUrl } from '../../src/wechat/url.js';

const BIZ = 'MzI2NzI2OTExNA==';
const SN = 'f1e158dc91284eb64c5daebc25ee1b5a';
const CANON = `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247516897&idx=1&sn=${SN}`;

describe('parseUrl: article shapes', () => {
  const cases: Array<[string, string]> = [
    ['plain', CANON],
    [
      'noise and #rd',
      `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247516897&idx=1&sn=${SN}&chksm=ea83a474ddf42d62&scene=58&subscene=0#rd`,
    ],
    ['http, #wechat_redirect', `http://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247516897&idx=1&sn=${SN}#wechat_redirect`],
    ['&amp; escaped', `https://mp.weixin.qq.com/s?__biz=${BIZ}&amp;mid=2247516897&amp;idx=1&amp;sn=${SN}&amp;chksm=1`],
    [
      '\\x26amp; escaped',
      `https://mp.weixin.qq.com/s?__biz=${BIZ}\\x26amp;mid=2247516897\\x26amp;idx=1\\x26amp;sn=${SN}`,
    ],
    ['\\x26 escaped', `https://mp.weixin.qq.com/s?__biz=${BIZ}\\x26mid=2247516897\\x26idx=1\\x26sn=${SN}`],
    [
      'aliases appmsgid/itemidx/sign',
      `https://mp.weixin.qq.com/s?__biz=${BIZ}&appmsgid=2247516897&itemidx=1&sign=${SN}`,
    ],
    [
      'old /mp/appmsg/show',
      `http://mp.weixin.qq.com/mp/appmsg/show?__biz=${BIZ}&appmsgid=2247516897&itemidx=1&sign=${SN}#wechat_redirect`,
    ],
    [
      'reordered, session noise',
      `https://mp.weixin.qq.com/s?sn=${SN}&idx=1&mid=2247516897&__biz=${BIZ}&sessionid=1&key=abc&ascene=1&devicetype=iOS&version=1&pass_ticket=x&exportkey=y`,
    ],
    ['percent-encoded biz', `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA%3D%3D&mid=2247516897&idx=1&sn=${SN}`],
    ['no scheme', `mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247516897&idx=1&sn=${SN}`],
    ['surrounding spaces', `  ${CANON}  `],
  ];
  it.each(cases)('%s', (_name, url) => {
    const p = parseUrl(url)!;
    expect(p).toMatchObject({ kind: 'article', biz: BIZ, mid: '2247516897', idx: '1', sn: SN, canonical: CANON });
  });

  it('keeps sn as the identity when biz/mid/idx are missing', () => {
    expect(parseUrl(`https://mp.weixin.qq.com/s?sn=${SN}&scene=1`)).toMatchObject({
      kind: 'article',
      sn: SN,
      canonical: `https://mp.weixin.qq.com/s?sn=${SN}`,
    });
  });
});

describe('parseUrl: other shapes', () => {
  it('short link', () => {
    expect(parseUrl('https://mp.weixin.qq.com/s/AbCdEf_12-xyz?scene=1#rd')).toEqual({
      kind: 'short',
      shortToken: 'AbCdEf_12-xyz',
      canonical: 'https://mp.weixin.qq.com/s/AbCdEf_12-xyz',
    });
  });
  it('temporary search link has no sn', () => {
    const p = parseUrl('https://mp.weixin.qq.com/s?src=11&timestamp=1720761600&ver=5312&signature=abc*def&new=1')!;
    expect(p.kind).toBe('temporary');
    expect(p.sn).toBeUndefined();
    expect(p.temporary).toBe(true);
  });
  it('non-WeChat URL is normalised: no fragment, no tracking parameters', () => {
    expect(parseUrl('https://Example.COM/post?id=3&utm_source=x#top')).toEqual({
      kind: 'other',
      canonical: 'https://example.com/post?id=3',
    });
  });
  it('an empty query or fragment is dropped; a URL without a query or an escape is only trimmed', () => {
    for (const [raw, canonical] of [
      ['http://example.com/a?', 'http://example.com/a'],
      ['http://example.com/a?#top', 'http://example.com/a'],
      ['https://example.com/a?utm_source=x', 'https://example.com/a'],
      ['  https://example.com/a/b  ', 'https://example.com/a/b'],
      ['https://example.com/a#b?c', 'https://example.com/a'],
      ['example.com/a?x=1&amp;from=y', 'https://example.com/a?x=1'],
      ['http://example.com/a#', 'http://example.com/a'],
      ['http://example.com/a?x=1#', 'http://example.com/a?x=1'],
      ['http://example.com/a?x=1&AMP;y=2&#X26;z=3', 'http://example.com/a?x=1&y=2&z=3'],
    ])
      expect(parseUrl(raw!)).toEqual({ kind: 'other', canonical });
  });
  it('unescapeUrl is the six replacements, run only on text that holds a backslash or an entity (fast-check)', () => {
    const reference = (raw: string): string =>
      raw
        .trim()
        .replace(/\\x26/gi, '&')
        .replace(/\\u0026/gi, '&')
        .replace(/\\\//g, '/')
        .replace(/&amp;/gi, '&')
        .replace(/&#38;/g, '&')
        .replace(/&#x26;/gi, '&');
    const piece = fc.constantFrom(
      '&',
      '\\',
      '/',
      'amp;',
      'AMP;',
      '#38;',
      '#x26;',
      '#X26;',
      'x26',
      'u0026',
      'a',
      ' ',
      '&amp;amp;',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const raw = parts.join('');
        expect(unescapeUrl(raw)).toBe(reference(raw));
      }),
      { numRuns: 5000 },
    );
  });
  it('WeChat page that is not an article', () => {
    expect(parseUrl(`https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=${BIZ}`)).toMatchObject({
      kind: 'other',
      biz: BIZ,
    });
  });
  it('not a URL', () => {
    expect(parseUrl('not a url')).toBeUndefined();
    expect(parseUrl('')).toBeUndefined();
    expect(parseUrl('javascript:alert(1)')).toBeUndefined();
    expect(parseUrl('ftp://example.com/x')).toBeUndefined();
  });
  it('isWechatUrl', () => {
    expect(isWechatUrl(CANON)).toBe(true);
    expect(isWechatUrl('https://example.com/s?sn=1')).toBe(false);
  });
});

describe('biz numbers', () => {
  it('decodes and encodes the account number', () => {
    expect(bizToNumber(BIZ)).toBe('3267269114');
    expect(numberToBiz('3267269114')).toBe(BIZ);
    expect(bizToNumber('3267269114')).toBe('3267269114');
    expect(bizToNumber('MjM5NTU4NjgzMg==')).toBe('2395586832');
    expect(bizToNumber('not base64!')).toBeUndefined();
    expect(bizToNumber('aGVsbG8=')).toBeUndefined(); // "hello"
  });
});
