/**
 * Pure: the media type of an image from its first bytes (magic numbers), for the image proxy. Only raster formats
 * are named; anything else (SVG, HTML, text, an unknown format) is undefined and is never served. The URL's
 * `wx_fmt=` and the upstream's Content-Type are never trusted for this.
 */

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

/** The sizes a BMP's DIB header can have (BITMAPCOREHEADER … BITMAPV5HEADER, OS/2 variants). */
const BMP_HEADERS = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** ISO base media file (AVIF, HEIC): the brands of the leading `ftyp` box. */
function isoBrands(bytes: Uint8Array): string[] {
  if (bytes.length < 16 || !ascii(bytes, 4, 'ftyp')) return [];
  const size = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(bytes.length, Math.max(size, 16), 4096);
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  const brands = [text(8)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(text(at));
  return brands;
}

/** The raster image type of these bytes, or undefined when they are not a raster image we serve. */
export function rasterImageType(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    ascii(bytes, 1, 'PNG') &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  )
    return 'image/png';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, 'BM') && bytes.length >= 18) {
    const dib = (bytes[14]! | (bytes[15]! << 8) | (bytes[16]! << 16) | (bytes[17]! << 24)) >>> 0;
    if (BMP_HEADERS.has(dib)) return 'image/bmp';
  }
  const brands = isoBrands(bytes);
  if (brands.some((b) => b === 'avif' || b === 'avis')) return 'image/avif';
  if (brands.some((b) => ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'].includes(b))) return 'image/heic';
  if (brands[0] === 'mif1' || brands[0] === 'msf1') return 'image/heif';
  return undefined;
}

/** A short, printable form of an upstream Content-Type for an error message. */
export function declaredType(type: string | undefined): string {
  const clean = (type ?? '')
    .replace(/[^\w.+/;=\- ]/g, '')
    .trim()
    .slice(0, 80);
  return clean === '' ? 'no Content-Type' : clean;
}
