/**
 * OPML 2.0: one outline per feed pointing at its Atom file. Readers subscribe to every outline they import, and an
 * album's or a homepage's articles are all in its account's feed too: `feeds.opml` lists the accounts and other
 * sources, so that each article is subscribed once, and `albums.opml` the albums and homepages. `all/` is in neither:
 * it holds every article again, the one feed to take instead of `feeds.opml`.
 */
import { escapeDocument } from '../content/escape.js';
import type { FeedGroup } from './sources.js';

/** One feed in the OPML. */
export interface OpmlEntry {
  title: string;
  xmlUrl: string;
  htmlUrl: string;
}

/** The OPML document listing `entries`. */
export function renderOpml(title: string, entries: readonly OpmlEntry[]): string {
  const outlines = entries
    .map(
      (e) =>
        `\n    <outline type="rss" text="${escapeDocument(e.title)}" title="${escapeDocument(e.title)}" xmlUrl="${escapeDocument(e.xmlUrl)}" htmlUrl="${escapeDocument(e.htmlUrl)}"/>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>${escapeDocument(title)}</title>
  </head>
  <body>${outlines}
  </body>
</opml>
`;
}

/** The two OPML files' feeds: `feeds` (accounts and other sources) and `albums` (albums and homepages). */
export function opmlEntries(
  groups: readonly Pick<FeedGroup, 'slug' | 'title' | 'album'>[],
  baseUrl: string,
): { feeds: OpmlEntry[]; albums: OpmlEntry[] } {
  const entry = (g: Pick<FeedGroup, 'slug' | 'title'>): OpmlEntry => ({
    title: g.title,
    xmlUrl: `${baseUrl}${g.slug}/atom.xml`,
    htmlUrl: `${baseUrl}#${encodeURIComponent(g.slug)}`,
  });
  return {
    feeds: groups.filter((g) => g.album === undefined).map(entry),
    albums: groups.filter((g) => g.album !== undefined).map(entry),
  };
}
