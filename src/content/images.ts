/**
 * Image facts for WeChat URLs: the type is in `wx_fmt=`, never in the path.
 */
import { decodeAttr, escapeAttr } from './escape.js';

const MIME_BY_FMT: Record<string, string> = {
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
};
const MIME_BY_EXT: Record<string, string> = { ...MIME_BY_FMT, jfif: 'image/jpeg', avif: 'image/avif' };

/** MIME type of an image URL: from `wx_fmt=`, else the path's extension, else from a `mmbiz_<fmt>` path segment. */
export function imageMime(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const fmt = parsed.searchParams.get('wx_fmt')?.toLowerCase();
  if (fmt && MIME_BY_FMT[fmt]) return MIME_BY_FMT[fmt];
  const ext = /\.([a-z0-9]{2,5})$/i.exec(parsed.pathname)?.[1]?.toLowerCase();
  if (ext && MIME_BY_EXT[ext]) return MIME_BY_EXT[ext];
  const seg = /\/(?:sz_)?mmbiz_([a-z]+)\//i.exec(parsed.pathname)?.[1]?.toLowerCase();
  if (seg && MIME_BY_FMT[seg]) return MIME_BY_FMT[seg];
  return undefined;
}

/** Image hosts that refuse images requested with a foreign Referer ("此图片来自微信公众平台 未经允许不可引用"). */
export const WECHAT_IMAGE_HOSTS = new Set([
  'mmbiz.qpic.cn',
  'mmecoa.qpic.cn',
  'mmbiz.qlogo.cn',
  'wx.qlogo.cn',
  'res.wx.qq.com',
]);

/**
 * The authority of a URL as written: scheme, then a host of plain letters, digits, dots and hyphens, then at most a
 * port, then the end of the authority. Read from the text itself, not from the parsed URL: the WHATWG parser forgives
 * what other parsers read otherwise (`\` taken for `/`, tabs and newlines dropped, `%2e` and full-width letters
 * decoded), and a reader's own parser must find the same host in what we hand on.
 */
const AUTHORITY = /^(https?):\/\/([a-z0-9.-]+)(?::(\d{1,5}))?(?=[/?#]|$)/i;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/**
 * True for an image the proxy may fetch and a cover may name: absolute http(s), the host written exactly as one of
 * WECHAT_IMAGE_HOSTS (any case; no trailing dot, IP, credentials or escapes), on the scheme's own port.
 */
export function isWechatImage(url: string): boolean {
  return !url.startsWith('//') && wechatImageUrl(url) !== undefined;
}

/**
 * The URL of an image on WeChat's image hosts (isWechatImage; scheme-relative, as pages write some, taken as https) as
 * the URL parser writes it, or undefined: published in this form, every reader's parser finds the same host in it.
 */
export function wechatImageUrl(written: string): string | undefined {
  const url = written.startsWith('//') ? `https:${written}` : written;
  const authority = AUTHORITY.exec(url);
  if (!authority || !WECHAT_IMAGE_HOSTS.has(authority[2]!.toLowerCase())) return undefined;
  const port = authority[3];
  if (port !== undefined && port !== DEFAULT_PORT[authority[1]!.toLowerCase()]) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (u.port !== '' || u.username !== '' || u.password !== '') return undefined;
  return WECHAT_IMAGE_HOSTS.has(u.hostname) ? u.href : undefined;
}

/** How feed images reach readers: as written, without a Referer, or through our signed proxy. */
export type ImageMode = 'direct' | 'no-referrer' | 'proxy';

/** Rewrites an image URL for the proxy (`<baseUrl>img/<sig>/<url>`), or leaves it. */
export type ImageUrlRewriter = (url: string) => string;

/**
 * Pure: make images in sanitized HTML show in readers. `no-referrer` asks the reader not to send a Referer (WeChat
 * serves images without one); `proxy` points WeChat images at our own signed proxy.
 */
export function rewriteImages(html: string, mode: ImageMode, proxy?: ImageUrlRewriter): string {
  if (mode === 'direct') return html;
  return html.replace(/<img\b([^>]*)>/gi, (_tag, attrs: string) => {
    let out = attrs;
    if (mode === 'proxy' && proxy) {
      out = out.replace(/\bsrc="([^"]*)"/i, (m, src: string) => {
        const url = decodeAttr(src);
        return isWechatImage(url) ? `src="${escapeAttr(proxy(url))}"` : m;
      });
    }
    if (!/\breferrerpolicy=/i.test(out)) out = ` referrerpolicy="no-referrer"${out}`;
    return `<img${out}>`;
  });
}
