/**
 * Pure classification of what a dump captured: the article, a cut copy, the empty page shell, the captcha page,
 * or a notice (deleted, blocked, migrated, expired).
 */
import type { ContentState } from '../types.js';

/** Notice phrases, checked in order. A notice body is short; a long article that quotes one is still an article. */
const NOTICES: Array<[ContentState, RegExp]> = [
  ['captcha', /环境异常|完成验证后即可继续访问|访问过于频繁|去验证/],
  ['deleted', /该内容已被发布者删除|The content has been deleted by the author/i],
  ['blocked', /此内容因违规无法查看|此内容发送失败无法查看|被投诉且经审核涉嫌侵权|该内容暂时无法查看|This content has been restricted/i],
  ['migrated', /该公众号已迁移|公众号迁移说明/],
  ['expired', /链接已过期|This link has expired/i],
];

/** A notice body holds at most this much text. */
const NOTICE_MAX_TEXT = 400;
/** Dumpers cut bodies at about 8,000 characters and end them with `...`. */
const CUT_MIN_LENGTH = 6000;

/** Text of a markdown body with images and link targets dropped, whitespace squeezed. */
export function visibleText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/[#*_`>|[\]-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function classifyDump(stripped: string, rawBody: string, hadUiTail: boolean, text = visibleText(stripped)): ContentState {
  const hasImage = /!\[[^\]]*\]\([^)\s]+\)/.test(stripped);
  if (text.length <= NOTICE_MAX_TEXT) {
    for (const [state, pattern] of NOTICES) if (pattern.test(text)) return state;
  }
  if (text.length === 0 && !hasImage) return 'shell';
  const trimmed = rawBody.trimEnd();
  if (!hadUiTail && trimmed.endsWith('...') && trimmed.length >= CUT_MIN_LENGTH) return 'truncated';
  return 'full';
}

/** Rank of a state for merging: the fuller copy wins. */
export function stateRank(state: ContentState): number {
  switch (state) {
    case 'full':
      return 3;
    case 'truncated':
      return 2;
    default:
      return 1;
  }
}

/** Human text for a state, shown in place of, or above, the body. */
export function stateNotice(state: ContentState): string | undefined {
  switch (state) {
    case 'truncated':
      return 'This copy was cut short by the archiver; open the original for the rest.';
    case 'shell':
      return 'The archived copy holds only the page frame, not the article text. Open the original to read it.';
    case 'captcha':
      return 'WeChat showed a verification page instead of the article when it was archived. Open the original to read it.';
    case 'deleted':
      return 'The author has deleted this article (该内容已被发布者删除).';
    case 'blocked':
      return 'WeChat has blocked this article (此内容无法查看).';
    case 'migrated':
      return 'This account has moved to a new account (该公众号已迁移).';
    case 'expired':
      return 'The archived link had expired (链接已过期).';
    default:
      return undefined;
  }
}
