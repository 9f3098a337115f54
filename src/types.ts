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
 * shell: only the page's UI text; listed: an album (合集) lists the article (title, time, cover) and its page is not
 * read yet; captcha: the anti-crawler page; deleted / blocked / migrated / expired: a notice.
 */
export type ContentState =
  | 'full'
  | 'truncated'
  | 'shell'
  | 'listed'
  | 'captcha'
  | 'deleted'
  | 'blocked'
  | 'migrated'
  | 'expired';

/** The language of everything wxfeed writes for readers (`feed.language`). */
export type FeedLanguage = 'zh-CN' | 'en';

/** How precise a date is: a day (00:00 Asia/Shanghai) or an exact instant. */
export type DatePrecision = 'day' | 'exact';

/**
 * Where an article body is. A fetched page's body is sanitized HTML kept in the store. A dump's body stays in its
 * file: the store keeps the file's path and a hash of its bytes, and the file is read and rendered again when a feed
 * shows the article (the dump folders are the archive; most archived articles never reach a feed).
 * `hash` identifies the body: equal hashes, equal rendered HTML.
 */
export type Body =
  | { format: 'html'; text: string; hash: string }
  | {
      format: 'dump';
      path: string;
      hash: string;
      /** The page template learned for the dump's site, removed when the body is read (dumps/templates.ts). */
      template?: PageTemplate;
      /** Its id (dumps/templates.ts templateId): a kept rendering made under another template is not this body's. */
      templateId?: string;
    };

/**
 * A site's page template, learned from its dumps (dumps/templates.ts): fingerprints of the lines that open or close
 * most of one source's dumps of one host, ascending.
 */
export interface PageTemplate {
  prints: readonly number[];
}

/**
 * What one dump of a site that is not WeChat gives for learning its site's template (dumps/templates.ts): the
 * fingerprints and weights of its first and last lines. Pure data, made when the dump is read; the store keeps it.
 */
export interface DumpBlocks {
  /** The template group: the dump's source and its URL's host (`<source>\n<host>`). */
  group: string;
  /** Non-blank lines in the body. */
  lines: number;
  /**
   * Fingerprints of the first HEAD_LINES and the last TAIL_LINES non-blank lines, each line once: every line when
   * there are no more than both, else the head then the tail.
   */
  prints: Uint32Array;
  /** Visible characters of the same lines, at most 255 each. */
  weights: Uint8Array;
  /** Visible characters of the lines between the head and the tail, capped just above what can make a notice. */
  middle: number;
  /** The dumper cut the body: its last lines are the article's, not the page's footer. */
  cut: boolean;
  /**
   * The dump's text holds a WeChat notice phrase (a captcha, a deletion…) somewhere; looked for only when the text
   * between its first and last lines is short enough for a template to leave a notice.
   */
  notice: boolean;
}

/**
 * One copy of an article, as read from one dump file, one fetched page or one notice page (parse → store).
 * Pure data, no I/O.
 */
export interface Observation {
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
  /** When the copy was captured (epoch ms), used to order observations. */
  capturedAt?: number;
  state: ContentState;
  /** The article body: empty for shells and notices. */
  body: Body;
  /** Plain text length of the body, used to rank observations. */
  textLength: number;
  /** Summary; empty when it is to be taken from the body once rendered (markdown bodies) or from the state. */
  summary: string;
  /** Cover image URL. */
  cover?: string;
  /**
   * Something wrong with the input that did not stop this copy being used (a date that could not be read, and the
   * fallback taken): reported as a problem of its file, build after build, while the copy is published.
   */
  warning?: { reason: string; detail: string };
  /** A dump of a site that is not WeChat: what it gives for learning the site's page template. */
  blocks?: DumpBlocks;
}

/**
 * An observation as the store holds it (store → merge): where it came from (`file:<path>`, `page:<url>`,
 * `notice:<url>`, `album:<key>`), and its body known by hash only.
 */
export interface StoredObservation {
  origin: string;
  key: string;
  source: string;
  id: string;
  link: string;
  biz: string | null;
  mid: number | null;
  idx: number | null;
  sn: string | null;
  title: string;
  author: string | null;
  date: number;
  datePrecision: DatePrecision;
  capturedAt: number | null;
  state: ContentState;
  bodyHash: string;
  textLength: number;
  summary: string;
  cover: string | null;
}

