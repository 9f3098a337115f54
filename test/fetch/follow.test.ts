import { describe, expect, it } from 'vitest';
import { discoveryVia, isAlbumActive, strongerVia } from '../../src/fetch/follow.js';
import { NEEDS_ARTICLE, needsArticle, stateRank } from '../../src/states.js';

const url = { listed: false, fromDump: false, fromAlbum: false };
const album = (over: Partial<{ active: boolean; listed: boolean; via: 'url' | 'page' | 'dump' }>) => ({
  active: true,
  listed: false,
  via: 'page' as const,
  ...over,
});

describe('which albums are polled (follow.albums)', () => {
  it('never unfollowed ones; listed ones always; found by a followed page unless off; by a dump only with all', () => {
    const cases: Array<[Parameters<typeof isAlbumActive>[0], [boolean, boolean, boolean]]> = [
      [{ followed: false, listed: true, via: 'url' }, [false, false, false]],
      [{ followed: true, listed: true, via: 'url' }, [true, true, true]],
      [{ followed: true, listed: false, via: 'url' }, [false, false, false]],
      [{ followed: true, listed: false, via: 'page' }, [true, true, false]],
      [{ followed: true, listed: false, via: 'dump' }, [false, true, false]],
    ];
    for (const [a, [urls, all, off]] of cases)
      expect([isAlbumActive(a, 'urls'), isAlbumActive(a, 'all'), isAlbumActive(a, 'off')], JSON.stringify(a)).toEqual([
        urls,
        all,
        off,
      ]);
  });
  it('a page follows the albums it names: a listed URL or an album followed for the user (page), a dump (dump, all only)', () => {
    expect(discoveryVia({ ...url, listed: true }, [], 'urls')).toBe('page');
    expect(discoveryVia({ ...url, listed: true }, [], 'off')).toBeUndefined();
    expect(discoveryVia({ ...url, fromDump: true }, [], 'urls')).toBeUndefined();
    expect(discoveryVia({ ...url, fromDump: true }, [], 'all')).toBe('dump');
    expect(discoveryVia({ ...url, fromAlbum: true }, [album({})], 'urls')).toBe('page');
    expect(discoveryVia({ ...url, fromAlbum: true }, [album({ via: 'url', listed: true })], 'urls')).toBe('page');
    expect(discoveryVia({ ...url, fromAlbum: true }, [album({ via: 'dump' })], 'all')).toBe('dump');
    expect(discoveryVia({ ...url, fromAlbum: true }, [album({ via: 'dump' }), album({})], 'all')).toBe('page');
    expect(discoveryVia({ ...url, fromAlbum: true }, [album({ active: false })], 'urls')).toBeUndefined();
    expect(strongerVia('dump', 'page')).toBe('page');
    expect(strongerVia('page', 'dump')).toBe('page');
    expect(strongerVia('url', 'dump')).toBe('dump');
  });
  it("an album's listing of an article not read yet ranks as a shell and needs the article", () => {
    expect(stateRank('listed')).toBe(stateRank('shell'));
    expect(needsArticle('listed')).toBe(true);
    expect(NEEDS_ARTICLE).toContain('listed');
  });
});
