/**
 * Small images made byte by byte, with the sizes a test needs: enough of each format for a
 * reader of image headers (image-size, the PDS's type sniffing). No pixels.
 */

/** A PNG header (signature, IHDR) of `width` × `height`, padded to `totalBytes` if given. */
export function pngBytes(width: number, height: number, totalBytes = 0): Uint8Array {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  header.set([8, 6, 0, 0, 0], 24); // 8-bit RGBA, no interlace; the CRC is left zero
  const out = new Uint8Array(Math.max(totalBytes, header.length));
  out.set(header);
  return out;
}

/** A JPEG of `width` × `height` (its SOF0 frame), with an EXIF orientation (1–8) if given. */
export function jpegBytes(width: number, height: number, orientation?: number): Uint8Array {
  const segment = (marker: number, payload: number[]) => [
    0xff,
    marker,
    ((payload.length + 2) >> 8) & 0xff,
    (payload.length + 2) & 0xff,
    ...payload,
  ];
  const app =
    orientation === undefined
      ? segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]) // JFIF
      : segment(0xe1, [
          ...[0x45, 0x78, 0x69, 0x66, 0, 0], // "Exif\0\0"
          ...[0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8], // big-endian TIFF, IFD0 at 8
          ...[0, 1], // one entry: Orientation (0x0112), SHORT, 1 value
          ...[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0],
          ...[0, 0, 0, 0],
        ]);
  const frame = segment(0xc0, [
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);
  return new Uint8Array([0xff, 0xd8, ...app, ...frame, 0xff, 0xd9]);
}

/** An SVG document: a format browsers show and Bluesky does not take. */
export function svgBytes(width: number, height: number): Uint8Array {
  return new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%"/></svg>`,
  );
}
