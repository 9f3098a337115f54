import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { parseDump, decodeDump } from '../../src/dumps/parse.js';
import { stripChrome } from '../../src/dumps/chrome.js';
import { dump } from '../helpers/tmp.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_DUMPS, SEED } from '../helpers/paths.js';
import type { Observation } from '../../src/types.js';
import { observationAsFeedArticle } from '../helpers/articles.js';
import { markdownHtml } from '../../src/content/markdown.js';

const UI_TAIL = readFileSync(`${OWN_FIXTURES}dumps/uitail.txt`, 'utf8');
const URL =
  'https://mp.weixin.qq.com/s?__biz=MzA3NzE2MjgwMg==&mid=2448903001&idx=2&sn=0123456789abcdef0123456789abcdef&chksm=1&scene=58#rd';
const _CANON =
  'https://mp.weixin.qq.com/s?__biz=MzA3NzE2MjgwMg==&mid=2448903001&idx=2&sn=0123456789abcdef0123456789abcdef';

/** A parsed dump as a feed shows it: the body rendered, the summary taken from it. */
type Shown = Observation & { contentHtml: string };

function parse(text: string | Uint8Array, path = '/d/x.md', mtimeMs = Date.UTC(2025, 0, 2, 3, 4, 5)): Shown {
  const r = parseDump(typeof text === 'string' ? Buffer.from(text) : text, { path, mtimeMs });
  if (!r.ok) throw new Error(r.reason);
  return shown(r.observation, r.markdown);
}

function shown(a: Observation, markdown: string): Shown {
  const f = observationAsFeedArticle(a, markdownHtml(markdown));
  return { ...a, contentHtml: f.contentHtml, summary: f.summary };
}

function parseRaw(text: string | Uint8Array, path = '/d/x.md', mtimeMs = Date.UTC(2025, 0, 2, 3, 4, 5)): Observation {
  const r = parseDump(typeof text === 'string' ? Buffer.from(text) : text, { path, mtimeMs });
  if (!r.ok) throw new Error(r.reason);
  return r.observation;
}

function fullDump(title: string, account: string, body: string, extra: Record<string, string> = {}): string {
  return dump(
    { title, url: URL, source: account, date: '2024-07-12', fetch_date: '2025-10-06T17:44:32.464154', ...extra },
    `# ${title}\n\n![cover_image](https://mmbiz.qpic.cn/mmbiz_jpg/cover/0?wx_fmt=jpeg)\n\n# ${title}\n\n原创\n\n作者甲\n\n${account}\n\n${body}\n\n${UI_TAIL.replace('{ACCOUNT}', account)}`,
  );
}

describe('the seed dump', () => {
  const a = parse(readFileSync(SEED), SEED);
  it('reads identity, title, source and date (00:00 in Shanghai)', () => {
    expect(a.key).toBe('sn:f1e158dc91284eb64c5daebc25ee1b5a');
    expect(a.id).toBe(
      'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516897&idx=1&sn=f1e158dc91284eb64c5daebc25ee1b5a',
    );
    expect(a.title).toBe('小米获 NVDB “2023年度漏洞管理实践先进企业” 荣誉');
    expect(a.source).toBe('小米安全中心');
    expect(new Date(a.date).toISOString()).toBe('2024-07-11T16:00:00.000Z');
    expect(a.datePrecision).toBe('day');
    expect(a.state).toBe('full');
    expect(a.cover).toBe(
      'https://mmbiz.qpic.cn/mmbiz_jpg/zabS4D3Aq5ibdDl8kBr0icAsYndyQR2aoibk8k3gicRU4pH5WicqVDVbnl6KJ8hicMHDbP8ZN9fhcGrqhG4H4icLUeSiaw/0?wx_fmt=jpeg',
    );
  });
  it('removes the page chrome and nothing else', () => {
    expect(
      a.contentHtml.startsWith(
        '<p><img src="https://mmbiz.qpic.cn/mmbiz_png/zabS4D3Aq5ibdDl8kBr0icAsYndyQR2aoibu7w34uPUAFZrvGzhVvSBLIGEuUA2rqHRNSxZ4AacHSiaKyq3H99GnSA/640?wx_fmt=png&amp;from=appmsg"',
      ),
    ).toBe(true);
    for (const ui of [
      '预览时标签不可点',
      '微信扫一扫',
      '继续滑动看下一个',
      '轻触阅读原文',
      '知道了',
      '使用完整服务',
      '听过',
      '分析',
      'cover_image',
      '作者头像',
    ]) {
      expect(a.contentHtml).not.toContain(ui);
    }
    expect(a.contentHtml).not.toContain('<h1');
    // The last real paragraph and the image after it stay.
    expect(a.contentHtml).toContain('共同保障国家网络安全。');
    expect(a.contentHtml).toContain('wx_fmt=other');
    // Bold next to CJK punctuation renders (CommonMark alone leaves the asterisks).
    expect(a.contentHtml).toContain('<strong>工业和信息化部网络安全威胁和漏洞信息共享平台（NVDB）</strong>对2023年度');
    expect(a.contentHtml).not.toContain('**');
  });
  it('summarises the first ~140 characters of text', () => {
    expect(Array.from(a.summary).length).toBe(141);
    expect(a.summary.startsWith('近日，工业和信息化部网络安全威胁和漏洞信息共享平台（NVDB）对2023年度')).toBe(true);
    expect(a.summary.endsWith('…')).toBe(true);
  });
});

