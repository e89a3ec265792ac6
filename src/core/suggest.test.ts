import { describe, expect, it } from 'vitest';
import { closest } from './suggest.ts';

const KEYS = ['id', 'publishAt', 'channels', 'images', 'draft', 'staleAfter', 'tags', 'title'];

describe('closest', () => {
  it('suggests the key a typo was meant to be', () => {
    expect(closest('publishedAt', KEYS)).toBe('publishAt');
    expect(closest('chanels', KEYS)).toBe('channels');
    expect(closest('imgaes', KEYS)).toBe('images'); // a transposition is one slip
    expect(closest('tgas', KEYS)).toBe('tags');
  });
  it('ignores case but returns the candidate as spelled', () => {
    expect(closest('PUBLISHAT', KEYS)).toBe('publishAt');
    expect(closest('StaleAfter', KEYS)).toBe('staleAfter');
  });
  it('suggests nothing for words too far from every candidate', () => {
    expect(closest('foo', KEYS)).toBeNull();
    expect(closest('schedule', KEYS)).toBeNull();
    expect(closest('publication', KEYS)).toBeNull();
    expect(closest('anything', [])).toBeNull();
  });
  it('allows more slips in longer words', () => {
    expect(closest('stalAftr', KEYS)).toBe('staleAfter'); // two slips in eight letters
    expect(closest('drfat', ['draft'])).toBe('draft');
    expect(closest('dxxft', ['draft'])).toBeNull(); // two slips in five letters
  });
  it('prefers the nearest candidate', () => {
    expect(closest('tits', ['title', 'tags', 'tips'])).toBe('tips');
  });
});

describe('closest on very short words', () => {
  it('makes no guess for one- or two-letter words', () => {
    expect(closest('y', ['x', 'id'])).toBeNull();
    expect(closest('ix', ['x', 'id'])).toBeNull();
  });
});
