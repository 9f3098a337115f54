import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/dumps/frontmatter.js';
import { parseDump } from '../../src/dumps/parse.js';
import {
  articleSpan,
  dumpBlocks,
  forTesting,
  HEAD_LINES,
  keptWeight,
  learnTemplate,
  lineSpans,
  MIN_DUMPS,
  NOT_TEMPLATE,
  pageLines,
  readWithTemplate,
  SHARE,
  stripTemplate,
  TAIL_LINES,
  type Template,
  templateGroup,
  templateId,
  TITLE_LINE,
  visibleAtLeast,
} from '../../src/dumps/templates.js';
import { mentionsNotice, visibleLength } from '../../src/dumps/classify.js';
import { ARTICLES, escapedWechatUrl, RELAYED_CAPTCHA, relayDump, siteDump, wallDump } from '../helpers/site-chrome.js';

const { fingerprint } = forTesting;

const parts = (text: string) => {
  const fm = splitFrontMatter(text);
  if (!fm.ok) throw new Error(fm.reason);
  return { body: fm.value.body, title: fm.value.fields.get('title') ?? '', url: fm.value.fields.get('url') };
};
const blocksOf = (text: string) => {
  const p = parts(text);
  return dumpBlocks('g', p.body, p.title);
};
const learn = (texts: string[]) => learnTemplate(texts.map(blocksOf));
const strip = (text: string, t: Template) => {
  const p = parts(text);
  return stripTemplate(p.body, p.title, t).body;
};
const parse = (text: string, template?: Template) => {
  const r = parseDump(Buffer.from(text), { path: '/d/x.md', mtimeMs: 0 }, template);
  if (!r.ok) throw new Error(r.reason);
  return r;
};

const SITE = Array.from({ length: 8 }, (_, n) => siteDump(n));

describe('template groups', () => {
  it('are the source and the host (www. dropped); none for WeChat or without a web URL', () => {
    expect(templateGroup('Blog', 'https://www.Example.org/a')).toBe('Blog\nexample.org');
    expect(templateGroup('Blog', 'http://example.org/b?x=1')).toBe('Blog\nexample.org');
    expect(templateGroup('号', 'https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=abc')).toBeUndefined();
    expect(templateGroup('x', undefined)).toBeUndefined();
    expect(templateGroup('x', 'not a url')).toBeUndefined();
    expect(templateGroup('x', 'ftp://example.org/file')).toBeUndefined();
  });
});

