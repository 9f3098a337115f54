/**
 * The index page a person opens on a phone or a desktop: every account with its subscribe links, item count and
 * newest article; feed autodiscovery links in the head.
 */
import { escapeDocument } from '../content/escape.js';
import { shanghaiDay } from '../time.js';

export interface IndexEntry {
  slug: string;
  title: string;
  items: number;
  base: string;
  newestTitle?: string;
  newestLink?: string;
  newestDate?: number;
}

export function renderIndex(title: string, baseUrl: string, all: IndexEntry, entries: readonly IndexEntry[]): string {
  const autodiscovery = [all, ...entries]
    .map(
      (e) =>
        `<link rel="alternate" type="application/atom+xml" title="${escapeDocument(e.title)}" href="${escapeDocument(`${e.base}atom.xml`)}">`,
    )
    .join('\n    ');
  const rows = entries.map((e) => card(e)).join('\n');
  return `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeDocument(title)}</title>
    ${autodiscovery}
    <style>
      body{font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#222;background:#fafafa}
      h1{font-size:1.4rem} .card{background:#fff;border:1px solid #e3e3e3;border-radius:.5rem;padding:.8rem 1rem;margin:.7rem 0}
      .card h2{font-size:1.1rem;margin:0 0 .3rem} .meta{color:#666;font-size:.9rem} .links a{margin-right:.8rem}
      .newest{margin:.3rem 0;overflow-wrap:anywhere} @media (prefers-color-scheme:dark){body{background:#111;color:#ddd}.card{background:#1b1b1b;border-color:#333}.meta{color:#aaa}a{color:#8ab4f8}}
    </style>
  </head>
  <body>
    <h1>${escapeDocument(title)}</h1>
    <p class="meta">${entries.length} feeds. Subscribe to one below, to everything at once, or import <a href="${escapeDocument(`${baseUrl}feeds.opml`)}">feeds.opml</a> into your reader.</p>
${card(all)}
${rows}
  </body>
</html>
`;
}

function card(e: IndexEntry): string {
  const newest =
    e.newestTitle && e.newestLink
      ? `<p class="newest">Newest: <a href="${escapeDocument(e.newestLink)}">${escapeDocument(e.newestTitle)}</a>${e.newestDate !== undefined ? ` <span class="meta">${shanghaiDay(e.newestDate)}</span>` : ''}</p>`
      : '';
  return `    <section class="card" id="${escapeDocument(e.slug)}">
      <h2>${escapeDocument(e.title)}</h2>
      <p class="meta">${e.items} articles</p>
      ${newest}
      <p class="links"><a href="${escapeDocument(`${e.base}atom.xml`)}">Atom</a><a href="${escapeDocument(`${e.base}rss.xml`)}">RSS</a><a href="${escapeDocument(`${e.base}feed.json`)}">JSON Feed</a></p>
    </section>`;
}