describe('dump states', () => {
  const short = (body: string) =>
    parse(dump({ title: 'T', url: URL, source: 'S', date: '2024-05-12' }, `# T\n\n${body}`));
  it('empty shell: only UI text', () => {
    const a = short('：\n，\n。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看');
    expect(a.state).toBe('shell');
    expect(a.contentHtml).toBe('');
    expect(a.title).toBe('T');
    expect(a.key).toBe('sn:0123456789abcdef0123456789abcdef');
  });
  it('captcha page', () => {
    expect(short('## 环境异常\n\n当前环境异常，完成验证后即可继续访问。\n\n去验证\n\n：\n，\n。\n\n视频').state).toBe(
      'captcha',
    );
  });
  it('deleted, in Chinese and in English', () => {
    expect(
      short(
        '该内容已被发布者删除\n\n[微信公众平台运营中心](https://mp.weixin.qq.com/webpoc/ruleCenter?type=oa)\n\n：\n。',
      ).state,
    ).toBe('deleted');
    expect(short('The content has been deleted by the author.\n\n：\n。').state).toBe('deleted');
  });
  it('blocked: violation, failed to send, infringement', () => {
    expect(short('## 此内容因违规无法查看\n\n接相关投诉，此内容违反《互联网用户公众账号信息服务管理规定》').state).toBe(
      'blocked',
    );
    expect(short('此内容发送失败无法查看').state).toBe('blocked');
    expect(short('该内容被投诉且经审核涉嫌侵权，无法查看。').state).toBe('blocked');
  });
  it('migrated and expired', () => {
    expect(short('## 该公众号已迁移\n\n该公众号已迁移至新的账号，原账号已回收。\n\n访问文章').state).toBe('migrated');
    expect(short('链接已过期').state).toBe('expired');
  });
  it('a long article that mentions a notice phrase is still the article', () => {
    const body = `${'正文内容，讨论验证码与环境异常的处理。'.repeat(40)}\n\n${UI_TAIL.replace('{ACCOUNT}', 'S')}`;
    expect(short(body).state).toBe('full');
  });
  it('cut at about 8,000 characters, ending in ...', () => {
    const body = `${'这是一段很长的正文。'.repeat(790)}...`;
    const a = short(body);
    expect(a.state).toBe('truncated');
    expect(a.contentHtml.length).toBeGreaterThan(7000);
  });
  it('cut right after a line break: "..." on a line of its own', () => {
    expect(short(`${'这是一段很长的正文。'.repeat(790)}\n\n...`).state).toBe('truncated');
  });
  it('a short full article ending in ... is not cut', () => {
    expect(short(`正文就这么多...\n\n${UI_TAIL.replace('{ACCOUNT}', 'S')}`).state).toBe('full');
  });
});