describe('the blocks of a body', () => {
  /** The blocks as first written: visibleLength, fingerprint and mentionsNotice apart, per line and over the body. */
  const LONG_LINE = 400;
  const SMALL_TEXT = 600;
  const markless = (text: string): string => text.replace(/[\s\\#*_`>[\]]+/g, '');
  const reference = (body: string, title: string) => {
    const { starts, ends } = lineSpans(body);
    const lines = starts.length;
    const whole = lines <= HEAD_LINES + TAIL_LINES;
    const middle = whole
      ? 0
      : Math.min(visibleLength(body, SMALL_TEXT, starts[HEAD_LINES], ends[lines - TAIL_LINES - 1]), SMALL_TEXT + 1);
    const notice = middle <= SMALL_TEXT && mentionsNotice(body);
    const squashed = markless(title);
    const probe = /[\p{L}\p{N}]{1,3}/u.exec(title)?.[0] ?? '';
    const prints: number[] = [];
    const weights: number[] = [];
    for (let k = 0; k < (whole ? lines : HEAD_LINES + TAIL_LINES); k++) {
      const li = k < HEAD_LINES || whole ? k : lines - TAIL_LINES + (k - HEAD_LINES);
      const line = body.slice(starts[li], ends[li]);
      const visible = visibleLength(line, LONG_LINE);
      weights.push(Math.min(visible, 255));
      const seen = markless(line.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\]\([^)]*\)/g, ''));
      if (squashed !== '' && visible >= squashed.length && visible <= 2 * squashed.length + 8 && line.includes(probe))
        if (seen === squashed) {
          prints.push(TITLE_LINE);
          continue;
        }
      if (visible > LONG_LINE || (notice && mentionsNotice(line))) prints.push(NOT_TEMPLATE);
      else prints.push(fingerprint(line, 0, line.length));
    }
    return { lines, prints, weights, middle, notice };
  };

  it('are what reading each line apart gives (fast-check: notices anywhere, titles, long lines, long bodies)', () => {
    // The second title holds a notice phrase: a title line stays one in a dump that mentions a notice.
    for (const title of ['漏洞 通告 CVE-2024', '环境异常 通告']) readsAsApart(title);
  });

  const readsAsApart = (title: string): void => {
    const piece = fc.oneof(
      fc.constantFrom('导航', '首页 | 关于', '12 34', '![logo](/a.png)', '[链接](https://x.org/该内容已被发布者删除)'),
      fc.constantFrom('该内容已被发布者删除', 'THIS LINK HAS EXPIRED', 'this content has been restricted', '环境异常'),
      fc.constantFrom(`# ${title}`, title, `**${title}**`, '[漏洞通告](https://x.org/a) CVE-2024', '# 环境异常 通告'),
      fc.constantFrom('正文'.repeat(150), `${'正文'.repeat(199)}链接已过期`, `[${'a b '.repeat(120)}](x) 去验证`),
      fc.constantFrom(' ', '\t', '\u3000', '[', ']', '(', ')', '!', '😀', '\ud800'),
    );
    const line = fc.array(piece, { maxLength: 4 }).map((a) => a.join(''));
    const body = fc
      .tuple(fc.array(line, { maxLength: 40 }), fc.nat(300), fc.array(line, { maxLength: 8 }))
      .map(([head, filler, tail]) =>
        [...head, ...Array.from({ length: filler }, (_, n) => `段落 ${n}`), ...tail].join('\n'),
      );
    let notices = 0;
    fc.assert(
      fc.property(body, (text) => {
        const got = dumpBlocks('g', text, title);
        const want = reference(text, title);
        expect({
          ...got,
          prints: [...got.prints],
          weights: [...got.weights],
          group: undefined,
          cut: undefined,
        }).toEqual({
          ...want,
          group: undefined,
          cut: undefined,
        });
        if (want.notice) notices++;
      }),
      { numRuns: 300, seed: 5 },
    );
    expect(notices).toBeGreaterThan(50);
  };
});

describe('the visible length a run of lines reaches, from their counts', () => {
  it('is never more than visibleLength of the run alone, and the same when no line is long or open (fast-check)', () => {
    const piece = fc.constantFrom(
      '正文',
      '字'.repeat(450),
      ' ',
      '\t',
      '',
      '![',
      '](',
      ']',
      ')',
      '(',
      '![图](a.png)',
      '[链接](https://x.org/)',
      '!',
      '**',
      '😀',
      '\ud800',
    );
    const line = fc.array(piece, { maxLength: 5 }).map((a) => a.join(''));
    let exact = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.nat(30), fc.nat(30), (lines, x, y) => {
        const body = lines.join('\n');
        // A run of whole lines, as stripChrome keeps one.
        const lineStarts = [0];
        for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) lineStarts.push(i + 1);
        const a = Math.min(x, y, lines.length - 1);
        const b = Math.min(Math.max(x, y), lines.length - 1);
        if (a < 0) return;
        const from = lineStarts[a]!;
        const to = lineStarts[b]! + lines[b]!.length;
        const page = pageLines(body, '');
        const known = visibleAtLeast(page, from, to);
        const counted = visibleLength(body.slice(from, to));
        expect(known).toBeLessThanOrEqual(counted);
        const plain = lines.slice(a, b + 1).every((l) => visibleLength(l) <= 400 && !/!\[|\]\(/.test(l));
        if (plain && page.lines <= HEAD_LINES + TAIL_LINES) {
          expect(known).toBe(counted);
          exact++;
        }
      }),
      { numRuns: 5000, seed: 3 },
    );
    expect(exact).toBeGreaterThan(500);
  });
});

