/**
 * Atom 1.0 (RFC 4287), written directly: one pure function over the feed model (item.ts).
 */
import { feedText } from '../content/text.js';
import { escapeAttr, escapeHtml, escapeXml, escapeXmlName } from '../content/escape.js';
import { shanghaiIso } from '../time.js';
import { DEFAULT_LANGUAGE } from './messages.js';
import { cdataHtml, feedUpdated, GENERATOR, itemAuthors, MEDIA_NS, type FeedItem, type FeedMeta } from './item.js';

const I1 = '\n    ';
const I2 = '\n        ';
const I3 = '\n            ';

/** `<name>text</name>`, or `<name/>` when the text is empty. */
const element = (indent: string, name: string, text: string): string =>
  text ? `${indent}<${name}>${text}</${name}>` : `${indent}<${name}/>`;

/** The Atom document of a feed. */
export function renderAtom(meta: FeedMeta, items: readonly FeedItem[]): string {
  const out = [
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"${items.some((i) => i.image) ? ` xmlns:media="${MEDIA_NS}"` : ''} xml:lang="${meta.language ?? DEFAULT_LANGUAGE}">`,
    element(I1, 'id', escapeXmlName(meta.id)),
    element(I1, 'title', escapeXmlName(feedText(meta.title))),
    `${I1}<updated>${shanghaiIso(feedUpdated(items).getTime())}</updated>`,
    `${I1}<generator>${GENERATOR}</generator>`,
    `${I1}<author>`,
    element(I2, 'name', escapeXmlName(feedText(meta.author ?? meta.title))),
    `${I1}</author>`,
  ];
  if (meta.home) out.push(`${I1}<link rel="alternate" href="${escapeAttr(meta.home)}"/>`);
  out.push(`${I1}<link rel="self" href="${escapeAttr(`${meta.selfBase}atom.xml`)}"/>`);
  if (meta.hub) out.push(`${I1}<link rel="hub" href="${escapeAttr(meta.hub)}"/>`);
  const subtitle = feedText(meta.description);
  if (subtitle) out.push(`${I1}<subtitle>${escapeXmlName(subtitle)}</subtitle>`);
  for (const item of items) entry(out, item);
  out.push('\n</feed>');
  return out.join('');
}

function entry(out: string[], item: FeedItem): void {
  const date = shanghaiIso(item.date.getTime());
  out.push(
    `${I1}<entry>`,
    `${I2}<title type="html">${cdataHtml(escapeHtml(item.title))}</title>`,
    element(I2, 'id', escapeXml(item.id)),
    `${I2}<link href="${escapeAttr(item.link)}"/>`,
  );
  // The cover: an enclosure with its image type (readers that show an item's image take it from here), and a
  // thumbnail (Media RSS) for readers that show thumbnails.
  if (item.enclosure)
    out.push(
      `${I2}<link rel="enclosure" type="${escapeAttr(item.enclosure.type)}" href="${escapeAttr(item.enclosure.url)}"/>`,
    );
  if (item.image) out.push(`${I2}<media:thumbnail url="${escapeAttr(item.image)}"/>`);
  out.push(`${I2}<updated>${date}</updated>`);
  if (item.summary) out.push(`${I2}<summary type="html">${cdataHtml(escapeHtml(item.summary))}</summary>`);
  if (item.content) out.push(`${I2}<content type="html">${cdataHtml(item.content)}</content>`);
  // The account is the author (readers show the last <author> in their author column: one only), the article's own
  // author a contributor; without an account, the article's author is the author.
  const [author, contributor] = itemAuthors(item);
  if (author) out.push(`${I2}<author>${I3}<name>${escapeXmlName(author)}</name>${I2}</author>`);
  if (contributor) out.push(`${I2}<contributor>${I3}<name>${escapeXmlName(contributor)}</name>${I2}</contributor>`);
  if (item.account) out.push(`${I2}<category term="${escapeAttr(item.account)}"/>`);
  out.push(`${I2}<published>${date}</published>`, `${I1}</entry>`);
}
