import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyDump, lastCount, visibleLength, visibleText } from '../../src/dumps/classify.js';
import { codeUnits, facts, forTesting, lineFacts, NOT_TEMPLATE } from '../../src/dumps/templates.js';

const { fingerprint } = forTesting;

describe('visibleText', () => {
  /** The text as first written: images, link targets, marks and white space, each in a pass of its own. */
  const reference = (markdown: string): string =>
    markdown
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      .replace(/\]\([^)]*\)/g, ']')
      .replace(/[#*_`>|[\]-]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();

  it('is what the four passes gave (fast-check: marks, every kind of white space, brackets, surrogates)', () => {
    const ch = fc.constantFrom(
      ...'!#*_`>|-[]() \n\t\r\u000b\u000c\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeffa中.:'.split(''),
      '![',
      '](',
      '😀',
      '\ud800',
      '\udc00',
    );
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        expect(visibleText(text)).toBe(reference(text));
      }),
      { numRuns: 20_000, seed: 5 },
    );
    const hostile = ['# '.repeat(50_000), '\r\n'.repeat(50_000), `${'-'.repeat(100_000)}x`, '中'.repeat(100_000)];
    for (const text of hostile) expect(visibleText(text)).toBe(reference(text));
  });
});

describe('visibleLength: the length of visibleText without building it', () => {
  it('equals visibleText(…).length on markdown-like text (fast-check, 20,000 strings)', () => {
    const ch = fc.constantFrom(
      '!',
      '[',
      ']',
      '(',
      ')',
      '#',
      '*',
      '_',
      '`',
      '>',
      '|',
      '-',
      ' ',
      '\n',
      '\t',
      '\u3000',
      '\u00a0',
      '\ufeff',
      '\u3001',
      '\u2007',
      'a',
      '中',
      '.',
      ':',
    );
    fc.assert(
      fc.property(
        fc.array(ch, { maxLength: 60 }).map((a) => a.join('')),
        (s) => {
          const exact = visibleText(s).length;
          expect(visibleLength(s)).toBe(exact);
          // With a cap: exact up to it, and past it exactly when the length is.
          for (const cap of [0, 5, 20]) {
            const capped = visibleLength(s, cap);
            expect(capped > cap).toBe(exact > cap);
            if (exact <= cap) expect(capped).toBe(exact);
          }
        },
      ),
      { numRuns: 20_000, seed: 42 },
    );
  });
  it('is visibleText(…).length whenever it says it is exact (fast-check: images and link targets nested, adjacent, open)', () => {
    const ch = fc.constantFrom(
      '!',
      '[',
      ']',
      '(',
      ')',
      '![',
      '](',
      ']![',
      ' ',
      '\n',
      '#',
      '*',
      'a',
      '中',
      '😀',
      '\ud800',
    );
    const word = fc.array(ch, { maxLength: 5 }).map((a) => a.join(''));
    const token = fc.oneof(
      ch,
      fc.tuple(word, word).map(([t, u]) => `[${t}](${u})`),
      fc.tuple(word, word).map(([t, u]) => `![${t}](${u})`),
      fc.tuple(word, word, word).map(([a, t, u]) => `[${a}](${t}![${u}](${a})${u})`),
      fc.tuple(word, word).map(([t, u]) => `]![${t}](${u})(${t})`),
    );
    let exact = 0;
    let unsure = 0;
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), (tokens) => {
        const text = tokens.join('');
        const n = visibleLength(text);
        if (!lastCount.exact) {
          unsure++;
          return;
        }
        exact++;
        expect(n).toBe(visibleText(text).length);
        if (n > 0) expect(classifyDump(text, text, false).textLength).toBe(n);
      }),
      { numRuns: 50_000, seed: 13 },
    );
    expect(exact).toBeGreaterThan(5_000);
    expect(unsure).toBeGreaterThan(1_000);
    // The two shapes it cannot vouch for, where visibleText reads a target the count does not.
    for (const text of ['[a](x ![b](c) y)', ']![x](y)(z)']) {
      visibleLength(text);
      expect(lastCount.exact).toBe(false);
      expect(visibleLength(text)).not.toBe(visibleText(text).length);
    }
  });

  it('gives classifyDump the text length and state visibleText gave (past a notice, within the close look)', () => {
    const body = `${'正文，'.repeat(150)}![图](https://x/a.png)[链接](https://x/b)`;
    expect(classifyDump(body, body, false)).toEqual({ state: 'full', textLength: visibleText(body).length });
    const cut = `${'正文'.repeat(3000)}...`;
    expect(classifyDump(cut.slice(0, 900), cut, false)).toEqual({ state: 'truncated', textLength: 900 });
  });

  it('counts a part of a text as the part alone (a line of a body, without copying it)', () => {
    const ch = fc.constantFrom('a', '中', ' ', '\n', '!', '[', ']', '(', ')', '#', '*', '-', 'x');
    fc.assert(
      fc.property(
        fc.array(ch, { maxLength: 60 }).map((a) => a.join('')),
        fc.nat(60),
        fc.nat(60),
        (s, x, y) => {
          const from = Math.min(x, y, s.length);
          const to = Math.min(Math.max(x, y), s.length);
          for (const cap of [Number.POSITIVE_INFINITY, 5])
            expect(visibleLength(s, cap, from, to)).toBe(visibleLength(s.slice(from, to), cap));
        },
      ),
      { numRuns: 20_000, seed: 7 },
    );
  });
  it('counts exact values on real shapes', () => {
    expect(
      visibleLength('![cover](https://mmbiz.qpic.cn/a?wx_fmt=png)\n\n**粗体** 文字 [链接](https://x.y/z) 结尾'),
    ).toBe('粗体 文字 链接 结尾'.length);
    expect(visibleLength('  \n\n  ')).toBe(0);
    expect(visibleLength('![](x)![](y)')).toBe(0);
  });
  it('stays linear on hostile input: 200,000 brackets that never close', () => {
    // "!", then " a!" for every repetition but the last, then " a"
    expect(visibleLength('![a'.repeat(200_000))).toBe(1 + 3 * 199_999 + 2);
    // "(x", then " (x" for every further repetition
    expect(visibleLength('](x'.repeat(200_000))).toBe(2 + 3 * 199_999);
  });
});

