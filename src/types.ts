/**
 * Types shared by every stage of wxfeed. Stages import from here, never from each other, for their data shapes.
 */

/** Identity of a WeChat article as read from any URL shape or from the page itself. */
export interface WechatRef {
  /** `__biz`, base64 of the account number, e.g. `MzI2NzI2OTExNA==`. */
  biz?: string;
  mid?: string;
  idx?: string;
  sn?: string;
  /** Token of a short link `/s/<token>` (no sn in the URL). */
  shortToken?: string;
  /** True for search-engine temporary links (`/s?src=11&timestamp=…&signature=…`): they expire and carry no sn. */
  temporary?: boolean;
}

/** What a URL turned out to be after parsing. */
export interface ParsedUrl extends WechatRef {
  kind: 'article' | 'short' | 'temporary' | 'other';
  /** Canonical article link when biz/mid/idx/sn are all known, else the normalised URL. */
  canonical: string;
}

/**
 * What a dump or page holds.
 * full: the article; truncated: the article, cut by the dumper (~8,000 chars);
 * shell: only the page's UI text; captcha: the anti-crawler page; deleted / blocked / migrated / expired: a notice.
 */
export type ContentState = 'full' | 'truncated' | 'shell' | 'captcha' | 'deleted' | 'blocked' | 'migrated' | 'expired';

/** How precise a date is: a day (00:00 Asia/Shanghai) or an exact instant. */
export type DatePrecision = 'day' | 'exact';

/** One observation of an article, from one dump file (or, later, one fetched page). Pure data, no I/O. */
export interface RawArticle {
  /** Store key: `sn:<sn>`, `short:<token>`, `url:<normalised url>` or `hash:<sha256>`; see keys.ts. */
  key: string;
  /** The id written into feeds: the canonical URL (parses as a URL, stable across formats and baseUrl). */
  id: string;
  /** Link readers open. */
  link: string;
  ref: WechatRef;
  title: string;
  /** Source label: the dump's `source` field (an account or a collection). */
  source: string;
  author?: string;
  /** Epoch milliseconds. */
  date: number;
  datePrecision: DatePrecision;
  /** When the dumper captured the page (epoch ms), used to order observations. */
  capturedAt?: number;
  state: ContentState;
  /** The article body as kept: see `StoredBody`. Empty for shells and notices. */
  body: StoredBody;
  /** Plain text length of the body, used to rank observations. */
  textLength: number;
  /** Summary; empty when it is to be taken from the body once rendered (markdown bodies). */
  summary: string;
  /** Cover image URL. */
  cover?: string;
}

/**
 * An article body as the store knows it. A fetched page's body is sanitized HTML kept in the store. A dump's body
 * stays in its file: the store keeps the file's path and a hash of its bytes, and the file is read and rendered again
 * when a feed shows the article (the dump folders are the archive; most archived articles never reach a feed).
 * `hash` identifies the body: equal hashes, equal rendered HTML.
 */
export type StoredBody =
  | { format: 'html'; text: string; hash: string }
  | { format: 'dump'; path: string; hash: string };

/** A problem with one input, reported and skipped; never fatal. */
export interface InputProblem {
  /** File path or URL the problem is about. */
  where: string;
  /** Short reason, used to group problems in the summary. */
  reason: string;
  detail?: string;
}

/** Per-source settings from the config. */
export interface SourceConfig {
  /** A `__biz` (base64 or its number) or a source/account name. */
  match: string;
  slug?: string;
  title?: string;
  include?: string[];
  exclude?: string[];
  limit?: number;
}

/** The validated, resolved configuration: absolute paths, defaults applied, frozen. */
export interface Config {
  /** Path of the config file it was loaded from (absolute), or undefined for defaults only. */
  file?: string;
  /** Always ends with `/`. */
  baseUrl: string;
  dumps: string[];
  output: string;
  store: string;
  feed: { limit: number; title?: string; keepDeleted: boolean };
  sources: SourceConfig[];
  /** Article URLs to follow, from the config itself. */
  urls: string[];
  /** Text files of article URLs (absolute paths); a missing file is an empty list. The first is where `add` writes. */
  urlFiles: string[];
  fetch: FetchConfig;
  /** When the daemon runs a cycle. */
  schedule: { cron: string; timezone: string };
  /** The feed server (`wxfeed serve`, and inside the daemon unless disabled). */
  server: { enabled: boolean; host: string; port: number; token?: string };
  /** How images in feeds reach readers: as they are, with referrerpolicy=no-referrer, or through our signed proxy. */
  images: 'direct' | 'no-referrer' | 'proxy';
  imageProxy: {
    secret?: string;
    maxBytes: number;
    cacheMaxBytes: number;
    cacheDir: string;
    timeoutMs: number;
    upstream?: string;
  };
}

