/**
 * Pure: the bytes of one dump file → one article observation, or the reason it is not a dump.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import type { Observation } from '../types.js';
import { splitFrontMatter } from './frontmatter.js';
import { stripChrome } from './chrome.js';
import { classifyDump, visibleText } from './classify.js';
import { hasText } from '../states.js';
import { htmlToText } from '../content/text.js';
import { markdownHtml } from '../content/markdown.js';
import { dumpBody, EMPTY_BODY } from '../content/body.js';
import { capTitle, cleanText } from '../content/text.js';
import { parseUrl } from '../wechat/url.js';
import { parseDate } from '../time.js';
import { identityFor, needsBodyText } from '../keys.js';

export const MAX_DUMP_BYTES = 5 * 1024 * 1024;
export interface DumpFileInfo {
  /** Absolute path, for messages and the body's location. */
  path: string;
  mtimeMs: number;
  /**
   * The file's name within the archive (`<dumps folder name>/<path below it>`): the key of a dump with neither a
   * usable URL nor text is a hash of it, so moving the archive keeps its ids. Defaults to the path.
   */
  seed?: string | undefined;
}

/**
 * A dump read: the observation, and the article's markdown with the page chrome removed (empty for shells and
 * notices). The store keeps the observation; the markdown is rendered when a feed shows the article.
 */
export type DumpParse =
  | { ok: true; observation: Observation; markdown: string }
  | { ok: false; reason: string; detail?: string };

/** Bytes → text, or why they are not a text dump. */
export function decodeDump(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (bytes.length > MAX_DUMP_BYTES) return { ok: false, reason: 'file over 5 MB' };
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file' };
  // isUtf8 validates and toString decodes, both in native code: several times faster than a fatal TextDecoder.
  if (!isUtf8(bytes)) return { ok: false, reason: 'invalid UTF-8' };
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!/\S/.test(text)) return { ok: false, reason: 'empty file' };
  return { ok: true, text };
}

function firstLine(body: string): string | undefined {
  const line = body.split('\n').find((l) => l.trim() !== '');
  return line ? visibleText(line).slice(0, 120) || undefined : undefined;
}

/** The parts of a dump every reading needs: its fields, its body, and the body without the page chrome. */
function readParts(bytes: Uint8Array) {
  const decoded = decodeDump(bytes);
  if (!decoded.ok) return decoded;
  const fm = splitFrontMatter(decoded.text);
  if (!fm.ok) return fm;
  const { fields, body } = fm.value;
  const given = cleanText(fields.get('title') ?? '').trim();
  const sourceField = cleanText(fields.get('source') ?? '').trim();
  const author = cleanText(fields.get('author') ?? '').trim() || undefined;
  const stripped = stripChrome(body, given, [sourceField, author ?? ''].filter(Boolean));
  return { ok: true as const, fields, body, given, sourceField, author, stripped };
}

/**
 * The article markdown of a dump already known to hold the article (full or cut), and the hash its body is known
 * by: what rendering needs, without classifying the dump again.
 */
export function dumpMarkdown(
  bytes: Uint8Array,
  path: string,
): { ok: true; markdown: string; hash: string } | { ok: false; reason: string } {
  const parts = readParts(bytes);
  if (!parts.ok) return parts;
  return { ok: true, markdown: parts.stripped.body, hash: dumpBody(path, bytes).hash };
}

export function parseDump(bytes: Uint8Array, file: DumpFileInfo): DumpParse {
  const parts = readParts(bytes);
  if (!parts.ok) return parts;
  const { fields, body, given, sourceField, author, stripped } = parts;
  const parsedUrl = fields.get('url') ? parseUrl(fields.get('url')!) : undefined;
  const source = sourceField || parsedUrl?.biz || 'unsorted';
  const title = capTitle(given || stripped.firstHeading?.trim() || firstLine(body) || fileTitle(file.path));
  const { state, textLength } = classifyDump(stripped.body, body, stripped.hadUiTail);
  const hasContent = hasText(state);
  // The body stays in the file, known by the hash of the file's bytes. Only a dump without a usable URL is
  // rendered now, because its key is a hash of the rendered text.
  const markdown = hasContent ? stripped.body : '';
  const keyText = markdown && needsBodyText(parsedUrl) ? htmlToText(markdownHtml(markdown)) : '';
  const identity = identityFor(parsedUrl, keyText, file.seed ?? file.path);
  const captured = parseDate(fields.get('fetch_date'));
  const dateText = fields.get('date')?.trim();
  const dated = parseDate(dateText);
  const fileTime = { ms: Math.floor(file.mtimeMs), precision: 'exact' as const };
  const date = dated ?? captured ?? fileTime;
  // A date that is there but cannot be read is reported, and the fallback (fetch_date, then the file time) used.
  const warning =
    dateText && !dated
      ? {
          reason: 'unreadable date',
          detail: `date: ${dateText.slice(0, 100)}; used ${captured ? `fetch_date ${fields.get('fetch_date')!.trim()}` : `the file time ${new Date(fileTime.ms).toISOString()}`}`,
        }
      : undefined;
  return {
    ok: true,
    markdown,
    observation: {
      ...identity,
      ref: {
        biz: parsedUrl?.biz,
        mid: parsedUrl?.mid,
        idx: parsedUrl?.idx,
        sn: parsedUrl?.sn,
        shortToken: parsedUrl?.shortToken,
      },
      title,
      source,
      author,
      date: date.ms,
      datePrecision: date.precision,
      capturedAt: captured?.ms ?? Math.floor(file.mtimeMs),
      state,
      body: hasContent ? dumpBody(file.path, bytes) : EMPTY_BODY,
      textLength: hasContent ? textLength : 0,
      summary: '',
      cover: stripped.cover,
      ...(warning ? { warning } : {}),
    },
  };
}

function fileTitle(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.(md|markdown|txt)$/i, '');
}
