import { describe, expect, it } from 'vitest';
import { planFeeds, slugify } from '../src/sources.js';

describe('slugify', () => {
  it('readable ASCII slugs; a short hash when the name is not all ASCII', () => {
    expect(slugify("Doonsec's feed")).toBe('doonsec-s-feed');
    expect(slugify('Example Blog')).toBe('example-blog');
    expect(slugify('KCon 黑客大会')).toMatch(/^kcon-[0-9a-f]{8}$/);
    expect(slugify('小米安全中心')).toMatch(/^src-[0-9a-f]{8}$/);
    expect(slugify('小米安全中心')).toBe(slugify('小米安全中心'));
    expect(slugify('小米安全中心')).not.toBe(slugify('小米安全'));
    expect(slugify('Café Crème')).toMatch(/^cafe-creme-[0-9a-f]{8}$/);
    expect(slugify('12345')).toMatch(/^src-[0-9a-f]{8}$/);
  });
});

describe('planFeeds', () => {
  const stat = (source: string, articles: number, bizCount: number, biz: string | null) => ({
    source,
    articles,
    bizCount,
    biz,
  });
  it('a single-biz source is its account: slug from the biz number; renamed labels with that biz are one feed', () => {
    const groups = planFeeds(
      [
        stat('小米安全中心', 10, 1, 'MzI2NzI2OTExNA=='),
        stat('小米安全', 2, 1, 'MzI2NzI2OTExNA=='),
        stat("Doonsec's feed", 50, 7, 'A'),
      ],
      [],
    );
    expect(groups.map((g) => [g.slug, g.title, g.labels])).toEqual([
      ['doonsec-s-feed', "Doonsec's feed", ["Doonsec's feed"]],
      ['3267269114', '小米安全中心', ['小米安全中心', '小米安全']],
    ]);
  });
  it('config matches by name, by base64 biz or by its number', () => {
    const stats = [stat('小米安全中心', 10, 1, 'MzI2NzI2OTExNA=='), stat('Blog', 3, 0, null)];
    expect(planFeeds(stats, [{ match: '3267269114', slug: 'mi', title: 'Mi' }]).map((g) => g.slug)).toEqual([
      'blog',
      'mi',
    ]);
    expect(planFeeds(stats, [{ match: 'MzI2NzI2OTExNA==', title: 'Mi' }]).find((g) => g.title === 'Mi')?.slug).toBe(
      '3267269114',
    );
    expect(planFeeds(stats, [{ match: 'Blog', slug: 'my-blog' }]).find((g) => g.labels[0] === 'Blog')?.slug).toBe(
      'my-blog',
    );
  });
  it('never gives two feeds one folder', () => {
    const groups = planFeeds([stat('Foo Bar', 1, 0, null), stat('foo-bar', 1, 0, null), stat('all', 1, 0, null)], []);
    const slugs = groups.map((g) => g.slug);
    expect(new Set(slugs).size).toBe(3);
    expect(slugs).not.toContain('all');
    expect(slugs.every((s) => /^(foo-bar|all)-[0-9a-f]{6}$/.test(s))).toBe(true);
  });
});
