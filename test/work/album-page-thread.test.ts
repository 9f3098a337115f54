/**
 * Album HTML pages are parsed in the page-parser thread (issue 20, item 5: the hostile album page held the main thread
 * for 12 s, and `/healthz` waited 16 s): the main thread keeps running while the thread parses, a page over the
 * budget is a failed parse as an article page's is, and the thread is replaced for the next page. Also through
 * `LiveFetch.parseAlbumPage` (live.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import { liveFor } from '../../src/commands/live.js';
import { parseAlbumPage } from '../../src/wechat/album-page.js';
import { PageParserThread } from '../../src/work/page-parser.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';

const PAGE = HAVE_SHARED
  ? readFileSync(`${REAL_PAGES}soda92__biao-short-novels__album-page.html`, 'utf8')
  : readFileSync(`${OWN_FIXTURES}albums/album-page.html`, 'utf8');
const URL = HAVE_SHARED
  ? 'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=Mzg4NTc2OTYxMQ==&action=getalbum&album_id=3329839945947119618'
  : 'https://mp.weixin.qq.com/mp/appmsgalbum?__biz=MzAwMDAwMDAwMQ==&action=getalbum&album_id=3000000000000000001';
const NOW = Date.UTC(2026, 5, 1);
/** The attack's page: the real album page padded with `"<li".repeat(1_400_000)` (4.5 MB, under the 5 MB cap). */
const HOSTILE = PAGE.replace('window.cgiData', `${'<li'.repeat(1_400_000)}window.cgiData`);

/** A setImmediate ticker on this thread: how often it ran, and its longest wait between two runs. */
function ticker() {
  let ticks = 0;
  let longest = 0;
  let last = performance.now();
  let on = true;
  const tick = () => {
    if (!on) return;
    const t = performance.now();
    longest = Math.max(longest, t - last);
    last = t;
    ticks++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      on = false;
      return { ticks, longest };
    },
  };
}

describe('album pages in the page-parser thread', () => {
  it('the hostile 4.5 MB page: parsed in the thread, the same as on this thread; this thread keeps ticking', async () => {
    const parser = new PageParserThread();
    try {
      // The thread started and loaded first, so that what is measured is the parse alone.
      expect((await parser.parseAlbum(PAGE, URL, NOW)).ok).toBe(true);
      const here = performance.now();
      const expected = parseAlbumPage(HOSTILE, URL, NOW);
      const ownMs = performance.now() - here;
      const t = ticker();
      const started = performance.now();
      const got = await parser.parseAlbum(HOSTILE, URL, NOW);
      const threadMs = performance.now() - started;
      const { ticks, longest } = t.stop();
      expect(got).toEqual(expected);
      expect(got.ok && got.page.items.length).toBe(HAVE_SHARED ? 10 : 3);
      console.log(
        `hostile album page: ${ownMs.toFixed(0)} ms on this thread; through the thread ${threadMs.toFixed(0)} ms, ` +
          `${ticks} ticks meanwhile, longest stall ${longest.toFixed(1)} ms`,
      );
      // The page is parsed elsewhere: this thread ran all along (a stall of the page's whole parse would show here).
      expect(ticks).toBeGreaterThan(20);
      expect(longest).toBeLessThan(Math.max(ownMs, threadMs));
    } finally {
      await parser.close();
    }
  });

  it('a page over the budget rejects as an article page does; the thread is replaced for the next page', async () => {
    const parser = new PageParserThread(1);
    try {
      await expect(parser.parseAlbum(HOSTILE, URL, NOW)).rejects.toThrow('page took over 1 ms to parse');
    } finally {
      await parser.close();
    }
    const roomy = new PageParserThread(30_000);
    try {
      await expect(roomy.parseAlbum(HOSTILE, URL, NOW)).resolves.toMatchObject({ ok: true });
      // Kinds do not mix: an article page after an album page, on the same thread.
      const article = readFileSync(join(OWN_FIXTURES, 'pages/article.html'), 'utf8');
      await expect(roomy.parse(article, 'https://mp.weixin.qq.com/s/x')).resolves.toMatchObject({
        state: 'ok',
        title: '测试文章：懒加载与语音',
      });
    } finally {
      await roomy.close();
    }
  });

  it('LiveFetch.parseAlbumPage (live.ts): the page parsed in the thread, with the time given for its list times', async () => {
    const config = resolveConfig({ dumps: ['.'] }, '/x/wxfeed.yaml', process.cwd());
    const live = liveFor(config, { offline: false, refetch: false })!;
    try {
      const r = await live.parseAlbumPage(PAGE, URL, NOW);
      expect(r).toEqual(parseAlbumPage(PAGE, URL, NOW));
      expect(r.ok).toBe(true);
    } finally {
      await live.close();
    }
  });
});
