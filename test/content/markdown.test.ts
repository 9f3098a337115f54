import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { load } from 'cheerio';
import { encode as encodeUrl } from 'mdurl';
import { forTesting, markdownItHtml, renderMarkdown } from '../../src/content/markdown.js';
import { alreadySanitized, sanitizeHtml } from '../../src/content/sanitize.js';
import { parseDump } from '../../src/dumps/parse.js';
import { summaryOf } from '../../src/content/body.js';
import { htmlToText, summarise } from '../../src/content/text.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_DUMPS, SEED } from '../helpers/paths.js';

/** The same HTML however it is spelled: parsed and written back by one serializer. */
const normal = (html: string): string => load(html, null, false).html();
/** Markdown → HTML as markdown-it writes it, not yet sanitized. */
const unsanitizedHtml = (markdown: string): string => markdownItHtml(markdown).html;
/** What the sanitizer alone makes of a markdown text. */
const slow = (markdown: string): string => sanitizeHtml(unsanitizedHtml(markdown));

function dumpMarkdowns(dir: string): string[] {
  return readdirSync(dir)
    .map((f) => parseDump(readFileSync(dir + f), { path: dir + f, mtimeMs: 0 }))
    .flatMap((r) => (r.ok && r.markdown ? [r.markdown] : []));
}

