/**
 * Serving output/: only files inside the folder (no traversal in any encoding, no NUL bytes, no symlink that
 * leaves it, no directory listings), with the feed media types, ETag and Last-Modified answered with 304,
 * gzip or br when the client asks, and HEAD.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { plain } from './answer.js';

/** Media types by extension, for the files that are not feeds. */
const MEDIA_TYPES: Record<string, string> = {
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.opml': 'text/x-opml; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Feed files by name: the type readers and browsers expect. */
function mediaType(path: string): string {
  if (path.endsWith(`${sep}atom.xml`) || path === 'atom.xml') return 'application/atom+xml; charset=utf-8';
  if (path.endsWith(`${sep}rss.xml`) || path === 'rss.xml') return 'application/rss+xml; charset=utf-8';
  if (path.endsWith(`${sep}feed.json`) || path === 'feed.json') return 'application/feed+json; charset=utf-8';
  return MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const FEED_CACHE = 'public, max-age=300';
const PAGE_CACHE = 'public, max-age=60';

/** A request header by its lower-case name. */
type RequestHeader = (name: string) => string | undefined;

interface Entry {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
  gzip?: Buffer;
  br?: Buffer;
}

/**
 * Pure: the URL path (after the base path) → a relative file path inside the folder, or why not.
 * Decodes once; refuses `..` segments, backslashes, NUL bytes and absolute paths in any encoding.
 */
export function safeRelativePath(urlPath: string): { ok: true; path: string } | { ok: false; status: 400 | 404 } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /%(?:2e|2f|5c|00)/i.test(decoded))
    return { ok: false, status: 400 };
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[a-z]:/i.test(s))) return { ok: false, status: 400 };
  if (segments.some((s) => s.startsWith('.'))) return { ok: false, status: 404 };
  return { ok: true, path: segments.join('/') };
}

/** Serves the files of one folder, the recently used kept in memory (with compressed forms) until they change. */
export class StaticFiles {
  private readonly cache: LRUCache<string, Entry>;
  private rootReal: string | undefined;

  constructor(
    private readonly root: string,
    maxCached = 512,
  ) {
    this.cache = new LRUCache<string, Entry>({ max: maxCached });
  }

  private async resolve(rel: string): Promise<string | undefined> {
    this.rootReal ??= await realpath(this.root).catch(() => undefined);
    if (!this.rootReal) return undefined;
    let target = join(this.root, rel);
    let st = await stat(target).catch(() => undefined);
    if (st?.isDirectory()) {
      target = join(target, 'index.html');
      st = await stat(target).catch(() => undefined);
    }
    if (!st?.isFile()) return undefined;
    const real = await realpath(target).catch(() => undefined);
    if (!real || !(real === this.rootReal || real.startsWith(this.rootReal + sep))) return undefined;
    return real;
  }

  private async load(real: string): Promise<Entry | undefined> {
    const st = await stat(real).catch(() => undefined);
    if (!st) return undefined;
    const hit = this.cache.get(real);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const body = await readFile(real).catch(() => undefined);
    if (!body) return undefined;
    const entry: Entry = {
      mtimeMs: st.mtimeMs,
      size: st.size,
      body,
      etag: createHash('sha1').update(body).digest('base64url').slice(0, 22),
    };
    this.cache.set(real, entry);
    return entry;
  }

  /** Answer a GET or HEAD for `urlPath` (already stripped of the base path); `header` reads the request's headers. */
  async serve(header: RequestHeader, urlPath: string): Promise<Response> {
    const safe = safeRelativePath(urlPath);
    if (!safe.ok) return plain(safe.status, safe.status === 400 ? 'bad request' : 'not found');
    const real = await this.resolve(safe.path);
    const entry = real ? await this.load(real) : undefined;
    if (!real || !entry) return plain(404, 'not found');
    const type = mediaType(real);
    const encoding = pickEncoding(header('accept-encoding'));
    const etag = `"${entry.etag}${encoding ? `-${encoding}` : ''}"`;
    const out: Record<string, string> = {
      'Content-Type': type,
      ETag: etag,
      'Last-Modified': new Date(Math.floor(entry.mtimeMs / 1000) * 1000).toUTCString(),
      'Cache-Control': /atom\+xml|rss\+xml|feed\+json/.test(type) ? FEED_CACHE : PAGE_CACHE,
      Vary: 'Accept-Encoding',
      'X-Content-Type-Options': 'nosniff',
    };
    if (notModified(header, entry, etag)) return new Response(null, { status: 304, headers: out });
    const body = encoding ? compressed(entry, encoding) : entry.body;
    if (encoding) out['Content-Encoding'] = encoding;
    out['Content-Length'] = String(body.length);
    return new Response(body, { status: 200, headers: out });
  }
}

/**
 * RFC 9110 conditional GET: If-None-Match `*` or a tag of this file or one of its encodings (weak comparison), else
 * If-Modified-Since no older than the file, a date in the past only (a future one says nothing of the client's copy).
 */
function notModified(header: RequestHeader, entry: Entry, etag: string): boolean {
  const inm = header('if-none-match');
  if (inm !== undefined) {
    const ours = new Set([etag, ...['', '-gzip', '-br'].map((suffix) => `"${entry.etag}${suffix}"`)]);
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.some((t) => t === '*' || ours.has(t));
  }
  const ims = header('if-modified-since');
  if (ims) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && since <= Date.now() && Math.floor(entry.mtimeMs / 1000) * 1000 <= since;
  }
  return false;
}

/** br over gzip when both are accepted (q=0 refuses). */
export function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | undefined {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const accepted = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (n: string) => (accepted.get(n) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

function compressed(entry: Entry, encoding: 'br' | 'gzip'): Buffer {
  if (encoding === 'gzip') return (entry.gzip ??= gzipSync(entry.body, { level: 6 }));
  return (entry.br ??= brotliCompressSync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }));
}
