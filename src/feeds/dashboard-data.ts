/**
 * What the index page (the dashboard) shows, derived from what the store holds: per feed its live-fetch state (ok,
 * failing since …, or cool-down until …), the request pace when it is slowed, and the texts of the page in its two
 * languages. Pure: rows in, values out.
 */
import type { Pace, PaceReason } from '../fetch/pace.js';
import { isFailedResult } from '../states.js';
import { SHANGHAI_OFFSET_MS } from '../time.js';
import type { FeedLanguage, FetchHistoryRow } from '../types.js';

/** The index page speaks the feeds' language (`feed.language`). */
export type IndexLanguage = FeedLanguage;

type FetchRow = FetchHistoryRow;

/**
 * A feed's live fetching. `ok`: the latest fetch of any of its URLs went through. `failing`: the latest failed;
 * `since` is the first failure on record after the last fetch that went through (each URL keeps only its latest
 * fetch, so the streak may have started earlier). `cooldown`: all fetching is paused (a captcha page, or WeChat out
 * of reach) until `until`; `after` is the state it had before, shown again once the cool-down is over.
 */
export type LiveState =
  | { kind: 'ok'; at: number }
  | { kind: 'failing'; since: number; at: number; reason?: string }
  | { kind: 'cooldown'; until: number; after: Exclude<LiveState, { kind: 'cooldown' }> };

/** A cool-down as the page shows it: when it ends and why (a captcha page, a refusal, WeChat out of reach). */
export interface IndexCooldown {
  until: number;
  level?: number;
  reason?: PaceReason | undefined;
}

/** The state of one feed from the fetch rows of its source labels; undefined when none of its URLs was fetched. */
export function liveState(
  rows: readonly FetchRow[],
  cooldown: Pick<IndexCooldown, 'until'> | undefined,
  now: number,
): LiveState | undefined {
  if (rows.length === 0) return undefined;
  let last = rows[0]!;
  let okAt = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (r.at > last.at) last = r;
    if (!isFailedResult(r.result) && r.at > okAt) okAt = r.at;
  }
  let base: Exclude<LiveState, { kind: 'cooldown' }>;
  if (isFailedResult(last.result)) {
    let since = last.at;
    for (const r of rows) if (isFailedResult(r.result) && r.at > okAt && r.at < since) since = r.at;
    base = { kind: 'failing', since, at: last.at, ...(last.reason ? { reason: last.reason } : {}) };
  } else base = { kind: 'ok', at: last.at };
  return cooldown && cooldown.until > now ? { kind: 'cooldown', until: cooldown.until, after: base } : base;
}

/** Per feed slug, its live state: the fetch rows of its source labels (`slugLabels`, as publish records them). */
export function liveStates(
  rows: readonly FetchRow[],
  slugLabels: Readonly<Record<string, readonly string[]>>,
  cooldown: Pick<IndexCooldown, 'until'> | undefined,
  now: number,
): Map<string, LiveState> {
  const bySource = new Map<string, FetchRow[]>();
  for (const r of rows) {
    const list = bySource.get(r.source);
    if (list) list.push(r);
    else bySource.set(r.source, [r]);
  }
  const out = new Map<string, LiveState>();
  for (const [slug, labels] of Object.entries(slugLabels)) {
    const state = liveState(
      labels.flatMap((l) => bySource.get(l) ?? []),
      cooldown,
      now,
    );
    if (state) out.set(slug, state);
  }
  return out;
}

/**
 * The request pace as the page shows it: the delay between requests in seconds and the multiplier, each to one
 * decimal (`3.0`, `2`, `1.8`). Undefined when nothing is slowed: a multiplier that rounds to 1, or no delay at all
 * (`fetch.delayMs: 0` multiplied is still 0). Rounded here so the page changes only when what it says changes.
 */
export interface IndexPace {
  seconds: string;
  multiplier: string;
}

export function indexPace(pace: Pick<Pace, 'multiplier' | 'delayMs'>): IndexPace | undefined {
  const tenths = Math.round(pace.multiplier * 10);
  if (!Number.isFinite(tenths) || tenths <= 10 || !(pace.delayMs > 0)) return undefined;
  return { seconds: (pace.delayMs / 1000).toFixed(1), multiplier: String(tenths / 10) };
}

// ─────────────────────────────────────────── Dates, in Beijing time ───────────────────────────────────────────

const beijing = (ms: number): string => new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
/** `2024-07-20`. */
export const dayOf = (ms: number): string => beijing(ms).slice(0, 10);
/** `2024-07-20 12:30`. */
export const dateTimeOf = (ms: number): string => `${beijing(ms).slice(0, 10)} ${beijing(ms).slice(11, 16)}`;
/** `12:30`. */
export const clockOf = (ms: number): string => beijing(ms).slice(11, 16);
/** The instant with its Beijing offset, for `<time datetime>`: `2024-07-20T12:30:00+08:00`. */
export const isoOf = (ms: number): string => `${beijing(ms).slice(0, 19)}+08:00`;

// ─────────────────────────────────────────────────── Texts ───────────────────────────────────────────────────