describe('markdown rendering skips the sanitizer only when it would change nothing', () => {
  it('renders the usual constructs; alignment becomes the align attribute the sanitizer keeps', () => {
    const html = renderMarkdown(
      '# 标题\n\n**粗体（注）**后文 [链接](https://a.example/x?a=1&b=2) ![图](https://mmbiz.qpic.cn/a/640?wx_fmt=png)\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```js\nx < 1\n```',
    );
    expect(html).toContain('<strong>粗体（注）</strong>后文');
    expect(html).toContain('<a href="https://a.example/x?a=1&amp;b=2">链接</a>');
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<td align="right">2</td>');
    expect(html).toContain('<code class="language-js">x &lt; 1\n</code>');
    expect(html).not.toContain('style=');
  });

  it('links bare URLs with a scheme, not words that look like domains', () => {
    expect(renderMarkdown('see https://example.com/a, not README.md, x.com or a@b.example')).toBe(
      '<p>see <a href="https://example.com/a">https://example.com/a</a>, not README.md, x.com or a@b.example</p>',
    );
  });

  it('raw HTML, refused schemes and protocol-relative links always go through the sanitizer', () => {
    expect(renderMarkdown('a <script>alert(1)</script> <b onclick="x()">b</b>')).toBe('<p>a  <b>b</b></p>');
    expect(renderMarkdown('[x](javascript:alert(1)) [y](ftp://h/f) [z](//evil.example/p)')).toBe(
      '<p>[x](javascript:alert(1)) <a>y</a> <a>z</a></p>',
    );
    expect(renderMarkdown('![i](javascript:alert(1))')).not.toContain('<img');
    expect(alreadySanitized('<p><a href="ftp://x">y</a></p>')).toBe(false);
    expect(alreadySanitized('<p><a href="https://x" onclick="y">z</a></p>')).toBe(false);
    expect(alreadySanitized('<p><span style="color:red">z</span></p>')).toBe(false);
    expect(alreadySanitized('<p><a href="https://x">y</a> 1 &lt; 2</p>')).toBe(true);
    expect(alreadySanitized('<p>a <!-- c --> b</p>')).toBe(false);
    expect(alreadySanitized('<p><img src="x" onerror=alert(1)></p>')).toBe(false);
    // A scheme hidden by an entity or a control character is read as the sanitizer reads it.
    expect(alreadySanitized('<p><a href="&#106;avascript:x">y</a></p>')).toBe(false);
    expect(alreadySanitized('<p><a href="java&#x09;script:x">y</a></p>')).toBe(false);
    expect(alreadySanitized('<p><a href="&#104;ttps://x">y</a></p>')).toBe(true);
    expect(alreadySanitized('<p><img src="//cdn.example/x.png" alt=""></p>')).toBe(false);
  });

  it('gives what the sanitizer gives, on random markdown (fast-check, 3,000 texts)', () => {
    const piece = fc.constantFrom(
      '# h',
      '**b**',
      '*i*',
      '~~s~~',
      '`c`',
      '\n\n',
      '\n',
      ' ',
      '中文',
      'text',
      '[l](https://x.example/a?b=1&c=2)',
      '[j](javascript:alert(1))',
      '[f](ftp://x/y)',
      '[r](/rel/path)',
      '[p](//proto.rel/x)',
      '[m](mailto:a@b.c)',
      '![i](https://mmbiz.qpic.cn/x/640?wx_fmt=png)',
      '![d](data:image/png;base64,AAAA)',
      '![](  )',
      '![](relative.png)',
      'www.example.com',
      'https://bare.example/x',
      'a@b.example',
      '> quote',
      '- item',
      '1. one',
      '---',
      '\n```py\nprint(1)\n```\n',
      '\n```c++\nx\n```\n',
      '\n| a | b |\n|:-:|--|\n| 1 | 2 |\n',
      '&amp;',
      '&#x6a;',
      '"q"',
      "'",
      '\\*',
      '<',
      '<b>',
      '<script>x</script>',
      '<a href="javascript:x">a</a>',
      '<img src=x onerror=y>',
      '<!-- c -->',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 25 }).map((a) => a.join('')),
        (markdown) => {
          expect(normal(renderMarkdown(markdown))).toBe(normal(slow(markdown)));
        },
      ),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('renders our fixture dumps: the rich one on the checked path, the raw-HTML one sanitized', () => {
    const [rich] = dumpMarkdowns(`${OWN_FIXTURES}dumps/`).filter((m) => m.includes('## 一、背景'));
    const html = renderMarkdown(rich!);
    expect(html).toContain('<strong>漏洞编号（CVE-2025-0001）</strong>影响固件');
    expect(html).toContain('<th align="left">组件</th>');
    expect(html).toContain('<code class="language-python">');
    expect(html).toContain('<a href="https://nvd.nist.gov/vuln/detail/CVE-2025-0001">');
    expect(html).toContain('README.md 与 config.sh 只是文件名');
    expect(html).not.toContain('预览时标签不可点');
    const [raw] = dumpMarkdowns(`${OWN_FIXTURES}dumps/`).filter((m) => m.includes('<script>'));
    const clean = renderMarkdown(raw!);
    for (const bad of ['<script', 'onerror', 'javascript:', 'style=', 'evil.example', '//cdn.example.org'])
      expect(clean).not.toContain(bad);
    expect(clean).toContain('<iframe src="https://v.qq.com/txp/iframe/player.html?vid=abc"');
    expect(clean).toContain('<b>粗体</b>');
    expect(clean).toContain('<a href="/2025/03/other">相对链接</a>');
  });

  it('gives what the sanitizer gives on every fixture dump', () => {
    const own = [...dumpMarkdowns(`${OWN_FIXTURES}dumps/`), ...dumpMarkdowns(SEED.replace(/[^/]*$/, ''))];
    expect(own.length).toBeGreaterThanOrEqual(2);
    const texts = [...own, ...(HAVE_SHARED ? dumpMarkdowns(REAL_DUMPS) : [])];
    if (HAVE_SHARED) expect(texts.length).toBeGreaterThan(10);
    for (const markdown of texts) expect(normal(renderMarkdown(markdown))).toBe(normal(slow(markdown)));
  });
});

describe('summaries', () => {
  it('the summary read from the start of a long body equals the one read from the whole (fast-check, 2,000 bodies)', () => {
    const piece = fc.constantFrom(
      '正文',
      'text ',
      '🎉',
      '&amp;',
      '&lt;b&gt;',
      '<p>',
      '</p>',
      '<a href="https://x.example/a?b=1&amp;c=2">',
      '</a>',
      '<br>',
      '<img src="https://mmbiz.qpic.cn/a/640?wx_fmt=png" alt="图">',
      '\n',
      '  ',
      '<strong>粗</strong>',
      'x'.repeat(300),
      '中'.repeat(200),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 0, maxLength: 120 }).map((a) => a.join('')),
        (html) => {
          expect(summaryOf(html)).toBe(summarise(htmlToText(html)));
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
  });
  it('is cut at 140 characters, never inside a surrogate pair', () => {
    expect(summarise('😀'.repeat(200))).toBe(`${'😀'.repeat(140)}…`);
    expect(summarise('a'.repeat(140))).toBe('a'.repeat(140));
    expect(summaryOf(`<p>${'字'.repeat(5000)}</p>`)).toBe(`${'字'.repeat(140)}…`);
  });
});

