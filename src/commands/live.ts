/**
 * Wiring of live fetching for the CLI and the daemon: the got-based page client and the page-parser thread, or
 * nothing when offline. The client is loaded on the first fetch and the thread started on the first page: a build
 * with nothing due never loads got or cheerio.
 */
import { checkPace } from '../http/pacer.js';
import type { Config } from '../types.js';
import type { FetchOutcome, LiveFetch, PageFetcher } from '../fetch/fetcher.js';
import { PAGE_BUDGET_MS, PageParserThread } from '../work/page-parser.js';

/**
 * A fetcher that loads the real one when it is first asked to fetch: one client (one pacer) for pages and album lists.
 * A pace set before that is kept and handed to the client when it is made.
 */
class LazyFetcher implements PageFetcher {
  private real: PageFetcher | undefined;
  private multiplier = 1;

  constructor(private readonly settings: Config['fetch']) {}

  private async client(): Promise<PageFetcher> {
    if (!this.real) {
      const { PageClient } = await import('../http/pages.js');
      if (!this.real) {
        this.real = new PageClient(this.settings);
        this.real.setPace(this.multiplier);
      }
    }
    return this.real;
  }

  setPace(multiplier: number): void {
    this.multiplier = checkPace(multiplier);
    this.real?.setPace(multiplier);
  }

  pace(): number {
    return this.multiplier;
  }

  async fetchAll(...args: Parameters<PageFetcher['fetchAll']>): Promise<void> {
    return (await this.client()).fetchAll(...args);
  }

  async fetchOne(...args: Parameters<PageFetcher['fetchOne']>): Promise<FetchOutcome> {
    return (await this.client()).fetchOne(...args);
  }
}

/** Live fetching for a build, or undefined when offline. `budgetMs`: the time one page may take to parse. */
export function liveFor(
  config: Config,
  flags: { offline: boolean; refetch: boolean },
  budgetMs = PAGE_BUDGET_MS,
): LiveFetch | undefined {
  if (flags.offline) return undefined;
  const parser = new PageParserThread(budgetMs, config.feed.language);
  return {
    refetch: flags.refetch,
    fetcher: new LazyFetcher(config.fetch),
    parsePage: (html, url) => parser.parse(html, url),
    parseAlbumPage: (html, url, now) => parser.parseAlbum(html, url, now),
    parseHomepagePage: (html, url) => parser.parseHomepage(html, url),
    close: () => parser.close(),
  };
}