describe('classifyDump', () => {
  it('a long body is an article without building its text; a short notice is a notice', () => {
    expect(classifyDump('正文。'.repeat(2000), '正文。'.repeat(2000), true)).toEqual({
      state: 'full',
      textLength: 6000,
    });
    expect(classifyDump('该内容已被发布者删除', '该内容已被发布者删除', false)).toEqual({
      state: 'deleted',
      textLength: 10,
    });
    expect(classifyDump('', '', true)).toEqual({ state: 'shell', textLength: 0 });
    expect(classifyDump('![](https://mmbiz.qpic.cn/a?wx_fmt=png)', '', true).state).toBe('full');
  });
});

describe('lineFacts: visible length and fingerprint of a line in one pass', () => {
  const same = (line: string, from: number, to: number, cap: number): void => {
    lineFacts(line, from, to, cap, codeUnits(line));
    const visible = visibleLength(line, cap, from, to);
    expect(facts.visible).toBe(visible);
    expect(facts.print).toBe(visible <= cap ? fingerprint(line, from, to) : NOT_TEMPLATE);
  };

  it('gives what visibleLength and fingerprint give apart, on lines without brackets (fast-check)', () => {
    const ch = fc.constantFrom(
      '!',
      '(',
      ')',
      '#',
      '*',
      '_',
      '`',
      '|',
      '-',
      ' ',
      '\t',
      '\u3000',
      '\u00a0',
      '\ufeff',
      '\u3001',
    );
    const text = fc.array(fc.oneof(ch, fc.constantFrom('a', '中', '0', '7', '42', '.')), { maxLength: 60 });
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 30 }), (parts, cap) => {
        const line = `x ${parts.join('')} y`;
        same(line, 1, line.length - 1, cap);
      }),
      { numRuns: 20_000 },
    );
  });

  it('the same on lines of links, images and brackets nested or left open (fast-check)', () => {
    const ch = fc.constantFrom(
      '!',
      '[',
      ']',
      '(',
      ')',
      '![',
      '](',
      '#',
      '*',
      ' ',
      '\t',
      '\u3000',
      'a',
      '中',
      '0',
      '42',
      '😀',
      '\ud800',
      '\udc00',
      '\n',
    );
    const word = fc.array(ch, { maxLength: 6 }).map((a) => a.join(''));
    const token = fc.oneof(
      ch,
      fc.tuple(word, word).map(([t, u]) => `[${t}](${u})`),
      fc.tuple(word, word).map(([t, u]) => `![${t}](${u})`),
      fc.tuple(word, word, word).map(([a, t, u]) => `[${a}![${t}](${u})](${u})`),
    );
    let past = 0;
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 16 }),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(8),
        (tokens, cap, cut) => {
          const text = tokens.join('');
          same(text, 0, text.length, cap);
          // A part of a longer text: what lies past its end (a `)` or `]` further on) is not read.
          const to = Math.max(0, text.length - cut);
          same(text, Math.min(cut, to), to, cap);
          if (visibleLength(text, cap) > cap) past++;
        },
      ),
      { numRuns: 30_000, seed: 11 },
    );
    expect(past).toBeGreaterThan(1000);
  });

  it('reads the code units of the text it is given, not those an earlier, longer text left', () => {
    for (const line of ['[a]', '[a](b', '![x](y)[z]', 'x\ud800]', '😀[中]']) {
      const longer = `${line}(${'('.repeat(40)}`;
      const fresh = lineFacts(line, 0, line.length, 40, codeUnits(line));
      const print = facts.print;
      codeUnits(longer);
      const units = codeUnits(line);
      expect(Array.from(units.subarray(0, line.length + 1))).toEqual([
        ...Array.from({ length: line.length }, (_, i) => line.charCodeAt(i)),
        0,
      ]);
      expect(lineFacts(line, 0, line.length, 40, units)).toBe(fresh);
      expect(facts.print).toBe(print);
      same(longer, 0, line.length, 40);
    }
  });

  it('stays linear on hostile lines: 50,000 brackets that never close, one huge line', () => {
    for (const line of [
      '![a'.repeat(50_000),
      '](x'.repeat(50_000),
      `[${'a'.repeat(100_000)}](`,
      '中'.repeat(100_000),
    ]) {
      same(line, 0, line.length, Number.POSITIVE_INFINITY);
      same(line, 0, line.length, 400);
    }
  });
});