describe('the link shortcut for plain ASCII URLs', () => {
  it('gives exactly what markdown-it’s own normalising gives (fast-check, 20,000 URLs)', () => {
    const { normalizeLink, normalizeLinkText, plainUrl, link, text } = forTesting;
    const host = fc.constantFrom('a.b', 'Example.COM', 'x-y.z:80', 'h', 'a..b', '-a.b', '1.2.3.4', 'mp.weixin.qq.com');
    const rest = fc.string({ unit: fc.constantFrom(...'abcXYZ019:/?#[]@!$&\'()*+,;=%-._~\\"<>^`{|}'), maxLength: 30 });
    let plain = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('http://', 'https://'),
        host,
        fc.constantFrom('/', '?', '#'),
        rest,
        (s, h, sep, r) => {
          const url = `${s}${h}${sep}${r}`;
          if (!plainUrl(url)) return;
          plain++;
          expect(link(url)).toBe(normalizeLink(url));
          expect(text(url)).toBe(normalizeLinkText(url));
        },
      ),
      { numRuns: 20_000, seed: 7 },
    );
    expect(plain).toBeGreaterThan(10_000);
    // Not plain: punycode, userinfo, other schemes go the whole way.
    expect(plainUrl('http://xn--fiq228c.com/')).toBe(false);
    expect(plainUrl('http://user@host/')).toBe(false);
    expect(plainUrl('mailto:a@b.c')).toBe(false);
  });
});

describe('a URL encoding keeps as it is', () => {
  it('is what mdurl’s encoding gives (fast-check, 20,000 URLs of every ASCII character, escapes, non-ASCII)', () => {
    const { encoded } = forTesting;
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
    const unit = fc.constantFrom(...ascii, '%41', '%e4%B8%AD', '%', '%4', '%zz', '中', '😀', '\uD800', 'abc/def?');
    let same = 0;
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (url) => {
        const own = encodeUrl(url);
        if (own === url) same++;
        expect(encoded(url), JSON.stringify(url)).toBe(own);
      }),
      { numRuns: 20_000, seed: 37 },
    );
    expect(same).toBeGreaterThan(500);
    for (const url of ['https://mmbiz.qpic.cn/a/640?wx_fmt=png&from=appmsg', 'x%4', 'x%41', 'x%', 'a b', 'a"b'])
      expect(encoded(url)).toBe(encodeUrl(url));
  });
});

describe('the quick test before linkify', () => {
  it('renders exactly what linkify’s own quick test renders (fast-check, 5,000 texts)', () => {
    const { linkifyPretest, usePretest, mayLink } = forTesting;
    const piece = fc.constantFrom(
      'http://example.com/a?b=1',
      'HTTPS://Example.com',
      'ftp://files.example.org/x',
      'mailto:someone@example.com',
      '//cdn.example.com/x.js',
      'someone@example.com',
      'a@b',
      '@name',
      'www.example.com',
      'example.com',
      'note: text',
      '时间：下午',
      '&#58;',
      '&#x3A;//',
      '&commat;',
      'http&#58;//example.com',
      '\\:',
      '<http://example.com>',
      '[link](http://example.com)',
      '![img](https://mmbiz.qpic.cn/x.png)',
      '`http://in.code`',
      '正文',
      ' ',
      '\n',
      '\n\n',
      '* ',
      '> ',
      '# ',
    );
    const ours = (text: string) => mayLink(text);
    try {
      fc.assert(
        fc.property(
          fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 14 }).map((a) => a.join('')),
          (markdown) => {
            usePretest(linkifyPretest);
            const theirs = unsanitizedHtml(markdown);
            usePretest(ours);
            expect(unsanitizedHtml(markdown)).toBe(theirs);
          },
        ),
        { numRuns: 5000, seed: 3 },
      );
    } finally {
      usePretest(ours);
    }
    expect(unsanitizedHtml('see http://example.com')).toContain('<a href="http://example.com">');
    expect(unsanitizedHtml('write to someone@example.com')).toContain('href="mailto:someone@example.com"');
  });
});

