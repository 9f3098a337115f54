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
  /** Before the link to albums.opml, and after it (shown when there are album or homepage feeds). */
  albumsOpmlBefore: string;
  albumsOpmlAfter: string;
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
  /** Without `server.token`: how to manage from the page (the config key and the two commands, as code). */
  manageHint: (key: string, daemon: string, serve: string) => string;
}

/**
 * The management panel's texts, for the page's script: plain strings whose `{name}` parts it fills in (times in
 * Beijing time, names and reasons as text).
 */
interface ManageTexts {
  heading: string;
  checking: string;
  /** The page is served without the management API (another web server, or the API unreachable). */
  readOnly: string;
  tokenLabel: string;
  signIn: string;
  signInWrong: string;
  /** `{seconds}`: until the next attempt is taken. */
  signInLimited: string;
  signOut: string;
  signedOut: string;
  /** The session ended (signed out elsewhere, a token change, a restart). */
  expired: string;
  followLabel: string;
  followHint: string;
  follow: string;
  outcomeAdded: string;
  outcomeAlready: string;
  outcomeRefused: string;
  cycleStarted: string;
  cycleQueued: string;
  cycleRunning: string;
  /** `{when}`. */
  cycleEnded: string;
  /** Feeds published since the page was loaded: its own list does not show them yet. */
  stale: string;
  reload: string;
  followingHeading: string;
  nothingFollowed: string;
  account: string;
  homepage: string;
  urlsHeading: string;
  otherHeading: string;
  unfollow: string;
  /** `{name}`. */
  unfollowConfirm: string;
  /** `{name}`. */
  unfollowed: string;
  stopUrl: string;
  /** `{url}`. */
  stopUrlConfirm: string;
  unfollowAccount: string;
  /** `{name}`. */
  unfollowAccountConfirm: string;
  /** `{when}`. */
  lastPoll: string;
  neverPolled: string;
  /** `{when}`. */
  nextPoll: string;
  nextPollDue: string;
  /** `{since}`, `{polls}`. */
  failing: string;
  /** `{reason}`. */
  reason: string;
  /** `{when}`, `{result}`. */
  lastRead: string;
  notRead: string;
  refresh: string;
  /** `{until}`: a refresh now ends the cool-down. */
  refreshConfirm: string;
  refreshStarted: string;
  /** `{error}`. */
  failed: string;
  offline: string;
}

/** One alert's words: a title line and a short body. */
export interface AlertWords {
  title: string;
  body: string;
}

