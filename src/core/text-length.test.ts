import { describe, expect, it } from 'vitest';
import { blueskyLength, graphemeCount, graphemes, utf8Bytes } from './text-length.ts';

describe('graphemes', () => {
  it('counts what a reader sees as one character as one', () => {
    expect(graphemes('a👨‍👩‍👧🇩🇪e\u0301')).toEqual(['a', '👨‍👩‍👧', '🇩🇪', 'e\u0301']);
    expect(graphemeCount('👍🏽👍🏽')).toBe(2);
    expect(graphemeCount('')).toBe(0);
  });
});

// X's and Mastodon's lengths: src/channels/x-text.test.ts and mastodon-text.test.ts.

describe('blueskyLength and utf8Bytes', () => {
  it('counts graphemes of the text as written, links in full', () => {
    expect(blueskyLength('👨‍👩‍👧 hi')).toBe(4);
    expect(blueskyLength('https://example.org/abc')).toBe(23);
    expect(blueskyLength('https://example.org/abcdef')).toBe(26);
    expect(blueskyLength('日本語')).toBe(3);
  });
  it('counts UTF-8 bytes for the byte limit', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('日本語')).toBe(9);
    expect(utf8Bytes('👨‍👩‍👧')).toBe(18);
    expect(utf8Bytes('🇩🇪')).toBe(8);
  });
});
