import { describe, expect, it } from 'vitest';
import { accountsOf } from './accounts.ts';
import { configSchema } from './config-schema.ts';
import type { AnnounceItem, SocialItem } from './item.ts';
import { accountsOfItem } from './item.ts';
import { readItemText, type ItemContext } from './read-item.ts';

const config = configSchema.parse({
  site: { title: 'T', url: 'https://example.org', timeZone: 'Europe/Berlin' },
  accounts: [
    { id: 'brand-bluesky', network: 'bluesky', owner: 'org' },
    {
      id: 'alice-linkedin',
      network: 'linkedin',
      owner: 'alice',
      credentials: { LINKEDIN_ACCESS_TOKEN: 'LINKEDIN_ACCESS_TOKEN_ALICE' },
    },
  ],
});
const ctx: ItemContext = {
  timeZone: 'Europe/Berlin',
  siteUrl: 'https://example.org',
  socialChannels: ['x', 'mastodon', 'bluesky'],
  staleAfterMs: null,
  defaultAuthor: 'The editors',
  accounts: accountsOf(config),
};
const read = (kind: 'social' | 'post', text: string) =>
  readItemText(kind === 'social' ? 'content/social/a.md' : 'content/posts/a.mdx', kind, text, ctx);

describe('as: in a file', () => {
  it("goes out on the accounts it names, on their networks; without as:, on the organisation's", () => {
    const named = read('social', '---\npublishAt: 2026-12-01T09:30\nas: [brand-bluesky, alice-linkedin]\n---\nHi\n');
    expect(named.problems).toEqual([]);
    const item = named.items[0] as SocialItem;
    expect(item.channels).toEqual(['bluesky', 'linkedin']);
    expect(accountsOfItem(item).map((a) => a.key)).toEqual(['bluesky', 'alice-linkedin']);
    const plain = read('social', '---\npublishAt: 2026-12-01T09:30\n---\nHi\n').items[0] as SocialItem;
    expect(accountsOfItem(plain).map((a) => a.id)).toEqual(['x', 'mastodon', 'brand-bluesky']);
  });

  it('refuses an account the config does not list, at that id, with a guess, and one listed twice', () => {
    const r = read(
      'social',
      '---\npublishAt: 2026-12-01T09:30\nas: [brand-bluesky, alice-linkedn, brand-bluesky]\n---\nHi\n',
    );
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      '3:21 as names "alice-linkedn", which is not an account in postgate.config.yaml (brand-bluesky, alice-linkedin, x, mastodon); did you mean alice-linkedin?',
      '3:36 "brand-bluesky" is listed twice',
    ]);
  });

  it("names a post's announcement accounts, and wants a text for each account's network", () => {
    const post = (announce: string) =>
      read(
        'post',
        `---\ntitle: T\ndescription: D\npublishAt: 2026-12-01T09:30\nas: [alice-linkedin]\nannounce: ${announce}\n---\nBody\n`,
      );
    const all = post('"New on the blog"');
    expect(all.problems).toEqual([]);
    const announce = all.items[1] as AnnounceItem;
    expect(announce.channels).toEqual(['linkedin']);
    expect(accountsOfItem(announce).map((a) => a.id)).toEqual(['alice-linkedin']);
    expect(post('{ x: "New" }').problems.map((p) => p.message)).toContain(
      'alice-linkedin is a LinkedIn account, but announce has no linkedin text',
    );
  });
});
