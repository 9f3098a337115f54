/**
 * Pure: the bytes of one dump file → one article observation, or the reason it is not a dump.
 */
import { Buffer, isUtf8, transcode } from 'node:buffer';
import type { Observation, PageTemplate, ParsedUrl } from '../types.js';
import { splitFrontMatter } from './frontmatter.js';
import { stripChrome } from './chrome.js';
import { blocksOf, pageLines, templateGroup, visibleAtLeast, withoutTemplate } from './templates.js';
import { classifyDump, visibleText } from './classify.js';
import { hasText } from '../states.js';
import { htmlToText } from '../content/text.js';
import { markdownHtml } from '../content/markdown.js';
import { dumpBody, EMPTY_BODY } from '../content/body.js';
import { capTitle, cleanText } from '../content/text.js';
import { parseUrl } from '../wechat/url.js';
import { parseDate } from '../time.js';
import { identityFor, needsBodyText } from '../keys.js';

/** A larger file is not taken for a dump. */
export const MAX_DUMP_BYTES = 5 * 1024 * 1024;
/** What is known of a dump file besides its bytes. */
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

/** Whether this Node has ICU's converters (`transcode`); a Node built without them decodes with V8. */
const ICU = (() => {
  try {
    return transcode(Buffer.from('中'), 'utf8', 'utf16le').toString('utf16le') === '中';
  } catch {
    return false;
  }
})();

/** Bytes → text, or why they are not a text dump. */
export function decodeDump(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (bytes.length > MAX_DUMP_BYTES) return { ok: false, reason: 'file over 5 MB' };
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file' };
  // isUtf8 validates in native code (transcode refuses invalid UTF-8); valid UTF-8 transcoded to UTF-16 and copied
  // into a string is the text toString('utf8') gives, in a fraction of the time V8's UTF-8 decoder takes.
  if (!isUtf8(bytes)) return { ok: false, reason: 'invalid UTF-8' };
  let text = ICU
    ? transcode(bytes, 'utf8', 'utf16le').toString('utf16le')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!/\S/.test(text)) return { ok: false, reason: 'empty file' };
  return { ok: true, text };
}

function firstLine(body: string): string | undefined {
  const line = body.split('\n').find((l) => l.trim() !== '');
  return line ? visibleText(line).slice(0, 120) || undefined : undefined;
}

/**
 * A label naming the page's WeChat original on a line of its own: `文章来源: https://mp.weixin.qq.com/s?…`,
 * `原文地址：<…>`, `本文转载自: [name](…)`. The URL may carry markdown escapes (`\_\_biz`).
 */
const ORIGINAL =
  /^[ \t>*-]*(?:\*\*)?(?:文章来源|原文地址|原文链接|本文转载自|转载自)(?:\*\*)?[ \t]*[:：][ \t]*(?:\*\*)?[ \t]*(?:<|\[[^\]\n]*\]\()?[ \t]*(https?:\/\/mp\.weixin\.qq\.com\/[^\s)>\]]+)/gm;

/**
 * The WeChat article a page names as its original (an aggregator's copy: `文章来源: https://mp.weixin.qq.com/s?…`),
 * when its lines name exactly one article by sn; undefined otherwise (none, a short link, or two different ones).
 */
