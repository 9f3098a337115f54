/** The first bytes of each raster format the image proxy serves (magic numbers), padded: test images. */
const filler = (n: number) => Buffer.alloc(n, 0x5a);
const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

export const IMAGES = {
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), filler(300)]),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), filler(300)]),
  gif: Buffer.concat([Buffer.from('GIF89a'), filler(300)]),
  webp: Buffer.concat([Buffer.from('RIFF'), le32(308), Buffer.from('WEBPVP8 '), filler(300)]),
  bmp: Buffer.concat([Buffer.from('BM'), le32(354), le32(0), le32(54), le32(40), filler(300)]),
  avif: Buffer.concat([be32(28), Buffer.from('ftypavif'), be32(0), Buffer.from('avifmif1miaf'), filler(300)]),
};