describe('fingerprint: a line as a reader sees it, hashed', () => {
  /** FNV-1a over the line's text with link targets dropped, digit runs read as `0` and space runs as one space. */
  const reference = (line: string): number => {
    const seen = line
      .replace(/(?<!!)\[([^[\]()]*)\]\([^()]*\)/g, '[$1]')
      .replace(/[0-9]+/g, '0')
      .replace(/[ \t\u3000\u00a0]+/g, ' ');
    let h = 0x811c9dc5;
    for (let i = 0; i < seen.length; i++) h = Math.imul(h ^ seen.charCodeAt(i), 0x01000193);
    const print = h & 0x3fffffff;
    return print <= 1 ? print + 2 : print;
  };

  it('equals hashing the reader’s text built apart (fast-check: links, images, digit and space runs)', () => {
    const word = fc.constantFrom('a', '中', 'ab', '0', '7', '42', '.', '!', '#', '*', '-', 'é');
    const space = fc.constantFrom(' ', '\t', '\u3000', '\u00a0', '  ');
    const inner = fc.array(fc.oneof(word, space), { maxLength: 4 }).map((a) => a.join(''));
    const target = fc.array(fc.constantFrom('h', '/', '1', '23', '?', '=', ' ', '中'), { maxLength: 6 });
    const token = fc.oneof(
      word,
      space,
      fc.tuple(inner, target).map(([t, u]) => `[${t}](${u.join('')})`),
      fc.tuple(inner, target).map(([t, u]) => `![${t}](${u.join('')})`),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const line = `>${tokens.join('')}<`;
        expect(fingerprint(line, 0, line.length)).toBe(reference(line));
      }),
      { numRuns: 20_000 },
    );
  });
});
