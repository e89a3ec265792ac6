import { describe, expect, it } from 'vitest';
import { composeParts } from './compose.ts';
import type { AnnounceItem, SocialItem } from './item.ts';

const at = (line: number) => ({ line, col: 1 });
const base = {
  file: 'content/social/launch.md',
  publishAt: Date.UTC(2026, 11, 1, 8, 30),
  draft: false,
  staleAfterMs: null,
};

const social: SocialItem = {
  ...base,
  id: 'social/launch',
  kind: 'social',
  channels: ['x', 'mastodon', 'bluesky'],
  parts: [
    { text: 'We launched: https://example.org/posts/launch', at: at(6) },
    { text: 'Thanks to https://partner.org/', at: at(8) },
  ],
  overrides: { x: [{ text: 'Short for X: https://example.org/', at: at(4) }] },
  images: [],
};

const announce: AnnounceItem = {
  ...base,
  file: 'content/posts/launch.mdx',
  id: 'posts/launch/announce',
  kind: 'announce',
  postId: 'posts/launch',
  channels: ['mastodon'],
  texts: { mastodon: { text: 'New on the blog\n\nhttps://example.org/posts/launch/', at: at(9) } },
};

const utmOn = { siteUrl: 'https://example.org', utm: true };
const utmOff = { siteUrl: 'https://example.org', utm: false };

describe('composeParts', () => {
  it('sends the body as written when UTM tagging is off', () => {
    expect(composeParts(social, 'mastodon', utmOff)).toEqual(social.parts);
  });
  it('uses the channel override instead of the body on that channel only', () => {
    expect(composeParts(social, 'x', utmOff)).toEqual(social.overrides.x);
    expect(composeParts(social, 'bluesky', utmOff).map((p) => p.text)).toEqual(social.parts.map((p) => p.text));
  });
  it('tags links to the site with the channel and the item id, and no others', () => {
    const parts = composeParts(social, 'bluesky', utmOn);
    expect(parts[0]!.text).toBe(
      'We launched: https://example.org/posts/launch?utm_source=bluesky&utm_medium=social&utm_campaign=social%2Flaunch',
    );
    expect(parts[1]!.text).toBe('Thanks to https://partner.org/');
  });
  it('keeps each part where it was in the file', () => {
    expect(composeParts(social, 'mastodon', utmOn).map((p) => p.at)).toEqual([at(6), at(8)]);
  });
  it('does not change the item it composes from', () => {
    composeParts(social, 'x', utmOn);
    expect(social.overrides.x![0]!.text).toBe('Short for X: https://example.org/');
  });
  it('gives an announcement its text for the channel, tagged with the announcement id', () => {
    const [part, ...rest] = composeParts(announce, 'mastodon', utmOn);
    expect(rest).toEqual([]);
    expect(part!.text).toBe(
      'New on the blog\n\nhttps://example.org/posts/launch/?utm_source=mastodon&utm_medium=social&utm_campaign=posts%2Flaunch%2Fannounce',
    );
    expect(part!.at).toEqual(at(9));
  });
  it('gives nothing for a channel the announcement has no text for', () => {
    expect(composeParts(announce, 'x', utmOn)).toEqual([]);
  });
});
