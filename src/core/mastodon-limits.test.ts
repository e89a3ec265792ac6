import { describe, expect, it } from 'vitest';
import { MASTODON_DEFAULT_LIMITS, measureFor, rulesFor, SOCIAL_RULES } from './channels.ts';
import { checkLengths } from './check-items.ts';
import { channelLimitsOf, configSchema } from './config-schema.ts';
import type { SocialItem } from './item.ts';
import { channelBlock } from './preview-channel.ts';

/**
 * Mastodon instances set their own limit and link count; `check`, the preview and the planner
 * measure by the config's `mastodon:` settings (offline), 500 and 23 when it has none.
 */
const site = { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin' };
const lax = { mastodon: { maxCharacters: 1000, charactersReservedPerUrl: 23 } };
const TEXT = 'Shelves restocked. '.repeat(30).trim(); // 569 characters

const item = (text: string): SocialItem => ({
  id: 'social/restock',
  kind: 'social',
  file: 'content/social/restock.md',
  publishAt: 0,
  draft: false,
  staleAfterMs: null,
  channels: ['mastodon'],
  parts: [{ text, at: { line: 5, col: 1 } }],
  overrides: {},
  images: [],
});

describe('the config: mastodon.maxCharacters and mastodon.charactersReservedPerUrl', () => {
  it("defaults to a stock server's 500 and 23, and keeps what is set", () => {
    expect(configSchema.parse({ site }).mastodon).toEqual({ maxCharacters: 500, charactersReservedPerUrl: 23 });
    expect(MASTODON_DEFAULT_LIMITS).toEqual({ maxCharacters: 500, charactersReservedPerUrl: 23 });
    const set = configSchema.parse({ site, mastodon: { maxCharacters: 5000 } });
    expect(channelLimitsOf(set)).toEqual({ mastodon: { maxCharacters: 5000, charactersReservedPerUrl: 23 } });
    expect(channelLimitsOf({})).toEqual({});
  });

  it('refuses what no instance could mean, saying what it expected', () => {
    const issues = (mastodon: unknown) => {
      const parsed = configSchema.safeParse({ site, mastodon });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ maxCharacters: '1000' })).toEqual([
      'mastodon.maxCharacters: expected the number of characters your Mastodon instance allows in a post, e.g. 500',
    ]);
    expect(issues({ maxCharacters: 0 })).toEqual(['mastodon.maxCharacters: expected at least 1 character']);
    expect(issues({ charactersReservedPerUrl: 2.5 })).toEqual([
      'mastodon.charactersReservedPerUrl: expected a whole number of characters, e.g. 23',
    ]);
    expect(issues({ maxChars: 1000 })).toHaveLength(1);
  });
});

describe('measuring by the configured limits', () => {
  it('takes the limit and the per-link count from the config, for Mastodon only', () => {
    expect(measureFor('mastodon', TEXT)).toMatchObject({ length: 569, max: 500, ok: false });
    expect(measureFor('mastodon', TEXT, lax)).toMatchObject({ length: 569, max: 1000, ok: true });
    const links = 'Two links: https://example.org/a and https://example.org/b';
    const perLink = { mastodon: { maxCharacters: 500, charactersReservedPerUrl: 40 } };
    expect(measureFor('mastodon', links, perLink).length - measureFor('mastodon', links).length).toBe(2 * (40 - 23));
    expect(rulesFor('x', perLink)).toBe(SOCIAL_RULES.x);
    expect(rulesFor('bluesky', perLink)).toBe(SOCIAL_RULES.bluesky);
    expect(rulesFor('mastodon')).toBe(SOCIAL_RULES.mastodon);
  });

  it('check holds a post over the limit, naming the setting, and passes it under a larger one', () => {
    const options = { siteUrl: 'https://example.org', utm: true };
    expect(checkLengths(item(TEXT), options)).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /^the post is too long for Mastodon: 569 characters, the limit is 500 \(mastodon\.maxCharacters in postgate\.config\.yaml/,
        ),
      }),
    ]);
    expect(checkLengths(item(TEXT), options, lax)).toEqual([]);
  });

  it('the preview shows the length against the configured limit', () => {
    const ctx = { siteUrl: 'https://example.org', utm: true, posts: new Map() };
    expect(channelBlock(item(TEXT), 'mastodon', ctx)).toContain('<summary>Mastodon · 1 post · ❌ 569/500</summary>');
    expect(channelBlock(item(TEXT), 'mastodon', { ...ctx, limits: lax })).toContain(
      '<summary>Mastodon · 1 post · 569/1,000</summary>',
    );
  });
});
