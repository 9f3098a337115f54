import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { albumListUrl, parseAlbumList } from '../../src/wechat/album.js';
import type { AlbumItem } from '../../src/wechat/album-item.js';
import type { AlbumListResult } from '../../src/wechat/album-list.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';

const own = (name: string) => readFileSync(`${OWN_FIXTURES}albums/${name}`, 'utf8');
const B = 'MzAwMDAwMDAwMQ==';
const art = (mid: string, idx: string, sn: string) =>
  `https://mp.weixin.qq.com/s?__biz=${B}&mid=${mid}&idx=${idx}&sn=${sn}`;

function ok(r: AlbumListResult): Extract<AlbumListResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected a page, got: ${r.reason}`);
  return r;
}

/** An answer with these entries and flags. */
const answer = (list: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ base_resp: { ret: 0 }, getalbum_resp: { article_list: list, continue_flag: '1', ...extra } });
const entry = (n: number, extra: Record<string, unknown> = {}) => ({
  create_time: String(1720000000 + n),
  itemidx: '1',
  msgid: String(2650000000 + n),
  title: `第${n}篇`,
  url: `http://mp.weixin.qq.com/s?__biz=${B}&mid=${2650000000 + n}&idx=1&sn=${String(n).padStart(32, '0')}#rd`,
  ...extra,
});

describe('album list pages we wrote', () => {
  it('a page: items in order, &amp; and noise dropped, numbers accepted, a repeat and an entry without sn skipped and counted', () => {
    const r = ok(parseAlbumList(own('list-page.json')));
    expect(r.items).toEqual<AlbumItem[]>([
      {
        msgid: '2650000010',
        itemidx: '1',
        title: '第三篇',
        createTime: 1720000300000,
        cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/own3/300',
        url: art('2650000010', '1', '0000000000000000000000000000000a'),
        key: 'sn:0000000000000000000000000000000a',
        posNum: 3,
      },
      {
        msgid: '2650000009',
        itemidx: '2',
        title: '第二篇：& 与 "引号"',
        createTime: 1720000200000,
        url: art('2650000009', '2', '00000000000000000000000000000009'),
        key: 'sn:00000000000000000000000000000009',
        posNum: 2,
      },
      {
        msgid: '2650000007',
        itemidx: '1',
        title: '第一篇（数字而非字符串）',
        createTime: 1720000000000,
        url: art('2650000007', '1', '00000000000000000000000000000007'),
        key: 'sn:00000000000000000000000000000007',
        posNum: 1,
      },
    ]);
    expect(r).toMatchObject({
      more: true,
      // The cursor is the last entry, even one that could not be used: paging goes past it.
      cursor: { msgid: '2650000006', itemidx: '1' },
      order: 'newest-first',
      skipped: 2,
      skipReasons: ['listed twice', 'url has no sn'],
    });
  });
  it('a page of one item holds article_list as an object; continue_flag "0" is the last page', () => {
    expect(parseAlbumList(own('list-single.json'))).toEqual({
      ok: true,
      items: [
        {
          msgid: '2650000005',
          itemidx: '1',
          title: '唯一的一篇',
          createTime: 1719900000000,
          cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/own5/300',
          url: art('2650000005', '1', '00000000000000000000000000000005'),
          key: 'sn:00000000000000000000000000000005',
          posNum: 1,
        },
      ],
      more: false,
      cursor: { msgid: '2650000005', itemidx: '1' },
      order: 'unknown',
      skipped: 0,
      skipReasons: [],
    });
  });
  it('the end of a list has no article_list at all', () => {
    expect(parseAlbumList(own('list-end.json'))).toEqual({
      ok: true,
      items: [],
      more: false,
      order: 'unknown',
      skipped: 0,
      skipReasons: [],
    });
  });
  it('without is_reverse the server chose oldest first: the order found is reported', () => {
    const r = ok(parseAlbumList(own('list-server-order.json')));
    expect(r.items.map((i) => i.msgid)).toEqual(['2650000001', '2650000002', '2650000003']);
    expect(r).toMatchObject({ order: 'oldest-first', more: true, cursor: { msgid: '2650000003', itemidx: '1' } });
  });
  it('refusals of the client: frequency control, verify_status ≠ "0", the verification page', () => {
    expect(parseAlbumList(own('list-ret.json'))).toEqual({
      ok: false,
      reason: 'base_resp.ret 200013 ("freq control")',
      refused: 'refused',
    });
    expect(parseAlbumList(own('list-verify.json'))).toEqual({
      ok: false,
      reason: 'getalbum_resp.verify_status "1"',
      refused: 'refused',
    });
    expect(parseAlbumList(own('verify.html'))).toEqual({
      ok: false,
      reason: 'verification page instead of the list',
      refused: 'captcha',
    });
  });
  it('answers about the album fail it alone: another ret ("invalid args": no such album), the wrong shape', () => {
    expect(parseAlbumList('{"base_resp":{"ret":-2,"errmsg":"invalid args"}}')).toEqual({
      ok: false,
      reason: 'base_resp.ret -2 ("invalid args")',
      refused: false,
    });
    expect(parseAlbumList(own('list-malformed.json'))).toEqual({
      ok: false,
      reason: 'article_list is neither a list nor an object: "oops"',
      refused: false,
    });
  });
  it('a ret whose message speaks of frequency or verification refuses the client, whatever its number', () => {
    for (const msg of ['freq control', 'too often', '操作太频繁', 'need verify'])
      expect(parseAlbumList(JSON.stringify({ base_resp: { ret: 12345, errmsg: msg } }))).toMatchObject({
        refused: 'refused',
      });
  });
  it('a list whose every entry is of another account fails the album; one usable entry is enough', () => {
    const other = (n: number) => ({
      msgid: `22474800${n}`,
      itemidx: '1',
      create_time: '1700000000',
      title: `t${n}`,
      url: `http://mp.weixin.qq.com/s?__biz=MzkwMDAwMDAwMQ==&mid=22474800${n}&idx=1&sn=${String(n).padStart(32, 'a')}`,
    });
    const ours = { ...other(9), url: other(9).url.replace('MzkwMDAwMDAwMQ==', 'MzkwMDAwMDAwMA==') };
    const body = (list: unknown[]) =>
      JSON.stringify({ base_resp: { ret: 0 }, getalbum_resp: { article_list: list, continue_flag: '0' } });
    expect(parseAlbumList(body([other(1), other(2)]), { biz: 'MzkwMDAwMDAwMA==' })).toEqual({
      ok: false,
      reason: 'every entry is an article of another account (2)',
      refused: false,
    });
    expect(parseAlbumList(body([other(1), ours]), { biz: 'MzkwMDAwMDAwMA==' })).toMatchObject({
      ok: true,
      skipped: 1,
    });
  });
});

