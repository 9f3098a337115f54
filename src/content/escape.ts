/**
 * Every escaper of what wxfeed writes as XML or HTML. Documents of our own (OPML, the index page) use `entities`'
 * `escapeUTF8`. The feeds keep their exact bytes, which no escaper of `entities` writes (`escapeUTF8` writes `'` as
 * `&apos;`, `escapeText` U+00A0 as `&nbsp;`, no XML entity, `encodeXML` every non-ASCII character as a reference):
 * hence the four single-pass ones below. Attribute values are read back with `entities`.
 */
import { decodeHTMLAttribute, escapeUTF8 } from 'entities';
import { cleanText } from './text.js';

/** Text or an attribute value of an XML or HTML document we write: escaped, and without characters XML forbids. */
export const escapeDocument = (s: string): string => escapeUTF8(cleanText(s));

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeOne = (c: string): string => ESCAPES[c]!;

/** Text as HTML: `&`, `<`, `>` and `"` (a title in Atom's `type="html"`, a summary, an `href`). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, escapeOne);

/** XML character data: `&`, `<` and `>`. */
export const escapeXml = (s: string): string => s.replace(/[&<>]/g, escapeOne);

/**
 * XML character data as `feed` (xml-js) wrote names and titles, which the feeds' bytes follow: like `escapeXml`,
 * except that a `&amp;` already in the text is left as it is (it reads back as `&`).
 */
export const escapeXmlName = (s: string): string => s.replace(/&(?!amp;)|[<>]/g, escapeOne);

/** An XML or HTML attribute value in double quotes: `&`, `<` (XML forbids it there) and `"`. */
export const escapeAttr = (s: string): string => s.replace(/[&<"]/g, escapeOne);

/** An attribute value read back from HTML. */
export const decodeAttr = (s: string): string => decodeHTMLAttribute(s);
