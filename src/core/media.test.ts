import { describe, expect, it } from 'vitest';
import { describeBytes, MIME, sniffImageType } from './media.ts';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffImageType', () => {
  it('recognises raster images by their magic bytes', () => {
    expect(sniffImageType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13]))).toBe('png');
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageType(bytes('GIF89a', [1, 0]))).toBe('gif');
    expect(sniffImageType(bytes('GIF87a'))).toBe('gif');
    expect(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('webp');
    expect(sniffImageType(bytes([0, 0, 0, 0x20], 'ftypavif', [0, 0, 0, 0]))).toBe('avif');
    expect(sniffImageType(bytes([0, 0, 0, 0x20], 'ftypavis'))).toBe('avif');
  });
  it('goes by content, not by what a file claims to be', () => {
    expect(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '))).toBeNull(); // a sound file
    expect(sniffImageType(bytes([0, 0, 0, 0x20], 'ftypheic'))).toBeNull();
    expect(sniffImageType(bytes('GIF90a'))).toBeNull();
    expect(sniffImageType(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffImageType(bytes('<html><body>hi</body></html>'))).toBeNull();
  });
  it('refuses heads too short to be sure', () => {
    expect(sniffImageType(new Uint8Array())).toBeNull();
    expect(sniffImageType(bytes([0x89], 'PNG'))).toBeNull();
    expect(sniffImageType(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffImageType(bytes('RIFF'))).toBeNull();
  });
  it('recognises SVG, also after an XML prolog, a comment or whitespace', () => {
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('svg');
    expect(sniffImageType(bytes('\n  <?xml version="1.0"?>\n<!-- chart -->\n<svg>'))).toBe('svg');
    expect(sniffImageType(bytes('<svgfoo/>'))).toBeNull();
    expect(sniffImageType(bytes('text then <svg>'))).toBeNull();
  });
  it('has a MIME type for every type', () => {
    expect(MIME.jpeg).toBe('image/jpeg');
    expect(MIME.svg).toBe('image/svg+xml');
  });
});

describe('describeBytes', () => {
  it('uses bytes, KB or MB as a person would', () => {
    expect(describeBytes(0)).toBe('0 bytes');
    expect(describeBytes(1023)).toBe('1023 bytes');
    expect(describeBytes(1024)).toBe('1.0 KB');
    expect(describeBytes(1536)).toBe('1.5 KB');
    expect(describeBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(describeBytes(1_000_000)).toBe('976.6 KB');
  });
});