function namedOriginal(body: string): ParsedUrl | undefined {
  // The short part first: V8 finds it in a long body several times faster than the whole host.
  if (!body.includes('qq.com') || !body.includes('mp.weixin.qq.com')) return undefined;
  let found: ParsedUrl | undefined;
  for (const m of body.matchAll(ORIGINAL)) {
    const parsed = parseUrl(m[1]!.replace(/\\([\\`*_{}[\]()#+\-.!&=?])/g, '$1'));
    if (parsed?.kind !== 'article' || !parsed.sn) continue;
    if (found && found.sn !== parsed.sn) return undefined;
    found ??= parsed;
  }
  return found;
}

/**
 * The parts of a dump every reading needs: its fields, its body, and the body without the page chrome (the site's
 * learned `template`, when given, then the WeChat page UI).
 */
function readParts(bytes: Uint8Array, template: PageTemplate | undefined) {
  const decoded = decodeDump(bytes);
  if (!decoded.ok) return decoded;
  const fm = splitFrontMatter(decoded.text);
  if (!fm.ok) return fm;
  const { fields, body } = fm.value;
  const given = cleanText(fields.get('title') ?? '').trim();
  const sourceField = cleanText(fields.get('source') ?? '').trim();
  const author = cleanText(fields.get('author') ?? '').trim() || undefined;
  const lines = template ? pageLines(body, given) : undefined;
  const page = lines && template ? withoutTemplate(lines, template).body : body;
  const stripped = stripChrome(page, given, [sourceField, author ?? ''].filter(Boolean));
  return { ok: true as const, fields, body, given, sourceField, author, stripped, lines };
}

/**
 * The article markdown of a dump already known to hold the article (full or cut), and the hash its body is known
 * by: what rendering needs, without classifying the dump again. `template`: its site's, removed first.
 */
export function dumpMarkdown(
  bytes: Uint8Array,
  path: string,
  template?: PageTemplate,
): { ok: true; markdown: string; hash: string } | { ok: false; reason: string } {
  const parts = readParts(bytes, template);
  if (!parts.ok) return parts;
  return { ok: true, markdown: parts.stripped.body, hash: dumpBody(path, bytes).hash };
}

/**
 * Read one dump. Another site's dump also gives its `blocks` (to learn the site's template) and, given that
 * `template`, is judged without it; a page that names its WeChat original is that article (keyed by its sn).
 */
export function parseDump(bytes: Uint8Array, file: DumpFileInfo, template?: PageTemplate): DumpParse {
  const parts = readParts(bytes, template);
  if (!parts.ok) return parts;
  const { fields, body, given, sourceField, author, stripped, lines } = parts;
  const ownUrl = fields.get('url') ? parseUrl(fields.get('url')!) : undefined;
  const original = ownUrl?.kind === 'other' ? namedOriginal(body) : undefined;
  // The original's identity, not its account: the copy stays its source's, and never makes that source an account.
  const parsedUrl: ParsedUrl | undefined = original ? { ...original, biz: undefined } : ownUrl;
  const source = sourceField || parsedUrl?.biz || 'unsorted';
  const group = ownUrl?.kind === 'other' ? templateGroup(source, fields.get('url')) : undefined;
  const title = capTitle(given || stripped.firstHeading?.trim() || firstLine(body) || fileTitle(file.path));
  const page = group ? (lines ?? pageLines(body, given)) : undefined;
  // Without a template the article is a run of the body's lines: their counts tell most long ones without a count.
  const atLeast =
    page && !template && stripped.body !== ''
      ? visibleAtLeast(page, stripped.at, stripped.at + stripped.body.length)
      : 0;
  const { state, textLength } = classifyDump(stripped.body, body, stripped.hadUiTail, atLeast);
  const hasContent = hasText(state);
  // The body stays in the file, known by the hash of the file's bytes. Only a dump without a usable URL is
  // rendered here, because its key is a hash of the rendered text.
  const markdown = hasContent ? stripped.body : '';
  const keyText = markdown && needsBodyText(parsedUrl) ? htmlToText(markdownHtml(markdown)) : '';
  const identity = identityFor(parsedUrl, keyText, file.seed ?? file.path);
  const captured = parseDate(fields.get('fetch_date'));
  const dateText = fields.get('date')?.trim();
  const dated = parseDate(dateText);
  const fileTime = { ms: Math.floor(file.mtimeMs), precision: 'exact' as const };
  const date = dated ?? captured ?? fileTime;
  const warning =
    dateText && !dated
      ? {
          reason: 'unreadable date',
          detail: `date: ${dateText.slice(0, 100)}; used ${captured ? `fetch_date ${fields.get('fetch_date')!.trim()}` : `the file time ${new Date(fileTime.ms).toISOString()}`}`,
        }
      : undefined;
  // One literal of a fixed shape, then the optional parts: a spread would put every later property on V8's slow path.
  const observation: Observation = {
    key: identity.key,
    id: identity.id,
    link: identity.link,
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
  };
  if (warning) observation.warning = warning;
  if (group && page) observation.blocks = blocksOf(page, group);
  return { ok: true, markdown, observation };
}

function fileTitle(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.(md|markdown|txt)$/i, '');
}
