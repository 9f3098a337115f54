/**
 * Every text wxfeed writes for a reader (into feeds, the OPML, the index page), in each language `feed.language`
 * names: `zh-CN` (the default) and `en`. One table per language, the same keys in both (the type checks it). Pure.
 */
import type { ContentState, FeedLanguage } from '../types.js';

export const DEFAULT_LANGUAGE: FeedLanguage = 'zh-CN';
export const LANGUAGES: readonly FeedLanguage[] = ['zh-CN', 'en'];

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
}

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
};

const TABLES: Readonly<Record<FeedLanguage, Messages>> = { 'zh-CN': ZH, en: EN };

/** The texts of a language. */
export const messages = (language: FeedLanguage = DEFAULT_LANGUAGE): Messages => TABLES[language];
