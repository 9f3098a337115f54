import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mentionsNotice } from '../../src/dumps/classify.js';

/** The notice phrases (dumps/classify.ts), and the one case-insensitive pattern of all of them mentionsNotice must equal. */
const PHRASES = [
  '环境异常',
  '完成验证后即可继续访问',
  '访问过于频繁',
  '去验证',
  '该内容已被发布者删除',
  'The content has been deleted by the author',
  '此内容因违规无法查看',
  '此内容发送失败无法查看',
  '被投诉且经审核涉嫌侵权',
  '该内容暂时无法查看',
  'This content has been restricted',
  '该公众号已迁移',
  '公众号迁移说明',
  '链接已过期',
  'This link has expired',
];
const REFERENCE = new RegExp(PHRASES.join('|'), 'i');

describe('mentionsNotice', () => {
  it('finds every phrase anywhere, the English ones in any case', () => {
    for (const p of PHRASES) {
      expect(mentionsNotice(`正文……${p}。`)).toBe(true);
      expect(mentionsNotice(`text ${p.toUpperCase()} text`)).toBe(true);
      expect(mentionsNotice(p.slice(0, -1))).toBe(false);
    }
  });

  it('finds the English phrases in every mix of cases, and a phrase cut anywhere in none (fast-check)', () => {
    const english = PHRASES.filter((p) => /[A-Za-z]/.test(p));
    fc.assert(
      fc.property(fc.constantFrom(...english), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (p, upper) => {
        const mixed = [...p].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
        expect(mentionsNotice(`中文 ${mixed}\n`)).toBe(true);
        expect(mentionsNotice(`${mixed.slice(0, 9)} ${mixed.slice(9)}`)).toBe(false);
      }),
      { numRuns: 2000 },
    );
    for (const p of PHRASES.filter((q) => !english.includes(q)))
      for (let cut = 1; cut < p.length; cut++)
        expect(mentionsNotice(`${p.slice(0, cut)}\n${p.slice(cut)}`)).toBe(false);
  });

  it('says what one case-insensitive pattern of all the phrases says', () => {
    const piece = fc.oneof(
      fc.constantFrom(...PHRASES),
      fc.constantFrom(...PHRASES).map((p) => p.slice(0, Math.max(1, p.length - 1))),
      fc.constantFrom(...PHRASES).map((p) => p.toUpperCase()),
      fc.constantFrom(...PHRASES).map((p) => p.slice(1)),
      fc.string({ maxLength: 8 }),
      fc.constantFrom('内容', '无法查看', '已', 'has been', ' ', '\n'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        expect(mentionsNotice(text)).toBe(REFERENCE.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});
