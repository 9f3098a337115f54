/**
 * The image proxy route `<base>img/<sig>/<url>`: only signed, canonical URLs on WeChat's image hosts (else 403), capped
 * in size and cached. What is served is typed by its bytes alone, raster images only (else 502, not cached), and every
 * answer forbids scripts and sniffing, so a proxied URL opened directly runs nothing in our origin.
 */
import { createHash } from 'node:crypto';
import { verifyImagePath } from '../content/image-sign.js';
import { isWechatImage } from '../content/images.js';
import { fetchImage } from '../http/images.js';
import { plain } from './answer.js';
import type { Route } from './app.js';
import { DiskCache } from './image-cache.js';
import { declaredType, rasterImageType } from './image-type.js';

export interface ImageProxyOptions {
  basePath: string;
  secret: string;
  maxBytes: number;
  timeoutMs: number;
  cacheDir: string;
  cacheMaxBytes: number;
  /** For tests (`WXFEED_IMAGE_UPSTREAM`): fetch from this origin instead of the WeChat host, path and query kept. */
  upstream?: string | undefined;
  /** Told when the disk cache fails (once, until it works again); images are served without it meanwhile. */
  onCacheError?: ((error: Error) => void) | undefined;
}

/** The headers of every answer of the proxy: nothing it serves may run script or be sniffed into another type. */
const PROXY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'X-Content-Type-Options': 'nosniff',
} as const;

type Answer = { ok: true; type: string; body: Buffer } | { ok: false; status: number; reason: string };

/** The image proxy's route: false for any path outside `<base>img/`. */
export function imageProxyRoute(opts: ImageProxyOptions): Route {
  const cache = new DiskCache(opts.cacheDir, opts.cacheMaxBytes, opts.onCacheError);
  const prefix = `${opts.basePath}img/`;
  /** Image key → the one lookup-or-fetch in progress for it. */
  const inFlight = new Map<string, Promise<Answer>>();

  async function load(key: string, url: string): Promise<Answer> {
    const hit = await cache.get(key);
    if (hit) {
      const type = rasterImageType(hit);
      if (type) return { ok: true, type, body: hit };
      await cache.drop(key); // not an image we serve (written by an older version, or damaged): fetch again
    }
    const target = opts.upstream
      ? `${opts.upstream.replace(/\/+$/, '')}${new URL(url).pathname}${new URL(url).search}`
      : url;
    const got = await fetchImage(target, { maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs });
    if (!got.ok) return got;
    const type = rasterImageType(got.body);
    if (!type)
      return {
        ok: false,
        status: 502,
        reason: `upstream sent ${declaredType(got.type)}, not a raster image (JPEG, PNG, GIF, WebP, BMP, AVIF, HEIC)`,
      };
    await cache.put(key, type, got.body);
    return { ok: true, type, body: got.body };
  }

  function answer(key: string, url: string): Promise<Answer> {
    let flight = inFlight.get(key);
    if (!flight) {
      flight = load(key, url).finally(() => inFlight.delete(key));
      inFlight.set(key, flight);
    }
    return flight;
  }

  return (app) => {
    app.all(`${prefix}*`, async (c) => {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
        return plain(405, 'method not allowed', { ...PROXY_HEADERS, Allow: 'GET, HEAD' });
      const [sig, encoded, ...rest] = c.req.path.slice(prefix.length).split('/');
      const url = sig && encoded && rest.length === 0 ? verifyImagePath(opts.secret, sig, encoded) : undefined;
      if (!url || !isWechatImage(url)) return plain(403, 'forbidden', PROXY_HEADERS);
      const got = await answer(createHash('sha256').update(url).digest('hex'), url);
      if (!got.ok) return plain(got.status, got.reason, PROXY_HEADERS);
      return new Response(got.body, {
        status: 200,
        headers: {
          ...PROXY_HEADERS,
          'Content-Type': got.type,
          'Content-Length': String(got.body.length),
          'Cache-Control': 'public, max-age=604800, immutable',
        },
      });
    });
  };
}
