import { describe, expect, it } from 'vitest';
import type { ReleasedFiles } from './ledger.ts';
import { releaseChange } from './release-change.ts';

const [A, B, C] = ['a', 'b', 'c'].map((x) => x.repeat(40)) as [string, string, string];
const bound: ReleasedFiles = {
  file: 'content/posts/meals.mdx',
  blob: A,
  coverBlob: null,
  images: { 'content/posts/chart.png': B, 'public/logo.png': C },
};

describe('releaseChange: the bytes a release bound against the post now', () => {
  it('is null while every bound file has its bytes', () => {
    expect(releaseChange(bound, { ...bound, images: { ...bound.images } })).toBeNull();
  });

  it('names what changed: another file, the post, its cover, an image its body shows', () => {
    expect(releaseChange(bound, { ...bound, file: 'content/posts/other.mdx' })).toEqual({
      kind: 'file',
      released: 'content/posts/meals.mdx',
    });
    expect(releaseChange(bound, { ...bound, blob: B })).toEqual({ kind: 'post' });
    expect(releaseChange(bound, { ...bound, coverBlob: C })).toEqual({ kind: 'cover' });
    const swapped = { ...bound, images: { ...bound.images, 'public/logo.png': A } };
    expect(releaseChange(bound, swapped)).toEqual({ kind: 'image', path: 'public/logo.png' });
    const gone = { ...bound, images: { ...bound.images, 'public/logo.png': null } };
    expect(releaseChange(bound, gone)).toEqual({ kind: 'image', path: 'public/logo.png' });
  });

  it('compares the set of images too: one the release did not bind, or one the post no longer shows', () => {
    const more = { ...bound, images: { ...bound.images, 'public/new.png': A } };
    expect(releaseChange(bound, more)).toEqual({ kind: 'image', path: 'public/new.png' });
    const fewer = { ...bound, images: { 'content/posts/chart.png': B } };
    expect(releaseChange(bound, fewer)).toEqual({ kind: 'image', path: 'public/logo.png' });
  });

  it('takes a record without images (written before releases bound them) as binding none', () => {
    const { images: _, ...older } = bound;
    expect(releaseChange(older, bound)).toEqual({ kind: 'images-unbound' });
    // A post that shows no file needs nothing more: its older record still binds all it shows.
    expect(releaseChange(older, { ...older })).toBeNull();
    expect(releaseChange({ ...older, images: {} }, older)).toBeNull();
  });
});
