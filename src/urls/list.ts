/**
 * URL lists: `urls:` in the config and text files with one URL per line (`#` comments and blank lines allowed), of
 * WeChat articles and albums (合集), mixed freely. Parsing is pure; reading a missing file gives an empty list. Every
 * line that is neither is reported with its file and line.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlbumRef, InputProblem, ParsedUrl } from '../types.js';
import { isAlbumUrl, parseAlbumUrl } from '../wechat/album.js';
import { isWechatUrl, parseUrl } from '../wechat/url.js';

export interface UrlEntry {
  /** Where it was listed: `config urls[3]` or `path:line`. */
  where: string;
  raw: string;
  parsed: ParsedUrl;
}

/** An album listed to follow. */
export interface AlbumEntry {
  where: string;
  raw: string;
  album: AlbumRef;
}

/** What the URL inputs list: articles, albums, and the lines that are neither. */
export interface UrlInputs {
  entries: UrlEntry[];
  albums: AlbumEntry[];
  problems: InputProblem[];
}

export type CheckedUrl =
  | { ok: true; kind: 'article'; parsed: ParsedUrl }
  | { ok: true; kind: 'album'; album: AlbumRef }
  | { ok: false; reason: string };

/**
 * Check one URL for following: a WeChat article (long or short link) or an album (`/mp/appmsgalbum?…&album_id=…`,
 * in any pasted form); an album URL without an album id, or with one that is not a number, is refused with why.
 */
export function checkFollowUrl(raw: string): CheckedUrl {
  if (isAlbumUrl(raw)) {
    const album = parseAlbumUrl(raw);
    return album.ok ? { ok: true, kind: 'album', album: album.album } : { ok: false, reason: album.reason };
  }
  const article = checkArticleUrl(raw);
  return article.ok ? { ok: true, kind: 'article', parsed: article.parsed } : article;
}

/** Check one URL for following: a WeChat article (long or short link). Returns the parsed URL or why not. */
export function checkArticleUrl(raw: string): { ok: true; parsed: ParsedUrl } | { ok: false; reason: string } {
  const parsed = parseUrl(raw);
  if (!parsed) return { ok: false, reason: 'not a URL' };
  if (!isWechatUrl(raw)) return { ok: false, reason: 'not a WeChat article URL (mp.weixin.qq.com)' };
  if (parsed.kind === 'temporary')
    return {
      ok: false,
      reason: 'a temporary search link (it expires and carries no sn); open it and copy the article link',
    };
  if (parsed.kind !== 'article' && parsed.kind !== 'short')
    return { ok: false, reason: 'not a WeChat article URL (no sn)' };
  return { ok: true, parsed };
}

/** File one listed URL into the inputs. */
function take(out: UrlInputs, where: string, raw: string): void {
  const checked = checkFollowUrl(raw);
  if (!checked.ok) out.problems.push({ where, reason: 'bad URL', detail: `${raw}: ${checked.reason}` });
  else if (checked.kind === 'album') out.albums.push({ where, raw, album: checked.album });
  else out.entries.push({ where, raw, parsed: checked.parsed });
}

/** Pure: the lines of a URL file → article entries, albums and problems. */
export function parseUrlList(text: string, file: string): UrlInputs {
  const out: UrlInputs = { entries: [], albums: [], problems: [] };
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const raw = line.replace(/(^|\s)#.*$/, '').trim();
      if (!raw) return;
      take(out, `${file}:${i + 1}`, raw);
    });
  return out;
}

/** All URLs to follow: config `urls` then each file of `urlFiles`. */
export async function readUrlInputs(urls: readonly string[], files: readonly string[]): Promise<UrlInputs> {
  const out: UrlInputs = { entries: [], albums: [], problems: [] };
  urls.forEach((raw, i) => {
    take(out, `config urls[${i}]`, raw);
  });
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      out.problems.push({ where: file, reason: 'unreadable URL file', detail: (error as NodeJS.ErrnoException).code });
      continue;
    }
    const parsed = parseUrlList(text, file);
    out.entries.push(...parsed.entries);
    out.albums.push(...parsed.albums);
    out.problems.push(...parsed.problems);
  }
  return out;
}

/** Append URLs to a URL file (created with a header if missing), one per line. */
export async function appendUrls(file: string, urls: readonly string[]): Promise<void> {
  if (urls.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  let prefix = '';
  try {
    const existing = await readFile(file, 'utf8');
    if (existing.length > 0 && !existing.endsWith('\n')) prefix = '\n';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    prefix = '# WeChat article and album URLs followed by wxfeed, one per line. `wxfeed add URL` appends here.\n';
  }
  await appendFile(file, `${prefix}${urls.join('\n')}\n`);
}
