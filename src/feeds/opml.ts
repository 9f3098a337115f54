/**
 * OPML 2.0: one outline per feed pointing at its Atom file. Readers subscribe to every outline they import.
 */
import { escapeDocument } from '../content/escape.js';

/** One feed in the OPML. */
export interface OpmlEntry {
  title: string;
  xmlUrl: string;
  htmlUrl: string;
}

/** The OPML document listing every feed. */
export function renderOpml(title: string, entries: readonly OpmlEntry[]): string {
  const outlines = entries
    .map(
      (e) =>
        `    <outline type="rss" text="${escapeDocument(e.title)}" title="${escapeDocument(e.title)}" xmlUrl="${escapeDocument(e.xmlUrl)}" htmlUrl="${escapeDocument(e.htmlUrl)}"/>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>${escapeDocument(title)}</title>
  </head>
  <body>
${outlines}
  </body>
</opml>
`;
}
