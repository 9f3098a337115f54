/**
 * RSS 2.0, written directly: one pure function over the feed model (item.ts). Items name their account with
 * `dc:creator` (RSS's own `<author>` must be an e-mail address, which WeChat accounts do not have), and the article's
 * own author, when there is one besides, with `dc:contributor` (readers take the last `dc:creator` as the author);
 * the account is the item's `<category>` too.
 */
import { feedText } from '../content/text.js';
import { escapeAttr, escapeHtml, escapeXml, escapeXmlName } from '../content/escape.js';
import { shanghaiRfc822 } from '../time.js';
import { DEFAULT_LANGUAGE } from './messages.js';
import {
  cdataHtml,
  feedUpdated,
  GENERATOR,
  itemAuthors,
  MEDIA_NS,
  rssText,
  rssTitle,
  type FeedItem,
  type FeedMeta,
} from './item.js';

const I1 = '\n    ';
const I2 = '\n        ';
const I3 = '\n            ';

const DC = ' xmlns:dc="http://purl.org/dc/elements/1.1/"';
const CONTENT = ' xmlns:content="http://purl.org/rss/1.0/modules/content/"';

/** The RSS 2.0 document of a feed. */
export function renderRss(meta: FeedMeta, items: readonly FeedItem[]): string {
  // With content both namespaces are declared, the bytes `feed` wrote; without, `dc` still is for `dc:creator`.
  const content = items.some((i) => i.content);
  const media = items.some((i) => i.image) ? ` xmlns:media="${MEDIA_NS}"` : '';
  const namespaces = (content || items.some((i) => i.account || i.author) ? DC : '') + (content ? CONTENT : '') + media;
  const out = [
    `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"${namespaces} xmlns:atom="http://www.w3.org/2005/Atom">`,
    `${I1}<channel>`,
    `${I2}<title>${escapeXmlName(feedText(meta.title))}</title>`,
    `${I2}<link>${escapeXml(meta.home)}</link>`,
    `${I2}<description>${escapeXmlName(feedText(meta.description))}</description>`,
    `${I2}<lastBuildDate>${shanghaiRfc822(feedUpdated(items).getTime())}</lastBuildDate>`,
    `${I2}<docs>https://validator.w3.org/feed/docs/rss2.html</docs>`,
    `${I2}<generator>${GENERATOR}</generator>`,
    `${I2}<language>${meta.language ?? DEFAULT_LANGUAGE}</language>`,
    `${I2}<atom:link href="${escapeAttr(`${meta.selfBase}rss.xml`)}" rel="self" type="application/rss+xml"/>`,
  ];
  if (meta.hub) out.push(`${I2}<atom:link href="${escapeAttr(meta.hub)}" rel="hub"/>`);
  for (const i of items) item(out, i);
  out.push(`${I1}</channel>\n</rss>`);
  return out.join('');
}

function item(out: string[], i: FeedItem): void {
  out.push(`${I2}<item>`);
  if (i.title) out.push(`${I3}<title>${rssTitle(i.title)}</title>`);
  if (i.link) out.push(`${I3}<link>${escapeXml(i.link)}</link>`);
  out.push(
    `${I3}<guid isPermaLink="false">${escapeXmlName(i.id)}</guid>`,
    `${I3}<pubDate>${shanghaiRfc822(i.date.getTime())}</pubDate>`,
  );
  if (i.summary) out.push(`${I3}<description>${cdataHtml(escapeHtml(i.summary))}</description>`);
  if (i.content) out.push(`${I3}<content:encoded>${cdataHtml(i.content)}</content:encoded>`);
  if (i.enclosure)
    out.push(`${I3}<enclosure length="0" type="${i.enclosure.type}" url="${escapeAttr(i.enclosure.url)}"/>`);
  if (i.image) out.push(`${I3}<media:thumbnail url="${escapeAttr(i.image)}"/>`);
  const [creator, contributor] = itemAuthors(i);
  if (i.account) out.push(`${I3}<category>${rssText(i.account)}</category>`);
  if (creator) out.push(`${I3}<dc:creator>${escapeXmlName(creator)}</dc:creator>`);
  if (contributor) out.push(`${I3}<dc:contributor>${escapeXmlName(contributor)}</dc:contributor>`);
  out.push(`${I2}</item>`);
}
