/**
 * Homepages (主页): URLs and ids, the JSON list (`action=appmsg_list`) and the HTML page's title. No real answer is
 * saved anywhere: every shape here is written from the fields the issue and RSSHub name, and the parser must refuse
 * every other shape with its reason.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  HOMEPAGE_PATH,
  homepageBegin,
  homepageCount,
  homepageId,
  type HomepageListResult,
  homepageListUrl,
  homepageRef,
  type HomepageRef,
  isHomepageId,
  isHomepageUrl,
  parseHomepageId,
  parseHomepageList,
  parseHomepagePage,
  parseHomepageUrl,
} from '../../src/wechat/homepage.js';
import type { AlbumItem } from '../../src/wechat/album-item.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';
import { VERIFY_HTML } from '../helpers/album-server.js';

const own = (name: string) => readFileSync(`${OWN_FIXTURES}homepage/${name}`, 'utf8');

/** RSSHub's example account (`MzA3MDM3NjE5NQ==`, hid 4): the number is 3070376195. */
const BIZ = 'MzA3MDM3NjE5NQ==';
const H = 'https://mp.weixin.qq.com/mp/homepage';
const CANON = `${H}?__biz=${BIZ}&hid=4`;
const REF: HomepageRef = { biz: BIZ, hid: '4', id: 'home-3070376195-4', canonical: CANON };

describe('parseHomepageUrl: every form a user pastes', () => {
  const cases: Array<[string, string, HomepageRef]> = [
    ['canonical', CANON, REF],
    [
      '&amp; and #wechat_redirect',
      `${H}?__biz=${BIZ}&amp;hid=4&amp;sn=2184f7554b5be7948a35c23705b4d72f#wechat_redirect`,
      REF,
    ],
    ['\\x26amp; (as page scripts write it)', `${H}?__biz=${BIZ}\\x26amp;hid=4\\x26amp;scene=18#wechat_redirect`, REF],
    ['http://', CANON.replace('https:', 'http:'), REF],
    ['no scheme, spaces around', `  mp.weixin.qq.com/mp/homepage?__biz=${BIZ}&hid=4  `, REF],
    [
      'a share link: extra parameters in another order',
      `http://mp.weixin.qq.com/mp/homepage?hid=4&sn=bd1eaf83f35bcc715280b1121aa48284&scene=18&devicetype=android-25&version=26070237&lang=zh_CN&nettype=WIFI&ascene=7&session_us=gh_6651e07e4b2d&wx_header=1&__biz=${BIZ}#wechat_redirect`,
      REF,
    ],
    ['trailing slash on the path', `${H}/?__biz=${BIZ}&hid=4`, REF],
    ['upper-case host', `https://MP.WEIXIN.QQ.COM/mp/homepage?__biz=${BIZ}&hid=4`, REF],
    ['__biz percent-encoded', `${H}?__biz=MzA3MDM3NjE5NQ%3D%3D&hid=4`, REF],
    ['__biz without its padding', `${H}?__biz=MzA3MDM3NjE5NQ&hid=4`, REF],
    ['hid with leading zeros', `${H}?__biz=${BIZ}&hid=004`, REF],
    ['hid given twice, the same', `${CANON}&hid=4`, REF],
    ['an empty cid is no cid', `${CANON}&cid=`, REF],
    [
      'cid 0: the leftmost column',
      `${CANON}&cid=0`,
      { ...REF, cid: '0', id: 'home-3070376195-4-0', canonical: `${CANON}&cid=0` },
    ],
    [
      'cid 2 before hid, leading zeros',
      `${H}?cid=02&__biz=${BIZ}&hid=16`,
      { biz: BIZ, hid: '16', cid: '2', id: 'home-3070376195-16-2', canonical: `${H}?__biz=${BIZ}&hid=16&cid=2` },
    ],
    [
      'hid and cid of 10 digits',
      `${H}?__biz=${BIZ}&hid=4294967295&cid=9999999999`,
      {
        biz: BIZ,
        hid: '4294967295',
        cid: '9999999999',
        id: 'home-3070376195-4294967295-9999999999',
        canonical: `${H}?__biz=${BIZ}&hid=4294967295&cid=9999999999`,
      },
    ],
  ];
  for (const [name, url, ref] of cases) {
    it(name, () => {
      expect(parseHomepageUrl(url)).toEqual({ ok: true, homepage: ref });
      expect(isHomepageUrl(url)).toBe(true);
    });
  }
  it('the canonical URL parses back to the same ref', () => {
    const r = parseHomepageUrl(`${H}?cid=3&hid=7&__biz=Mzk1MDAwMDAwMQ==&scene=18`);
    if (!r.ok) throw new Error(r.reason);
    expect(parseHomepageUrl(r.homepage.canonical)).toEqual(r);
  });
  it('a + of __biz turned into a space is put back (no account number encodes to a +, so it stays invalid here)', () => {
    // Base64 of ASCII digits never yields the value 62 ('+'), so a valid biz never has one: what matters is that the
    // space is read as a '+' and refused with the value shown, not taken as some other account.
    expect(parseHomepageUrl(`${H}?__biz=MzA3+DM3NjE5NQ==&hid=4`)).toEqual({
      ok: false,
      reason: '__biz "MzA3 DM3NjE5NQ==" is not an account id (base64 of its number)',
    });
  });
});

