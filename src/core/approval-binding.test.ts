import { describe, expect, it } from 'vitest';
import { boundFiles, gitBlobId } from './approval-binding.ts';
import type { AnnounceItem, PostItem, SocialItem } from './item.ts';

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
      bodyImages: [],
    };
    expect(boundFiles(post as unknown as PostItem)).toEqual(['content/posts/p.mdx', 'content/posts/c.png']);
  });

  it("binds the files a post's body shows too, once each, never a path outside the repository", () => {
    const post = {
      kind: 'post',
      file: 'content/posts/p.mdx',
      cover: { src: './c.png', path: 'content/posts/c.png', alt: 'C', at },
      bodyImages: [
        { src: './chart.png', path: 'content/posts/chart.png', alt: 'Chart', at },
        { src: '/logo.png', path: 'public/logo.png', alt: '', at },
        { src: './c.png', path: 'content/posts/c.png', alt: 'C again', at },
        { src: '../../../x.png', path: null, alt: '', at },
      ],
    } as unknown as PostItem;
    expect(boundFiles(post)).toEqual([
      'content/posts/p.mdx',
      'content/posts/c.png',
      'content/posts/chart.png',
      'public/logo.png',
    ]);
  });

  describe("Bluesky's link card: the linked post and its cover, the card's thumbnail", () => {
    const cover = { src: './c.png', path: 'content/posts/c.png', alt: 'C', at };
    // The card shows the post's title, description and cover, never its body: its body images are not bound here.
    const bodyImages = [{ src: './chart.png', path: 'content/posts/chart.png', alt: 'Chart', at }];
    const linked = { kind: 'post', file: 'content/posts/p.mdx', slug: 'p', cover, bodyImages } as unknown as PostItem;
    const cardFrom = (text: string) => (text.includes('https://example.org/posts/p/') ? linked : undefined);
    const social = (overrides: Partial<SocialItem>): SocialItem =>
      ({
        kind: 'social',
        file: 'content/social/s.md',
        channels: ['x', 'bluesky'],
        parts: [{ text: 'Read https://example.org/posts/p/', at }],
        overrides: {},
        images: [],
        ...overrides,
      }) as SocialItem;

    it('binds the linked post and its cover for a Bluesky post without images', () => {
      expect(boundFiles(social({}), cardFrom)).toEqual([
        'content/social/s.md',
        'content/posts/p.mdx',
        'content/posts/c.png',
      ]);
    });

    it("reads the card from Bluesky's own text when it has one", () => {
      const item = social({
        parts: [{ text: 'No link here', at }],
        overrides: { bluesky: [{ text: 'On Bluesky: https://example.org/posts/p/', at }] },
      });
      expect(boundFiles(item, cardFrom)).toContain('content/posts/c.png');
      const elsewhere = social({ overrides: { bluesky: [{ text: 'No link on Bluesky', at }] } });
      expect(boundFiles(elsewhere, cardFrom)).toEqual(['content/social/s.md']);
    });

    it('binds no card where none is shown: with images, or without Bluesky', () => {
      const image = { src: './a.png', path: 'content/social/a.png', alt: 'A', at };
      expect(boundFiles(social({ images: [image] }), cardFrom)).toEqual([
        'content/social/s.md',
        'content/social/a.png',
      ]);
      expect(boundFiles(social({ channels: ['x', 'mastodon'] }), cardFrom)).toEqual(['content/social/s.md']);
    });

    it("binds an announcement's cover: its card is its own post's", () => {
      const announce = {
        kind: 'announce',
        id: 'p/announce',
        file: 'content/posts/p.mdx',
        postId: 'p',
        channels: ['bluesky'],
        texts: { bluesky: { text: 'Out now: https://example.org/posts/p/', at } },
      } as unknown as AnnounceItem;
      expect(boundFiles(announce, cardFrom)).toEqual(['content/posts/p.mdx', 'content/posts/c.png']);
    });

    it('binds a post without a cover, or with one outside the repository, without a cover', () => {
      const bare = { ...linked, cover: null } as PostItem;
      expect(boundFiles(social({}), () => bare)).toEqual(['content/social/s.md', 'content/posts/p.mdx']);
      const outside = { ...linked, cover: { ...cover, path: null } } as PostItem;
      expect(boundFiles(social({}), () => outside)).toEqual(['content/social/s.md', 'content/posts/p.mdx']);
    });
  });
});
