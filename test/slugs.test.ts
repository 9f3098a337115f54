/**
 * Derived slugs never take a name the server or the output needs (RESERVED_SLUGS, the one list config.ts refuses).
 */
import { describe, expect, it } from 'vitest';
import { RESERVED_SLUGS } from '../src/config.js';
import { planFeeds } from '../src/feeds/sources.js';

const stat = (source: string, articles = 1) => ({ source, articles, bizCount: 0, biz: null });

describe('derived slugs', () => {
  it('a source named like a server route or an output file gets another slug, with the hash suffix', () => {
    const names = ['img', 'API', 'Healthz', 'all', 'api ', 'index.html', 'feeds.opml'];
    const groups = planFeeds(
      names.map((n) => stat(n)),
      [],
    );
    const slugs = groups.map((g) => g.slug);
    expect(slugs.filter((s) => RESERVED_SLUGS.has(s))).toEqual([]);
    expect(new Set(slugs).size).toBe(names.length);
    const of = (label: string) => groups.find((g) => g.labels.includes(label))!.slug;
    expect(of('img')).toMatch(/^img-[0-9a-f]{6}$/);
    expect(of('API')).toMatch(/^api-[0-9a-f]{6}$/);
    expect(of('Healthz')).toMatch(/^healthz-[0-9a-f]{6}$/);
    expect(of('API')).not.toBe(of('api '));
    // Derived from these names, the file names become harmless slugs of their own.
    expect(of('index.html')).toBe('index-html');
    expect(of('feeds.opml')).toBe('feeds-opml');
  });

  it('the slug of a reserved name is stable from build to build', () => {
    const a = planFeeds([stat('img', 3), stat('Other', 1)], []);
    const b = planFeeds([stat('Other', 9), stat('img', 1)], []);
    expect(a.find((g) => g.title === 'img')!.slug).toBe(b.find((g) => g.title === 'img')!.slug);
  });
});