/** One article: every observation of a key merged (merge → store → publish). */
export interface Article {
  key: string;
  id: string;
  link: string;
  title: string;
  author?: string;
  biz?: string;
  mid?: number;
  idx?: number;
  sn?: string;
  date: number;
  datePrecision: DatePrecision;
  state: ContentState;
  /** A later notice (deleted, blocked, migrated) seen after the article's content was captured. */
  notice?: ContentState;
  summary: string;
  cover?: string;
  /** The observation whose content is shown. */
  bestOrigin: string;
  /** Hash of everything a feed shows of the article: equal hashes render to equal bytes. */
  contentHash: string;
}

/** An article as a feed shows it (publish → renderer): the body rendered to sanitized HTML. */
export interface FeedArticle {
  key: string;
  id: string;
  link: string;
  title: string;
  /** The account that published it (feeds/accounts.ts): every item's author, and its category. */
  account?: string;
  /** The article's own author (a page's `var author`, a dump's `author:`), when it names one. */
  author?: string;
  date: number;
  datePrecision: DatePrecision;
  mid?: string;
  idx?: string;
  state: ContentState;
  notice?: ContentState;
  /** Sanitized HTML of the body. */
  contentHtml: string;
  summary: string;
  cover?: string;
  contentHash: string;
  /** A reprint: the account (and author) the body's card named; the card itself is not in the body. */
  reprint?: { from: string; author?: string };
}

/** A problem with one input, reported and skipped; never fatal. */
export interface InputProblem {
  /** File path or URL the problem is about. */
  where: string;
  /** Short reason, used to group problems in the summary. */
  reason: string;
  detail?: string;
}

