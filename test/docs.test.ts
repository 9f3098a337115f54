/**
 * The config reference is written from the schema: docs/configuration.md and the README's short table must say what
 * src/config.ts defines, and every `WXFEED_*` variable the code reads must be documented.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  commonKeys,
  ENVIRONMENT,
  firstSentence,
  generatedDocs,
  generatedPart,
  keyRows,
  withGenerated,
} from '../src/config-docs.js';
import { configSchema, resolveConfig } from '../src/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the docs say what the schema defines', () => {
  for (const { file, region, body } of generatedDocs()) {
    it(`${file}: the ${region}`, () => {
      const written = generatedPart(readFileSync(join(ROOT, file), 'utf8'), region);
      expect(written, `${file} has no "${region}" markers`).toBeDefined();
      expect(written, `${file} differs from the config schema (src/config.ts): run \`npm run docs\``).toBe(body);
    });
  }

  it('every key a loaded config holds is in the reference, with a meaning', () => {
    const documented = new Set(keyRows(configSchema).map((r) => r.key));
    const given = {
      dumps: [],
      baseUrl: 'https://example.org/',
      feed: { title: 'T' },
      server: { token: 'x'.repeat(16) },
    };
    const config = resolveConfig({ ...given, imageProxy: { secret: 'y'.repeat(16) } }, '(test)', ROOT);
    const paths = (value: object, prefix: string): string[] =>
      Object.entries(value).flatMap(([k, v]) =>
        v && typeof v === 'object' && !Array.isArray(v) ? [prefix + k, ...paths(v, `${prefix}${k}.`)] : [prefix + k],
      );
    const held = paths(config, '').filter((k) => k !== 'file');
    expect(held.length).toBeGreaterThan(40);
    expect(held.filter((k) => !documented.has(k))).toEqual([]);
    // Sentences: the README's short table takes the first.
    for (const row of keyRows(configSchema)) expect(row.meaning, row.key).toMatch(/^[A-Z`].*\.$/s);
  });

  it('every WXFEED_* variable src/ reads is documented, and nothing else', () => {
    const src = join(ROOT, 'src');
    const read = new Set<string>();
    for (const e of readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !e.name.endsWith('.ts')) continue;
      const path = join(e.parentPath, e.name);
      if (relative(src, path) === 'config-docs.ts') continue;
      for (const m of readFileSync(path, 'utf8').matchAll(/\bWXFEED_[A-Z_]+\b/g)) read.add(m[0]);
    }
    expect(read.size).toBeGreaterThanOrEqual(3);
    expect(ENVIRONMENT.map((v) => v.name).sort()).toEqual([...read].sort());
  });
});

describe('config-docs', () => {
  const schema = z
    .object({
      count: z.number().int().positive().max(9).default(2).describe('How many.'),
      ratio: z.number().min(0).describe('A share.'),
      name: z.string().min(16).optional().describe('A name. More words.'),
      mode: z.enum(['a', 'b', 'c']).default('b').describe('Which mode.'),
      paths: z.array(z.string()).default(['x', 'y']).describe('Paths.'),
      items: z
        .array(z.object({ id: z.string().url().describe('Its URL.') }).strict())
        .default([])
        .describe('Items.'),
      group: z
        .object({ on: z.boolean().default(false).describe('Whether on.') })
        .strict()
        .default({})
        .describe('A group.'),
    })
    .strict();

  it('gives each key its type, its default as written in YAML, and its meaning, parents first', () => {
    expect(keyRows(schema)).toEqual([
      { key: 'count', type: 'integer 1–9', default: '`2`', meaning: 'How many.' },
      { key: 'ratio', type: 'number ≥ 0', default: 'required', meaning: 'A share.' },
      { key: 'name', type: 'string of 16+ characters', default: 'none', meaning: 'A name. More words.' },
      { key: 'mode', type: '`a`, `b` or `c`', default: '`b`', meaning: 'Which mode.' },
      { key: 'paths', type: 'list of strings', default: '`[x, y]`', meaning: 'Paths.' },
      { key: 'items', type: 'list of mappings', default: '`[]`', meaning: 'Items.' },
      { key: 'items[].id', type: 'URL', default: 'required', meaning: 'Its URL.' },
      { key: 'group', type: 'mapping', default: '', meaning: 'A group.' },
      { key: 'group.on', type: 'boolean', default: '`false`', meaning: 'Whether on.' },
    ]);
  });

  it('shows a computed default as the schema marks it', () => {
    const slug = keyRows(configSchema).find((r) => r.key === 'sources[].slug');
    expect(slug?.default).toBe('derived');
    expect(keyRows(configSchema).find((r) => r.key === 'sources[].limit')?.default).toBe('`feed.limit`');
  });

  it('refuses a key with no description, naming it', () => {
    expect(() => keyRows(z.object({ a: z.object({ b: z.string() }).describe('A.') }))).toThrow(
      'config-docs: a.b has no description in the config schema',
    );
  });

  it('the short table takes the first sentence of each meaning; a key not in the schema is an error', () => {
    expect(firstSentence('A name. More words.')).toBe('A name.');
    expect(firstSentence('Listens on `127.0.0.1` only. Else.')).toBe('Listens on `127.0.0.1` only.');
    expect(firstSentence('No stop')).toBe('No stop');
    expect(commonKeys(schema, ['name', 'group.on'])).toBe(
      '| key | default | meaning |\n| --- | --- | --- |\n| `name` | none | A name. |\n| `group.on` | `false` | Whether on. |',
    );
    expect(() => commonKeys(schema, ['nope'])).toThrow('README key nope is not in the config schema');
  });

  it('writes between the markers only, and escapes a | in a cell', () => {
    const begin = '<!-- keys: written by `npm run docs` from src/config.ts -->';
    const end = '<!-- end of keys -->';
    const doc = `# Title\n\nProse before.\n\n${begin}\nold table\n${end}\n\nProse after.\n`;
    const next = withGenerated(doc, 'keys', 'new | table', 'x.md');
    expect(next).toBe(`# Title\n\nProse before.\n\n${begin}\n\nnew | table\n\n${end}\n\nProse after.\n`);
    expect(generatedPart(next, 'keys')).toBe('new | table');
    expect(withGenerated(next, 'keys', 'new | table', 'x.md')).toBe(next);
    expect(() => withGenerated('# no markers\n', 'keys', 'x', 'x.md')).toThrow('x.md: no');
    expect(generatedPart('# no markers\n', 'keys')).toBeUndefined();
    const piped = keyRows(z.object({ a: z.string().describe('one | two.') }));
    expect(commonKeys(z.object({ a: z.string().describe('one | two.') }), ['a'])).toContain('one \\| two.');
    expect(piped[0]!.meaning).toBe('one | two.');
  });
});
