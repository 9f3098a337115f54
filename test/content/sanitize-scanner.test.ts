/**
 * The sanitizer's fast path reads tags with a scanner: it must accept exactly what the pattern it replaced accepted
 * (kept here as the reference), on markdown-it's output and on hostile text.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeHTML } from 'entities';
import { alreadySanitized, writtenTagAllowed } from '../../src/content/sanitize.js';
import { forTesting, markdownItHtml } from '../../src/content/markdown.js';

// The reference: the pattern-based check, with the sanitizer's allow-lists as they are written in sanitize.ts.
const TAGS = new Set(
  'a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p pre q s section small span strong sub summary sup table tbody td tfoot th thead tr u ul audio video source'.split(
    ' ',
  ),
);
const ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading'],
  iframe: ['src', 'width', 'height', 'allowfullscreen', 'frameborder'],
  audio: ['src', 'controls', 'preload'],
  video: ['src', 'controls', 'poster', 'preload', 'width', 'height'],
  source: ['src', 'type'],
  td: ['colspan', 'rowspan', 'align'],
  th: ['colspan', 'rowspan', 'align', 'scope'],
  ol: ['start', 'type'],
  code: ['class'],
  pre: ['class'],
};
const URL_ATTRIBUTES = new Set(
  'href src poster srcset data-src cite action formaction background longdesc usemap lowsrc dynsrc ping manifest icon codebase classid archive profile data xlink:href'.split(
    ' ',
  ),
);
const MEDIA = new Set(['img', 'video', 'audio', 'source', 'track', 'iframe', 'embed', 'object', 'picture', 'srcset']);
const VOID = new Set(['br', 'hr', 'img', 'col', 'source', 'track', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*="[^"<>]*")*)\s*\/?>/g;
const ATTRIBUTE = /([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"/g;

function urlAllowed(tag: string, value: string): boolean {
  const url = /^[^&\x00-\x20]*$/.test(value) ? value : decodeHTML(value).replace(/[\x00-\x20]+/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return !/^[/\\]{2}/.test(url);
  return (MEDIA.has(tag) ? ['http', 'https'] : ['http', 'https', 'mailto']).includes(scheme);
}

function tagAllowed(name: string, attributes: string): boolean {
  if (name === 'iframe') return false;
  const allowed = ATTRIBUTES[name] ?? [];
  let src = false;
  for (const [, attr, value] of attributes.matchAll(ATTRIBUTE)) {
    if (!allowed.includes(attr!) || attr === 'srcset') return false;
    if (URL_ATTRIBUTES.has(attr!) && !urlAllowed(name, value!)) return false;
    if (attr === 'class' && !/^language-[\w-]+$/.test(value!)) return false;
    if (attr === 'src' && value !== '') src = true;
  }
  return name !== 'img' || src;
}

function byPattern(html: string): boolean {
  let tags = 0;
  for (const m of html.matchAll(TAG)) {
    tags++;
    const name = m[2]!;
    if (!TAGS.has(name)) return false;
    if (m[1] === '/' ? m[3] !== '' || VOID.has(name) : !tagAllowed(name, m[3]!)) return false;
  }
  let lt = 0;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) lt++;
  return lt === tags;
}

/** Hostile text: huge lines, no newline, CRLF, BOM, lone surrogates, emoji, nested brackets, every kind of space. */
const HOSTILE = [
  'x'.repeat(200_000),
  '\r\n',
  '\r',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '😀',
  '[[a](b)]',
  '((()))',
  ']]>',
  '\u3000',
  '\u00A0',
  '\u2028',
  '\t',
  '\v',
  '\f',
  '&amp;',
  '&#106;',
  '\0',
];

