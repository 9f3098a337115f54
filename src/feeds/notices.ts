/**
 * What a feed says of an article whose copy is not the article: the archive state said plainly, in the feed's
 * language (the texts are in messages.ts).
 */
import type { ContentState } from '../states.js';
import { type FeedLanguage, messages } from './messages.js';

/** Human text for a state, shown in place of, or above, the body; undefined for `full`. */
export function stateNotice(state: ContentState, language?: FeedLanguage): string | undefined {
  return state === 'full' ? undefined : messages(language).notice[state];
}