describe('learning a template', () => {
  it('takes the lines that open or close more than half of the dumps', () => {
    const t = learn(SITE)!;
    const body = parts(SITE[0]!).body;
    const { starts, ends } = lineSpans(body);
    const b = blocksOf(SITE[0]!);
    const inTemplate = (text: string) => {
      const i = starts.findIndex((s, k) => body.slice(s, ends[k]) === text);
      return t.prints.includes(b.prints[i]!);
    };
    for (const nav of ['* [Home](/)', 'Search', '© 2024 Example Security News. All rights reserved.'])
      expect(inTemplate(nav)).toBe(true);
    // Share links carry each page's own address: the same line to a reader, the same fingerprint.
    expect(
      inTemplate(
        'Share this: [Twitter](https://twitter.example/share?u=https://news.example/2024/07/story-1.html) [Facebook](https://facebook.example/share?u=https://news.example/2024/07/story-1.html) [Copy link](https://news.example/2024/07/story-1.html)',
      ),
    ).toBe(true);
    // Dates and counters are read as one 0; the author line differs by author.
    expect(inTemplate('Posted on July 10, 2024 by [alice](/author/alice/)')).toBe(false);
    expect(inTemplate(ARTICLES[0]!.split('\n')[0]!)).toBe(false);
  });

  it('needs MIN_DUMPS dumps', () => {
    expect(learn(SITE.slice(0, MIN_DUMPS - 1))).toBeUndefined();
    expect(learn(SITE.slice(0, MIN_DUMPS))).toBeDefined();
  });

  it('does not depend on the order the dumps came in', () => {
    const a = learn(SITE)!;
    const b = learn([...SITE].reverse())!;
    expect(b).toEqual(a);
    expect(templateId(a)).toBe(templateId(b));
    expect(templateId(undefined)).toBe('');
  });

  it('learns the closing only from dumps the dumper did not cut', () => {
    const cut = (n: number) => {
      const text = siteDump(n, { article: `${'A long paragraph of the article. '.repeat(250)}` });
      return `${text.slice(0, text.indexOf('Share this'))}...`;
    };
    const footer = '© 2024 Example Security News. All rights reserved.';
    // Six cut dumps and four whole ones: the footer closes every dump that has an end.
    const t = learn([...Array.from({ length: 6 }, (_, n) => cut(n)), ...SITE.slice(0, 4)])!;
    const stripped = strip(SITE[5]!, t);
    expect(stripped).not.toContain(footer);
  });
});

describe('learning a template, counted in slots', () => {
  /** The plain way it was first written: a Set per dump, a Map of counts per window. */
  const reference = (dumps: Array<{ lines: number; prints: Uint32Array; cut: boolean }>): number[] | undefined => {
    const count = (counts: Map<number, number>, prints: Uint32Array, from: number) => {
      const seen = new Set<number>();
      for (let i = from; i < prints.length; i++) {
        const p = prints[i]!;
        if (p === NOT_TEMPLATE || p === TITLE_LINE || seen.has(p)) continue;
        seen.add(p);
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
    };
    const anywhere = new Map<number, number>();
    const closing = new Map<number, number>();
    let closed = 0;
    for (const d of dumps) {
      count(anywhere, d.prints, 0);
      if (d.cut) continue;
      closed++;
      count(closing, d.prints, Math.max(0, d.prints.length - TAIL_LINES));
    }
    const frequent = new Set<number>();
    for (const [counts, of] of [
      [anywhere, dumps.length],
      [closing, closed],
    ] as const)
      if (of >= MIN_DUMPS) for (const [p, c] of counts) if (c > of * SHARE) frequent.add(p);
    return frequent.size > 0 ? [...frequent].sort((a, b) => a - b) : undefined;
  };

  it('learns what counting with a Set per dump learns (fast-check: repeats, title lines, cut dumps, 3,000 slots)', () => {
    // Few distinct fingerprints (so many repeat across dumps and within one), plus the two reserved values.
    const print = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 2, max: 12 }) },
      { weight: 1, arbitrary: fc.constantFrom(NOT_TEMPLATE, TITLE_LINE) },
      { weight: 1, arbitrary: fc.integer({ min: 2, max: 3000 }) },
    );
    const dump = fc
      .record({ prints: fc.array(print, { maxLength: HEAD_LINES + TAIL_LINES }), cut: fc.boolean() })
      .map(({ prints, cut }) => ({ lines: prints.length, prints: Uint32Array.from(prints), cut }));
    fc.assert(
      fc.property(fc.array(dump, { maxLength: 12 }), (dumps) => {
        expect(learnTemplate(dumps)?.prints).toEqual(reference(dumps));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps its counts when it grows past thousands of fingerprints', () => {
    // Six dumps share 3,000 fingerprints (and a closing line each); each also holds 1,500 of its own.
    const dumps = Array.from({ length: 6 }, (_, d) => {
      const prints = Uint32Array.from({ length: 4501 }, (_, i) =>
        i < 3000 ? 2 + i * 7919 : i < 4500 ? 100_000_000 + d * 10_000 + i : 99,
      );
      return { lines: prints.length, prints, cut: d === 5 };
    });
    const learned = learnTemplate(dumps)?.prints;
    expect(learned).toEqual(reference(dumps));
    expect(learned).toHaveLength(3001);
  });
});

