/**
 * Wiring of live fetching for the CLI and the daemon: the got-based fetcher and the page parser, unless offline.
 */
import type { Config } from './types.js';
import type { BuildOptions } from './cycle.js';
import { Fetcher } from './wechat/fetcher.js';
import { parseArticlePage } from './wechat/article-page.js';

export function liveFor(config: Config, flags: { offline: boolean; refetch: boolean }): BuildOptions['live'] {
  return {
    offline: flags.offline,
    refetch: flags.refetch,
    fetcher: flags.offline ? undefined : new Fetcher(config.fetch),
    parsePage: parseArticlePage,
  };
}