/** Live fetching of article pages. */
export interface FetchConfig {
  /** Scheme and host that stand in for https://mp.weixin.qq.com (a mirror, or a test server). No trailing slash. */
  origin: string;
  concurrency: number;
  /** Minimum gap between request starts, ±20 % jitter. */
  delayMs: number;
  timeoutMs: number;
  /** Retries for network errors and 5xx. */
  retries: number;
  retryBaseMs: number;
  /** Response size cap, counted after decompression. */
  maxBytes: number;
  /** Re-read the URL of every dump that is not the article (shell, captcha, cut copy). */
  dumps: boolean;
  /** Articles older than this are not re-read once fetched. */
  maxAgeDays: number;
  /** At most this many fetches per build; the rest wait for the next one. */
  maxPerRun: number;
  /** First cool-down after a captcha or rate-limit page; doubles on each repeat up to the max. */
  cooldownMinutes: number;
  cooldownMaxMinutes: number;
}

/** An article as the store hands it to the renderer. */
export interface FeedArticle {
  key: string;
  id: string;
  link: string;
  title: string;
  author?: string;
  date: number;
  datePrecision: DatePrecision;
  mid?: string;
  idx?: string;
  state: ContentState;
  /** A later notice (deleted, blocked, migrated) seen after the article's content was captured. */
  notice?: ContentState;
  /** Sanitized HTML of the body. */
  contentHtml: string;
  summary: string;
  cover?: string;
  contentHash: string;
}

/** An article as the store reads it: the body not yet rendered. `toFeedArticle` (content/body.ts) renders it. */
export interface StoredArticle extends Omit<FeedArticle, 'contentHtml'> {
  body: StoredBody;
}

/** The three files of one feed, rendered. */
export interface RenderedFeed {
  atom: string;
  rss: string;
  json: string;
}

/** What a build reports. */
/** One published feed, as the health endpoint reports it. */
export interface FeedStatus {
  slug: string;
  title: string;
  items: number;
  newest?: string;
  /** The latest fetch of any URL of this source: result and ISO time. */
  lastFetch?: { result: string; at: string; reason?: string };
}

export interface BuildSummary {
  fetch?: FetchSummary;
  /** Every published feed after the build. */
  feeds?: FeedStatus[];
  filesSeen: number;
  filesRead: number;
  filesUnchanged: number;
  filesRemoved: number;
  problems: InputProblem[];
  articles: number;
  duplicatesMerged: number;
  sources: number;
  feedsWritten: number;
  feedsUnchanged: number;
  filesWritten: string[];
  elapsedMs: number;
  outputDir: string;
}

/** What fetching one URL gave. */
export type FetchOutcome =
  | { kind: 'ok'; url: string; finalUrl: string; status: number; html: string }
  | { kind: 'captcha'; url: string; location: string }
  | { kind: 'error'; url: string; reason: string; status?: number };

/** Anything that fetches pages politely (the got-based fetcher, or a test double). */
export interface PageFetcher {
  fetchAll(urls: string[], onResult: (r: FetchOutcome) => void | Promise<void>, signal?: AbortSignal): Promise<void>;
}

/** What an article page is. */
export type PageState = 'ok' | 'deleted' | 'blocked' | 'migrated' | 'expired' | 'captcha' | 'unavailable';

/** An article page, parsed (pure: html + url). */
export interface ParsedPage {
  state: PageState;
  reason?: string;
  showType?: number;
  biz?: string;
  mid?: string;
  idx?: string;
  sn?: string;
  canonical?: string;
  title?: string;
  account?: string;
  accountId?: string;
  author?: string;
  /** Epoch ms, exact. */
  publishedAt?: number;
  cover?: string;
  description?: string;
  /** Sanitized body (ok pages). */
  contentHtml?: string;
  textLength?: number;
  migratedTo?: string;
  sourceUrl?: string;
}

/** What live fetching did in one build. */
export interface FetchSummary {
  listed: number;
  due: number;
  fetched: number;
  unchanged: number;
  deleted: number;
  blocked: number;
  failed: number;
  skippedByCooldown: number;
  deferred: number;
  cooldownUntil?: number;
  failures: InputProblem[];
  offline: boolean;
  /** Time spent fetching and filing pages. */
  elapsedMs: number;
}