describe('stripping a template', () => {
  const t = learn(SITE)!;

  it('keeps the article, from its first line to its last, and drops the navigation and the footer', () => {
    for (const [n, text] of SITE.entries()) {
      const s = strip(text, t);
      const article = ARTICLES[n]!;
      expect(s).toContain(article.split('\n')[0]!);
      expect(s.endsWith(article.split('\n').at(-1)!)).toBe(true);
      for (const chrome of ['[Home](/)', 'Subscribe to our newsletter', 'Share this', 'Popular this week', '© 2024'])
        expect(s).not.toContain(chrome);
      // The repeated title goes; the byline right above the article stays with it.
      expect(s).not.toContain('Example story number');
      expect(s.startsWith('Posted on July')).toBe(true);
    }
  });

  it('keeps a short article whole, and an article a template line cuts in two', () => {
    const short = siteDump(3, { article: 'Patched.' });
    expect(strip(short, t)).toBe('Posted on July 13, 2024 by [alice](/author/alice/)\n\nPatched.');
    const ruled = siteDump(4, {
      article: `${ARTICLES[1]}\n\nSearch\n\n${'The second half of the article, after a line that is also the template’s. '.repeat(5)}`,
    });
    const s = strip(ruled, t);
    expect(s).toContain(ARTICLES[1]!.split('\n')[0]!);
    expect(s).toContain('The second half of the article');
  });

  it('leaves nothing of a page that is all template', () => {
    const walls = Array.from({ length: 5 }, (_, n) => wallDump(n));
    const wt = learn(walls)!;
    expect(strip(walls[0]!, wt)).toBe('');
    expect(parse(walls[0]!, wt).observation.state).toBe('shell');
    // Without the template, the wall reads as a (short) article.
    expect(parse(walls[0]!).observation.state).toBe('full');
  });

  it('an estimate from the stored blocks never counts more text than the stripped body has', () => {
    const texts = [...SITE, siteDump(2, { article: 'Short.' }), siteDump(6, { article: ARTICLES.join('\n\n') })];
    for (const text of texts) {
      const b = blocksOf(text);
      expect(keptWeight(b, t)).toBeLessThanOrEqual(visibleLength(strip(text, t)));
      const p = parts(text);
      const { starts } = lineSpans(p.body);
      expect(
        articleSpan({ lines: b.lines, print: (i) => b.prints[i]!, weight: (i) => b.weights[i]!, middle: 0 }, t).to,
      ).toBeLessThanOrEqual(starts.length);
    }
    expect(readWithTemplate(blocksOf(siteDump(2, { article: 'Short.' })), t)).toBe(true);
    expect(readWithTemplate(blocksOf(SITE[0]!), t)).toBe(false);
  });

  it('reads the same for dumps longer than its windows (the middle is never template)', () => {
    const long = siteDump(1, {
      article: Array.from({ length: 300 }, (_, i) => `Paragraph ${i} of a long report.`).join('\n\n'),
    });
    const s = strip(long, t);
    expect(s.startsWith('Posted on July 11, 2024 by [bob](/author/bob/)\n\nParagraph 0 of a long report.')).toBe(true);
    expect(s.endsWith('Paragraph 299 of a long report.')).toBe(true);
    expect(keptWeight(blocksOf(long), t)).toBeGreaterThan(600);
  });
});