/** Every text of the page in one language. Counts take their number and give the whole phrase (plurals). */
export interface IndexTexts {
  feeds: (n: number) => string;
  articles: (n: number) => string;
  intro: string;
  /** Before the link to feeds.opml, and after it. */
  opmlBefore: string;
  opmlAfter: string;
  everything: string;
  jumpLatest: string;
  jumpFeeds: string;
  feedsHeading: string;
  latestHeading: (n: number) => string;
  noLatest: string;
  search: string;
  searchLabel: string;
  sortLabel: string;
  sortNewest: string;
  sortName: string;
  sortCount: string;
  newest: string;
  album: string;
  lastPoll: string;
  never: string;
  nextPoll: string;
  pollFailing: (since: string) => string;
  troubleHeading: (n: number) => string;
  troubleReason: string;
  probablyDeleted: string;
  liveOk: string;
  liveFailing: (since: string) => string;
  liveCooldown: (until: string) => string;
  pausedCaptcha: (until: string) => string;
  pausedUnreachable: (until: string) => string;
  pausedRefused: (until: string) => string;
  /** The request pace while it is slowed (after WeChat refused us): seconds apart, and how many times slower. */
  pace: (seconds: string, multiplier: string) => string;
  copy: string;
  copyTitle: string;
  /** For the script: `{n}` and `{total}` are replaced. */
  shown: string;
  noMatch: string;
  copied: string;
  copyFailed: string;
  cooldownOver: string;
}

const group = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const TEXTS: Record<IndexLanguage, IndexTexts> = {
  'zh-CN': {
    feeds: (n) => `${group(n)} 个订阅源`,
    articles: (n) => `${group(n)} 篇文章`,
    intro: '在阅读器里订阅单个公众号或合集，或一次订阅全部。',
    opmlBefore: '也可以把 ',
    opmlAfter: ' 导入阅读器，一次订阅所有订阅源。',
    everything: '全部',
    jumpLatest: '最新文章',
    jumpFeeds: '订阅源',
    feedsHeading: '订阅源',
    latestHeading: (n) => `最新 ${group(n)} 篇文章`,
    noLatest: '还没有文章。',
    search: '按名称搜索公众号和合集',
    searchLabel: '搜索',
    sortLabel: '排序',
    sortNewest: '最新文章',
    sortName: '名称',
    sortCount: '文章数',
    newest: '最新：',
    album: '合集',
    lastPoll: '上次轮询',
    never: '尚未轮询',
    nextPoll: '下次轮询',
    pollFailing: (since) => `自 ${since} 起轮询失败`,
    troubleHeading: (n) => `${group(n)} 个合集或主页轮询失败`,
    troubleReason: '原因：',
    probablyDeleted: '已连续失败 7 天，可能已被删除（或编号有误）。停止关注：',
    liveOk: '抓取正常',
    liveFailing: (since) => `自 ${since} 起抓取失败`,
    liveCooldown: (until) => `冷却中，${until} 恢复`,
    pausedCaptcha: (until) => `遇到验证码或限流，实时抓取暂停到 ${until}。`,
    pausedUnreachable: (until) => `连不上微信，实时抓取暂停到 ${until}。`,
    pausedRefused: (until) => `微信拒绝了请求（HTTP 429/403 或频率限制），实时抓取暂停到 ${until}。`,
    pace: (seconds, multiplier) => `请求间隔 ${seconds} 秒（已放慢 ${multiplier}×，每小时恢复 10%）`,
    copy: '复制链接',
    copyTitle: '复制 Atom 订阅地址',
    shown: '显示 {n} / {total} 个订阅源',
    noMatch: '没有名称相符的订阅源。',
    copied: '已复制',
    copyFailed: '复制失败',
    cooldownOver: '冷却已结束',
  },
  en: {
    feeds: (n) => `${group(n)} ${n === 1 ? 'feed' : 'feeds'}`,
    articles: (n) => `${group(n)} ${n === 1 ? 'article' : 'articles'}`,
    intro: 'Subscribe to one account or album in your feed reader, or to everything at once. ',
    opmlBefore: 'Or import ',
    opmlAfter: ' into your reader to follow every feed.',
    everything: 'Everything',
    jumpLatest: 'Newest articles',
    jumpFeeds: 'Feeds',
    feedsHeading: 'Feeds',
    latestHeading: (n) => (n === 1 ? 'The newest article' : `The ${group(n)} newest articles`),
    noLatest: 'No articles yet.',
    search: 'Search accounts and albums by name',
    searchLabel: 'Search',
    sortLabel: 'Sort',
    sortNewest: 'Newest article',
    sortName: 'Name',
    sortCount: 'Item count',
    newest: 'Newest:',
    album: 'album',
    lastPoll: 'last poll',
    never: 'not polled yet',
    nextPoll: 'next poll',
    pollFailing: (since) => `polls failing since ${since}`,
    troubleHeading: (n) => `${group(n)} ${n === 1 ? 'album or homepage' : 'albums or homepages'} failing`,
    troubleReason: 'Reason: ',
    probablyDeleted: 'Failing for 7 days: probably deleted (or a wrong id). To stop following it:',
    liveOk: 'fetch ok',
    liveFailing: (since) => `failing since ${since}`,
    liveCooldown: (until) => `cool-down until ${until}`,
    pausedCaptcha: (until) => `A captcha or rate-limit page: live fetching is paused until ${until}.`,
    pausedUnreachable: (until) => `WeChat could not be reached: live fetching is paused until ${until}.`,
    pausedRefused: (until) =>
      `WeChat refused our requests (HTTP 429/403 or frequency control): live fetching is paused until ${until}.`,
    pace: (seconds, multiplier) => `Request pace: ${seconds} s apart (slowed ${multiplier}×, recovering 10 % per hour)`,
    copy: 'Copy link',
    copyTitle: "Copy the Atom feed's address",
    shown: '{n} of {total} feeds',
    noMatch: 'No feed has a name like that.',
    copied: 'Copied',
    copyFailed: 'Could not copy',
    cooldownOver: 'cool-down over',
  },
};

export function textsFor(language: IndexLanguage): IndexTexts {
  return TEXTS[language];
}
