/**
 * URL lists: `urls:` in the config and text files with one URL per line (`#` comments and blank lines allowed), of
 * WeChat articles, albums (合集) and homepages (主页), mixed freely. Parsing is pure; reading a missing file gives an
 * empty list. Every line that is none of them is reported with its file and line.
 *
 * A URL file is read and appended to only when it is a regular file: a symbolic link (to `/etc/passwd`, say), a FIFO,
 * a directory or a device is refused, naming the file and what it is. The check is made on the file opened (`fstat`),
 * opened without following a link (`O_NOFOLLOW`) and without waiting for a FIFO's other end (`O_NONBLOCK`), so a
 * file swapped for another between a look and the open is caught too.
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InputProblem, ListKind, ParsedUrl } from '../types.js';
import { type AlbumRef, isAlbumUrl, parseAlbumUrl } from '../wechat/album.js';
import { isHomepageUrl, parseHomepageUrl } from '../wechat/homepage.js';
import { isWechatUrl, parseUrl } from '../wechat/url.js';

/** An article URL listed to follow. */
interface UrlEntry {
  /** Where it was listed: `config urls[3]` or `path:line`. */
  where: string;
  raw: string;
  parsed: ParsedUrl;
}

/** An album or a homepage (`kind`) listed to follow; a homepage's `album.albumId` is `home-<n>-<hid>[-<cid>]`. */
interface AlbumEntry {
  where: string;
  raw: string;
  kind: ListKind;
  album: AlbumRef;
}

/** What the URL inputs list: articles, albums, and the lines that are neither. */
export interface UrlInputs {
  entries: UrlEntry[];
  albums: AlbumEntry[];
  problems: InputProblem[];
}

/** A URL checked for following: what it is, or why it is refused. */
export type CheckedUrl =
  | { ok: true; kind: 'article'; parsed: ParsedUrl }
  | { ok: true; kind: ListKind; album: AlbumRef }
  | { ok: false; reason: string };

/**
 * Check one URL for following: a WeChat article (long or short link), an album (`/mp/appmsgalbum?…&album_id=…`) or a
 * homepage, in any pasted form; a list URL without a usable id is refused with why.
 */
export function checkFollowUrl(raw: string): CheckedUrl {
  if (isAlbumUrl(raw)) {
    const album = parseAlbumUrl(raw);
    return album.ok ? { ok: true, kind: 'album', album: album.album } : { ok: false, reason: album.reason };
  }
  if (isHomepageUrl(raw)) {
    const home = parseHomepageUrl(raw);
    if (!home.ok) return { ok: false, reason: home.reason };
    const { biz, id, canonical } = home.homepage;
    return { ok: true, kind: 'homepage', album: { biz, albumId: id, canonical } };
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
  if (!checked.ok)
    out.problems.push({ kind: 'bad-url', where, reason: 'bad URL', detail: `${raw}: ${checked.reason}` });
  else if (checked.kind === 'article') out.entries.push({ where, raw, parsed: checked.parsed });
  else out.albums.push({ where, raw, kind: checked.kind, album: checked.album });
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

/** A URL file that is not a regular file: neither read nor written. */
export class UrlFileRefused extends Error {
  constructor(
    readonly file: string,
    /** What it is: `a symbolic link`, `a FIFO`, `a directory`, `a character device`, … */
    readonly what: string,
  ) {
    super(`URL file ${file} is ${what}; refusing to read or write it`);
    this.name = 'UrlFileRefused';
  }

  /** The problem a build reports (the build goes on with the other inputs). */
  problem(): InputProblem {
    return {
      kind: 'url-file-refused',
      where: this.file,
      reason: 'URL file not a regular file',
      detail: `${this.what}; refusing to read or write it`,
    };
  }
}

/** What a file that is not a regular file is, for a message; undefined for a regular file. */
function kindOf(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * An open that failed because of what the file is (a link met with O_NOFOLLOW, a directory opened to write, a FIFO
 * with no reader): the refusal naming what it is (looked up without following it); any other failure as it is.
 */
async function openFailure(file: string, error: unknown): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ELOOP' && code !== 'EISDIR' && code !== 'ENXIO' && code !== 'EMLINK' && code !== 'EFTYPE') return error;
  const what = await lstat(file).then(kindOf, () => undefined);
  return what ? new UrlFileRefused(file, what) : error;
}

/** The opened file is a regular file, or the handle is closed and the refusal thrown. */
async function checkOpened(file: string, handle: FileHandle): Promise<Stats> {
  const stats = await handle.stat();
  const what = kindOf(stats);
  if (what === undefined) return stats;
  await handle.close();
  throw new UrlFileRefused(file, what);
}

/** Open a URL file to read it: a regular file only. Undefined when it does not exist. */
async function openToRead(file: string): Promise<{ handle: FileHandle; stats: Stats } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw await openFailure(file, error);
  }
  return { handle, stats: await checkOpened(file, handle) };
}

/** A URL file's text, or undefined when it does not exist; a file that is not a regular file is refused. */
async function readUrlFile(file: string): Promise<string | undefined> {
  const opened = await openToRead(file);
  if (!opened) return undefined;
  try {
    return await opened.handle.readFile('utf8');
  } finally {
    await opened.handle.close();
  }
}

/** All URLs to follow: config `urls` then each file of `urlFiles`. */
export async function readUrlInputs(urls: readonly string[], files: readonly string[]): Promise<UrlInputs> {
  const out: UrlInputs = { entries: [], albums: [], problems: [] };
  urls.forEach((raw, i) => {
    take(out, `config urls[${i}]`, raw);
  });
  for (const file of files) {
    let text: string | undefined;
    try {
      text = await readUrlFile(file);
    } catch (error) {
      if (error instanceof UrlFileRefused) out.problems.push(error.problem());
      else
        out.problems.push({
          kind: 'unreadable-url-file',
          where: file,
          reason: 'unreadable URL file',
          detail: (error as NodeJS.ErrnoException).code,
        });
      continue;
    }
    if (text === undefined) continue;
    const parsed = parseUrlList(text, file);
    out.entries.push(...parsed.entries);
    out.albums.push(...parsed.albums);
    out.problems.push(...parsed.problems);
  }
  return out;
}

/** The last byte of a URL file is a newline (or it is empty): read through the same checks as any read. */
async function endsLine(file: string): Promise<boolean> {
  const opened = await openToRead(file);
  if (!opened) return true;
  try {
    const size = opened.stats.size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await opened.handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await opened.handle.close();
  }
}

/**
 * Append URLs to a URL file, one per line (created with a header if missing, mode 0644). One that is not a regular
 * file is refused (UrlFileRefused): the file opened is checked before anything is written.
 */
export async function appendUrls(file: string, urls: readonly string[]): Promise<void> {
  if (urls.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  const existed = await lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
  const prefix = !existed
    ? '# WeChat article, album and homepage URLs followed by wxfeed, one per line. `wxfeed add URL` appends here.\n'
    : (await endsLine(file))
      ? ''
      : '\n';
  const flags =
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let handle: FileHandle;
  try {
    handle = await open(file, flags, 0o644);
  } catch (error) {
    throw await openFailure(file, error);
  }
  await checkOpened(file, handle);
  try {
    await handle.appendFile(`${prefix}${urls.join('\n')}\n`);
  } finally {
    await handle.close();
  }
}