describe('an aggregator relaying other pages', () => {
  const ORIGINAL = escapedWechatUrl('MzAwMDAwMDAwMQ==', 2650000009, 'feedfacefeedfacefeedfacefeedface');
  const pages = Array.from({ length: 6 }, (_, n) => relayDump(n));
  const t = learn(pages)!;

  it('keeps the article and the line naming its source; drops navigation, excerpt, date and reads', () => {
    const s = strip(pages[2]!, t);
    expect(s.startsWith(ARTICLES[5]!.split('\n')[0]!)).toBe(true);
    expect(s).toContain('文章来源: https://charlie.example/posts/ioctl-fuzzing.html');
    for (const chrome of ['我的收藏', '夜间模式', '阅读量', '如有侵权', '友情链接']) expect(s).not.toContain(chrome);
  });

  it('a WeChat captcha page it relays is a captcha, even when most of its pages relay one', () => {
    const captcha = relayDump(7, {
      article: RELAYED_CAPTCHA,
      excerpt: '环境异常 当前环境异常，完成验证后即可继续访问。 去验证',
      original: ORIGINAL,
    });
    expect(parse(captcha).observation.state).toBe('full'); // the page around it is text
    const r = parse(captcha, t);
    expect(r.observation.state).toBe('captcha');
    const mostly = learn([
      ...Array.from({ length: 5 }, (_, n) => relayDump(10 + n, { article: RELAYED_CAPTCHA })),
      ...pages.slice(0, 2),
    ])!;
    expect(parse(captcha, mostly).observation.state).toBe('captcha');
    expect(readWithTemplate(blocksOf(captcha), t)).toBe(true);
  });

  it('a page naming its WeChat original is that article, by sn, and stays its source’s', () => {
    const r = parse(relayDump(3, { original: ORIGINAL }));
    expect(r.observation.key).toBe('sn:feedfacefeedfacefeedfacefeedface');
    expect(r.observation.link).toBe(
      'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000009&idx=1&sn=feedfacefeedfacefeedfacefeedface',
    );
    expect(r.observation.source).toBe('中转站 - 安全文摘');
    expect(r.observation.ref.biz).toBeUndefined();
    expect(r.observation.ref.sn).toBe('feedfacefeedfacefeedfacefeedface');
    expect(r.observation.blocks?.group).toBe('中转站 - 安全文摘\nrelay.example');
  });

  it('joins no article for two different originals, a short link, another site, or a WeChat dump', () => {
    const two = relayDump(4, {
      original: ORIGINAL,
      article: `${ARTICLES[0]}\n\n原文链接: https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMg==&mid=1&idx=1&sn=0000111122223333444455556666aaaa`,
    });
    expect(parse(two).observation.key).toBe('url:https://relay.example/go-200004.html');
    expect(parse(relayDump(5, { original: 'https://mp.weixin.qq.com/s/AbCdEfGh123' })).observation.key).toMatch(
      /^url:/,
    );
    expect(parse(relayDump(6)).observation.key).toBe('url:https://relay.example/go-200006.html');
    const wechat = `---\ntitle: T\nurl: https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMw==&mid=5&idx=1&sn=aaaabbbbccccddddeeeeffff00002222\nsource: 号\n---\n\n# T\n\n正文。\n\n文章来源: ${ORIGINAL}\n`;
    expect(parse(wechat).observation.key).toBe('sn:aaaabbbbccccddddeeeeffff00002222');
    expect(parse(wechat).observation.blocks).toBeUndefined();
  });
});
