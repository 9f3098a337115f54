/**
 * Fetching one image from WeChat's image hosts for the proxy: the Referer those hosts accept, a size cap, a timeout,
 * no cookies, no redirects (through the one HTTP client).
 */
import { request } from './client.js';

/** The Referer WeChat's image hosts accept. */
const WECHAT_REFERER = 'https://mp.weixin.qq.com/';

/** An image and its type, or the status and reason the proxy answers with. */
export type ImageFetch =
  | { ok: true; type: string | undefined; body: Buffer }
  | { ok: false; status: number; reason: string };

/** One image from WeChat's image hosts, or why not (the proxy answers 502 with the reason). */
export async function fetchImage(
  url: string,
  opts: { maxBytes: number; timeoutMs: number; signal?: AbortSignal },
): Promise<ImageFetch> {
  const r = await request(url, {
    maxBytes: opts.maxBytes,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    headers: { referer: WECHAT_REFERER, accept: 'image/avif,image/webp,image/*,*/*;q=0.8' },
  });
  if (r.kind === 'ok') {
    const type = r.headers['content-type'];
    return { ok: true, type: Array.isArray(type) ? type[0] : type, body: r.body };
  }
  if (r.kind === 'redirect') return { ok: false, status: 502, reason: `upstream answered ${r.status}` };
  if (r.status !== undefined) return { ok: false, status: 502, reason: `upstream answered ${r.status}` };
  if (r.code === 'too-large') return { ok: false, status: 502, reason: `image over ${opts.maxBytes} bytes` };
  return { ok: false, status: 502, reason: r.reason };
}