describe('chrome removal', () => {
  it('byline through the account name; the article starts after it', () => {
    const a = parse(fullDump('标题', '某某安全', '第一段正文。\n\n第二段正文。'));
    expect(a.contentHtml).toBe('<p>第一段正文。</p>\n<p>第二段正文。</p>');
    expect(a.cover).toBe('https://mmbiz.qpic.cn/mmbiz_jpg/cover/0?wx_fmt=jpeg');
  });
  it('an aggregator source: 原创 and the two name lines go, the text stays', () => {
    const text = `# T\n\n![cover_image](https://x/0?wx_fmt=jpeg)\n\n# T\n\n原创\n\n作者\n\n账号名\n\n正文第一段，有标点。\n`;
    expect(stripChrome(text, 'T', ["Doonsec's feed"]).body).toBe('正文第一段，有标点。');
  });
  it('the repost card stays (it is not the account-name line)', () => {
    const text = `# T\n\n# T\n\n中国信息安全\n\n以下文章来源于CAICT\n\n，作者某\n\n正文。`;
    expect(stripChrome(text, 'T', ['中国信息安全']).body).toBe('以下文章来源于CAICT\n\n，作者某\n\n正文。');
  });
  it('titles that differ in spacing still match', () => {
    const text = `# 安全  牛览\n\n# 安全 牛览\n\n安全牛\n\n正文。`;
    expect(stripChrome(text, '安全  牛览', ['安全牛']).body).toBe('正文。');
  });
  it('an article whose text is just a heading and paragraphs keeps its own headings', () => {
    const text = `# Title\n\n## Section\n\nText.`;
    expect(stripChrome(text, 'Title', ['S']).body).toBe('## Section\n\nText.');
  });
});

