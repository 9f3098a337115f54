/**
 * The WeChat page chrome a dumper captures (dumps/chrome.ts), read by line offsets: the same lines kept as splitting
 * the body at every newline and joining the kept ones again, for the cases where offsets could go wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripChrome } from '../../src/dumps/chrome.js';
import { isTrimmed } from '../../src/content/text.js';
import { stripChromeReference } from '../helpers/chrome-reference.js';

const UI = ['预览时标签不可点', '微信扫一扫', '关注该公众号', '继续滑动看下一个', '轻触阅读原文', '知道了'];

describe('isTrimmed', () => {
  it('is true exactly for the code units trim() removes (every one of the 65,536)', () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isTrimmed(c) !== (String.fromCharCode(c).trim() === '')) differ.push(c);
    expect(differ).toEqual([]);
  });
});

describe('stripChrome by line offsets', () => {
  it('cuts at the last anchor line followed by UI text, not at one quoted earlier or one inside a line', () => {
    const body = [
      '正文第一段。',
      '引用：预览时标签不可点 这行不是界面',
      '预览时标签不可点',
      '后面没有界面文字',
      '第二段。',
      '  预览时标签不可点\u3000',
      ...UI.slice(1),
    ].join('\n');
    expect(stripChrome(body, '', []).body).toBe(
      '正文第一段。\n引用：预览时标签不可点 这行不是界面\n预览时标签不可点\n后面没有界面文字\n第二段。',
    );
  });

  it('an anchor on the first line, or twice on one line, or with UI text only 40 lines later', () => {
    expect(stripChrome(['预览时标签不可点', ...UI.slice(1)].join('\n'), '', []).body).toBe('');
    const twice = ['正文。', '预览时标签不可点预览时标签不可点', '微信扫一扫'].join('\n');
    // Not the anchor alone: the tail is cut at the first strong UI line after the last text instead.
    expect(stripChrome(twice, '', []).body).toBe('正文。\n预览时标签不可点预览时标签不可点');
    const far = ['正文。', '预览时标签不可点', ...Array.from({ length: 39 }, (_, i) => `第${i}行`), '微信扫一扫'].join(
      '\n',
    );
    expect(stripChrome(far, '', []).body).toBe(far.slice(0, far.lastIndexOf('\n')));
  });

  it('keeps CRLF lines as they are and drops trailing lines of any white space', () => {
    const body = '正文一。\r\n\r\n正文二。\r\n\u3000\r\n \u00a0\t\n\ufeff';
    expect(stripChrome(body, '', []).body).toBe('正文一。\r\n\r\n正文二。\r');
    expect(stripChrome('', 'T', []).body).toBe('');
    expect(stripChrome('\n\n \n', 'T', []).body).toBe('');
  });

  it('an anchor above where the article starts is not the tail', () => {
    const body = ['# T', '', '预览时标签不可点', '微信扫一扫', '', '账号', '', '正文。'].join('\n');
    // The byline (through the account name) goes; the anchor above the article's start does not cut it.
    const got = stripChrome(body, 'T', ['账号']);
    expect(got.hadTitleHeading).toBe(true);
    expect(got.body.endsWith('正文。')).toBe(true);
  });

  it('gives what the index of every line gave (fast-check: headings, covers, bylines, UI blocks, blank and CRLF lines)', () => {
    const line = fc.oneof(
      fc.constantFrom(...UI, '预览时标签不可点', '  预览时标签不可点\u3000', '预览时标签不可点预览时标签不可点'),
      fc.constantFrom('', ' ', '\u3000', '\t', '\r', '\ufeff', '\u00a0 '),
      fc.constantFrom('# T', '# 标题', '## T', '#T', '# T #', '![cover_image](https://x/c.png)', '![cover_image]()'),
      fc.constantFrom(
        '原创',
        '作者某',
        '账号',
        'Name',
        '，',
        '：',
        '×',
        '赞',
        'Like',
        '![](x)',
        '![作者头像]()',
        '![跳转二维码]()',
      ),
      fc.constantFrom(
        '正文。',
        '正文第一段，有标点。',
        'Text.',
        '1. item',
        '> quote',
        '以下文章来源于X',
        '😀',
        '\ud800',
      ),
      fc.string({ maxLength: 6 }),
    );
    const title = fc.constantFrom('', 'T', '标题', 'Other');
    const names = fc.subarray(['账号', 'Name', ' 账号 ', '作者某']);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), title, names, fc.boolean(), (lines, t, n, crlf) => {
        const body = lines.join(crlf ? '\r\n' : '\n');
        expect(stripChrome(body, t, n)).toEqual(stripChromeReference(body, t, n));
      }),
      { numRuns: 20_000, seed: 21 },
    );
  });

  it('stays linear and the same on hostile bodies: one huge line of anchors, 100,000 blank or UI lines', () => {
    const anchors = `x${'预览时标签不可点'.repeat(50_000)}\n微信扫一扫`;
    const blank = `正文。${'\n \u3000'.repeat(100_000)}`;
    const ui = `正文。\n${'赞\n'.repeat(100_000)}预览时标签不可点\n微信扫一扫`;
    const images = `# T\n\n${'![](x)\n'.repeat(100_000)}`;
    for (const body of [anchors, blank, ui, images, '\n'.repeat(100_000), 'a'.repeat(1_000_000)])
      expect(stripChrome(body, 'T', ['账号'])).toEqual(stripChromeReference(body, 'T', ['账号']));
  });
});
