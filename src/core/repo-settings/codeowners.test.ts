import { describe, expect, it } from 'vitest';
import { codeOwnersWithAreas, ownersOf, parseCodeOwners, unownedAreas } from './codeowners.ts';

const owners = (text: string, path: string) => ownersOf(parseCodeOwners(text), path);

describe('CODEOWNERS matching, as GitHub reads it', () => {
  it('uses the last matching line, and a line without owners leaves its paths unowned', () => {
    const text = '* @everyone\n/content/ @amira\n/content/_drafts/\n';
    expect(owners(text, 'README.md')).toEqual(['@everyone']);
    expect(owners(text, 'content/posts/launch.mdx')).toEqual(['@amira']);
    expect(owners(text, 'content/_drafts/idea.md')).toEqual([]);
  });

  it('anchors a pattern with a leading or inner slash at the root; one without matches at any depth', () => {
    expect(owners('/src/ @a\n', 'src/cli/main.ts')).toEqual(['@a']);
    expect(owners('/src/ @a\n', 'lib/src/x.ts')).toEqual([]);
    expect(owners('docs/guide @a\n', 'docs/guide/intro.md')).toEqual(['@a']);
    expect(owners('docs/guide @a\n', 'x/docs/guide/intro.md')).toEqual([]);
    expect(owners('src/ @a\n', 'lib/src/x.ts')).toEqual(['@a']);
    expect(owners('*.yaml @a\n', 'deep/er/postgate.config.yaml')).toEqual(['@a']);
  });

  it('keeps `*` within a folder and lets `**` cross folders', () => {
    expect(owners('/content/* @a\n', 'content/ledger.jsonl')).toEqual(['@a']);
    // GitHub's exception to "a folder takes in everything below": docs/* owns docs/'s own files only.
    expect(owners('/content/* @a\n', 'content/posts/x.mdx')).toEqual([]);
    expect(owners('/content/*.md @a\n', 'content/posts/x.md')).toEqual([]);
    expect(owners('/content/**/*.md @a\n', 'content/social/2026/x.md')).toEqual(['@a']);
    expect(owners('/content/**/*.md @a\n', 'content/x.md')).toEqual(['@a']);
  });

  it('ignores comments, blank lines and inline comments; teams and emails are owners', () => {
    const text = '# owners\n\n/src/ @org/gatekeepers amira@example.org # the gate\n';
    expect(owners(text, 'src/x.ts')).toEqual(['@org/gatekeepers', 'amira@example.org']);
  });
});

describe('what must have an owner', () => {
  it('everything, when there is no file', () => {
    expect(unownedAreas(null).map((a) => a.label)).toEqual([
      'content/',
      'postgate.config.yaml',
      '.github/',
      'src/',
      'scripts/',
      'package.json',
      'package-lock.json',
      'astro.config.mjs',
      '.nvmrc',
    ]);
  });

  it('nothing, when `*` has an owner', () => {
    expect(unownedAreas('* @riverside\n')).toEqual([]);
  });

  it('an area counts as unowned when only part of it has an owner', () => {
    const text = '* @riverside\n/content/social/\n';
    expect(unownedAreas(text).map((a) => a.label)).toEqual(['content/']);
  });
});

describe('the file setup writes', () => {
  it('a new file owns every area, and asking again changes nothing', () => {
    const text = codeOwnersWithAreas(null, ['@riverside'])!;
    expect(text).toContain('/content/             @riverside');
    expect(text).toContain('/.github/             @riverside');
    expect(unownedAreas(text)).toEqual([]);
    expect(codeOwnersWithAreas(text, ['@riverside'])).toBeNull();
  });

  it('appends only the areas that lack an owner, and keeps every line that was there', () => {
    const current = '# ours\n/content/ @amira';
    const text = codeOwnersWithAreas(current, ['@riverside'])!;
    expect(text.startsWith(`${current}\n`)).toBe(true);
    expect(text).not.toMatch(/^\/content\/\s+@riverside/m);
    expect(text).toMatch(/^\/src\/\s+@riverside$/m);
    expect(owners(text, 'content/posts/a.mdx')).toEqual(['@amira']);
    expect(unownedAreas(text)).toEqual([]);
  });
});