describe('hostile files', () => {
  it('BOM and CRLF', () => {
    const a = parse(
      `\uFEFF${dump({ title: 'CRLF 标题', url: URL, source: 'S', date: '2024-01-02' }, '正文一。\n\n正文二。').replace(/\n/g, '\r\n')}`,
    );
    expect(a.title).toBe('CRLF 标题');
    expect(a.contentHtml).toBe('<p>正文一。</p>\n<p>正文二。</p>');
  });
  it('missing title falls back to the first heading; missing date to fetch_date, then mtime', () => {
    const a = parse(
      dump({ url: URL, source: 'S', fetch_date: '2025-10-06T17:44:32.464154' }, '# 标题来自正文\n\n内容。'),
    );
    expect(a.title).toBe('标题来自正文');
    expect(new Date(a.date).toISOString()).toBe('2025-10-06T09:44:32.464Z');
    expect(a.datePrecision).toBe('exact');
    const b = parse(dump({ url: URL, source: 'S' }, '内容。'), '/d/只有正文.md', Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(new Date(b.date).toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(b.title).toBe('内容。');
  });
  it('missing url: a hash of the text, or of the path when there is no text; never the title', () => {
    const one = parse(dump({ title: 'Same', source: 'S', date: '2024-01-01' }, '甲的正文。'), '/d/a.md');
    const two = parse(dump({ title: 'Same', source: 'S', date: '2024-01-01' }, '乙的正文。'), '/d/b.md');
    const again = parse(dump({ title: 'Other title', source: 'S', date: '2024-01-01' }, '甲的正文。'), '/d/c.md');
    expect(one.key).toMatch(/^hash:[0-9a-f]{32}$/);
    expect(one.key).not.toBe(two.key);
    expect(again.key).toBe(one.key);
    expect(one.id).toBe(`urn:wxfeed:${one.key}`);
    const e1 = parse(dump({ title: 'Same', source: 'S' }, ''), '/d/e1.md');
    const e2 = parse(dump({ title: 'Same', source: 'S' }, ''), '/d/e2.md');
    expect(e1.key).not.toBe(e2.key);
  });
  it('non-WeChat url: keyed by the normalised URL', () => {
    const a = parse(
      dump(
        { title: 'Blog', url: 'https://Blog.example.com/p/1?utm_source=rss#x', source: 'Blog', date: '2024-01-01' },
        'Hello.',
      ),
    );
    expect(a.key).toBe('url:https://blog.example.com/p/1');
    expect(a.link).toBe('https://blog.example.com/p/1');
    expect(a.state).toBe('full');
  });
  it('short link: keyed by its token', () => {
    const a = parse(
      dump({ title: 'S', url: 'https://mp.weixin.qq.com/s/Xy12_ab-CD', source: 'S', date: '2024-01-01' }, 'Text.'),
    );
    expect(a.key).toBe('short:Xy12_ab-CD');
  });
  it('not dumps: no front matter, empty, binary, invalid UTF-8', () => {
    const reason = (bytes: string | Uint8Array) => {
      const r = parseDump(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, { path: '/d/x', mtimeMs: 0 });
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason('# 每日摘要\n\n- 一\n- 二')).toBe('no front matter');
    expect(reason('')).toBe('empty file');
    expect(reason('  \n\n')).toBe('empty file');
    expect(reason(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toBe('binary file');
    expect(reason(new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x41]))).toBe('invalid UTF-8');
    expect(decodeDump(new Uint8Array(5 * 1024 * 1024 + 1).fill(0x41))).toEqual({ ok: false, reason: 'file over 5 MB' });
  });
  it('decodes every kind of text exactly as toString("utf8") does', () => {
    const texts = [
      '---\ntitle: plain ASCII\n---\nbody [a](b) ![c](d)\n',
      '---\ntitle: café Ünïcode\n---\nLatin-1 only: é ü ß ÿ\n',
      '---\ntitle: 中文标题\n---\n正文，全角　空格\n',
      '---\ntitle: emoji 🎉👩‍👩‍👧\n---\n𝄞 four-byte 😀 text\n',
      '\uFEFF---\ntitle: BOM\n---\nbody\n',
      '---\r\ntitle: CRLF 中\r\n---\r\nline\r\nline\r',
      `---\ntitle: long\n---\n${'中a'.repeat(100_000)}`,
    ];
    for (const t of texts) {
      const bytes = Buffer.from(t, 'utf8');
      let want = bytes.toString('utf8');
      if (want.charCodeAt(0) === 0xfeff) want = want.slice(1);
      want = want.replace(/\r\n?/g, '\n');
      expect(decodeDump(bytes)).toEqual({ ok: true, text: want });
      // A view into a larger buffer decodes its own bytes only.
      const padded = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]);
      expect(decodeDump(padded.subarray(2, 2 + bytes.length))).toEqual({ ok: true, text: want });
    }
  });
  it('decodes what toString decodes: BOM, CRLF, emoji, replaced lone surrogates, bytes that are not UTF-8 (fast-check)', () => {
    const slow = (bytes: Uint8Array) => {
      if (bytes.length === 0 || bytes.subarray(0, 8192).includes(0)) return 'not text';
      if (!isUtf8(bytes)) return { ok: false, reason: 'invalid UTF-8' };
      let text = Buffer.from(bytes).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      text = text.replace(/\r\n?/g, '\n');
      return /\S/.test(text) ? { ok: true, text } : { ok: false, reason: 'empty file' };
    };
    const piece = fc.oneof(
      fc.constantFrom('\ufeff', '\r\n', '\r', '\n', '🎉', '\ud800', '\udc00', '中文', 'a', ' ', '\u0085', '\u2028'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const bytes = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((a) => new Uint8Array(Buffer.from(a.join('')))),
      fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => b.map((x) => x || 0x41)),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const want = slow(b);
        if (want !== 'not text') expect(decodeDump(b)).toEqual(want);
      }),
      { numRuns: 20_000, seed: 9 },
    );
    const big = Buffer.from(`\ufeff${'中文🎉\r\n'.repeat(400_000)}`);
    expect(decodeDump(big)).toEqual(slow(big));
  });
  it('control characters are stripped; <, &, ]]>, emoji and CJK survive', () => {
    const a = parse(
      dump({ title: 'A\u0001B <c> & ]]> 🎉 中文', url: URL, source: 'S', date: '2024-01-01' }, 'x\u0007y'),
    );
    expect(a.title).toBe('AB <c> & ]]> 🎉 中文');
    expect(a.contentHtml).toBe('<p>xy</p>');
  });
  it('script, event handlers and javascript: links are removed from bodies', () => {
    const a = parse(
      dump(
        { title: 'X', url: URL, source: 'S', date: '2024-01-01' },
        '<script>alert(1)</script>\n\n<img src="https://mmbiz.qpic.cn/a/640?wx_fmt=png" onerror="alert(1)">\n\n[click](javascript:alert(1))\n\n<iframe src="https://evil.example/x"></iframe>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\ncode()\n```',
      ),
    );
    expect(a.contentHtml).not.toMatch(/<script|onerror|href="javascript:|evil\.example|<iframe/);
    expect(a.contentHtml).toContain('<p>[click](javascript:alert(1))</p>');
    expect(a.contentHtml).toContain('<img src="https://mmbiz.qpic.cn/a/640?wx_fmt=png" />');
    expect(a.contentHtml).toContain('<table>');
    expect(a.contentHtml).toContain('<code class="language-js">code()');
  });
});