describe('the fast path reads tags as the pattern it replaced', () => {
  it('on tag soup (fast-check, 20,000 texts)', () => {
    const piece = fc.constantFrom(
      '<',
      '</',
      '>',
      '/>',
      ' />',
      '/',
      ' ',
      '  ',
      '\n',
      '\u3000',
      '\uFEFF',
      '\u00A0',
      '=',
      '="',
      '"',
      "'",
      'a',
      'A',
      'p',
      'img',
      'iframe',
      'br',
      'code',
      'video',
      'script',
      'h1',
      'data-x',
      'href',
      'src',
      'srcset',
      'class',
      'title',
      'poster',
      'onclick',
      '="https://a.example/x?y=1&amp;z=2"',
      '="javascript:alert(1)"',
      '="&#106;avascript:x"',
      '="//cdn.example/x"',
      '="mailto:a@b.example"',
      '=""',
      '="language-js"',
      '="x y"',
      '="a<b"',
      '="a>b"',
      '<a href="https://a.example/">',
      '</a>',
      '<img src="https://mmbiz.qpic.cn/x" alt="">',
      '<img src="" alt="">',
      '<p>',
      '</p>',
      '</br>',
      '</p x="1">',
      '<code class="language-ts">',
      '正文',
      ...HOSTILE.slice(1),
    );
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((a) => a.join('')),
        (html) => {
          const expected = byPattern(html);
          seen[expected ? 'accepted' : 'refused']++;
          expect(alreadySanitized(html), JSON.stringify(html)).toBe(expected);
        },
      ),
      { numRuns: 20_000, seed: 5 },
    );
    // Both answers are exercised.
    expect(seen.accepted).toBeGreaterThan(1000);
    expect(seen.refused).toBeGreaterThan(1000);
  });

  it('on what markdown-it writes from hostile markdown', () => {
    const texts = [
      ...HOSTILE.map((h) => `# t\n\n${h} [l](https://a.example/${h}) ![i](https://b.example/i.png "${h}")\n`),
      `${'长'.repeat(100_000)}`,
      'a\r\nb\r\n\r\n* [x]( https://a.example )\r\n* ![](data:image/png;base64,AAAA)\r\n',
      '[a [b] (c)](https://a.example/(x)) [[nested]](//proto.relative) <https://auto.example>',
      '```js\n<script>\n```\n\n    <p>\n\n`<b>`',
      '| a | b |\n|:-:|--:|\n| <i> | 😀 |',
      '[x](javascript:alert(1)) [y](mailto:a@b.example) [z](ftp://h/f)',
    ];
    for (const md of texts) {
      const { html } = markdownItHtml(md);
      expect(alreadySanitized(html), md.slice(0, 80)).toBe(byPattern(html));
    }
  });

  it('on tags that end the text, and attributes without a space between them', () => {
    for (const html of ['<p', '<p>', '</', '<a href="https://x"', '<a href="x"title="y">', '<br/', '<img src="x"/>'])
      expect(alreadySanitized(html), html).toBe(byPattern(html));
  });
});

