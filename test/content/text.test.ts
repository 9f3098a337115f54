/**
 * Text helpers: what WeChat writes escaped into page meta tags read back as text (issue 12, item 6), summaries on one
 * line, and stored page bodies mended.
 */
import { describe, expect, it } from 'vitest';
import { feedText, summaryLine, unescapePageText } from '../../src/content/text.js';
import { mendPageHtml } from '../../src/content/body.js';

describe('unescapePageText', () => {
  it('script escapes and the HTML escapes under them', () => {
    expect(unescapePageText('第一段\\x0a\\x0a第二段 \\x26quot;引语\\x26quot; \\x26amp;amp; \\u4e2d \\\\x')).toBe(
      '第一段\n\n第二段 "引语" &amp; 中 \\x',
    );
  });
  it('text without a script escape is left as it is (a backslash or an entity of the text itself)', () => {
    for (const text of ['C:\\Windows\\system32', 'a &amp; b', '正文', 'a \\n b'])
      expect(unescapePageText(text)).toBe(text);
  });
});

describe('summaryLine', () => {
  it('paragraph breaks become spaces; tabs and other text stay', () => {
    expect(summaryLine(' 第一段\n\n第二段\r\n 三\tx ')).toBe('第一段 第二段 三\tx');
  });
});

describe('mendPageHtml', () => {
  const voice = (name: string) =>
    `<p><audio controls preload="none" src="https://res.wx.qq.com/voice/getvoice?mediaid=M1"></audio> <a href="https://res.wx.qq.com/voice/getvoice?mediaid=M1">${name}</a></p>`;
  it('a voice name stored encoded twice is its text; the rest of the body is left alone', () => {
    expect(mendPageHtml(voice('【Day&amp;nbsp;15】&amp;amp;'))).toBe(voice('【Day 15】&amp;'));
    const text = '<p>HTML 里写 &amp;nbsp; 表示空格</p>';
    expect(mendPageHtml(`${text}${voice('名字')}`)).toBe(`${text}${voice('名字')}`);
    expect(mendPageHtml(text)).toBe(text);
  });
});

describe('feedText (the W3C validator’s BadCharacters)', () => {
  it('UTF-8 read as Latin-1 upstream is decoded back; C1 controls and U+FFFD that are left go', () => {
    expect(feedText('we\u00e2\u0080\u0099re')).toBe('we’re');
    expect(feedText('\u00e6\u00b1\u0082\u00ef\u00bc\u008c')).toBe('求，');
    expect(feedText('\u00c2\u00a9 2025 J\u00c3\u00a9r\u00c3\u00b4me Syst\u00c3\u00a8me \u00c2\u00ab Prev')).toBe(
      '© 2025 Jérôme Système « Prev',
    );
    expect(feedText('a\u0085b\uFFFDc')).toBe('abc');
  });
  it('text that is not mojibake is left as it is (Latin-1 letters, CJK, emoji)', () => {
    for (const text of ['äß Über café São Ñoño', '中文 正常 🎉', 'plain', 'tab\there'])
      expect(feedText(text)).toBe(text);
  });
  it('also what XML 1.0 forbids, as cleanText', () => {
    expect(feedText('a\u0000b\uFFFEc')).toBe('abc');
  });
});
