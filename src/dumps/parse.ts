/**
 * Pure: the bytes of one dump file → one article observation, or the reason it is not a dump.
 */
import { TextDecoder } from 'node:util';
import type { RawArticle } from '../types.js';
import { splitFrontMatter } from './frontmatter.js';
import { stripChrome } from './chrome.js';
import { classifyDump, stateNotice, visibleText } from './state.js';
import { htmlToText } from '../content/markdown.js';
import { bodyHtml, EMPTY_BODY, markdownBody } from '../content/body.js';
import { cleanText } from '../content/text.js';
import { parseUrl } from '../wechat/url.js';
import { parseDate } from '../time.js';
import { identityFor, needsBodyText } from '../keys.js';

export const MAX_DUMP_BYTES = 5 * 1024 * 1024;

export interface DumpFileInfo {
  /** Absolute path, used for fallback keys and messages. */
  path: string;
  mtimeMs: number;
}

export type DumpParse = { ok: true; article: RawArticle } | { ok: false; reason: string; detail?: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes → text, or why they are not a text dump. */
export function decodeDump(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (bytes.length > MAX_DUMP_BYTES) return { ok: false, reason: 'file over 5 MB' };
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'invalid UTF-8' };
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { ok: false, reason: 'empty file' };
  return { ok: true, text };
}

function firstLine(body: string): string | undefined {
  const line = body.split('\n').find((l) => l.trim() !== '');
  return line ? visibleText(line).slice(0, 120) || undefined : undefined;
}

export function parseDump(bytes: Uint8Array, file: DumpFileInfo): DumpParse {
  const decoded = decodeDump(bytes);
  if (!decoded.ok) return decoded;
  const fm = splitFrontMatter(decoded.text);
  if (!fm.ok) return fm;
  const { fields, body } = fm.value;
  const parsedUrl = fields.get('url') ? parseUrl(fields.get('url')!) : undefined;
  const given = cleanText(fields.get('title') ?? '').trim();
  const sourceField = cleanText(fields.get('source') ?? '').trim();
  const source = sourceField || parsedUrl?.biz || 'unsorted';
  const author = cleanText(fields.get('author') ?? '').trim() || undefined;
  const stripped = stripChrome(body, given, [sourceField, author ?? ''].filter(Boolean));
  const title = given || stripped.firstHeading?.trim() || firstLine(body) || fileTitle(file.path);
  const visible = visibleText(stripped.body);
  const state = classifyDump(stripped.body, body, stripped.hadUiTail, visible);
  const hasContent = state === 'full' || state === 'truncated';
  // The body stays markdown: it is rendered when a feed shows it. Only a dump without a usable URL is rendered
  // now, because its key is a hash of the rendered text.
  const content = hasContent ? markdownBody(stripped.body) : EMPTY_BODY;
  const keyText = hasContent && needsBodyText(parsedUrl) ? htmlToText(bodyHtml(content)) : '';
  const identity = identityFor(parsedUrl, keyText, file.path);
  const captured = parseDate(fields.get('fetch_date'));
  const date = parseDate(fields.get('date')) ?? captured ?? { ms: Math.floor(file.mtimeMs), precision: 'exact' as const };
  return {
    ok: true,
    article: {
      ...identity,
      ref: { biz: parsedUrl?.biz, mid: parsedUrl?.mid, idx: parsedUrl?.idx, sn: parsedUrl?.sn, shortToken: parsedUrl?.shortToken },
      title,
      source,
      author,
      date: date.ms,
      datePrecision: date.precision,
      capturedAt: captured?.ms ?? Math.floor(file.mtimeMs),
      state,
      body: content,
      textLength: hasContent ? visible.length : 0,
      summary: hasContent ? '' : (stateNotice(state) ?? ''),
      cover: stripped.cover,
    },
  };
}

function fileTitle(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.(md|markdown|txt)$/i, '');
}
