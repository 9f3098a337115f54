/**
 * Pure signing of image proxy URLs: `img/<sig>/<base64url(url)>`, sig = HMAC-SHA256(secret, url), 128 bits.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

function mac(secret: string, url: string): Buffer {
  return createHmac('sha256', secret).update(url).digest().subarray(0, 16);
}

/** The proxy path (relative to baseUrl) for an image URL. */
export function signedImagePath(secret: string, url: string): string {
  return `img/${mac(secret, url).toString('base64url')}/${Buffer.from(url, 'utf8').toString('base64url')}`;
}

/**
 * The image URL a signed path stands for, or undefined when the signature does not match. Only canonical base64url
 * (unpadded, unused bits zero, the URL valid UTF-8) is accepted, so one URL has exactly one proxy path.
 */
export function verifyImagePath(secret: string, sig: string, encoded: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{22}$/.test(sig) || !/^[A-Za-z0-9_-]{1,4096}$/.test(encoded)) return undefined;
  const given = Buffer.from(sig, 'base64url');
  if (given.toString('base64url') !== sig) return undefined;
  const url = Buffer.from(encoded, 'base64url').toString('utf8');
  if (Buffer.from(url, 'utf8').toString('base64url') !== encoded) return undefined;
  const want = mac(secret, url);
  return given.length === want.length && timingSafeEqual(given, want) ? url : undefined;
}