describe('linkify’s test of a text token, and the text rule, taken shorter', () => {
  /** Markdown pieces that link, nearly link, or stop a run of text; hostile text among them. */
  const piece = fc.constantFrom(
    'http://example.com/a?b=1',
    'HTTPS://Example.com',
    'hTtP:x',
    'ftp://files.example.org/x',
    'FTP:',
    'mailto:someone@example.com',
    'MAILTO:a@b.c',
    '//cdn.example.com/x.js',
    '/ /',
    'someone@example.com',
    'a@b',
    '@name',
    'note: text',
    '时间：下午',
    'http&#58;//example.com',
    'http\\://example.com',
    '<http://example.com>',
    '[link](http://example.com)',
    '[a [b](c)]',
    '(()',
    '![img](https://mmbiz.qpic.cn/x.png)',
    '`http://in.code`',
    '**粗体（注）**后文',
    '_a_ ~~b~~ *c*',
    '&amp; &#x1F600;',
    '\\*',
    '\r\n',
    '\n',
    '\n\n',
    '\0',
    '\uFEFF',
    '\uD800',
    '\uDFFF',
    '😀',
    '正文'.repeat(40),
    'x'.repeat(300),
    '* ',
    '> ',
    '# ',
    '| a | b |\n|--|--|\n| 1 | 2 |\n',
  );
  const markdown = fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 16 }).map((a) => a.join(''));

  it('looks for every scheme linkify searches (and its e-mail `@`: fuzzy links are off)', () => {
    const { schemeSearch } = forTesting;
    expect(schemeSearch.source.endsWith('(http:|https:|ftp:|\\/\\/|mailto:)')).toBe(true);
    expect(schemeSearch.flags).toBe('i');
  });

  it('renders exactly what linkify’s own test renders (fast-check, 5,000 texts)', () => {
    const { linkifyTest, useLinkifyTest, linkSign } = forTesting;
    try {
      fc.assert(
        fc.property(markdown, (md) => {
          useLinkifyTest(linkifyTest);
          const theirs = unsanitizedHtml(md);
          useLinkifyTest(linkSign);
          expect(unsanitizedHtml(md)).toBe(theirs);
        }),
        { numRuns: 5000, seed: 23 },
      );
    } finally {
      useLinkifyTest(linkSign);
    }
    expect(unsanitizedHtml('see HTTP://example.com and a@b.cn')).toContain('href="mailto:a@b.cn"');
  });

  it('renders exactly what markdown-it’s own text rule renders (fast-check, 5,000 texts)', () => {
    const { ownText, textRun, useTextRule } = forTesting;
    expect(ownText.name).toBe('text');
    try {
      fc.assert(
        fc.property(markdown, (md) => {
          useTextRule(ownText);
          const theirs = unsanitizedHtml(md);
          useTextRule(textRun);
          expect(unsanitizedHtml(md)).toBe(theirs);
        }),
        { numRuns: 5000, seed: 29 },
      );
      const huge = `${'长'.repeat(200_000)} [a](b) ${'x'.repeat(100_000)}`;
      useTextRule(ownText);
      const theirs = unsanitizedHtml(huge);
      useTextRule(textRun);
      expect(unsanitizedHtml(huge)).toBe(theirs);
    } finally {
      useTextRule(textRun);
    }
  });
});

