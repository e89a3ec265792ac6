import { describe, expect, it } from 'vitest';
import type { SocialItem } from './item.ts';
import { readItemText, type ItemContext } from './read-item.ts';

/** A social draft's `share:`: per staff member, the words of their share kit (src/core/share-kit.ts). */
const ctx: ItemContext = {
  timeZone: 'Europe/Berlin',
  siteUrl: 'https://example.org',
  socialChannels: ['x', 'mastodon', 'bluesky'],
  staleAfterMs: null,
  defaultAuthor: 'The editors',
  staffIds: ['alice', 'ben'],
};
const FILE = 'content/social/launch.md';
const read = (front: string, context = ctx) =>
  readItemText(FILE, 'social', `---\npublishAt: 2026-12-01T09:30\n${front}---\nThe approved words.\n`, context);
const problems = (front: string, context = ctx) =>
  read(front, context).problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`);

describe('front matter: share', () => {
  it('reads each person’s words, trimmed, in the order written', () => {
    const { items, problems } = read(
      'share:\n  ben: "  Ben here: we did it  "\n  alice: |\n    Line one\n    Line two\n',
    );
    expect(problems).toEqual([]);
    expect((items[0] as SocialItem).share).toEqual({
      ben: { text: 'Ben here: we did it', at: { line: 4, col: 8 } },
      alice: { text: 'Line one\nLine two', at: { line: 5, col: 10 } },
    });
    expect((read('').items[0] as SocialItem).share).toBeUndefined();
  });

  it('names the file, line and field of a person the config does not list, with a guess', () => {
    expect(problems('share:\n  alice: Hi\n  alcie: Hello\n  zed: Yo\n')).toEqual([
      `${FILE}:5:3: error: share names "alcie", who is not among the staff in postgate.config.yaml (alice, ben); did you mean alice?`,
      `${FILE}:6:3: error: share names "zed", who is not among the staff in postgate.config.yaml (alice, ben)`,
    ]);
    expect(problems('share:\n  alice: Hi\n', { ...ctx, staffIds: [] })).toEqual([
      `${FILE}:4:3: error: share names "alice", but postgate.config.yaml lists no staff: add them under staff: (README: Share kits for staff), or remove share`,
    ]);
  });

  it('refuses empty words and what is not text, where they are written', () => {
    expect(problems('share:\n  alice: ""\n')).toEqual([
      `${FILE}:4:10: error: the text this person shares must not be empty`,
    ]);
    expect(problems('share:\n  alice:\n    text: Hi\n')).toEqual([
      expect.stringMatching(new RegExp(`^${FILE}:5:5: error: expected the text this person shares as text`)),
    ]);
    expect(problems('share: Hello\n')).toEqual([
      expect.stringMatching(new RegExp(`^${FILE}:3:8: error: expected share to map staff ids to their text`)),
    ]);
  });
});
