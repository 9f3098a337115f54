/**
 * Fetching one image from WeChat's image hosts for the proxy: an accepted Referer, a size cap (the stream is
 * aborted past it), a timeout, no cookies, no redirects.
 */
import got from 'got';

export const WECHAT_REFERER = 'https://mp.weixin.qq.com/';
const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

export type ImageFetch =
  | { ok: true; type: string | undefined; body: Buffer }
  | { ok: false; status: number; reason: string };

export async function fetchImage(
  url: string,
  opts: { maxBytes: number; timeoutMs: number; signal?: AbortSignal },
): Promise<ImageFetch> {
  const stream = got.stream(url, {
    headers: { referer: WECHAT_REFERER, 'user-agent': USER_AGENT, accept: 'image/avif,image/webp,image/*,*/*;q=0.8' },
    timeout: { request: opts.timeoutMs },
    followRedirect: false,
    throwHttpErrors: false,
    retry: { limit: 0 },
    decompress: true,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return new Promise<ImageFetch>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let status = 0;
    let type: string | undefined;
    stream.on('response', (res: { statusCode: number; headers: Record<string, string | undefined> }) => {
      status = res.statusCode;
      type = res.headers['content-type'];
      if (status !== 200) {
        stream.destroy();
        resolve({ ok: false, status: 502, reason: `upstream answered ${status}` });
      }
    });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > opts.maxBytes) {
        stream.destroy();
        resolve({ ok: false, status: 502, reason: `image over ${opts.maxBytes} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve({ ok: true, type, body: Buffer.concat(chunks) }));
    stream.on('error', (error: Error) =>
      resolve({ ok: false, status: 502, reason: error.message.split('\n')[0] ?? 'error' }),
    );
  });
}
