import { describe, expect, it } from 'vitest';
import { boundFiles, gitBlobId } from './approval-binding.ts';
import type { PostItem, SocialItem } from './item.ts';

const at = { line: 1, col: 1 };

describe('approval binding', () => {
  it("computes git's blob id (as `git hash-object` does)", () => {
    // what `git hash-object` prints for the same bytes
    expect(gitBlobId(new TextEncoder().encode('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobId(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it("binds an item's own file and the files it sends, never a missing path", () => {
    const social = {
      kind: 'social',
      file: 'content/social/a.md',
      images: [
        { src: './a.png', path: 'content/social/a.png', alt: 'A', at },
        { src: '../../x.png', path: null, alt: 'X', at },
      ],
    } as unknown as SocialItem;
    expect(boundFiles(social)).toEqual(['content/social/a.md', 'content/social/a.png']);
    const post = {
      kind: 'post',
      file: 'content/posts/p.mdx',
      cover: { src: './c.png', path: 'content/posts/c.png', alt: 'C', at },
    };
    expect(boundFiles(post as unknown as PostItem)).toEqual(['content/posts/p.mdx', 'content/posts/c.png']);
  });
});
