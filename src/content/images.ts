/**
 * Image facts for WeChat URLs: the type is in `wx_fmt=`, never in the path.
 */
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