describe('parseHomepageUrl: refusals name what is wrong', () => {
  const cases: Array<[string, string, string]> = [
    ['empty', '   ', 'empty URL'],
    ['too long', `${CANON}&x=${'a'.repeat(8200)}`, 'URL longer than 8192 characters'],
    ['not a URL', 'hello world', 'not a URL: "hello world"'],
    ['another host', `https://example.com/mp/homepage?__biz=${BIZ}&hid=4`, 'not a mp.weixin.qq.com URL'],
    [
      'another path',
      `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&hid=4`,
      'not a homepage URL (path "/mp/appmsgalbum", expected /mp/homepage)',
    ],
    ['no __biz', `${H}?hid=4`, 'homepage URL has no __biz'],
    ['an invalid __biz', `${H}?__biz=abc&hid=4`, '__biz "abc" is not an account id (base64 of its number)'],
    [
      'a number as __biz',
      `${H}?__biz=3070376195&hid=4`,
      '__biz "3070376195" is not an account id (base64 of its number)',
    ],
    ['two different __biz', `${CANON}&__biz=Mzk1MDAwMDAwMQ==`, 'homepage URL has two different __biz values'],
    ['no hid', `${H}?__biz=${BIZ}`, 'homepage URL has no numeric hid'],
    ['an empty hid', `${H}?__biz=${BIZ}&hid=`, 'homepage URL has no numeric hid'],
    ['a hid of letters', `${H}?__biz=${BIZ}&hid=abc`, 'homepage URL has no numeric hid: "abc"'],
    ['a negative hid', `${H}?__biz=${BIZ}&hid=-4`, 'homepage URL has no numeric hid: "-4"'],
    ['a hid with a fraction', `${H}?__biz=${BIZ}&hid=4.5`, 'homepage URL has no numeric hid: "4.5"'],
    ['hid 0', `${H}?__biz=${BIZ}&hid=0`, 'hid 0 is not a homepage (their numbers start at 1)'],
    ['hid 000', `${H}?__biz=${BIZ}&hid=000`, 'hid 0 is not a homepage (their numbers start at 1)'],
    ['a hid of 11 digits', `${H}?__biz=${BIZ}&hid=12345678901`, 'hid "12345678901" is longer than 10 digits'],
    ['two different hid', `${CANON}&hid=5`, 'homepage URL has two different hid values'],
    ['a cid of letters', `${CANON}&cid=x`, 'cid "x" is not a number'],
    ['a cid of 11 digits', `${CANON}&cid=12345678901`, 'cid "12345678901" is longer than 10 digits'],
    ['two different cid', `${CANON}&cid=0&cid=1`, 'homepage URL has two different cid values'],
    [
      'the list URL (action=appmsg_list)',
      `${CANON}&begin=0&count=5&action=appmsg_list`,
      'homepage URL with action="appmsg_list": expected the homepage\'s own link',
    ],
    ['another action', `${CANON}&action=home`, 'homepage URL with action="home": expected the homepage\'s own link'],
    ['two actions', `${CANON}&action=a&action=b`, 'homepage URL has two different action values'],
  ];
  for (const [name, url, reason] of cases) {
    it(name, () => expect(parseHomepageUrl(url)).toEqual({ ok: false, reason }));
  }
  it('a hostile value is shown shortened', () => {
    const r = parseHomepageUrl(`${H}?__biz=${BIZ}&hid=${'x'.repeat(5000)}`);
    expect(r).toEqual({ ok: false, reason: `homepage URL has no numeric hid: "${'x'.repeat(40)}"` });
  });
  it('isHomepageUrl: any homepage URL, valid or not; nothing else', () => {
    expect(isHomepageUrl(`${H}?__biz=${BIZ}`)).toBe(true);
    expect(isHomepageUrl(`${H}?hid=abc`)).toBe(true);
    expect(isHomepageUrl(`https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&album_id=1`)).toBe(false);
    expect(isHomepageUrl(`https://example.com${HOMEPAGE_PATH}?__biz=${BIZ}&hid=4`)).toBe(false);
    expect(isHomepageUrl(`https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=1&idx=1&sn=abcdefgh`)).toBe(false);
    expect(isHomepageUrl(`${CANON}&x=${'a'.repeat(8200)}`)).toBe(false);
    expect(isHomepageUrl(42 as unknown as string)).toBe(false);
  });
  it('never throws, and every URL it takes has a canonical form that parses back the same', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.webUrl(), (s, web) => {
        for (const raw of [s, web, `${H}?${s}`, `${H}?__biz=${BIZ}&hid=${s}`]) {
          const r = parseHomepageUrl(raw);
          expect(typeof r.ok).toBe('boolean');
          if (r.ok) expect(parseHomepageUrl(r.homepage.canonical)).toEqual(r);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('homepage ids: the list id and its feed folder', () => {
  it('homepageId and homepageRef from parts', () => {
    expect(homepageId(BIZ, '4')).toBe('home-3070376195-4');
    expect(homepageId(BIZ, '4', '0')).toBe('home-3070376195-4-0');
    expect(homepageId('MzA3MDM3NjE5NQ', '04', '2')).toBe('home-3070376195-4-2');
    expect(homepageRef(BIZ, '4')).toEqual(REF);
    for (const [biz, hid, cid] of [
      ['abc', '4', undefined],
      ['3070376195', '4', undefined],
      [BIZ, '0', undefined],
      [BIZ, 'x', undefined],
      [BIZ, '12345678901', undefined],
      [BIZ, '4', '-1'],
      [BIZ, '4', ''],
    ] as const)
      expect([biz, hid, cid, homepageId(biz, hid, cid)]).toEqual([biz, hid, cid, undefined]);
  });
  it('parseHomepageId is the inverse', () => {
    expect(parseHomepageId('home-3070376195-4')).toEqual({ biz: BIZ, hid: '4' });
    expect(parseHomepageId('home-3070376195-16-0')).toEqual({ biz: BIZ, hid: '16', cid: '0' });
    expect(isHomepageId('home-3070376195-16-0')).toBe(true);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 99999999999999999999n }),
        fc.integer({ min: 1, max: 2 ** 32 }),
        fc.option(fc.integer({ min: 0, max: 9999999999 }), { nil: undefined }),
        (num, hid, cid) => {
          const biz = Buffer.from(String(num)).toString('base64');
          const id = homepageId(biz, String(hid), cid === undefined ? undefined : String(cid));
          expect(id).toBe(`home-${num}-${hid}${cid === undefined ? '' : `-${cid}`}`);
          const back = parseHomepageId(id!);
          expect(back).toEqual({ biz, hid: String(hid), ...(cid === undefined ? {} : { cid: String(cid) }) });
          expect(homepageRef(back!.biz, back!.hid, back!.cid)?.id).toBe(id);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('anything else is not an id', () => {
    for (const id of [
      'home-0-4',
      'home-03070376195-4',
      'home-3070376195-0',
      'home-3070376195-04',
      'home-3070376195-4-01',
      'home-3070376195',
      'home-3070376195-4-0-1',
      'home-123456789012345678901-4',
      'home-3070376195-12345678901',
      'HOME-3070376195-4',
      ' home-3070376195-4',
      'album-3300000000000000000',
      'home-3070376195-4\n',
      '',
    ]) {
      expect([id, parseHomepageId(id), isHomepageId(id)]).toEqual([id, undefined, false]);
    }
    expect(isHomepageId(42)).toBe(false);
    expect(parseHomepageId(undefined as unknown as string)).toBeUndefined();
  });
});

describe('homepageListUrl', () => {
  it('begin, count and action after the homepage; cid when there is one', () => {
    expect(homepageListUrl(REF, 0, 5)).toBe(`${H}?__biz=${BIZ}&hid=4&begin=0&count=5&action=appmsg_list`);
    expect(homepageListUrl({ biz: BIZ, hid: '4', cid: '0' }, 20, 20, 'http://127.0.0.1:8080/')).toBe(
      `http://127.0.0.1:8080/mp/homepage?__biz=${BIZ}&hid=4&cid=0&begin=20&count=20&action=appmsg_list`,
    );
  });
  it('count clamped to 1–20, begin a non-negative integer, a + of the biz percent-encoded', () => {
    const tail = (u: string) => u.slice(u.indexOf('&begin'));
    expect(tail(homepageListUrl(REF, -5, 0))).toBe('&begin=0&count=1&action=appmsg_list');
    expect(tail(homepageListUrl(REF, 3.7, 100))).toBe('&begin=3&count=20&action=appmsg_list');
    expect(tail(homepageListUrl(REF, Number.NaN, Number.NaN))).toBe('&begin=0&count=20&action=appmsg_list');
    expect(tail(homepageListUrl(REF, 1e30, 7.9))).toBe('&begin=0&count=7&action=appmsg_list');
    expect(homepageListUrl({ biz: 'ab+c/d==', hid: '4' }, 0, 5)).toBe(
      `${H}?__biz=ab%2Bc/d==&hid=4&begin=0&count=5&action=appmsg_list`,
    );
    expect([homepageCount('7'), homepageCount(undefined), homepageBegin('12'), homepageBegin(-1)]).toEqual([
      7, 20, 12, 0,
    ]);
  });
});

// ───────────────────────────── The JSON list ─────────────────────────────

/** The account of the list fixtures: 3950000001. */
const B = 'Mzk1MDAwMDAwMQ==';
const OTHER = 'Mzk1MDAwMDAwMg==';
const HOME = { biz: B };
const art = (mid: number, idx: number, sn: string, biz = B) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=${idx}&sn=${sn}`;
const sn = (n: number) => n.toString(16).padStart(32, '0');
/** An entry as the issue names it: WeChat's link form (http, chksm, #rd), sendtime a number. */
const entry = (n: number, extra: Record<string, unknown> = {}) => ({
  title: `第${n}篇`,
  digest: `摘要${n}`,
  cover: `https://mmbiz.qpic.cn/mmbiz_jpg/h${n}/0?wx_fmt=jpeg`,
  link: `http://mp.weixin.qq.com/s?__biz=${B}&mid=${2247490000 + n}&idx=1&sn=${sn(n)}&chksm=${'c'.repeat(40)}#rd`,
  sendtime: 1720000000 + n * 100,
  ...extra,
});
const item = (n: number, extra: Partial<AlbumItem> = {}): AlbumItem => ({
  msgid: String(2247490000 + n),
  itemidx: '1',
  title: `第${n}篇`,
  createTime: (1720000000 + n * 100) * 1000,
  cover: `https://mmbiz.qpic.cn/mmbiz_jpg/h${n}/0?wx_fmt=jpeg`,
  url: art(2247490000 + n, 1, sn(n)),
  key: `sn:${sn(n)}`,
  ...extra,
});
const answer = (list: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ base_resp: { ret: 0 }, appmsg_list: list, ...extra });
const newestFirst = (from: number, n: number) => Array.from({ length: n }, (_, i) => entry(from - i));
const list = (body: string, begin = 0, count = 5, now?: number) => parseHomepageList(body, HOME, { begin, count }, now);
const NOW = Date.UTC(2024, 6, 10);

describe('homepage list answers we wrote', () => {
  it('a page: every field mapped (titles decoded, &amp; links, sendtime as number or string), newest first', () => {
    expect(parseHomepageList(own('list-page.json'), HOME, { begin: 0, count: 5 })).toEqual<HomepageListResult>({
      ok: true,
      items: [
        {
          msgid: '2247490003',
          itemidx: '1',
          title: '第三篇：& 与 "引号"',
          createTime: 1720000300000,
          cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/home3/0?wx_fmt=jpeg',
          url: art(2247490003, 1, sn(12)),
          key: `sn:${sn(12)}`,
        },
        {
          msgid: '2247490002',
          itemidx: '2',
          title: '第二篇',
          createTime: 1720000200000,
          cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/home2/0?wx_fmt=png',
          url: art(2247490002, 2, sn(11)),
          key: `sn:${sn(11)}`,
        },
        {
          msgid: '2247490001',
          itemidx: '1',
          title: '第一篇',
          createTime: 1720000100000,
          url: art(2247490001, 1, sn(10)),
          key: `sn:${sn(10)}`,
        },
      ],
      more: false,
      next: 3,
      order: 'newest-first',
      skipped: 0,
      skipReasons: [],
    });
  });
  it('a full page says more follow; next is begin + the entries read', () => {
    const r = list(answer(newestFirst(9, 5)), 10, 5);
    expect(r).toEqual({
      ok: true,
      items: [item(9), item(8), item(7), item(6), item(5)],
      more: true,
      next: 15,
      order: 'newest-first',
      skipped: 0,
      skipReasons: [],
    });
  });
  it('the last page: short, or an empty list', () => {
    expect(list(answer(newestFirst(2, 2)), 5, 5)).toMatchObject({ ok: true, more: false, next: 7 });
    expect(list(answer([]), 7, 5)).toEqual({
      ok: true,
      items: [],
      more: false,
      next: 7,
      order: 'unknown',
      skipped: 0,
      skipReasons: [],
    });
  });
  it('a single-entry list; no base_resp at all; ret 0 as a string', () => {
    const one = { ok: true, items: [item(1)], more: false, next: 1, order: 'unknown', skipped: 0, skipReasons: [] };
    expect(list(answer([entry(1)]))).toEqual(one);
    expect(list(JSON.stringify({ appmsg_list: [entry(1)] }))).toEqual(one);
    expect(list(JSON.stringify({ base_resp: { ret: '0' }, appmsg_list: [entry(1)] }))).toEqual(one);
    expect(list(`\uFEFF ${answer([entry(1)])}\n`)).toEqual(one);
  });
  it('count is read as homepageListUrl sends it (clamped to 20): 20 entries asked as 50 are a full page', () => {
    expect(list(answer(newestFirst(30, 20)), 0, 50)).toMatchObject({ ok: true, more: true, next: 20 });
    expect(list(answer(newestFirst(30, 19)), 0, 50)).toMatchObject({ ok: true, more: false, next: 19 });
  });
  it('unusable entries are skipped and counted; the page goes on past them', () => {
    const r = list(
      answer([
        entry(9),
        'x',
        entry(8, { title: 8 }),
        entry(7, { link: undefined }),
        entry(6, { sendtime: 'yesterday' }),
        entry(5, { link: 'https://example.com/post/5' }),
        entry(4, { link: `http://mp.weixin.qq.com/s?__biz=${B}&mid=2247490004&idx=1#rd` }),
        entry(3, { link: art(2247490003, 1, sn(3), OTHER) }),
        entry(2, { sendtime: 123 }),
        entry(9),
        entry(1, { sendtime: -1 }),
        entry(0, { sendtime: 1.5 }),
        entry(10, { link: `http://mp.weixin.qq.com/s?__biz=${B}&sn=${sn(10)}` }),
        entry(11, { link: `http://mp.weixin.qq.com/s?__biz=abc&mid=1&idx=1&sn=${sn(11)}` }),
      ]),
      0,
      20,
    );
    expect(r).toEqual({
      ok: true,
      items: [item(9)],
      more: false,
      next: 14,
      order: 'unknown',
      skipped: 13,
      skipReasons: [
        'entry is not an object',
        'title is not a string',
        'no link',
        'sendtime is not digits (3)',
        'link is not an article URL with an sn (2)',
        'article of another account',
        'sendtime is not unix seconds',
        'listed twice',
        'link has no mid',
        'link has an invalid __biz',
      ],
    });
  });
  it('a non-empty list of which no entry is usable is a failed poll naming the reasons', () => {
    expect(
      list(answer([entry(3, { link: art(1, 1, sn(3), OTHER) }), entry(2, { link: art(2, 1, sn(2), OTHER) })])),
    ).toEqual({
      ok: false,
      reason: 'no usable entry in appmsg_list (2): article of another account (2)',
      refused: false,
    });
    expect(list(answer([{}, null, entry(1, { title: null })]))).toEqual({
      ok: false,
      reason: 'no usable entry in appmsg_list (3): title is not a string (2); entry is not an object',
      refused: false,
    });
  });
  it('a 1 MB title is cut to 1000 characters', () => {
    const r = list(answer([entry(1, { title: '长'.repeat(1_000_000) })]));
    if (!r.ok) throw new Error(r.reason);
    expect(r.items[0]!.title).toBe(`${'长'.repeat(999)}…`);
  });
  it('a sendtime out of range takes now (marked guessed); without now one before 2012 is skipped', () => {
    const body = answer([entry(2, { sendtime: '99999999999' }), entry(1, { sendtime: 1000000000 }), entry(0)]);
    const r = list(body, 0, 5, NOW);
    if (!r.ok) throw new Error(r.reason);
    expect(r.items.map((i) => [i.msgid, i.createTime, i.timeGuessed])).toEqual([
      ['2247490002', NOW, true],
      ['2247490001', NOW, true],
      ['2247490000', 1720000000000, undefined],
    ]);
    // Without now only the lower bound can be checked (there is no clock here): the caller passes now.
    expect(list(body, 0, 5)).toMatchObject({
      ok: true,
      items: [{ msgid: '2247490002', createTime: 99999999999000 }, { msgid: '2247490000' }],
      skipped: 1,
      skipReasons: ['sendtime out of range'],
    });
    expect(list(answer([entry(1, { sendtime: String(NOW / 1000 + 90_000) })]), 0, 5, NOW)).toMatchObject({
      items: [{ createTime: NOW, timeGuessed: true }],
    });
  });
  it('at most 100 entries of one answer are read: the rest is the next page', () => {
    const r = list(answer(newestFirst(400, 150)), 40, 20);
    if (!r.ok) throw new Error(r.reason);
    expect([r.items.length, r.items[99]!.msgid, r.more, r.next]).toEqual([100, '2247490301', true, 140]);
  });
});

describe('homepage list answers of another shape: failed or refused, with the reason', () => {
  const cases: Array<[string, string, string, false | 'captcha' | 'refused']> = [
    ['empty', '', 'empty answer', false],
    ['white space and a BOM', '\uFEFF  \n', 'empty answer', false],
    ['the verification page', VERIFY_HTML, 'verification page instead of the homepage list', 'captcha'],
    ['a rate-limit text', '访问过于频繁，请稍后再试', 'verification page instead of the homepage list', 'captcha'],
    ['HTML without markers', '<!DOCTYPE html><html><body>404</body></html>', 'HTML answer instead of JSON', false],
    ['not JSON', 'ok', 'answer is not JSON', false],
    ['cut JSON', '{"base_resp":{"ret":0},"appmsg_list":[{', 'answer is not JSON', false],
    ['a JSON list', '[]', 'answer is JSON but not an object: []', false],
    ['JSON null', 'null', 'answer is JSON but not an object: null', false],
    ['a JSON string', '"x"', 'answer is JSON but not an object: "x"', false],
    ['base_resp a string', '{"base_resp":"x","appmsg_list":[]}', 'base_resp is not an object: "x"', false],
    ['base_resp without ret', '{"base_resp":{},"appmsg_list":[]}', 'base_resp has no ret', false],
    ['ret not a number', '{"base_resp":{"ret":"abc"},"appmsg_list":[]}', 'base_resp.ret is not a number: "abc"', false],
    ['ret a list', '{"base_resp":{"ret":[1]},"appmsg_list":[]}', 'base_resp.ret is not a number: […] (1)', false],
    [
      'invalid args (a homepage that does not exist)',
      '{"base_resp":{"ret":-2,"errmsg":"invalid args"}}',
      'base_resp.ret -2 ("invalid args")',
      false,
    ],
    [
      'frequency control',
      '{"base_resp":{"ret":200013,"errmsg":"freq control"}}',
      'base_resp.ret 200013 ("freq control")',
      'refused',
    ],
    ['ret as a string', '{"base_resp":{"ret":"-3"}}', 'base_resp.ret -3', false],
    [
      'an errmsg about verification',
      '{"base_resp":{"ret":-6,"err_msg":"need verify"}}',
      'base_resp.ret -6 ("need verify")',
      'refused',
    ],
    ['no appmsg_list', '{"base_resp":{"ret":0}}', 'no appmsg_list', false],
    ['an empty object', '{}', 'no appmsg_list', false],
    ['appmsg_list null', '{"appmsg_list":null}', 'no appmsg_list', false],
    ['another key', `{"list":[${JSON.stringify(entry(1))}]}`, 'no appmsg_list', false],
    ['appmsg_list a string', '{"appmsg_list":"x"}', 'appmsg_list is not a list: "x"', false],
    ['appmsg_list an object', `{"appmsg_list":${JSON.stringify(entry(1))}}`, 'appmsg_list is not a list: {…}', false],
    ['appmsg_list a number', '{"appmsg_list":3}', 'appmsg_list is not a list: 3', false],
    [
      'a hostile errmsg, shortened',
      JSON.stringify({ base_resp: { ret: 7, errmsg: `<script>${'x'.repeat(5000)}` } }),
      `base_resp.ret 7 ("<script>${'x'.repeat(32)}")`,
      false,
    ],
  ];
  for (const [name, body, reason, refused] of cases) {
    it(name, () => expect(list(body)).toEqual({ ok: false, reason, refused }));
  }
  it('a body that is not text; a million-deep JSON', () => {
    expect(list(42 as unknown as string)).toEqual({ ok: false, reason: 'answer is not text', refused: false });
    expect(list(`{"appmsg_list":${'['.repeat(1_000_000)}`)).toEqual({
      ok: false,
      reason: 'answer is not JSON',
      refused: false,
    });
    expect(list(`{"appmsg_list":[${'['.repeat(500_000)}${']'.repeat(500_000)}]}`)).toEqual({
      ok: false,
      reason: 'no usable entry in appmsg_list (1): entry is not an object',
      refused: false,
    });
  });
  it.skipIf(!HAVE_SHARED)('the real verification page (f4de01/sub2obsidian) refuses the client', () => {
    const html = readFileSync(`${REAL_PAGES}f4de01__sub2obsidian__verification.html`, 'utf8');
    expect(list(html)).toEqual({
      ok: false,
      reason: 'verification page instead of the homepage list',
      refused: 'captcha',
    });
  });
  it('never throws on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        for (const body of [
          JSON.stringify(a),
          JSON.stringify({ appmsg_list: [a, b] }),
          JSON.stringify({ base_resp: a }),
        ]) {
          const r = list(body);
          if (r.ok) expect(r.items.length + r.skipped).toBeLessThanOrEqual(100);
          else expect(r.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ───────────────────────────── The HTML page ─────────────────────────────

const header = (inner: string, title = '<title>文档标题</title>') =>
  `<!DOCTYPE html><html><head>${title}</head><body><div class="articles_header">${inner}</div><div>其他</div></body></html>`;

describe('the homepage HTML page: title and account', () => {
  it('our page: the header h2 (tags dropped, entities decoded, white space squeezed) and the nested account link', () => {
    expect(parseHomepagePage(own('page.html'))).toEqual({
      ok: true,
      page: { title: '测试主页 & “引号” <栏目>', account: '测试 账号' },
    });
  });
  it('the header as RSSHub reads it: its a and its h2.rich_media_title', () => {
    expect(parseHomepagePage(header('<a href="#">账号名</a><h2 class="rich_media_title">主页标题</h2>'))).toEqual({
      ok: true,
      page: { title: '主页标题', account: '账号名' },
    });
  });
  it('classes among others, single quotes, an h2 of another class skipped', () => {
    const html = `<div id='h' class='top articles_header  js_x'><h2 class="sub">不是</h2><h2 class="rich_media_title big">是 &#39;它&#39;</h2><a>号</a></div>`;
    expect(parseHomepagePage(html)).toEqual({ ok: true, page: { title: "是 '它'", account: '号' } });
  });
  it('the header closes at its own </div>: an h2 after it is not its title, the document title is', () => {
    const html = header('<div><a>号</a></div>', '<title>文档 &amp; 标题</title>').replace(
      '<div>其他</div>',
      '<h2 class="rich_media_title">列表里的文章</h2>',
    );
    expect(parseHomepagePage(html)).toEqual({ ok: true, page: { title: '文档 & 标题', account: '号' } });
  });
  it('no header: the <title>; the marker outside a tag, or on another tag, is not a header', () => {
    expect(
      parseHomepagePage(
        '<title>\n  只有标题 \n</title><script>var s = "articles_header";</script><section class="articles_header"><h2 class="rich_media_title">x</h2></section><divx class="articles_header"><a>y</a></divx>',
      ),
    ).toEqual({ ok: true, page: { title: '只有标题' } });
  });
  it('neither header nor title: ok with nothing (the caller names it "主页 <hid>")', () => {
    expect(parseHomepagePage('<html><body><p>nothing here</p></body></html>')).toEqual({ ok: true, page: {} });
    expect(parseHomepagePage(header('<h2 class="rich_media_title">  </h2><a> </a>', ''))).toEqual({
      ok: true,
      page: {},
    });
  });
  it('a verification page refuses the client; a message page fails; an empty page fails', () => {
    expect(parseHomepagePage(VERIFY_HTML)).toEqual({
      ok: false,
      reason: 'verification page instead of homepage',
      refused: true,
    });
    expect(parseHomepagePage('<html><body><p>当前环境异常，完成验证后即可继续访问</p></body></html>', CANON)).toEqual({
      ok: false,
      reason: 'verification page instead of homepage home-3070376195-4',
      refused: true,
    });
    expect(
      parseHomepagePage(
        '<html><title>微信公众平台</title><body><div class="weui-msg"><h2 class="weui-msg__title">该内容已被发布者删除</h2></div></body></html>',
      ),
    ).toEqual({ ok: false, reason: 'WeChat message page instead of homepage: "该内容已被发布者删除"', refused: false });
    expect(parseHomepagePage('  \n', CANON)).toEqual({
      ok: false,
      reason: 'empty page of homepage home-3070376195-4',
      refused: false,
    });
    expect(parseHomepagePage(undefined as unknown as string)).toEqual({
      ok: false,
      reason: 'empty page of homepage',
      refused: false,
    });
  });
  it.skipIf(!HAVE_SHARED)('the real verification page (f4de01/sub2obsidian) refuses the client', () => {
    const html = readFileSync(`${REAL_PAGES}f4de01__sub2obsidian__verification.html`, 'utf8');
    expect(parseHomepagePage(html)).toEqual({
      ok: false,
      reason: 'verification page instead of homepage',
      refused: true,
    });
  });
  it('a 1 MB title and account are cut to 1000 characters', () => {
    const r = parseHomepagePage(
      header(`<a>${'号'.repeat(1_000_000)}</a><h2 class="rich_media_title">${'题'.repeat(1_000_000)}</h2>`),
    );
    // The account's text is read up to 16 KB: no closing tag within it; the h2 lies beyond the header's window.
    expect(r).toEqual({ ok: true, page: { title: '文档标题', account: `${'号'.repeat(999)}…` } });
    expect(parseHomepagePage(`<title>${'题'.repeat(1_000_000)}</title>`)).toEqual({
      ok: true,
      page: { title: `${'题'.repeat(999)}…` },
    });
  });
});

describe('the homepage HTML page: hostile and large inputs finish, linear', () => {
  const FIVE_MB = 5 * 1024 * 1024;
  const cases: Array<[string, string, Record<string, string>]> = [
    ['<div repeated', '<div'.repeat(1_400_000), {}],
    ['<h2 repeated', '<h2'.repeat(1_800_000), {}],
    ['< repeated', '<'.repeat(FIVE_MB), {}],
    ['<title repeated', '<title'.repeat(900_000), {}],
    ['the marker repeated', 'articles_header'.repeat(350_000), {}],
    ['a header of nested divs', `<div class="articles_header">${'<div'.repeat(1_300_000)}`, {}],
    ['headers repeated', '<div class="articles_header">'.repeat(180_000), {}],
    ['a header h2 of tags', `<div class="articles_header"><h2 class="rich_media_title">${'<b>'.repeat(1_700_000)}`, {}],
    ['a title of white space', `<title>${' \n'.repeat(2_500_000)}x</title>`, {}],
    [
      'a header then 5 MB, then the title',
      `<div class="articles_header"><a>号</a></div>${'<h2 '.repeat(1_300_000)}<title>末</title>`,
      { title: '末', account: '号' },
    ],
  ];
  for (const [name, html, page] of cases) {
    it(name, () => {
      expect(html.length).toBeGreaterThan(4_000_000);
      expect(parseHomepagePage(html)).toEqual({ ok: true, page });
    });
  }
  it('the message marker repeated', () => {
    expect(parseHomepagePage('weui-msg__title'.repeat(350_000))).toEqual({
      ok: false,
      reason: 'WeChat message page instead of homepage',
      refused: false,
    });
  });
});
