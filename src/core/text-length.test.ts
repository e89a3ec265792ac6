import { describe, expect, it } from 'vitest';
import {
  blueskyLength,
  graphemeCount,
  graphemes,
  mastodonLength,
  SHORT_LINK_LENGTH,
  utf8Bytes,
  xLength,
} from './text-length.ts';

describe('graphemes', () => {
  it('counts what a reader sees as one character as one', () => {
    expect(graphemes('a👨‍👩‍👧🇩🇪e\u0301')).toEqual(['a', '👨‍👩‍👧', '🇩🇪', 'e\u0301']);
    expect(graphemeCount('👍🏽👍🏽')).toBe(2);
    expect(graphemeCount('')).toBe(0);
  });
});

describe('xLength (twitter-text v3 weighting)', () => {
  it('weighs Latin text 1 per character', () => {
    expect(xLength('hello')).toBe(5);
    expect(xLength('Grüße, señor')).toBe(12);
    expect(xLength('a'.repeat(280))).toBe(280);
  });
  it('weighs CJK and other heavy scripts 2 per character', () => {
    expect(xLength('日本語')).toBe(6);
    expect(xLength('한국어')).toBe(6);
    expect(xLength('日'.repeat(140))).toBe(280);
  });
  it('keeps the light punctuation ranges light and the rest heavy', () => {
    expect(xLength('“quoted” – ok')).toBe(13); // U+201C/U+201D and en dash are in U+2010–201F
    expect(xLength('…')).toBe(2); // U+2026 is outside the light ranges
    expect(xLength('→')).toBe(2);
  });
  it('weighs every emoji sequence 2 as a whole', () => {
    expect(xLength('👨‍👩‍👧')).toBe(2); // five code points, one family
    expect(xLength('🇩🇪')).toBe(2);
    expect(xLength('👍🏽')).toBe(2);
    expect(xLength('🏳️‍🌈')).toBe(2);
    expect(xLength('1️⃣')).toBe(2);
    expect(xLength('hi 😀')).toBe(5);
  });
  it('keeps © and ® as text unless written as emoji', () => {
    expect(xLength('©')).toBe(1);
    expect(xLength('®')).toBe(1);
    expect(xLength('©\uFE0F')).toBe(2);
  });
  it('counts any link 23, whatever its length, bare domains included', () => {
    expect(SHORT_LINK_LENGTH).toBe(23);
    expect(xLength('https://a.co')).toBe(23);
    expect(xLength(`see https://example.org/${'x'.repeat(200)} now`)).toBe(4 + 23 + 4);
    expect(xLength('example.org')).toBe(23);
    expect(xLength('go to example.org/posts/launch.')).toBe(6 + 23 + 1);
    expect(xLength('https://a.org https://b.org')).toBe(23 + 1 + 23);
  });
  it('does not take file names and abbreviations for links', () => {
    expect(xLength('node.js e.g. ok')).toBe(15);
  });
  it('measures after NFC normalisation', () => {
    expect(xLength('cafe\u0301')).toBe(4);
    expect(xLength('cafe\u0301')).toBe(xLength('café'));
  });
});

describe('mastodonLength', () => {
  it('counts graphemes, not UTF-16 units, and CJK as 1', () => {
    expect(mastodonLength('👨‍👩‍👧🇩🇪')).toBe(2);
    expect(mastodonLength('日本語')).toBe(3);
  });
  it('counts http(s) links 23 but bare domains in full', () => {
    expect(mastodonLength(`https://example.org/${'x'.repeat(100)}`)).toBe(23);
    expect(mastodonLength('go https://example.org/x?y=1 now')).toBe(3 + 23 + 4);
    expect(mastodonLength('see example.org now')).toBe(19);
  });
  it('counts a remote mention @user@instance as @user', () => {
    expect(mastodonLength('hi @alice@mastodon.social')).toBe('hi @alice'.length);
    expect(mastodonLength('@bob@example.org and @carol@chaos.social')).toBe('@bob and @carol'.length);
    expect(mastodonLength('mail me@example.org')).toBe(19); // an e-mail address is not a mention
  });
  it('applies both rules in one text', () => {
    expect(mastodonLength('@alice@mastodon.social read https://example.org/a-long-path-here')).toBe(
      '@alice read '.length + 23,
    );
  });
});

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
