/**
 * JSON Feed, written directly: one pure function over the feed model (item.ts).
 */
import { feedText } from '../content/text.js';
import { shanghaiIso } from '../time.js';
import { DEFAULT_LANGUAGE } from './messages.js';
import { itemAuthors, type FeedItem, type FeedMeta } from './item.js';

/** The JSON Feed 1.1 document of a feed. */
export function renderJson(meta: FeedMeta, items: readonly FeedItem[]): string {
  const description = feedText(meta.description);
  const author = feedText(meta.author ?? meta.title);
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feedText(meta.title),
    ...(meta.home ? { home_page_url: meta.home } : {}),
    feed_url: `${meta.selfBase}feed.json`,
    ...(meta.hub ? { hubs: [{ type: 'WebSub', url: meta.hub }] } : {}),
    ...(description ? { description } : {}),
    language: meta.language ?? DEFAULT_LANGUAGE,
    ...(author ? { authors: [{ name: author }] } : {}),
    author: author ? { name: author } : {},
    items: items.map(jsonItem),
  };
  return JSON.stringify(feed, null, 4);
}

function jsonItem(i: FeedItem): Record<string, unknown> {
  const date = shanghaiIso(i.date.getTime());
  return {
    id: i.id,
    // JSON Feed requires content of some kind: an item without any carries its summary.
    content_html: i.content || i.summary,
    ...(i.link ? { url: i.link } : {}),
    ...(i.title ? { title: i.title } : {}),
    ...(i.content && i.summary ? { summary: i.summary } : {}),
    ...(i.image ? { image: i.image } : {}),
    date_modified: date,
    date_published: date,
    // JSON Feed 1.1 `authors` (the account first), and 1.0's `author` for readers of that version.
    ...(itemAuthors(i).length > 0
      ? { authors: itemAuthors(i).map((name) => ({ name })), author: { name: itemAuthors(i)[0] } }
      : {}),
    ...(i.account ? { tags: [i.account] } : {}),
  };
}
