/**
 * Wiring of live fetching for the CLI and the daemon: the got-based fetcher and the page parser, or nothing when
 * offline. Both are loaded on the first fetch: a build with nothing due never loads got or cheerio.
 */
import type { Config, LiveFetch, PageFetcher, ParsedPage } from './types.js';

type PageParser = (html: string, url: string) => ParsedPage;

/** A fetcher that loads the real one (and the page parser) when it is first asked to fetch. */
class LazyFetcher implements PageFetcher {
  private real: PageFetcher | undefined;
  parser: PageParser | undefined;

  constructor(private readonly settings: Config['fetch']) {}

  async fetchAll(...args: Parameters<PageFetcher['fetchAll']>): Promise<void> {
    if (!this.real) {
      const [{ PageClient }, { parseArticlePage }] = await Promise.all([
        import('./http/pages.js'),
        import('./wechat/article-page.js'),
      ]);
      this.parser = parseArticlePage;
      this.real = new PageClient(this.settings);
    }
    return this.real.fetchAll(...args);
  }
}

/** Live fetching for a build, or undefined when offline. */
export function liveFor(config: Config, flags: { offline: boolean; refetch: boolean }): LiveFetch | undefined {
  if (flags.offline) return undefined;
  const fetcher = new LazyFetcher(config.fetch);
  return {
    refetch: flags.refetch,
    fetcher,
    parsePage: (html, url) => {
      // Pages are parsed only as fetches return, after fetchAll has loaded the parser.
      if (!fetcher.parser) throw new Error('live: a page was parsed before any fetch');
      return fetcher.parser(html, url);
    },
  };
}