/** The alerts' texts (feeds/alerts.ts); times come in Beijing time, names and errors as plain text. */
interface AlertTexts {
  /** WeChat refused the client (a captcha or verify page, or a refusal): fetching paused until then. */
  blocked: (until: string, captcha: boolean) => AlertWords;
  unreachable: (until: string) => AlertWords;
  cycleFailed: (error: string) => AlertWords;
  albumFailing: (name: string, polls: number, since: string, reason?: string) => AlertWords;
  /** The end of a condition (`name`: the list's, for `album-failing`), which began at `since`. */
  recovered: (
    of: 'blocked' | 'unreachable' | 'cycle-failed' | 'album-failing',
    since: string,
    name?: string,
  ) => AlertWords;
  /** New articles in a cycle: how many, and a line per feed that has some. */
  newArticles: (n: number, feeds: readonly string[]) => AlertWords;
  /** A feed's line in `newArticles`. */
  feedLine: (title: string, n: number) => string;
  /** More feeds than the message lists. */
  more: (n: number) => string;
  test: AlertWords;
  /** Before the index page's link, and before the feed's. */
  page: string;
  feed: string;
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
  /** The title of albums.opml, from that of feeds.opml. */
  albumsOpml: (title: string) => string;
  /** What the article-page parser writes into a body: the labels of voice, video and music, a repost's link. */
  page: PageTexts;
  /** The index page. */
  index: IndexTexts;
  /** The alerts `notify` sends. */
  alerts: AlertTexts;
  /** The index page's management panel. */
  manage: ManageTexts;
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
  albumsOpml: (title) => `${title}：合集与主页`,
  alerts: {
    blocked: (until, captcha) => ({
      title: 'wxfeed：微信拒绝了请求',
      body: `${captcha ? '遇到验证码或限流' : '微信拒绝了请求（HTTP 429/403 或频率限制）'}，实时抓取暂停到 ${until}。`,
    }),
    unreachable: (until) => ({ title: 'wxfeed：连不上微信', body: `连不上微信，实时抓取暂停到 ${until}。` }),
    cycleFailed: (error) => ({ title: 'wxfeed：运行失败', body: `这次运行失败：${error}` }),
    albumFailing: (name, polls, since, reason) => ({
      title: `wxfeed：${name} 轮询失败`,
      body: `自 ${since} 起连续 ${polls} 次轮询失败${reason ? `，原因：${reason}` : ''}。`,
    }),
    recovered: (of, since, name) => {
      const what = {
        blocked: '微信不再拒绝请求，抓取已恢复',
        unreachable: '又能连上微信了，抓取已恢复',
        'cycle-failed': '运行已恢复正常',
        'album-failing': `${name ?? ''} 的轮询已恢复正常`,
      }[of];
      return { title: `wxfeed：${what}`, body: `${what}（问题始于 ${since}）。` };
    },
    newArticles: (n, feeds) => ({ title: `wxfeed：${group(n)} 篇新文章`, body: feeds.join('\n') }),
    feedLine: (title, n) => `${title}：${group(n)} 篇`,
    more: (n) => `还有 ${group(n)} 个订阅源`,
    test: { title: 'wxfeed：测试消息', body: '这是 wxfeed notify --test 发送的测试消息，说明提醒设置正确。' },
    page: '首页：',
    feed: '订阅源：',
  },
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
    opmlAfter: ' 导入阅读器，一次订阅所有公众号和其他来源。',
    albumsOpmlBefore: '合集和主页另在 ',
    albumsOpmlAfter: ' 里：其中的文章也都在所属公众号的订阅源里，两个都导入，阅读器会显示两遍。',
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
    manageHint: (key, daemon, serve) =>
      `只读页面。要在这里关注和取消关注，请在配置中设置 ${key}，并用 ${daemon} 或 ${serve} 提供此页。`,
  },
  manage: {
    heading: '管理',
    checking: '正在连接服务器…',
    readOnly: '只读：这个服务器不提供管理接口（请用 wxfeed daemon 或 wxfeed serve 提供此页）。',
    tokenLabel: '令牌（配置中的 server.token）',
    signIn: '登录',
    signInWrong: '令牌不对。',
    signInLimited: '失败次数太多，请 {seconds} 秒后再试。',
    signOut: '退出登录',
    signedOut: '已退出登录。',
    expired: '登录已失效，请重新登录。',
    followLabel: '关注',
    followHint: '粘贴文章、合集或主页的链接，每行一个。',
    follow: '关注',
    outcomeAdded: '已添加',
    outcomeAlready: '已在关注',
    outcomeRefused: '未添加',
    cycleStarted: '已开始抓取，完成后这里会显示新的订阅源。',
    cycleQueued: '当前这次抓取结束后会再抓取一次。',
    cycleRunning: '正在抓取…',
    cycleEnded: '上次抓取结束于 {when}。',
    stale: '有新的订阅源：重新载入此页，页面的订阅源列表和最新文章里就会有它们。',
    reload: '重新载入',
    followingHeading: '正在关注',
    nothingFollowed: '还没有关注任何公众号。',
    account: '公众号',
    homepage: '主页',
    urlsHeading: '关注的文章链接',
    otherHeading: '其他来源',
    unfollow: '取消关注',
    unfollowConfirm: '取消关注“{name}”？已保存的文章会保留。',
    unfollowed: '已取消关注“{name}”，已保存的文章会保留。',
    stopUrl: '停止关注',
    stopUrlConfirm: '停止关注这个链接？已保存的文章会保留。\n{url}',
    unfollowAccount: '取消关注公众号',
    unfollowAccountConfirm: '取消关注公众号“{name}”的全部合集、主页和文章链接？已保存的文章会保留。',
    lastPoll: '上次轮询 {when}',
    neverPolled: '尚未轮询',
    nextPoll: '下次轮询 {when}',
    nextPollDue: '下次抓取时轮询',
    failing: '自 {since} 起失败（连续 {polls} 次）',
    reason: '原因：{reason}',
    lastRead: '上次读取 {when}：{result}',
    notRead: '尚未读取',
    refresh: '立即刷新',
    refreshConfirm: '冷却到 {until}。立即刷新会结束冷却，马上再次请求微信，可能再次被拦。继续吗？',
    refreshStarted: '已开始抓取。',
    failed: '出错了：{error}',
    offline: '连不上服务器。',
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
  albumsOpml: (title) => `${title}: albums and homepages`,
  alerts: {
    blocked: (until, captcha) => ({
      title: 'wxfeed: WeChat refused our requests',
      body: `${captcha ? 'A captcha or rate-limit page' : 'WeChat refused our requests (HTTP 429/403 or frequency control)'}: live fetching is paused until ${until}.`,
    }),
    unreachable: (until) => ({
      title: 'wxfeed: WeChat cannot be reached',
      body: `WeChat could not be reached: live fetching is paused until ${until}.`,
    }),
    cycleFailed: (error) => ({ title: 'wxfeed: a run failed', body: `A run failed: ${error}` }),
    albumFailing: (name, polls, since, reason) => ({
      title: `wxfeed: polls of ${name} failing`,
      body: `${polls} polls in a row failed since ${since}${reason ? `; reason: ${reason}` : ''}.`,
    }),
    recovered: (of, since, name) => {
      const what = {
        blocked: 'WeChat takes our requests again',
        unreachable: 'WeChat can be reached again',
        'cycle-failed': 'Runs succeed again',
        'album-failing': `Polls of ${name ?? ''} succeed again`,
      }[of];
      return { title: `wxfeed: ${what}`, body: `${what} (the trouble began at ${since}).` };
    },
    newArticles: (n, feeds) => ({
      title: `wxfeed: ${group(n)} new ${n === 1 ? 'article' : 'articles'}`,
      body: feeds.join('\n'),
    }),
    feedLine: (title, n) => `${title}: ${group(n)}`,
    more: (n) => `and ${group(n)} more ${n === 1 ? 'feed' : 'feeds'}`,
    test: {
      title: 'wxfeed: test message',
      body: 'A test message sent by wxfeed notify --test: this alert target works.',
    },
    page: 'Page: ',
    feed: 'Feed: ',
  },
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
    opmlAfter: ' into your reader to follow every account and other source.',
    albumsOpmlBefore: ' Albums and homepages are in ',
    albumsOpmlAfter:
      ": their articles are in their account's feed too, so a reader that imports both shows them twice.",
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
    manageHint: (key, daemon, serve) =>
      `Read-only. To follow and unfollow from this page, set ${key} in the config and serve it with ${daemon} or ${serve}.`,
  },
  manage: {
    heading: 'Manage',
    checking: 'Asking the server…',
    readOnly: 'Read-only: this server offers no management (serve the page with wxfeed daemon or wxfeed serve).',
    tokenLabel: 'Token (server.token in the config)',
    signIn: 'Sign in',
    signInWrong: 'Wrong token.',
    signInLimited: 'Too many failed attempts: try again in {seconds} s.',
    signOut: 'Sign out',
    signedOut: 'Signed out.',
    expired: 'The session has ended: sign in again.',
    followLabel: 'Follow',
    followHint: 'Paste article, album or homepage links, one a line.',
    follow: 'Follow',
    outcomeAdded: 'added',
    outcomeAlready: 'already followed',
    outcomeRefused: 'refused',
    cycleStarted: 'Fetching now: the new feeds show here when it ends.',
    cycleQueued: 'Another fetch runs when the current one ends.',
    cycleRunning: 'Fetching…',
    cycleEnded: 'The last fetch ended at {when}.',
    stale: "There are new feeds: reload the page to see them in the page's list and its newest articles.",
    reload: 'Reload',
    followingHeading: 'Following',
    nothingFollowed: 'No account is followed yet.',
    account: 'account',
    homepage: 'homepage',
    urlsHeading: 'Article links followed',
    otherHeading: 'Other sources',
    unfollow: 'Unfollow',
    unfollowConfirm: 'Unfollow “{name}”? Its stored articles are kept.',
    unfollowed: 'Unfollowed “{name}”; its stored articles are kept.',
    stopUrl: 'Stop following',
    stopUrlConfirm: 'Stop following this link? Its stored article is kept.\n{url}',
    unfollowAccount: 'Unfollow the account',
    unfollowAccountConfirm:
      'Unfollow every album, homepage and article link of the account “{name}”? Its stored articles are kept.',
    lastPoll: 'last poll {when}',
    neverPolled: 'not polled yet',
    nextPoll: 'next poll {when}',
    nextPollDue: 'polled at the next fetch',
    failing: 'failing since {since} ({polls} in a row)',
    reason: 'Reason: {reason}',
    lastRead: 'last read {when}: {result}',
    notRead: 'not read yet',
    refresh: 'Refresh now',
    refreshConfirm:
      'Live fetching is paused until {until}. Refreshing now ends the pause and asks WeChat again at once, which may be refused again. Go on?',
    refreshStarted: 'Fetching now.',
    failed: 'Something went wrong: {error}',
    offline: 'The server cannot be reached.',
  },
};

const TABLES: Readonly<Record<FeedLanguage, Messages>> = { 'zh-CN': ZH, en: EN };

/** The texts of a language. */
export const messages = (language: FeedLanguage = DEFAULT_LANGUAGE): Messages => TABLES[language];
