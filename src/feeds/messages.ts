/**
 * Every text wxfeed writes for a reader (into feeds, the OPML, the index page, and the bodies of the pages it reads),
 * in each language `feed.language` names: `zh-CN` (the default) and `en`. One table per language, the same keys in
 * both (the type checks it). Pure.
 */
import type { ContentState } from '../states.js';
import type { PageTexts } from '../wechat/article-page.js';

/** The language of everything wxfeed writes for readers (`feed.language`). */
export type FeedLanguage = 'zh-CN' | 'en';

/** The language when `feed.language` is left out. */
export const DEFAULT_LANGUAGE: FeedLanguage = 'zh-CN';

/** Every text of the index page in one language. Counts take their number and give the whole phrase (plurals). */
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
}

/** Every text of one language. */
export interface Messages {
  /** What the archive holds, for a state whose copy is not (all of) the article: shown in place of, or above, it. */
  notice: Readonly<Record<Exclude<ContentState, 'full'>, string>>;
  /** After a later notice (deleted, blocked, migrated) shown above the copy saved before it. */
  savedBefore: string;
  /** The text of the link to the article on WeChat (or the site). */
  openOriginal: string;
  /** The one credit line of a reprint ("以下文章来源于X ，作者Y"): the account it comes from, and its author. */
  reprint: (from: string, author?: string) => string;
  /** Title of the feed of every source (`all/`) and of the OPML, when `feed.title` gives none. */
  allAccounts: string;
  /** Description of `all/`. */
  allDescription: string;
  /** Description of one source's feed. */
  feedDescription: (title: string) => string;
  /** The title of an album's feed, or a homepage's, while the list's own title is unknown: by its id, by its number. */
  untitledAlbum: (albumId: string) => string;
  untitledHomepage: (n: string) => string;
  /** What the article-page parser writes into a body: the labels of voice, video and music, a repost's link. */
  page: PageTexts;
  /** The index page. */
  index: IndexTexts;
}

const group = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const ZH: Messages = {
  notice: {
    truncated: '存档只保存了文章的前一部分，全文请阅读原文。',
    shell: '存档只有页面框架，没有正文。请打开原文阅读。',
    listed: '这篇文章来自合集列表，正文尚未读取。请打开原文阅读。',
    captcha: '存档时微信显示的是验证页面，没有保存到正文。请打开原文阅读。',
    deleted: '原文已被作者删除。',
    blocked: '此文章已被微信屏蔽，无法查看。',
    migrated: '该公众号已迁移到新的账号。',
    expired: '存档的链接已过期。',
  },
  savedBefore: '以下是此前保存的内容。',
  openOriginal: '阅读原文',
  reprint: (from, author) => (author ? `转载自 ${from} · 作者 ${author}` : `转载自 ${from}`),
  allAccounts: '全部公众号',
  allDescription: '用 wxfeed 订阅的全部公众号',
  feedDescription: (title) => `${title} 的文章，由 wxfeed 发布`,
  untitledAlbum: (albumId) => `合集 ${albumId}`,
  untitledHomepage: (n) => `主页 ${n}`,
  page: {
    voice: '语音',
    video: '视频',
    music: '音乐',
    repost: { before: '转载文章，请阅读', link: '原文', after: '。' },
  },
  index: {
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
  },
};

const EN: Messages = {
  notice: {
    truncated: 'This copy was cut short by the archiver; open the original for the rest.',
    shell: 'The archived copy holds only the page frame, not the article text. Open the original to read it.',
    listed: 'Listed in an album (合集); the article itself has not been read yet. Open the original to read it.',
    captcha:
      'WeChat showed a verification page instead of the article when it was archived. Open the original to read it.',
    deleted: 'The author has deleted this article (该内容已被发布者删除).',
    blocked: 'WeChat has blocked this article (此内容无法查看).',
    migrated: 'This account has moved to a new account (该公众号已迁移).',
    expired: 'The archived link had expired (链接已过期).',
  },
  savedBefore: 'The copy below was saved before.',
  openOriginal: 'Open the original article',
  reprint: (from, author) => (author ? `Reprinted from ${from} · by ${author}` : `Reprinted from ${from}`),
  allAccounts: 'All accounts',
  allDescription: 'Every account followed with wxfeed',
  feedDescription: (title) => `Articles of ${title}, published by wxfeed`,
  untitledAlbum: (albumId) => `Album ${albumId}`,
  untitledHomepage: (n) => `Homepage ${n}`,
  page: {
    voice: 'Voice message',
    video: 'Video',
    music: 'Music',
    repost: { before: 'Repost of ', link: 'the original article', after: '.' },
  },
  index: {
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
  },
};

const TABLES: Readonly<Record<FeedLanguage, Messages>> = { 'zh-CN': ZH, en: EN };

/** The texts of a language. */
export const messages = (language: FeedLanguage = DEFAULT_LANGUAGE): Messages => TABLES[language];
