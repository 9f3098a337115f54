/**
 * What the fetch topic asks of the network: a polite fetcher of pages and what one fetch gives (http/ makes them),
 * and live fetching for a build (commands/live.ts joins the fetcher and the page parsers). Types only: the pure
 * modules that drive fetching name them without depending on the I/O edge.
 */
import type { AlbumPageResult } from '../wechat/album.js';
import type { ParsedPage } from '../wechat/article-page.js';
import type { HomepagePageResult } from '../wechat/homepage.js';

/** Why a request failed (http/client.ts), for code to branch on; its `reason` says it for people. */
export type RequestFailure =
  /** An answer other than 200 or a redirect: its `status` says which. */
  | 'status'
  /** A body over the size cap. */
  | 'too-large'
  /** A body that ended before its length, or a connection closed mid-body. */
  | 'truncated'
  /** A compressed body that does not decompress. */
  | 'bad-body'
  | 'timeout'
  /** No connection, or one that broke (refused, reset, no route, no name). */
  | 'network'
  /** The caller's signal stopped it. */
  | 'aborted';

/** Why fetching a page failed: its request's failure, or a URL or redirect the page client does not follow. */
export type FetchFailure = RequestFailure | 'not-wechat' | 'redirect';

/** What fetching one URL gave. */
export type FetchOutcome =
  | { kind: 'ok'; url: string; finalUrl: string; status: number; html: string }
  | { kind: 'captcha'; url: string; location: string }
  | {
      kind: 'error';
      code: FetchFailure;
      url: string;
      reason: string;
      status?: number;
      unreachable?: true;
      /** A 429, 503 or 403 that said when to come back (`Retry-After`), in ms from the answer (at most a day). */
      retryAfterMs?: number;
    };

/** Anything that fetches pages politely (the got-based fetcher, or a test double). */
export interface PageFetcher {
  fetchAll(urls: string[], onResult: (r: FetchOutcome) => void | Promise<void>, signal?: AbortSignal): Promise<void>;
  /**
   * One URL, under the same pacing, origin and retries. `redirects: false` (album lists): a redirect is not followed
   * but answered `captcha` with its location (WeChat refuses for now).
   */
  fetchOne(
    url: string,
    opts?: { redirects?: boolean; method?: 'GET' | 'POST' },
    signal?: AbortSignal,
  ): Promise<FetchOutcome>;
  /**
   * Slow the pace: request starts become `delayMs × multiplier` apart (≥ 1; 1 is the configured pace), from the
   * next start on. The pacing policy (fetch/pace.ts) decides the multiplier.
   */
  setPace(multiplier: number): void;
  /** The multiplier in force. */
  pace(): number;
}

/** Live fetching for a build: a fetcher and the page parser. A build without it is offline. */
export interface LiveFetch {
  fetcher: PageFetcher;
  /** Parses a fetched page (off the serving thread, under a time budget); rejects when it cannot. */
  parsePage: (html: string, url: string) => Promise<ParsedPage>;
  /**
   * Parses a fetched album HTML page (off the serving thread, under the same budget; `now`: the time of the fetch,
   * for the list's times); rejects when it cannot, as `parsePage` does.
   */
  parseAlbumPage: (html: string, url: string, now: number) => Promise<AlbumPageResult>;
  /** Parses a fetched homepage HTML page (its title and account), in the same thread under the same budget. */
  parseHomepagePage: (html: string, url: string) => Promise<HomepagePageResult>;
  /** Ends what fetching started (the page-parser thread). */
  close: () => Promise<void>;
  /** Fetch every followed URL now, whatever the re-read schedule says. */
  refetch: boolean;
}
