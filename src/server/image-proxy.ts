/**
 * The image proxy route: `<base>img/<sig>/<url>`. Unsigned, tampered and foreign-host URLs get 403; images come
 * only from WeChat's image hosts (or, in tests, the configured upstream), are capped in size and kept in a bounded
 * disk cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyImagePath } from '../content/image-sign.js';
import { plain } from './static.js';
import { imageMime, isWechatImage } from '../content/images.js';
import { fetchImage } from '../http/images.js';

export interface ImageProxyOptions {
  basePath: string;
  secret: string;
  maxBytes: number;
  timeoutMs: number;
  cacheDir: string;
  cacheMaxBytes: number;
  /** Test setting: fetch from this origin instead of the WeChat host (path and query kept). */
  upstream?: string;
}

/** A bounded disk cache: files named by the hash of the URL, oldest evicted first. */
class DiskCache {
  private readonly entries = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly dir: string,
    private readonly max: number,
  ) {
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.img'))
      .map((f) => ({ f, st: statSync(join(dir, f)) }));
    for (const { f, st } of files.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs)) this.remember(f, st.size);
  }

  private remember(name: string, size: number): void {
    this.total += size - (this.entries.get(name) ?? 0);
    this.entries.delete(name);
    this.entries.set(name, size);
  }

  async get(key: string): Promise<{ type: string; body: Buffer } | undefined> {
    const name = `${key}.img`;
    if (!this.entries.has(name)) return undefined;
    const raw = await readFile(join(this.dir, name)).catch(() => undefined);
    if (!raw) return undefined;
    this.remember(name, raw.length);
    const nl = raw.indexOf(10);
    return { type: raw.subarray(0, nl).toString('utf8'), body: raw.subarray(nl + 1) };
  }

  async put(key: string, type: string, body: Buffer): Promise<void> {
    if (this.max <= 0) return;
    const name = `${key}.img`;
    const data = Buffer.concat([Buffer.from(`${type}\n`), body]);
    if (data.length > this.max) return;
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, join(this.dir, name));
    this.remember(name, data.length);
    for (const [old, size] of this.entries) {
      if (this.total <= this.max) break;
      this.entries.delete(old);
      this.total -= size;
      await rm(join(this.dir, old), { force: true });
    }
  }
}

export function imageProxyRoute(opts: ImageProxyOptions) {
  const cache = new DiskCache(opts.cacheDir, opts.cacheMaxBytes);
  const prefix = `${opts.basePath}img/`;
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (!path.startsWith(prefix)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      plain(res, 405, 'method not allowed');
      return true;
    }
    const [sig, encoded, ...rest] = path.slice(prefix.length).split('/');
    const url = sig && encoded && rest.length === 0 ? verifyImagePath(opts.secret, sig, encoded) : undefined;
    if (!url || !isWechatImage(url)) {
      plain(res, 403, 'forbidden');
      return true;
    }
    const key = createHash('sha256').update(url).digest('hex');
    let hit = await cache.get(key);
    if (!hit) {
      const target = opts.upstream
        ? `${opts.upstream.replace(/\/+$/, '')}${new URL(url).pathname}${new URL(url).search}`
        : url;
      const got = await fetchImage(target, { maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs });
      if (!got.ok) {
        plain(res, got.status, got.reason);
        return true;
      }
      const type = got.type?.startsWith('image/') ? got.type : (imageMime(url) ?? 'application/octet-stream');
      hit = { type, body: got.body };
      await cache.put(key, type, got.body);
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', hit.type);
    res.setHeader('Content-Length', hit.body.length);
    res.setHeader('Cache-Control', 'public, max-age=604800, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(req.method === 'HEAD' ? undefined : hit.body);
    return true;
  };
}