describe.skipIf(!HAVE_SHARED)('real dumps from chainreactors/picker', () => {
  const files = HAVE_SHARED ? readdirSync(REAL_DUMPS).filter((f) => f.endsWith('.md') && f !== 'SOURCES.md') : [];
  const expected: Record<string, string> = {
    full: 'full',
    'full-truncated': 'truncated',
    'full-yaml-unsafe-title': 'full',
    'empty-shell': 'shell',
    captcha: 'captcha',
    deleted: 'deleted',
    violation: 'blocked',
    migrated: 'migrated',
  };
  it.each(files)('%s', (file) => {
    const kind = /__(\d{4}-\d{2}-\d{2})__([a-z-]+)__(\d+)_(\d+)\.md$/.exec(file)!;
    const a = parse(readFileSync(REAL_DUMPS + file), REAL_DUMPS + file, statSync(REAL_DUMPS + file).mtimeMs);
    expect(a.state).toBe(expected[kind[2]!]);
    expect(a.ref.mid).toBe(kind[3]);
    expect(a.ref.idx).toBe(kind[4]);
    expect(new Date(a.date + 8 * 3600_000).toISOString().slice(0, 10)).toBe(kind[1]);
    if (a.state === 'full' || a.state === 'truncated') {
      expect(a.textLength).toBeGreaterThan(300);
      for (const ui of ['预览时标签不可点', '轻触阅读原文', '，轻点两下取消赞', 'cover_image'])
        expect(a.contentHtml).not.toContain(ui);
    } else {
      expect(a.contentHtml).toBe('');
    }
  });
  it('the YAML-unsafe title comes through exactly', () => {
    const f = files.find((x) => x.includes('yaml-unsafe'))!;
    expect(parse(readFileSync(REAL_DUMPS + f)).title).toBe(
      '演讲议题巡展 | Unveiling Mac Security: Sandboxing and AppData TCC',
    );
  });
});

