/**
 * The album HTML page in linear time (issue 20, item 5: the real album page padded with `"<li".repeat(1_400_000)`
 * took 12.3 s in `parseAlbumPage`, a regex that backtracks in `positions()`). The list markup is read by a scan, with
 * the same results as the regex it replaces (checked against it on random markup); the script readers it relies on
 * (page-scripts.ts) stay linear on hostile padding, and never throw on hostile escapes.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { markupPositions, parseAlbumPage } from '../../src/wechat/album-page.js';
import { arrayEntries, field, jsUnescape, ownField, ownLevel } from '../../src/wechat/page-scripts.js';
import { count } from '../../src/wechat/album-item.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';

const OWN = readFileSync(`${OWN_FIXTURES}albums/album-page.html`, 'utf8');
/** What the parse of a hostile 4.5 MB page may take here (a shared, slow machine): the regex took 12–37 s. */
const BUDGET_MS = 3000;

/** The regex `positions()` used before, kept here as the oracle of the scan (on small inputs only). */
function regexPositions(html: string): Map<string, number> {
  const out = new Map<string, number>();
  let seen = 0;
  for (const m of html.matchAll(/<li\b([^>]{0,4000})>/g)) {
    const attrs = m[1]!;
    if (!/\bjs_album_item\b/.test(attrs)) continue;
    if (++seen > 1000) break;
    const attr = (name: string) => new RegExp(String.raw`\bdata-${name}\s*=\s*"(\d{1,20})"`).exec(attrs)?.[1];
    const msgid = attr('msgid');
    const itemidx = attr('itemidx');
    const pos = count(attr('pos_num'));
    if (msgid && itemidx && pos !== undefined) out.set(`${msgid}_${itemidx}`, pos);
  }
  return out;
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('the list markup, scanned', () => {
  it('our page: the numbers of the items that carry one', () => {
    expect([...markupPositions(OWN)]).toEqual([
      ['2650000010_1', 3],
      ['2650000009_2', 2],
    ]);
  });

  it.skipIf(!HAVE_SHARED)('the real album page: the same 10 numbers as the regex', () => {
    const real = readFileSync(`${REAL_PAGES}soda92__biao-short-novels__album-page.html`, 'utf8');
    const scanned = markupPositions(real);
    expect(scanned.size).toBe(10);
    expect([...scanned]).toEqual([...regexPositions(real)]);
    expect(scanned.get('2247484584_1')).toBe(105);
  });

  it('edge cases as the regex reads them: <link>, <LI>, a tag over 4,000 characters, > inside a value, no >', () => {
    const item = (attrs: string) => `<li class="js_album_item" ${attrs}>`;
    const cases = [
      item('data-msgid="1" data-itemidx="1" data-pos_num="7"'),
      `<link class="js_album_item" data-msgid="2" data-itemidx="1" data-pos_num="8">`,
      `<LI class="js_album_item" data-msgid="3" data-itemidx="1" data-pos_num="9">`,
      item(`data-msgid="4" data-itemidx="1" data-pos_num="10" data-x="${'y'.repeat(4000)}"`),
      item('data-title="a>b" data-msgid="5" data-itemidx="1" data-pos_num="11"'),
      `<li class="js_album_item" data-msgid="6" data-itemidx="1" data-pos_num="12"`,
      item('data-msgid = "7"  data-itemidx=\n"1" xdata-pos_num="13"'),
      `<li<li class="js_album_item" data-msgid="8" data-itemidx="1" data-pos_num="14">`,
      item('data-msgid="9" data-itemidx="1" data-pos_num="99999999999"'),
      `<li\tclass="js_album_item_x js_album_item" data-msgid="10" data-itemidx="2" data-pos_num="15">`,
    ];
    for (const html of cases) expect([...markupPositions(html)], html.slice(0, 80)).toEqual([...regexPositions(html)]);
    expect([...markupPositions(cases.join('\n'))]).toEqual([...regexPositions(cases.join('\n'))]);
    // Joined: the tag without its `>` runs into the next tag and takes its `>`, with its own attributes first.
    expect([...markupPositions(cases.join(''))]).toEqual([...regexPositions(cases.join(''))]);
    expect([...markupPositions(cases.join(''))]).toEqual([
      ['1_1', 7],
      ['6_1', 12],
      ['8_1', 14],
      ['10_2', 15],
    ]);
  });

  it('the same as the regex on random markup made of its pieces', () => {
    const piece = fc.constantFrom(
      '<li',
      '<li ',
      '<lin',
      '>',
      ' ',
      '\n',
      'class="js_album_item"',
      'js_album_itemx',
      'data-msgid="12"',
      'data-itemidx="1"',
      'data-itemidx="2"',
      'data-pos_num="3"',
      'data-pos_num = "4"',
      'xdata-msgid="5"',
      '"',
      'a'.repeat(1500),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const html = pieces.join('');
        expect([...markupPositions(html)]).toEqual([...regexPositions(html)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('stops after 1,000 items, as before', () => {
    const html = Array.from(
      { length: 1200 },
      (_, i) => `<li class="js_album_item" data-msgid="${i}" data-itemidx="1" data-pos_num="${i}">`,
    ).join('');
    expect(markupPositions(html).size).toBe(1000);
    expect([...markupPositions(html)]).toEqual([...regexPositions(html)]);
  });
});

describe('hostile padding: parseAlbumPage stays linear (each under a few seconds; the regex took 12–37 s)', () => {
  const page = HAVE_SHARED ? readFileSync(`${REAL_PAGES}soda92__biao-short-novels__album-page.html`, 'utf8') : OWN;
  const at = page.indexOf('window.cgiData');
  const padded = (s: string) => page.slice(0, at) + s + page.slice(at);
  const inCgi = (s: string) => page.replace('window.cgiData = {', `window.cgiData = {${s}`);
  const N = 1_400_000;
  const plain = parseAlbumPage(page);
  if (!plain.ok) throw new Error(plain.reason);
  const cases: Array<[string, () => string, boolean]> = [
    ['"<li".repeat(1.4M) before the script (4.5 MB)', () => padded('<li'.repeat(N)), true],
    ['"<li ".repeat(1.4M)', () => padded('<li '.repeat(N)), true],
    ['an item tag cut, repeated', () => padded('<li class="js_album_item" data-msgid="1'.repeat(N / 10)), true],
    ['"{".repeat(1.4M) before the script', () => padded('{'.repeat(N)), true],
    ['"\'".repeat(1.4M) before the script', () => padded("'".repeat(N)), true],
    ['"{".repeat(1.4M) inside cgiData (never closed)', () => inCgi('{'.repeat(N)), false],
    [
      '"[{".repeat(…) in articleList',
      () => page.replace('articleList: [', `articleList: [${'[{'.repeat(N / 2)}`),
      false,
    ],
    [
      '"articleList: [".repeat(…)',
      () => page.replace('articleList: [', `articleList: [${'articleList: ['.repeat(N / 10)}`),
      false,
    ],
    [
      '1.4M empty entries in articleList',
      () => page.replace('articleList: [', `articleList: [${'{},'.repeat(N)}`),
      true,
    ],
    ['" title".repeat(…) and 1.4M spaces in cgiData', () => inCgi(' title'.repeat(N / 4) + ' '.repeat(N)), true],
    ['a 4 MB title', () => page.replace("title: '", `title: '${'a'.repeat(N * 3)}`), true],
    ['nested [[[…]]] 1.4M deep in cgiData', () => inCgi(`x: ${'['.repeat(N)}${']'.repeat(N)},`), true],
  ];
  for (const [name, make, ok] of cases)
    it(name, () => {
      const html = make();
      const { value, ms } = timed(() => parseAlbumPage(html, undefined, Date.UTC(2026, 5, 1)));
      expect(ms, `${name}: ${ms.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
      expect(value.ok).toBe(ok);
      // Padding outside the script changes nothing of what the page says.
      if (ok && !name.includes('entries') && !name.includes('title') && !name.includes('nested'))
        expect(value).toEqual(plain);
    });
});

describe('script readers never throw on hostile escapes', () => {
  it('jsUnescape: \\u or \\x without hex digits is the letter; a code point past U+10FFFF is U+FFFD', () => {
    expect(jsUnescape(String.raw`a\uZZZZb`)).toBe('auZZZZb');
    expect(jsUnescape(String.raw`a\u{b`)).toBe('au{b');
    expect(jsUnescape(String.raw`a\xZ`)).toBe('axZ');
    expect(jsUnescape(String.raw`\u{FFFFFFF}|\u{110000}|\u{10FFFF}|\u{1F600}|\u4e2d|\x41`)).toBe(
      '\ufffd|\ufffd|\u{10ffff}|😀|中|A',
    );
    expect(jsUnescape(String.raw`\u{${'0'.repeat(100)}41}`)).toBe('A');
  });

  it('parseAlbumPage with such escapes in the title and the items: read, not thrown', () => {
    for (const bad of [String.raw`\uZZZZ`, String.raw`\u{FFFFFFF}`, String.raw`\u{`, String.raw`\x`]) {
      const r = parseAlbumPage(OWN.replace("title: '测试合集：", `title: '${bad}测试合集：`));
      expect(r.ok, bad).toBe(true);
      if (r.ok) expect(r.page.title?.endsWith("测试合集：& '引号'"), bad).toBe(true);
    }
    const r = parseAlbumPage(OWN.replace("title: '第三篇'", String.raw`title: '\u{FFFFFFF}第三篇'`));
    expect(r.ok && r.page.items[0]!.title).toBe('\ufffd第三篇');
  });

  it('ownLevel: the text of an object at its own level, nested objects and lists left out, strings kept whole', () => {
    const block = `{ a: '1', b: { a: '2', c: [ { a: '3' } ] }, s: '{ x: }', d: "q\\"}", e: '5' }`;
    expect(ownLevel(block)).toBe(` a: '1', b: , s: '{ x: }', d: "q\\"}", e: '5' `);
    expect(ownField(block, 'a')).toBe('1');
    expect(ownField(block, 'e')).toBe('5');
    expect(field(ownLevel(block), 'c')).toBeUndefined();
  });

  it('arrayEntries: at most the entries asked for', () => {
    const block = `{ list: [ ${Array.from({ length: 50 }, (_, i) => `{ n: '${i}' }`).join(', ')} ] }`;
    expect(arrayEntries(block, 'list')).toHaveLength(50);
    expect(arrayEntries(block, 'list', 3)).toEqual(["{ n: '0' }", "{ n: '1' }", "{ n: '2' }"]);
  });
});
