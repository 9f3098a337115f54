/**
 * The shapes that cross stages: the four article shapes (Observation → StoredObservation → Article → FeedArticle) and
 * what they are built from, input problems, the configuration, and the rows the store hands to the pure topics (the
 * store imports only foundations). Every other type lives with the module that makes it.
 */
import type { ContentState, FetchResult } from './states.js';
import type { DatePrecision } from './time.js';

/** Identity of a WeChat article as read from any URL shape or from the page itself. */
interface WechatRef {
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

/** What a problem is, for code to branch on (people read its `reason`). */
export type ProblemKind =
  /** A dumps folder that cannot be listed: the files known under it are kept. */
  | 'unreadable-folder'
  /** A link in a dumps folder that leads nowhere. */
  | 'broken-link'
  /** A dump file that cannot be read now: not recorded, read again on the next build. */
  | 'unreadable-file'
  /** A dump file read but not used (too large, not text, no front matter, a parser failure): recorded as such. */
  | 'bad-dump'
  /** A dump file used despite a problem (an unreadable date, and the fallback taken). */
  | 'dump-warning'
  /** A dump whose body changed or went away between its read and its publish. */
  | 'stale-dump'
  /** A line of a URL file that is not a URL to follow. */
  | 'bad-url'
  /** A URL file that is not a regular file: neither read nor written. */
  | 'url-file-refused'
  /** A URL file that cannot be read. */
  | 'unreadable-url-file'
  /** A followed page not fetched, not parsed, or without an article. */
  | 'page-failed'
  /** A followed list whose poll failed (the list alone). */
  | 'list-failed'
  /** A followed list WeChat refused to answer (the client was refused). */
  | 'list-refused'
  /** Albums of an account left unfollowed by `follow.maxAlbumsPerAccount`. */
  | 'over-cap'
  /** WeChat out of reach: fetching skipped until the cool-down ends. */
  | 'wechat-unreachable'
  /** WeChat refused the client (a captcha, frequency control): fetching paused. */
  | 'wechat-refused';

/** A problem with one input, reported and skipped; never fatal. */
export interface InputProblem {
  kind: ProblemKind;
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

/** The configuration, defined once by its schema (config.ts). */
export type { Config, FetchConfig, FollowAlbums, SourceConfig } from './config.js';

/**
 * What the last poll of an album's list gave: `ok`; `failed` (an answer about the list: it does not exist, the wrong
 * shape, too big, a network error; the list backs off on its own); `blocked` (WeChat refused the client: every
 * request paused, not the list's failure).
 */
export type AlbumPollResult = 'ok' | 'failed' | 'blocked';

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