describe('list times out of range', () => {
  const entry = (createTime: string) => ({
    msgid: '2247480001',
    itemidx: '1',
    create_time: createTime,
    title: 't',
    url: 'http://mp.weixin.qq.com/s?__biz=MzkwMDAwMDAwMA==&mid=2247480001&idx=1&sn=abcdefabcdefabcdefabcdefabcdef12',
  });
  const body = (createTime: string) =>
    JSON.stringify({ base_resp: { ret: 0 }, getalbum_resp: { article_list: [entry(createTime)], continue_flag: '0' } });
  const now = Date.UTC(2026, 11, 1);
  it('the year 5138, or before 2012: the time it was listed, marked guessed', () => {
    for (const t of ['99999999999', '1262304000'])
      expect(parseAlbumList(body(t), undefined, now)).toMatchObject({
        ok: true,
        items: [{ createTime: now, timeGuessed: true }],
      });
  });
  it('up to a day ahead of the clock is believed; a believable time is kept as it is', () => {
    const ahead = now / 1000 + 86_400;
    expect(parseAlbumList(body(String(ahead)), undefined, now)).toMatchObject({
      items: [{ createTime: ahead * 1000 }],
    });
    const r = parseAlbumList(body('1722667392'), undefined, now);
    expect(r.ok && r.items[0]).toEqual(expect.objectContaining({ createTime: 1722667392000 }));
    expect(r.ok && r.items[0]!.timeGuessed).toBeUndefined();
  });
  it('without a clock, a time before 2012 is refused with its reason', () => {
    expect(parseAlbumList(body('1262304000'))).toMatchObject({
      ok: true,
      items: [],
      skipReasons: ['create_time out of range'],
    });
  });
});

