import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDump } from '../src/dumps/parse.js';
import { parseUrl } from '../src/wechat/url.js';
import { parseArticlePage } from './helpers/parse-page.js';
import { renderFeeds } from '../src/feeds/render.js';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from './helpers/log.js';
import type { FeedArticle } from '../src/types.js';
import { observationAsFeedArticle } from './helpers/articles.js';
import { markdownHtml } from '../src/content/markdown.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_DUMPS, SEED } from './helpers/paths.js';
import { expectWellFormed } from './helpers/feeds.js';
import { tempDir, writeFile } from './helpers/tmp.js';

const SEED_BYTES = readFileSync(SEED);
const DUMPS = [
  SEED_BYTES,
  ...(HAVE_SHARED
    ? readdirSync(REAL_DUMPS)
        .filter((f) => f.endsWith('.md') && f !== 'SOURCES.md')
        .slice(0, 8)
        .map((f) => readFileSync(join(REAL_DUMPS, f)))
    : []),
];
const PAGES = readdirSync(join(OWN_FIXTURES, 'pages')).map((f) => readFileSync(join(OWN_FIXTURES, 'pages', f)));
/** Per-input time bound: far above the ~1 ms a dump takes, there to catch runaway regexes. */
const BOUND_MS = 3000;

/** Mutations of real inputs: bytes flipped, truncated, duplicated, control characters, enormous lines, deep nesting. */
const mutation = (bases: Buffer[]) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: bases.length - 1 }),
      fc.integer({ min: 0, max: 6 }),
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
    )
    .map(([which, kind, a, b, byte]) => {
      const base = bases[which]!;
      const at = base.length ? a % base.length : 0;
      switch (kind) {
        case 0: {
          const c = Buffer.from(base);
          if (c.length) c[at] = byte;
          return c;
        }
        case 1:
          return base.subarray(0, at);
        case 2:
          return Buffer.concat([base.subarray(0, at), base.subarray(at % Math.max(1, b % base.length || 1))]);
        case 3:
          return Buffer.concat([
            base.subarray(0, at),
            Buffer.from(String.fromCharCode(...Array.from({ length: 20 }, (_, i) => (byte + i) % 32))),
            base.subarray(at),
          ]);
        case 4:
          return Buffer.concat([
            base.subarray(0, at),
            Buffer.from('x'.repeat(200_000 + (b % 100_000))),
            base.subarray(at),
          ]);
        case 5:
          return Buffer.concat([
            base.subarray(0, at),
            Buffer.from(`${'> '.repeat(3000)}${'*'.repeat(3000)}${'['.repeat(3000)}${'<div>'.repeat(2000)}`),
            base.subarray(at),
          ]);
        default:
          return Buffer.concat([base, base]);
      }
    });

function timed<T>(fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  expect(performance.now() - t0).toBeLessThan(BOUND_MS);
  return out;
}

function asFeedArticle(a: import('../src/types.js').Observation, markdown: string): FeedArticle {
  return observationAsFeedArticle(a, markdownHtml(markdown));
}

describe('fuzzing (fast-check)', () => {
  it('the dump reader never throws on mutated dumps, stays in bounded time, and what it yields renders valid XML', () => {
    fc.assert(
      fc.property(mutation(DUMPS), (bytes) => {
        const r = timed(() => parseDump(bytes, { path: '/fuzz/x.md', mtimeMs: 0 }));
        if (r.ok) {
          const feeds = renderFeeds(
            { id: 'urn:x', title: 't', description: 'd', selfBase: 'http://h/', home: 'http://h/' },
            [asFeedArticle(r.observation, r.markdown)],
          );
          expectWellFormed(feeds.atom);
          expectWellFormed(feeds.rss);
          JSON.parse(feeds.json);
        }
      }),
      { numRuns: 400, seed: 20261124 },
    );
  });
  it('the dump reader never throws on arbitrary bytes and strings', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4000 }),
        (bytes) => void timed(() => parseDump(bytes, { path: '/f', mtimeMs: 0 })),
      ),
      { numRuns: 500, seed: 1 },
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 4000, unit: 'binary' }),
        (s) =>
          void timed(() =>
            parseDump(Buffer.from(`---\ntitle: ${s}\nurl: ${s}\n---\n${s}`), { path: '/f', mtimeMs: 0 }),
          ),
      ),
      { numRuns: 500, seed: 2 },
    );
  });
  it('the URL parser never throws and is idempotent on its canonical output', () => {
    const wechatish = fc
      .tuple(
        fc.constantFrom(
          'https://mp.weixin.qq.com/s?',
          'http://mp.weixin.qq.com/mp/appmsg/show?',
          'mp.weixin.qq.com/s/',
          '',
        ),
        fc.string({ maxLength: 300 }),
      )
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500, unit: 'binary' }), wechatish), (s) => {
        const p = timed(() => parseUrl(s));
        if (p) expect(parseUrl(p.canonical)?.canonical).toBe(p.canonical);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
  it('the page parser never throws on mutated pages', () => {
    fc.assert(
      fc.property(
        mutation(PAGES),
        (bytes) => void timed(() => parseArticlePage(bytes.toString('utf8'), 'https://mp.weixin.qq.com/s/x')),
      ),
      { numRuns: 300, seed: 4 },
    );
  });
  it('a build over 1,000 mutated dumps completes, reports each bad file, and writes valid feeds', async () => {
    const t = tempDir();
    try {
      const samples = fc.sample(mutation(DUMPS), { numRuns: 1000, seed: 5 });
      samples.forEach((bytes, i) => {
        writeFile(join(t.dir, 'dumps', `${i}.md`), bytes);
      });
      const config = resolveConfig(
        { dumps: ['dumps'], output: 'out', store: 'db/wxfeed.db', urlFiles: [] },
        join(t.dir, 'c.yaml'),
        t.dir,
      );
      const s = await build(config, { log: silentLogger });
      const expectedBad = samples.filter((b) => !parseDump(b, { path: '/x', mtimeMs: 0 }).ok).length;
      expect(s.filesSeen).toBe(1000);
      expect(s.problems).toHaveLength(expectedBad);
      expect(s.problems.every((p) => p.where.startsWith(join(t.dir, 'dumps')) && p.reason.length > 0)).toBe(true);
      for (const rel of readdirSync(config.output, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.xml'))) {
        expectWellFormed(readFileSync(join(config.output, rel), 'utf8'), rel);
      }
    } finally {
      t.cleanup();
    }
  }, 120_000);
});
