/**
 * What a feed says of an article whose copy is not the article: the archive state said plainly.
 */
import type { ContentState } from '../types.js';

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