describe('hostile answers: never a throw, always a clear reason', () => {
  const fails: Array<[string, string, string, false | 'captcha' | 'refused']> = [
    ['empty', '', 'empty answer', false],
    ['white space and a BOM', '\uFEFF  \n', 'empty answer', false],
    [
      'a rate-limit page',
      '<!DOCTYPE html><html><body>环境异常</body></html>',
      'verification page instead of the list',
      'captcha',
    ],
    ['an HTML error page', '<!DOCTYPE html><html><body>系统出错</body></html>', 'HTML answer instead of JSON', false],
    ['not JSON', 'ok', 'answer is not JSON', false],
    ['cut JSON', '{"base_resp":{"ret":0},"getalbum_resp":{"article_list":[{', 'answer is not JSON', false],
    ['a JSON list', '[]', 'answer is JSON but not an object: []', false],
    ['JSON null', 'null', 'answer is JSON but not an object: null', false],
    ['a JSON string', '"x"', 'answer is JSON but not an object: "x"', false],
    ['no base_resp', '{}', 'no base_resp', false],
    ['base_resp not an object', '{"base_resp":"0"}', 'base_resp is not an object: "0"', false],
    ['base_resp without ret', '{"base_resp":{}}', 'base_resp has no ret', false],
    ['ret not a number', '{"base_resp":{"ret":"zero"}}', 'base_resp.ret is not a number: "zero"', false],
    ['ret a list', '{"base_resp":{"ret":[0]}}', 'base_resp.ret is not a number: […] (1)', false],
    ['ret an object', '{"base_resp":{"ret":{"a":[[[1]]]}}}', 'base_resp.ret is not a number: {…}', false],
    ['ret as a string, not 0', '{"base_resp":{"ret":"-6"}}', 'base_resp.ret -6', false],
    ['no getalbum_resp', '{"base_resp":{"ret":0}}', 'no getalbum_resp', false],
    ['getalbum_resp a list', '{"base_resp":{"ret":0},"getalbum_resp":[]}', 'getalbum_resp is not an object: []', false],
    [
      'verify_status a number',
      '{"base_resp":{"ret":0},"getalbum_resp":{"verify_status":2}}',
      'getalbum_resp.verify_status 2',
      'refused',
    ],
    [
      'continue_flag not 0 or 1',
      '{"base_resp":{"ret":0},"getalbum_resp":{"continue_flag":"yes"}}',
      'continue_flag is not "0" or "1": "yes"',
      false,
    ],
    [
      'article_list a number',
      '{"base_resp":{"ret":0},"getalbum_resp":{"article_list":42}}',
      'article_list is neither a list nor an object: 42',
      false,
    ],
    [
      'a long value is cut in the reason',
      `{"base_resp":{"ret":0},"getalbum_resp":{"article_list":"${'x'.repeat(500)}"}}`,
      `article_list is neither a list nor an object: "${'x'.repeat(58)}…`,
      false,
    ],
  ];
  for (const [name, body, reason, refused] of fails) {
    it(name, () => expect(parseAlbumList(body)).toEqual({ ok: false, reason, refused }));
  }

  it('entries of every wrong type are skipped and counted; no cursor, so no more pages', () => {
    expect(parseAlbumList(answer([1, 'x', null, [], {}, { url: 5 }, { url: '' }]))).toEqual({
      ok: true,
      items: [],
      more: false,
      order: 'unknown',
      skipped: 7,
      skipReasons: ['entry is not an object (4)', 'no url (2)', 'url has no sn'],
    });
  });
  it('bad fields: another host, no create_time, msgid against the url, a 5,000-character url, bad numbers', () => {
    const r = ok(
      parseAlbumList(
        answer([
          entry(1, { url: 'https://evil.example/s?__biz=x&mid=1&idx=1&sn=00000000000000000000000000000001' }),
          entry(2, { create_time: 'yesterday' }),
          entry(3, { create_time: '-1' }),
          entry(4, { msgid: '2650000099' }),
          entry(5, { itemidx: '3' }),
          entry(6, { url: `http://mp.weixin.qq.com/s?sn=${'a'.repeat(5000)}` }),
          entry(7, { msgid: 'abc', itemidx: {}, pos_num: 'x', cover_img_1_1: 7 }),
          entry(8, { title: 12345 }),
          entry(9, { title: { zh: '对象' } }),
        ]),
      ),
    );
    expect(r.skipReasons).toEqual([
      'url has no sn',
      'no create_time (2)',
      'msgid differs from the url',
      'itemidx differs from the url',
      'url longer than 4096 characters',
    ]);
    expect(r.skipped).toBe(6);
    // msgid and itemidx fall back to the url's mid and idx; a title that is a number is its text; an object, none.
    expect(r.items.map((i) => [i.msgid, i.itemidx, i.title, i.posNum, i.cover])).toEqual([
      ['2650000007', '1', '第7篇', undefined, undefined],
      ['2650000008', '1', '12345', undefined, undefined],
      ['2650000009', '1', '', undefined, undefined],
    ]);
  });
  it('titles are cut at 1,000 characters (as dump titles are: never inside an emoji), ending in …', () => {
    const r = ok(
      parseAlbumList(answer([entry(1, { title: '长'.repeat(5000) }), entry(2, { title: '😀'.repeat(1500) })])),
    );
    expect(r.items[0]!.title).toBe(`${'长'.repeat(999)}…`);
    expect(r.items[1]!.title).toBe(`${'😀'.repeat(499)}…`);
    expect(r.items[1]!.title.isWellFormed()).toBe(true);
  });
  it('a huge list: 100 items are read, the cursor is the 100th, and more pages follow even after continue_flag "0"', () => {
    const list = Array.from({ length: 5000 }, (_, n) => entry(5000 - n));
    const r = ok(parseAlbumList(answer(list, { continue_flag: '0' })));
    expect(r.items).toHaveLength(100);
    expect(r.items[0]!.msgid).toBe('2650005000');
    expect(r.items[99]!.msgid).toBe('2650004901');
    expect(r).toMatchObject({ more: true, cursor: { msgid: '2650004901', itemidx: '1' }, skipped: 0 });
  });
  it('with the album asked for: articles of another account are skipped, a url without __biz takes the album’s', () => {
    const other = entry(2, { url: entry(2).url.replace(B, 'MzAwMDAwMDAwMg==') });
    const noBiz = entry(3, {
      url: 'http://mp.weixin.qq.com/s?mid=2650000003&idx=1&sn=00000000000000000000000000000003',
    });
    // The album's biz in another spelling (no padding) is the same account.
    const r = ok(parseAlbumList(answer([entry(1), other, noBiz]), { biz: 'MzAwMDAwMDAwMQ' }));
    expect(r.items.map((i) => i.url)).toEqual([
      art('2650000001', '1', '00000000000000000000000000000001'),
      art('2650000003', '1', '00000000000000000000000000000003'),
    ]);
    expect(r.skipReasons).toEqual(['article of another account']);
  });
  it('continue_flag as a number, missing, or null; article_list null', () => {
    expect(ok(parseAlbumList(answer([entry(1)], { continue_flag: 1 }))).more).toBe(true);
    expect(ok(parseAlbumList(answer([entry(1)], { continue_flag: undefined }))).more).toBe(false);
    expect(ok(parseAlbumList(answer([entry(1)], { continue_flag: null }))).more).toBe(false);
    expect(ok(parseAlbumList(answer(null))).items).toEqual([]);
  });
  it('__proto__ keys and deep nesting do nothing', () => {
    const proto =
      '{"base_resp":{"ret":0,"__proto__":{"polluted":1}},"getalbum_resp":{"__proto__":{"article_list":[1]}}}';
    expect(ok(parseAlbumList(proto)).items).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(parseAlbumList(deep).ok).toBe(false);
  });
  it('any JSON value or any text: a result, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        (body) => {
          const r = parseAlbumList(body);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.jsonValue(), (list, flag) => {
        const r = parseAlbumList(
          JSON.stringify({ base_resp: { ret: 0 }, getalbum_resp: { article_list: list, continue_flag: flag } }),
        );
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(!HAVE_SHARED)('the real album JSON pages (soda92/biao-short-novels, album 3329839945947119618)', () => {
  const BIZ = 'Mzg4NTc2OTYxMQ==';
  // With the album's account: `skipped: 0` below says every item is an article of 你的鸟儿会唱歌 (Mzg4NTc2OTYxMQ==).
  const real = (name: string) => ok(parseAlbumList(readFileSync(`${REAL_PAGES}${name}`, 'utf8'), { biz: BIZ }));

  it('album-2247484063.json (2024): 20 items, 36 down to 17, continue_flag "1"', () => {
    const r = real('soda92__biao-short-novels__album-2247484063.json');
    expect(r.items).toHaveLength(20);
    expect(r.items[0]).toEqual({
      msgid: '2247484173',
      itemidx: '1',
      title: '微型小说《在这所有道路都被掀起来的世界》',
      createTime: 1722667392000,
      cover:
        'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxYeeBSiaAAxqEHyrzmAfxZtOPPc7YeIarTuQuCDLjJdtEoQp1xymjcjqVjNZVyHwNMpxj9olj8YOWw/300',
      url: `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247484173&idx=1&sn=e08995d3af37ce71166551ecb564764c`,
      key: 'sn:e08995d3af37ce71166551ecb564764c',
      posNum: 36,
    });
    expect(r.items[19]).toMatchObject({ msgid: '2247484063', title: '微型小说《营养不良》', posNum: 17 });
    expect(r).toMatchObject({
      more: true,
      cursor: { msgid: '2247484063', itemidx: '1' },
      order: 'newest-first',
      skipped: 0,
    });
    expect(r.items.map((i) => i.posNum)).toEqual(Array.from({ length: 20 }, (_, n) => 36 - n));
  });
  it('album-2247483853.json: the last page, 16 items, 16 down to 1, continue_flag "0"', () => {
    const r = real('soda92__biao-short-novels__album-2247483853.json');
    expect(r.items).toHaveLength(16);
    expect(r.items[0]).toMatchObject({
      msgid: '2247484058',
      title: '微型小说《养鸡手册》',
      createTime: 1719851776000,
      posNum: 16,
      key: 'sn:da6518e05f678820a5900f244fda7b79',
    });
    expect(r.items[15]).toEqual({
      msgid: '2247483853',
      itemidx: '1',
      title: '微型小说《烧枯秧》',
      createTime: 1708066363000,
      cover:
        'https://mmbiz.qpic.cn/mmbiz_jpg/4q8J3pWcWxZvibXic3w9t2ZEG9t4uAdUxB3bN58Rw6Ko7viaD1puqF3HxqSxeSWfK3SRF3oAKn9gtYFLqjGz3CEuw/300',
      url: `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247483853&idx=1&sn=3b58112c577b7cde24e85e3263a00878`,
      key: 'sn:3b58112c577b7cde24e85e3263a00878',
      posNum: 1,
    });
    expect(r).toMatchObject({
      more: false,
      cursor: { msgid: '2247483853', itemidx: '1' },
      order: 'newest-first',
      skipped: 0,
    });
    // The album's order is not strictly create_time's: numbers 3 and 2 were published the other way round.
    expect(r.items.slice(13).map((i) => [i.posNum, i.createTime / 1000])).toEqual([
      [3, 1708008138],
      [2, 1708164027],
      [1, 1708066363],
    ]);
  });
  it('the two 2024 pages join: the next page after 2247484063 starts at number 16, no gap, no repeat', () => {
    const first = real('soda92__biao-short-novels__album-2247484063.json');
    const last = real('soda92__biao-short-novels__album-2247483853.json');
    expect(albumListUrl({ biz: BIZ, albumId: '3329839945947119618' }, first.cursor)).toBe(
      `https://mp.weixin.qq.com/mp/appmsgalbum?action=getalbum&__biz=${BIZ}&album_id=3329839945947119618&count=20&is_reverse=1&f=json&begin_msgid=2247484063&begin_itemidx=1`,
    );
    const all = [...first.items, ...last.items];
    expect(all.map((i) => i.posNum)).toEqual(Array.from({ length: 36 }, (_, n) => 36 - n));
    expect(new Set(all.map((i) => i.key)).size).toBe(36);
  });
  it('album-2247484477.json (2026, verify_status "0"): 20 items, 104 down to 85', () => {
    const r = real('soda92__biao-short-novels__album-2247484477.json');
    expect(r.items).toHaveLength(20);
    expect(r.items[0]).toMatchObject({
      msgid: '2247484579',
      title: '106 | 微型小说《鬼脸是怎么作的？》',
      createTime: 1771320600000,
      posNum: 104,
      url: `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247484579&idx=1&sn=256dfc21cc3ab1f0abb20641d81e1d75`,
    });
    expect(r.items[19]).toMatchObject({
      msgid: '2247484477',
      title: '87 | 微型小说《求见大人》',
      createTime: 1744540551000,
      posNum: 85,
      key: 'sn:1b2beb2701cafab57f1f98d64c2a99aa',
    });
    expect(r).toMatchObject({
      more: true,
      cursor: { msgid: '2247484477', itemidx: '1' },
      order: 'newest-first',
      skipped: 0,
    });
  });
  it('without the album asked for, the same items', () => {
    const name = 'soda92__biao-short-novels__album-2247484477.json';
    expect(parseAlbumList(readFileSync(`${REAL_PAGES}${name}`, 'utf8'))).toEqual(real(name));
  });
});