/** How many articles a source label carries, and the WeChat accounts (`__biz`) among them. */
export interface SourceStats {
  source: string;
  articles: number;
  bizCount: number;
  biz: string | null;
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
  feed: {
    limit: number;
    title?: string;
    keepDeleted: boolean;
    /** The feeds' language and that of every text wxfeed writes into feeds, the OPML and the index page. */
    language: FeedLanguage;
    /** Whether articles with no text yet (shells, captcha pages) appear in feeds. */
    placeholders: 'show' | 'hide';
  };
  sources: SourceConfig[];
  /** Article URLs to follow, from the config itself. */
  urls: string[];
  /** Text files of article URLs (absolute paths); a missing file is an empty list. The first is where `add` writes. */
  urlFiles: string[];
  fetch: FetchConfig;
  /** Following albums (合集): which are followed, how far the first read goes, how often they are polled. */
  follow: FollowConfig;
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

/**
 * Which albums are followed besides those listed in `urls` and `urlFiles` (always followed): `urls`, the albums an
 * article page of a followed URL names (and, in turn, those the pages of their articles name); `all`, also those the
 * pages fetched for dumps name; `off`, none.
 */
export type FollowAlbums = 'urls' | 'all' | 'off';

export interface FollowConfig {
  albums: FollowAlbums;
  /** The first read of an album's list walks at most this many pages (20 items each). */
  maxPages: number;
  /** An album is polled at most this often (more rarely once quiet: fetch/schedule.ts); 0: every build. */
  albumIntervalMinutes: number;
  /** List and list-page requests (albums and homepages) one build may make; the rest wait for the next build. */
  maxRequestsPerRun: number;
  /** Lists followed per account at most (those named by pages beyond it are not followed). */
  maxAlbumsPerAccount: number;
  /** First reads of newly followed lists one build may start; the rest wait for the next builds. */
  maxNewAlbumsPerRun: number;
}

/** The three files of one feed, rendered. */
export interface RenderedFeed {
  atom: string;
  rss: string;
  json: string;
}

/** One published feed, as the health endpoint reports it. */
export interface FeedStatus {
  slug: string;
  title: string;
  /** `all`: every source together; `source`: an account or a dumps source; `album`: one followed album's articles. */
  kind: 'all' | 'source' | 'album';
  items: number;
  newest?: string;
  /** The latest fetch of any URL of this source: result and ISO time. */
  lastFetch?: { result: FetchResult; at: string; reason?: string };
  /** An album's feed: its album, and its last poll (also in `BuildSummary.albums`). */
  album?: AlbumStatus;
}

/**
 * What the last poll of an album's list gave: `ok`; `failed` (an answer about the list: it does not exist, the wrong
 * shape, too big, a network error; the list backs off on its own); `blocked` (WeChat refused the client: every
 * request paused, not the list's failure).
 */
export type AlbumPollResult = 'ok' | 'failed' | 'blocked';

/**
 * The request pace as /healthz reports it (server/status.ts): the delay between request starts in force and the one
 * configured, the multiplier between them (1 … 16, slowed after WeChat refused us, recovering 10 % per clean hour)
 * and since when it recovers; the cool-down in force, with its reason. As of `at`, the end of the last build.
 */
export interface PaceStatus {
  delayMs: number;
  configuredDelayMs: number;
  multiplier: number;
  /** ISO time the slowed pace began to recover from; only while the multiplier is above 1. */
  since?: string;
  cooldown?: { until: string; reason: 'captcha' | 'refused' | 'unreachable'; level: number; minutes: number };
  at: string;
}

/** One album the store knows (followed, or unfollowed by the user), as the health endpoint and `wxfeed list` report it. */
export interface AlbumStatus {
  albumId: string;
  biz: string;
  /** The album's own URL (its HTML page). */
  url: string;
  title?: string;
  /** The account's name (`nick_name` of the album page). */
  account?: string;
  /** Its feed's folder. */
  slug: string;
  /** False once the user unfollowed it (`wxfeed unfollow`): never polled, never followed again by discovery. */
  followed: boolean;
  /** Polled under the config in force (followed, and listed or discovered as `follow.albums` allows). */
  active: boolean;
  /** How it came to be followed: listed in `urls`/`urlFiles`, named by a followed page, or named by a dump's page. */
  via: AlbumVia;
  listed: boolean;
  /** Articles the store knows the album lists. */
  items: number;
  /** The last poll: ISO time, result, and (for the token holder only) why it failed. */
  lastPoll?: { at: string; result: AlbumPollResult; reason?: string };
  /** `album` (合集) or `homepage` (主页). */
  kind: ListKind;
  /**
   * When it is next due (ISO), by the activity schedule or its backoff: a time past means at the next build (`due`:
   * past at the time of the report). The time itself does not move with the clock, so a report read twice agrees.
   */
  nextPoll?: { at: string; due: boolean };
  /** Its polls fail: since when (the first failure in a row), and how many in a row. */
  failing?: { since: string; polls: number };
  /** Failing for 7 days or more: the album was probably deleted (or its id mistyped); the command that unfollows it. */
  probablyDeleted?: { unfollow: string };
  /** Its first read has not reached its end yet: the articles read so far (a later build goes on). */
  reading?: boolean;
}

/** Why an album is followed: `url` listed by the user; `page` named by the page of a followed article; `dump` named by a page fetched for a dump. */
export type AlbumVia = 'url' | 'page' | 'dump';

/**
 * A followed list of an account's articles: an album (合集) or the account's homepage (主页). Both are kept in the
 * `albums` table; a homepage's id is `home-<account number>-<hid>[-<cid>]`, which is also its feed's folder.
 */
export type ListKind = 'album' | 'homepage';

/** An album (or a homepage: `kind`) as the store keeps it (store → fetch stage, status). */
export interface AlbumRecord {
  albumId: string;
  kind: ListKind;
  biz: string;
  title: string | null;
  account: string | null;
  followed: boolean;
  listed: boolean;
  active: boolean;
  via: AlbumVia;
  /** When its HTML page was read (title and account), or null. */
  pageReadAt: number | null;
  /** The last poll that completed (its list read, or a malformed answer): the interval counts from it. */
  polledAt: number | null;
  /** The first read of its list is done (to its end, or `follow.maxPages` pages). */
  walked: boolean;
  lastAttemptAt: number | null;
  lastResult: AlbumPollResult | null;
  lastReason: string | null;
  failCount: number;
  items: number;
  /** When it was first followed. */
  addedAt: number;
  /** The newest article time it lists, as the store knows it. */
  newestAt: number | null;
  /** When a poll last found a new article in it. */
  foundAt: number | null;
  /** When its polls began to fail (the first failure of the current streak), or null. */
  failingSince: number | null;
  /** Where its unfinished first read continues (JSON of the list's position), or null. */
  walkCursor: string | null;
  /** A page read in this build named it: polled in the same build. */
  pollSoon: boolean;
}

/** One fetched URL under one source label of its article: when it was last fetched and what that gave. */
export interface FetchHistoryRow {
  source: string;
  url: string;
  at: number;
  result: FetchResult;
  reason: string | null;
}

export interface BuildSummary {
  fetch?: FetchSummary;
  /** Every published feed after the build. */
  feeds?: FeedStatus[];
  /** Every album the store knows, followed or not. */
  albums?: AlbumStatus[];
  /** The request pace and cool-down after the build (fetch/pace.ts), for /healthz. */
  pace?: PaceStatus;
  filesSeen: number;
  filesRead: number;
  filesUnchanged: number;
  filesRemoved: number;
  /** Sites (source and host) whose page template was learned again; of those, how many changed; dumps read again. */
  templates?: { sites: number; changed: number; reread: number };
  problems: InputProblem[];
  /** Inputs used despite a problem (a dump whose date could not be read, published with the fallback date). */
  warnings?: InputProblem[];
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
  | {
      kind: 'error';
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

/** What an article page is. */
export type PageState = 'ok' | 'deleted' | 'blocked' | 'migrated' | 'expired' | 'captcha' | 'unavailable';

/** What the last fetch of a URL gave: the page's state, or `error` (network, HTTP, a page that could not be read). */
export type FetchResult = PageState | 'error';

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
  /** The albums (合集) of the page's own account that the page names (parseArticlePage always sets it; [] for none). */
  albums?: PageAlbum[];
}

/** What the store knows of a followed URL's fetching (the re-read policy reads it: fetch/schedule.ts). */
export interface FetchRecord {
  lastFetchAt: number | null;
  lastResult: FetchResult | null;
  failCount: number;
  /** Publish time of the article, when known. */
  publishedAt: number | null;
  /** The only copy we have is not the article (a shell, captcha or cut dump): read it until we have it. */
  needsArticle: boolean;
}

/** A followed URL as the fetch stage sees it. */
export interface FollowedUrl extends FetchRecord {
  url: string;
  key: string | null;
  source: string | null;
  /** Listed in `urls` / `urlFiles`; the URL of a dump that is not the article; an article an album lists. */
  listed: boolean;
  fromDump: boolean;
  fromAlbum: boolean;
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
  /** WeChat could not be reached (several connection failures in a row): the rest waited for a later build. */
  unreachable?: boolean;
  deferred: number;
  cooldownUntil?: number;
  failures: InputProblem[];
  offline: boolean;
  /** Time spent fetching and filing pages. */
  elapsedMs: number;
  /** Albums followed and polled in this build. */
  albums?: AlbumFetchSummary;
}

/** What polling albums (and homepages) did in one build. */
export interface AlbumFetchSummary {
  /** Albums polled under the config (listed, or discovered as `follow.albums` allows). */
  active: number;
  due: number;
  polled: number;
  /** Polls that failed: an answer about the list (it does not exist, the wrong shape, too big, a network error). */
  failed: number;
  /** Polls WeChat refused (the client is refused: every request of the build stopped). */
  blocked: number;
  /** List and list-page requests made. */
  listRequests: number;
  pageRequests: number;
  /** Articles first seen in an album list. */
  newItems: number;
  /** Albums first followed in this build because a page named them. */
  discovered: number;
  /** Due polls and first reads left for the next builds by the budget (`follow.maxRequestsPerRun`, `maxNewAlbumsPerRun`). */
  deferred: number;
  /** Albums pages named that were not followed: their account has `follow.maxAlbumsPerAccount` followed already. */
  overCap: number;
  /** The build's budget of list and list-page requests (`follow.maxRequestsPerRun`). */
  budget: number;
}

// ───────────────────────────── Albums (合集): discovering an account's articles without login (issue 11) ─────────────

/** One album of one account, as its URL names it (wechat/album-url.ts). */
export interface AlbumRef {
  /** `__biz` of the account, standard base64 with padding (`Mzg4NTc2OTYxMQ==`). */
  biz: string;
  /** Digits only (`3329839945947119618`). */
  albumId: string;
  /** `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=<biz>&action=getalbum&album_id=<id>`: the album's HTML page. */
  canonical: string;
}

/** What a pasted album URL turned out to be. */
export type AlbumUrlResult = { ok: true; album: AlbumRef } | { ok: false; reason: string };

/** Where the next album list page starts: the last item of the page before (exclusive). Digits only. */
export interface AlbumCursor {
  msgid: string;
  itemidx: string;
}

/** One article an album lists (JSON list page or HTML album page). */
export interface AlbumItem {
  /** The article's `mid` (digits). */
  msgid: string;
  /** The article's `idx` (digits). */
  itemidx: string;
  /** At most 1,000 characters (longer ones end in `…`). */
  title: string;
  /** Epoch ms of the list's `create_time` (seconds apart from the page's `ct`: the page's is the publish time). */
  createTime: number;
  /** The list's time was out of range (before 2012, or more than a day ahead): `createTime` is when it was listed. */
  timeGuessed?: true;
  cover?: string;
  /** Canonical https article URL (`https://mp.weixin.qq.com/s?__biz=…&mid=…&idx=…&sn=…`). */
  url: string;
  /** Store key, `sn:<sn>`. */
  key: string;
  /** The item's number in the album (1 = the first published), when the answer gives it. */
  posNum?: number;
}

/** The order items came in, judged by `create_time` (most adjacent pairs); `unknown` for fewer than two or a tie. */
export type AlbumOrder = 'newest-first' | 'oldest-first' | 'unknown';

/** What parsing one album answer gave besides its items: the items it could not use. */
export interface AlbumSkips {
  /** Entries not used (no sn, not an object, another account, bad numbers, duplicates), counted. */
  skipped: number;
  /** Why, one line per distinct reason (at most 10). */
  skipReasons: string[];
}

/**
 * One album list page (`/mp/appmsgalbum?action=getalbum&…&f=json`), parsed. `refused`: WeChat refuses the client for
 * now (a verification page, `verify_status` ≠ "0", a frequency-control `ret`): the caller changes nothing stored and
 * pauses all fetching. Not refused: the answer concerns this album alone (another `ret`, the wrong shape).
 */
export type AlbumListResult =
  | ({
      ok: true;
      items: AlbumItem[];
      /** Another page follows (`continue_flag` "1", or more entries than the cap); false without a cursor. */
      more: boolean;
      /** Request the next page from here; undefined on a page with no usable entry. */
      cursor?: AlbumCursor;
      order: AlbumOrder;
    } & AlbumSkips)
  | { ok: false; reason: string; refused: boolean };

/** An album's HTML page (`/mp/appmsgalbum?__biz=…&action=getalbum&album_id=…`), parsed from its `window.cgiData`. */
export interface AlbumPage extends AlbumSkips {
  albumId?: string;
  /** From the URL the page was fetched from, else from its items when they all agree. */
  biz?: string;
  title?: string;
  /** `nick_name`. */
  account?: string;
  /** `user_name` (gh_…). */
  accountId?: string;
  /** `article_count`: the album's size. */
  articleCount?: number;
  /** `is_reverse`: the album is shown newest first. */
  reverse?: boolean;
  /** The newest items (the page holds up to 10), in the page's order. */
  items: AlbumItem[];
  /** `continue_flag`: more items than the page holds. */
  more?: boolean;
  /** The JSON list continues from here. */
  cursor?: AlbumCursor;
  order: AlbumOrder;
}

export type AlbumPageResult = { ok: true; page: AlbumPage } | { ok: false; reason: string; refused: boolean };

/** An album an article page names (album_info_list, cgiDataNew.appmsgalbuminfo, public_tag_info, cgiData.topics). */
export interface PageAlbum {
  albumId: string;
  /** Always the page's own account. */
  biz: string;
  title?: string;
  /** Articles in the album, as the page says. */
  size?: number;
}

// ───────────────────────────── Homepages (主页): the other login-free list of an account's articles (issue 20) ──────

/**
 * A homepage (主页) list: `https://mp.weixin.qq.com/mp/homepage?__biz=<biz>&hid=<n>[&cid=<n>]`, one column (`cid`) of
 * one homepage template (`hid`) of one account.
 */
export interface HomepageRef {
  /** Standard padded base64 of the account number (`normaliseAlbumBiz`). */
  biz: string;
  /** The homepage template's number: digits, no leading zero, at least 1. */
  hid: string;
  /** The column of the template (`0` is the leftmost); absent when the URL names none. */
  cid?: string;
  /** The list's id and its feed folder: `home-<account number>-<hid>[-<cid>]`. */
  id: string;
  /** `https://mp.weixin.qq.com/mp/homepage?__biz=<biz>&hid=<hid>[&cid=<cid>]`. */
  canonical: string;
}

export type HomepageUrlResult = { ok: true; homepage: HomepageRef } | { ok: false; reason: string };

/**
 * One homepage list answer (`POST /mp/homepage?…&begin=<k>&count=<n>&action=appmsg_list`), parsed. `more`: the
 * answer held a full page; `next`: the `begin` of the following page. `refused`: WeChat refuses the client (a
 * verification page, a frequency-control `ret`); not refused: the answer concerns this list alone.
 */
export type HomepageListResult =
  | ({ ok: true; items: AlbumItem[]; more: boolean; next: number; order: AlbumOrder } & AlbumSkips)
  | { ok: false; reason: string; refused: boolean };

/** A homepage's HTML page: its title (`div.articles_header > h2.rich_media_title`, else `<title>`) and account. */
export interface HomepagePage {
  title?: string;
  /** The account's name (`div.articles_header a`). */
  account?: string;
}

export type HomepagePageResult = { ok: true; page: HomepagePage } | { ok: false; reason: string; refused: boolean };
