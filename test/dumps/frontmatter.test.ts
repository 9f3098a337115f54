import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { splitFrontMatter, unquoteValue } from '../../src/dumps/frontmatter.js';

function titleOf(line: string): string | undefined {
  const r = splitFrontMatter(`---\n${line}\nurl: https://example.com/a\n---\nbody`);
  if (!r.ok) throw new Error(r.reason);
  return r.value.fields.get('title');
}

describe('front matter values come through exactly as written', () => {
  const exact = [
    'CVE-2024-1234: RCE in X',
    '周报 #12 本周动态',
    '[转载] 标题',
    '@某某 说',
    '- 列表开头',
    '2024',
    '"引号"的标题',
    '演讲议题巡展 | Unveiling Mac Security: Sandboxing and AppData TCC',
    'a: b: c',
    '{not: a map}',
    '*star* & <tag> ]]> 🎉',
    'null',
    'true',
    '~',
    '!tag value',
    '> folded?',
    '% percent',
  ];
  it.each(exact)('%s', (title) => {
    expect(titleOf(`title: ${title}`)).toBe(title);
  });

  it('a value that is one whole quoted YAML string is unquoted', () => {
    expect(titleOf('title: "整个 \\"引号\\" 标题"')).toBe('整个 "引号" 标题');
    expect(titleOf("title: 'it''s quoted'")).toBe("it's quoted");
    expect(titleOf('title: "a: b"')).toBe('a: b');
  });

  it('the dumper\'s literal \\" is read as a quote', () => {
    expect(titleOf('title: 关于\\"清朗\\"行动的通知')).toBe('关于"清朗"行动的通知');
  });

  it('an empty value is empty', () => {
    expect(titleOf('title:')).toBe('');
  });

  it('unquoteValue gives what its three patterns gave on every value (fast-check: quotes, escapes, spaces)', () => {
    const reference = (raw: string): string => {
      const value = raw.trim();
      if (/^"(?:[^"\\]|\\.)*"$/.test(value) || /^'(?:[^']|'')*'$/.test(value)) {
        try {
          const parsed: unknown = parseYaml(value);
          if (typeof parsed === 'string') return parsed;
        } catch {
          // kept as written
        }
        return value;
      }
      return value.replace(/\\"/g, '"');
    };
    const piece = fc.constantFrom('"', "'", '\\', '\\"', ' ', '\t', '\u3000', 'a', '标题', ':', '#', "''", '\\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const raw = parts.join('');
        expect(unquoteValue(raw)).toBe(reference(raw));
      }),
      { numRuns: 5000 },
    );
  });

  it('unquoteValue leaves trailing spaces out and keeps inner text', () => {
    expect(unquoteValue('  spaced  ')).toBe('spaced');
  });
});

describe('front matter structure', () => {
  it('needs an opening and a closing fence', () => {
    expect(splitFrontMatter('# Just a note\n\ntext')).toEqual({ ok: false, reason: 'no front matter' });
    expect(splitFrontMatter('---\ntitle: x\nno end')).toEqual({ ok: false, reason: 'front matter not closed' });
    expect(splitFrontMatter('---\n\n---\nbody')).toEqual({ ok: false, reason: 'no front matter' });
  });
  it('keeps unknown keys, the first of repeated keys, and the body intact', () => {
    const r = splitFrontMatter('---\ntitle: A\ntags: [x]\ntitle: B\n---\n# Body\n---\nmore');
    expect(r.ok && r.value.fields.get('title')).toBe('A');
    expect(r.ok && r.value.fields.get('tags')).toBe('[x]');
    expect(r.ok && r.value.body).toBe('# Body\n---\nmore');
  });
});