describe('bodies stay in the dump file and are rendered when a feed shows them', () => {
  const body = `# T\n\n第一段 **粗体** 正文。\n\n<script>alert(1)</script>\n\n![](https://mmbiz.qpic.cn/a/640?wx_fmt=png)`;
  it('a dump gives its observation (body: the file and a hash of its bytes, no summary yet) and its markdown', () => {
    const r = parseDump(Buffer.from(dump({ title: 'T', url: URL, source: 'S', date: '2024-05-12' }, body)), {
      path: '/d/x.md',
      mtimeMs: 0,
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.observation.body).toEqual({
      format: 'dump',
      path: '/d/x.md',
      hash: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(r.markdown).toContain('第一段 **粗体** 正文。');
    expect(r.markdown).not.toContain('# T');
    expect(r.observation.summary).toBe('');
    expect(r.observation.textLength).toBe('第一段 粗体 正文。 <script alert(1)</script'.length); // markup and the image do not count
    const s = shown(r.observation, r.markdown);
    expect(s.contentHtml).toContain('<strong>粗体</strong>');
    expect(s.contentHtml).not.toContain('<script');
    expect(s.summary).toBe('第一段 粗体 正文。');
  });
  it('the same bytes give the same hash; one byte more, another', () => {
    const text = dump({ title: 'T', url: URL, source: 'S' }, body);
    const a = parseRaw(text, '/d/a.md');
    const b = parseRaw(text, '/d/b.md');
    const c = parseRaw(`${text}\n\n多一段。`, '/d/c.md');
    expect(a.body.hash).toBe(b.body.hash);
    expect(c.body.hash).not.toBe(a.body.hash);
  });
  it('shells and notices have no body to read', () => {
    const r = parseDump(Buffer.from(dump({ title: 'T', url: URL, source: 'S' }, '该内容已被发布者删除')), {
      path: '/d/n.md',
      mtimeMs: 0,
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.observation.state).toBe('deleted');
    expect(r.observation.body.format).toBe('html');
    expect(r.markdown).toBe('');
  });
  it('without a URL the key is the hash of the rendered text, so markup differences do not split an article', () => {
    const plain = parseRaw(dump({ title: 'T', source: 'S' }, '第一段 粗体 正文。'), '/d/p.md');
    const marked = parseRaw(dump({ title: 'T', source: 'S' }, '第一段 **粗体** 正文。'), '/d/m.md');
    expect(plain.key).toMatch(/^hash:/);
    expect(marked.key).toBe(plain.key);
  });
});

describe('dates that cannot be read', () => {
  it('an unreadable date is a problem naming the value and the fallback; the article is still read', () => {
    const a = parseRaw(
      dump({ title: 'T', url: URL, source: 'S', date: 'yesterday', fetch_date: '2025-10-06T17:44:32.464154' }, 'Text.'),
    );
    expect(new Date(a.date).toISOString()).toBe('2025-10-06T09:44:32.464Z');
    expect(a.warning).toEqual({
      reason: 'unreadable date',
      detail: 'date: yesterday; used fetch_date 2025-10-06T17:44:32.464154',
    });
    const b = parseRaw(dump({ title: 'T', url: URL, source: 'S', date: '2024-02-30' }, 'Text.'));
    expect(new Date(b.date).toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(b.warning).toEqual({
      reason: 'unreadable date',
      detail: 'date: 2024-02-30; used the file time 2025-01-02T03:04:05.000Z',
    });
  });

  it('a readable or missing date is no problem', () => {
    expect(parseRaw(dump({ title: 'T', url: URL, source: 'S', date: '2024-02-29' }, 'Text.')).warning).toBeUndefined();
    expect(parseRaw(dump({ title: 'T', url: URL, source: 'S' }, 'Text.')).warning).toBeUndefined();
    expect(parseRaw(dump({ title: 'T', url: URL, source: 'S', date: ' ' }, 'Text.')).warning).toBeUndefined();
  });
});

describe('titles are capped', () => {
  const titled = (title: string) => parseRaw(dump({ title, url: URL, source: 'S', date: '2024-01-01' }, 'Text.')).title;
  it('at 1,000 characters, the last an ellipsis: a 1 MB title makes no 1 MB item', () => {
    const huge = titled('长'.repeat(1024 * 1024));
    expect(huge).toHaveLength(1000);
    expect(huge).toBe(`${'长'.repeat(999)}…`);
    expect(titled('x'.repeat(1000))).toBe('x'.repeat(1000));
    expect(titled('x'.repeat(1001))).toBe(`${'x'.repeat(999)}…`);
  });
  it('never cuts an emoji in half, and caps a title taken from the first heading too', () => {
    const cut = titled(`${'x'.repeat(998)}🎉🎉`);
    expect(cut).toBe(`${'x'.repeat(998)}…`);
    expect(cut.isWellFormed()).toBe(true);
    const fromHeading = parseRaw(dump({ url: URL, source: 'S' }, `# ${'h'.repeat(5000)}\n\nText.`)).title;
    expect(fromHeading).toBe(`${'h'.repeat(999)}…`);
  });
});
