/**
 * The image proxy route: `<base>img/<sig>/<url>`. Unsigned, tampered and foreign-host URLs get 403; images come
 * only from WeChat's image hosts (or, in tests, the configured upstream), are capped in size and kept in a bounded
 * disk cache.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyImagePath } from '../content/image-sign.js';
import { plain } from './static.js';
import { imageMime, isWechatImage } from '../content/images.js';
import { fetchImage } from '../http/images.js';
import { DiskCache } from './image-cache.js';

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
