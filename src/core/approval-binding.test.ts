import { describe, expect, it } from 'vitest';
import { bindingChanges, boundFiles, boundValues, gitBlobId } from './approval-binding.ts';
import { configSchema } from './config-schema.ts';
import type { PostItem, SocialItem } from './item.ts';

const config = configSchema.parse({ site: { title: 'T', url: 'https://example.org/', timeZone: 'Europe/Berlin' } });
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

  it('names every file and config value that differs from what was approved', () => {
    const values = boundValues(config);
    expect(values).toMatchObject({ 'site.url': 'https://example.org', 'policies.approvals': '1' });
    const approved = {
      files: new Map([
        ['a.md', '1'],
        ['a.png', '2'],
      ]),
      values,
    };
    expect(bindingChanges(approved, approved)).toEqual([]);
    const current = {
      files: new Map([
        ['a.md', '1'],
        ['a.png', '3'],
      ]),
      values: { ...values, 'site.url': 'https://examp1e.org' },
    };
    expect(bindingChanges(approved, current)).toEqual(['a.png', 'postgate.config.yaml site.url']);
    // A file the approved commit did not have is a change too.
    expect(bindingChanges({ files: new Map(), values }, { files: new Map([['a.md', '1']]), values })).toEqual(['a.md']);
  });
});
