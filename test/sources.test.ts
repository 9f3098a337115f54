import { describe, expect, it } from 'vitest';
import { albumFeedTitle, planFeeds, slugify } from '../src/feeds/sources.js';

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

describe('album feeds', () => {
  const album = (
    albumId: string,
    items: number,
    title: string | null = '微型小说',
    account: string | null = '你的鸟儿会唱歌',
  ) => ({
    albumId,
    biz: 'MzI2NzI2OTExNA==',
    title,
    account,
    items,
  });
  it('one feed per album with articles: album-<id>, "<title> · <account>", its dirty mark as its label', () => {
    const groups = planFeeds(
      [{ source: '你的鸟儿会唱歌', articles: 3, bizCount: 1, biz: 'MzI2NzI2OTExNA==' }],
      [],
      [album('3329839945947119618', 3), album('42', 0)],
    );
    expect(groups.map((g) => [g.slug, g.title, g.labels, g.album ?? null, g.articles])).toEqual([
      ['3267269114', '你的鸟儿会唱歌', ['你的鸟儿会唱歌'], null, 3],
      [
        'album-3329839945947119618',
        '微型小说 · 你的鸟儿会唱歌',
        ['album:3329839945947119618'],
        '3329839945947119618',
        3,
      ],
    ]);
  });
  it('a title or account not read yet: the album id (or the homepage number) in the feed language, the account number', () => {
    expect(albumFeedTitle(album('7', 1, null, null), 'zh-CN')).toBe('合集 7 · 3267269114');
    expect(albumFeedTitle(album('7', 1, null, null), 'en')).toBe('Album 7 · 3267269114');
    const home = { ...album('home-3267269114-4', 1, null, '你的鸟儿会唱歌') };
    expect(albumFeedTitle(home, 'zh-CN')).toBe('主页 4 · 你的鸟儿会唱歌');
    expect(albumFeedTitle(home, 'en')).toBe('Homepage 4 · 你的鸟儿会唱歌');
    expect(albumFeedTitle(album('7', 1), 'en')).toBe('微型小说 · 你的鸟儿会唱歌');
  });
  it('planFeeds titles an untitled album in the language it is given, zh-CN by default', () => {
    const untitled = [album('7', 1, null)];
    expect(planFeeds([], [], untitled).map((g) => g.title)).toEqual(['合集 7 · 你的鸟儿会唱歌']);
    expect(planFeeds([], [], untitled, 'en').map((g) => g.title)).toEqual(['Album 7 · 你的鸟儿会唱歌']);
  });
  it('an album keeps its slug against a derived one; a config slug keeps its own against an album', () => {
    const stats = [{ source: 'Album 7', articles: 2, bizCount: 0, biz: null }];
    const derived = planFeeds(stats, [], [album('7', 1)]);
    expect(derived.find((g) => g.album)?.slug).toBe('album-7');
    expect(derived.find((g) => !g.album)?.slug).toMatch(/^album-7-[0-9a-f]{6}$/);
    const configured = planFeeds(stats, [{ match: 'Album 7', slug: 'album-7' }], [album('7', 1)]);
    expect(configured.find((g) => !g.album)?.slug).toBe('album-7');
    expect(configured.find((g) => g.album)?.slug).toMatch(/^album-7-[0-9a-f]{6}$/);
  });
});
