/**
 * The escapers of everything wxfeed writes as XML or HTML (through the `entities` package): text and attribute
 * values with `& < > " '` escaped, and attribute values read back.
 */
import { decodeHTMLAttribute, escapeAttribute, escapeUTF8 } from 'entities';
import { cleanText } from './text.js';

/** Text or an attribute value of an XML or HTML document we write: escaped, and without characters XML forbids. */
export const escapeXml = (s: string): string => escapeUTF8(cleanText(s));

/** HTML text or a double-quoted attribute value inside HTML we build (sanitized or rendered after). */
export const escapeHtml = (s: string): string => escapeUTF8(s);

/** A double-quoted attribute value (`&` and `"` escaped), as sanitized HTML writes it. */
export const escapeAttr = (s: string): string => escapeAttribute(s);

/** An attribute value read back from HTML. */
export const decodeAttr = (s: string): string => decodeHTMLAttribute(s);
