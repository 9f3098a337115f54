import { DEFAULT_LANGUAGE, messages } from '../../src/feeds/messages.js';
import { parseArticlePage as parse, type ParsedPage } from '../../src/wechat/article-page.js';

/** An article page as a feed in the default language reads it: the labels its body gets are in that language. */
export const parseArticlePage = (html: string, url: string): ParsedPage =>
  parse(html, url, messages(DEFAULT_LANGUAGE).page);
