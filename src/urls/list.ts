/**
 * URL lists: `urls:` in the config and text files with one URL per line (`#` comments and blank lines allowed).
 * Parsing is pure; reading a missing file gives an empty list. Every line that is not a WeChat article URL is
 * reported with its file and line.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InputProblem, ParsedUrl } from '../types.js';
import { isWechatUrl, parseUrl } from '../wechat/url.js';

export interface UrlEntry {
  /** Where it was listed: `config urls[3]` or `path:line`. */
  where: string;
  raw: string;
  parsed: ParsedUrl;
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

/** Pure: the lines of a URL file → entries and problems. */
export function parseUrlList(text: string, file: string): { entries: UrlEntry[]; problems: InputProblem[] } {
  const entries: UrlEntry[] = [];
  const problems: InputProblem[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const raw = line.replace(/(^|\s)#.*$/, '').trim();
      if (!raw) return;
      const where = `${file}:${i + 1}`;
      const checked = checkArticleUrl(raw);
      if (checked.ok) entries.push({ where, raw, parsed: checked.parsed });
      else problems.push({ where, reason: 'bad URL', detail: `${raw}: ${checked.reason}` });
    });
  return { entries, problems };
}

/** All URLs to follow: config `urls` then each file of `urlFiles`. */
export async function readUrlInputs(
  urls: readonly string[],
  files: readonly string[],
): Promise<{ entries: UrlEntry[]; problems: InputProblem[] }> {
  const entries: UrlEntry[] = [];
  const problems: InputProblem[] = [];
  urls.forEach((raw, i) => {
    const checked = checkArticleUrl(raw);
    if (checked.ok) entries.push({ where: `config urls[${i}]`, raw, parsed: checked.parsed });
    else problems.push({ where: `config urls[${i}]`, reason: 'bad URL', detail: `${raw}: ${checked.reason}` });
  });
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      problems.push({ where: file, reason: 'unreadable URL file', detail: (error as NodeJS.ErrnoException).code });
      continue;
    }
    const parsed = parseUrlList(text, file);
    entries.push(...parsed.entries);
    problems.push(...parsed.problems);
  }
  return { entries, problems };
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
    prefix = '# WeChat article URLs followed by wxfeed, one per line. `wxfeed add URL` appends here.\n';
  }
  await appendFile(file, `${prefix}${urls.join('\n')}\n`);
}
