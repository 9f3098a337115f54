/**
 * Wiring of live fetching for the CLI and the daemon: the got-based fetcher and the page parser, unless offline.
 */
import type { Config } from './types.js';
import type { BuildOptions } from './cycle.js';

export function liveFor(_config: Config, flags: { offline: boolean; refetch: boolean }): BuildOptions['live'] {
  return { offline: true, refetch: flags.refetch, fetcher: undefined, parsePage: () => ({ state: 'unavailable', reason: 'live fetching is not wired yet' }) };
}