describe('raw HTML in markdown', () => {
  it('is told by markdown-it’s tokens, not by a `<` anywhere: code and text that show one take the checked path', () => {
    expect(markdownItHtml('`a<b` and a < b, x<y').raw).toBe(false);
    expect(markdownItHtml('```\n<script>x</script>\n```').raw).toBe(false);
    expect(markdownItHtml('<http://example.com/a>').raw).toBe(false);
    expect(markdownItHtml('text <span>x</span>').raw).toBe(true);
    expect(markdownItHtml('<div>\nx\n</div>').raw).toBe(true);
    expect(markdownItHtml('a <!-- c --> b').raw).toBe(true);
    // The checked path keeps markdown-it's own tags as they are (the sanitizer would write `<img … />`).
    const md = '`if (a < b)` ![i](https://mmbiz.qpic.cn/x.png)';
    expect(renderMarkdown(md)).toBe(unsanitizedHtml(md).trim());
    expect(renderMarkdown(md)).toContain('<img src="https://mmbiz.qpic.cn/x.png" alt="i">');
    // Raw HTML still goes through the sanitizer.
    expect(renderMarkdown('x <img src=x onerror=alert(1)> <script>y</script>')).not.toMatch(/onerror|<script/);
  });
});

describe('markdown-it’s own steps, taken shorter', () => {
  /** Hostile text: huge lines, no newline, CRLF, BOM, lone surrogates, emoji, nested brackets, NUL. */
  const hostile = fc.constantFrom(
    '\r\n',
    '\r',
    '\n',
    '\0',
    '\uFEFF',
    '\uD800',
    '\uDFFF',
    '😀',
    '[a [b](c)]',
    '(()',
    ' ',
    '\u3000',
    'İ',
    'Σ',
    'x'.repeat(70),
    'data:',
    'DATA:image/png;',
    'data:image/svg+xml,',
    'javascript:',
    'JavaScript:',
    'vbscript:',
    'file:',
    'https://a.example/',
  );
  const text = fc.array(fc.oneof(hostile, fc.string({ maxLength: 5 })), { maxLength: 30 }).map((a) => a.join(''));

  it('the link check reads a long URL’s start only, and answers as markdown-it’s (fast-check, 20,000 URLs)', () => {
    const { validateLink, linkValid } = forTesting;
    let refused = 0;
    fc.assert(
      fc.property(text, (url) => {
        const theirs = validateLink(url);
        if (!theirs) refused++;
        expect(linkValid(url), JSON.stringify(url)).toBe(theirs);
      }),
      { numRuns: 20_000, seed: 13 },
    );
    expect(refused).toBeGreaterThan(500);
    const long = `data:image/svg+xml;base64,${'A'.repeat(1_000_000)}`;
    expect(linkValid(long)).toBe(false);
    expect(linkValid(`   ${' '.repeat(100)}data:image/png;base64,${'A'.repeat(100)}`)).toBe(true);
    expect(linkValid(`data:${' '.repeat(100)}x`)).toBe(validateLink(`data:${' '.repeat(100)}x`));
  });

  it('normalizing gives markdown-it’s text: line endings as \\n, NUL as U+FFFD (fast-check, 5,000 texts)', () => {
    const { normalized } = forTesting;
    fc.assert(
      fc.property(text, (t) => {
        expect(normalized(t, false)).toBe(normalized(t, true));
      }),
      { numRuns: 5000, seed: 17 },
    );
    const crlf = `# a\r\n\r\n* b\r* c\0\r\n${'长'.repeat(100_000)}`;
    expect(normalized(crlf, false)).toBe(normalized(crlf, true));
    expect(markdownItHtml(crlf).html).toBe(markdownItHtml(crlf.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD')).html);
  });

  it('a summary read from the first 1,024 characters equals the one read from the whole (fast-check, 2,000 bodies)', () => {
    const piece = fc.constantFrom(
      '<p>',
      '</p>',
      '<a href="https://x.example/?a=1&amp;b=2">',
      '</a>',
      '&amp;',
      '&lt;',
      '&copy',
      '&#x1F600;',
      '😀',
      '\uD800',
      '\uFEFF',
      '\r\n',
      '[',
      ']',
      '(',
      ')',
      ' ',
      '中'.repeat(37),
      'x'.repeat(61),
      `<img src="https://mmbiz.qpic.cn/${'a'.repeat(150)}" alt="">`,
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 10, maxLength: 80 }).map((a) => a.join('')),
        (html) => {
          expect(summaryOf(html)).toBe(summarise(htmlToText(html)));
        },
      ),
      { numRuns: 2000, seed: 19 },
    );
  });
});