describe('the tags markdown-it writes, checked as they are written instead of read again', () => {
  it('every renderer rule that writes a tag is checked; `text` escapes its text, raw HTML never takes the fast path', () => {
    const { rendererRules, tagRules } = forTesting;
    const unchecked = rendererRules().filter((r) => !tagRules().includes(r));
    expect(unchecked.sort()).toEqual(['html_block', 'html_inline', 'image', 'text']);
  });

  it('says of each body what the scanner says of its HTML (fast-check, 10,000 texts, hostile ones)', () => {
    const piece = fc.constantFrom(
      ...HOSTILE,
      '[l](https://a.example/x?a=1&b=2 "t\\"q")',
      '[l](//proto.relative/x)',
      '[l](javascript:alert(1))',
      '[l](mailto:a@b.example)',
      '[l](ftp://h/f)',
      '[l](<a b>)',
      '[]()',
      '[l]( )',
      '![i](https://mmbiz.qpic.cn/x.png)',
      '![i](data:image/png;base64,AAAA)',
      '![i](//cdn.example/x.png)',
      '![](<>)',
      '![a [b](c) d](https://x.example/i.png)',
      '![<b>](https://x.example/i.png)',
      '[a [b] (c)](https://a.example/(x))',
      'see https://a.example/x and a@b.example',
      '<https://auto.example>',
      '```js\nx < 1\n```\n',
      '```a"b<c\nx\n```\n',
      '```\n<p>\n```\n',
      '    code <b>\n',
      '`<b>` ',
      'a  \nb',
      'a\\\nb',
      '| a | b |\n|:-:|--:|\n| 1 | 2 |\n',
      '1. a\n2. b\n',
      '3) x\n',
      '* a\n* b\n',
      '> q\n',
      '# h\n',
      'h\n==\n',
      '***\n',
      '**粗体（注）**后文 ~~s~~ _e_',
      '\n\n',
      '\r\n',
      '😀',
      '\uD800',
      '(()',
      '[a]: https://ref.example\n\n[a]',
    );
    const seen = { kept: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 20 }).map((a) => a.join('')),
        (md) => {
          const { html, raw, kept } = markdownItHtml(md);
          if (raw) return;
          seen[kept ? 'kept' : 'refused']++;
          expect(kept, JSON.stringify(md)).toBe(alreadySanitized(html));
        },
      ),
      { numRuns: 10_000, seed: 31 },
    );
    expect(seen.kept).toBeGreaterThan(1000);
    expect(seen.refused).toBeGreaterThan(500);
  });

  it('a tag told by its parts: the same verdict as the scanner on its text', () => {
    const cases: Array<[string, boolean, Array<[string, string]> | null]> = [
      ['p', false, null],
      ['p', true, null],
      ['br', true, null],
      ['img', false, null],
      [
        'img',
        false,
        [
          ['src', ''],
          ['alt', 'x'],
        ],
      ],
      [
        'img',
        false,
        [
          ['src', 'https://a.example/i.png'],
          ['alt', ''],
        ],
      ],
      ['img', false, [['src', '//a.example/i.png']]],
      ['img', false, [['src', 'data:image/png;base64,AA']]],
      ['a', false, [['href', 'javascript:alert(1)']]],
      ['a', false, [['href', 'java&amp;#x73;cript:x']]],
      [
        'a',
        false,
        [
          ['href', 'https://a.example/?a=1&amp;b=2'],
          ['title', 't&quot;'],
        ],
      ],
      [
        'a',
        false,
        [
          ['href', 'x'],
          ['onclick', 'y'],
        ],
      ],
      ['a', false, [['href', 'a<b']]],
      ['a', false, [['1x', 'a']]],
      ['a', true, [['href', 'x']]],
      ['iframe', false, [['src', 'https://v.qq.com/x']]],
      ['code', false, [['class', 'language-ts']]],
      ['code', false, [['class', 'language-a&quot;b']]],
      ['td', false, [['align', 'left']]],
      ['th', false, [['style', 'text-align:left']]],
      ['ol', false, [['start', '3']]],
      ['script', false, null],
    ];
    for (const [tag, close, attrs] of cases) {
      const text = `<${close ? '/' : ''}${tag}${(attrs ?? []).map(([n, v]) => ` ${n}="${v}"`).join('')}>`;
      expect(writtenTagAllowed(tag, close, attrs), text).toBe(alreadySanitized(text));
    }
  });
});

describe('a URL’s scheme read where it is written plainly', () => {
  it('gives the verdict of the value decoded (fast-check, 20,000 values with entities, spaces and controls)', () => {
    const piece = fc.constantFrom(
      'https:',
      'HTTP:',
      'mailto:',
      'javascript:',
      'java',
      'script:',
      'data:',
      'a.b+c-d:',
      '1x:',
      ':',
      '//',
      '\\\\',
      '/',
      '&#x6A;',
      '&#106;',
      '&colon;',
      '&#58;',
      '&amp;',
      '&Tab;',
      '&NewLine;',
      '&',
      ';',
      ' ',
      '\t',
      '\0',
      '\u3000',
      '\uFEFF',
      '😀',
      'x',
    );
    const seen = { allowed: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 8 }).map((a) => a.join('')),
        fc.constantFrom('a', 'img'),
        (value, tag) => {
          const attr = tag === 'a' ? 'href' : 'src';
          const html = `<${tag} ${attr}="${value.replace(/["<>]/g, '')}">`;
          const expected = byPattern(html);
          seen[expected ? 'allowed' : 'refused']++;
          expect(alreadySanitized(html), JSON.stringify(html)).toBe(expected);
        },
      ),
      { numRuns: 20_000, seed: 43 },
    );
    expect(seen.allowed).toBeGreaterThan(2000);
    expect(seen.refused).toBeGreaterThan(2000);
  });
});
