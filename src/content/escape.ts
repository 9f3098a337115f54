/**
 * Every escaper of what wxfeed writes as XML or HTML, in one place. Documents of our own (OPML, the index page) use
 * `entities`' `escapeUTF8`. The feed formats keep the exact bytes they have always had, which none of `entities`'
 * escapers writes (`escapeUTF8` also writes `'` as `&apos;`, `escapeText` and `escapeAttribute` write U+00A0 as
 * `&nbsp;`, which is no XML entity, and `encodeXML` writes every non-ASCII character as a reference): four small
 * single-pass ones below. Attribute values are read back with `entities`.
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
 * XML character data as `feed` (xml-js) wrote names and titles: like `escapeXml`, except that a `&amp;` already in
 * the text is left as it is (it reads back as `&`). Kept so that the output stays byte for byte what it was.
 */
export const escapeXmlName = (s: string): string => s.replace(/&(?!amp;)|[<>]/g, escapeOne);

/** An XML or HTML attribute value in double quotes: `&`, `<` (XML forbids it there) and `"`. */
export const escapeAttr = (s: string): string => s.replace(/[&<"]/g, escapeOne);

/** An attribute value read back from HTML. */
export const decodeAttr = (s: string): string => decodeHTMLAttribute(s);
