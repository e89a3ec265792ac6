import { describe, expect, it } from 'vitest';
import type { AnnounceItem, SocialItem } from './item.ts';
import { shareKitComment, shareKitLines, shareKitMarkdown, shareKitMarker } from './share-kit-markdown.ts';
import { queryValue, shareKits, shareProblems, type ShareKitOptions } from './share-kit.ts';
import type { StaffMember } from './staff.ts';

const at = { line: 1, col: 1 };
const options: ShareKitOptions = { siteUrl: 'https://example.org', utm: true };
const alice: StaffMember = {
  id: 'alice',
  name: 'Alice Moreau',
  github: 'alice-m',
  networks: ['bluesky', 'x', 'linkedin', 'mastodon'],
  mastodonInstance: 'https://mastodon.social',
};
const ben: StaffMember = { id: 'ben', name: 'Ben', networks: ['bluesky'] };

function social(text: string, extra: Partial<SocialItem> = {}): SocialItem {
  return {
    id: 'social/launch',
    kind: 'social',
    file: 'content/social/launch.md',
    publishAt: 0,
    draft: false,
    staleAfterMs: null,
    channels: ['mastodon', 'bluesky'],
    parts: text.split('\n---\n').map((t) => ({ text: t, at })),
    overrides: {},
    images: [],
    ...extra,
  };
}

const tags = (source: string, person: string, campaign = 'social%2Flaunch') =>
  `utm_source=${source}&utm_medium=social&utm_campaign=${campaign}&utm_content=${person}`;
const linkOf = (kit: ReturnType<typeof shareKits>[number], network: string) =>
  kit.links.find((l) => l.network === network)!;

describe('share kits: the links each person opens', () => {
  it('pins each network’s compose link: encoding of emoji, newlines and reserved characters, UTM order', () => {
    const [kit] = shareKits(
      social("It's (finally) here! 🎉\nRead: https://example.org/posts/launch"),
      [alice],
      options,
    );
    const text = `It's (finally) here! 🎉\nRead: https://example.org/posts/launch?${tags('bluesky', 'alice')}`;
    expect(linkOf(kit!, 'bluesky').text).toBe(text);
    const encoded =
      'It%27s%20%28finally%29%20here%21%20%F0%9F%8E%89%0ARead%3A%20https%3A%2F%2Fexample.org%2Fposts%2Flaunch%3F' +
      'utm_source%3Dbluesky%26utm_medium%3Dsocial%26utm_campaign%3Dsocial%252Flaunch%26utm_content%3Dalice';
    expect(linkOf(kit!, 'bluesky').composeUrl).toBe(`https://bsky.app/intent/compose?text=${encoded}`);
    expect(linkOf(kit!, 'x').composeUrl).toBe(`https://x.com/intent/post?text=${encoded.replaceAll('bluesky', 'x')}`);
    expect(linkOf(kit!, 'mastodon').composeUrl).toBe(
      `https://mastodon.social/share?text=${encoded.replaceAll('bluesky', 'mastodon')}`,
    );
    // LinkedIn takes only an address: the tagged link to the page; the text is shown for copying.
    expect(linkOf(kit!, 'linkedin').composeUrl).toBe(
      'https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fexample.org%2Fposts%2Flaunch%3F' +
        'utm_source%3Dlinkedin%26utm_medium%3Dsocial%26utm_campaign%3Dsocial%252Flaunch%26utm_content%3Dalice',
    );
    expect(linkOf(kit!, 'linkedin').text).toContain(`launch?${tags('linkedin', 'alice')}`);
    // Round trip: what the composer receives is exactly the tagged text.
    const url = new URL(linkOf(kit!, 'x').composeUrl!);
    expect(url.searchParams.get('text')).toBe(text.replace('utm_source=bluesky', 'utm_source=x'));
    expect(kit!.links.map((l) => l.network)).toEqual(['bluesky', 'x', 'linkedin', 'mastodon']);
  });

  it('encodes every character a Markdown link or a query could take for its own', () => {
    expect(queryValue("a b&c=d#e+f?g/h!i'j(k)l*m~n_o.p-q")).toBe(
      'a%20b%26c%3Dd%23e%2Bf%3Fg%2Fh%21i%27j%28k%29l%2Am~n_o.p-q',
    );
    expect(queryValue('日本\r\n')).toBe('%E6%97%A5%E6%9C%AC%0D%0A');
  });

  it('uses a person’s own words where the file gives them, the approved text for everyone else', () => {
    const item = social('The approved words.', {
      share: { alice: { text: 'Proud of my team: example.org/posts/launch', at } },
    });
    const [a, b] = shareKits(item, [alice, ben], options);
    expect(a!.ownWords).toBe(true);
    // Tagged where the network links it: Bluesky links a bare domain, Mastodon does not.
    expect(linkOf(a!, 'bluesky').text).toBe(`Proud of my team: example.org/posts/launch?${tags('bluesky', 'alice')}`);
    expect(linkOf(a!, 'mastodon').text).toBe('Proud of my team: example.org/posts/launch');
    expect(b!.ownWords).toBe(false);
    expect(b!.links.map((l) => l.text)).toEqual(['The approved words.']);
  });

  it('takes the per-network text for that network, and a thread’s parts one after another elsewhere', () => {
    const item = social('One https://example.org/a\n---\nTwo', { overrides: { x: [{ text: 'Short for X', at }] } });
    const [kit] = shareKits(item, [alice], options);
    expect(linkOf(kit!, 'x').text).toBe('Short for X');
    expect(linkOf(kit!, 'bluesky').text).toBe(`One https://example.org/a?${tags('bluesky', 'alice')}\n\nTwo`);
  });

  it('takes an announcement’s text for the network, or its first text where it has none (LinkedIn)', () => {
    const announce: AnnounceItem = {
      id: 'posts/winter/announce',
      kind: 'announce',
      file: 'content/posts/winter.mdx',
      publishAt: 0,
      draft: false,
      staleAfterMs: null,
      postId: 'posts/winter',
      channels: ['mastodon', 'x'],
      texts: {
        mastodon: { text: 'Winter appeal: https://example.org/posts/winter/', at },
        x: { text: 'Appeal https://example.org/posts/winter/', at },
      },
    };
    const [kit] = shareKits(announce, [alice], options);
    const campaign = 'posts%2Fwinter%2Fannounce';
    expect(linkOf(kit!, 'x').text).toBe(`Appeal https://example.org/posts/winter/?${tags('x', 'alice', campaign)}`);
    expect(linkOf(kit!, 'linkedin').text).toBe(
      `Winter appeal: https://example.org/posts/winter/?${tags('linkedin', 'alice', campaign)}`,
    );
  });

  it('leaves links alone with policies.utm: false, and other sites’ links always', () => {
    const [kit] = shareKits(social('See https://example.org/a and https://other.org/b'), [ben], {
      ...options,
      utm: false,
    });
    expect(kit!.links[0]!.text).toBe('See https://example.org/a and https://other.org/b');
    const [tagged] = shareKits(social('See https://other.org/b'), [ben], options);
    expect(tagged!.links[0]!.text).toBe('See https://other.org/b');
  });

  it('gives LinkedIn no link when the text links to no page of the site: the person pastes the text', () => {
    const [kit] = shareKits(social('Thank you, volunteers! https://other.org/x'), [alice], options);
    expect(linkOf(kit!, 'linkedin').composeUrl).toBeNull();
    // LinkedIn links only addresses written with their scheme: a bare domain is text there, untagged.
    const [bare] = shareKits(social('Read it at example.org/posts/launch'), [alice], options);
    expect(linkOf(bare!, 'linkedin')).toMatchObject({ text: 'Read it at example.org/posts/launch', composeUrl: null });
  });

  it('counts LinkedIn as its composer does: what the person pastes, nothing escaped', () => {
    const text = `${'#_*'.repeat(1000)}`;
    const [kit] = shareKits(social(text), [alice], options);
    expect(linkOf(kit!, 'linkedin')).toMatchObject({ problem: null, verdict: { length: 3000, max: 3000, ok: true } });
  });

  it('measures each text by the network’s own rule and says when it is too long', () => {
    const long = `${'a'.repeat(290)} https://example.org/p`;
    const [kit] = shareKits(social(long), [alice], options);
    // X counts a link 23 whatever its tags: 290 + 1 + 23.
    expect(linkOf(kit!, 'x').verdict).toMatchObject({ length: 314, max: 280, ok: false });
    expect(linkOf(kit!, 'x').problem).toBe('too long for X: 314 of 280 weighted characters');
    // Bluesky counts the tagged link in full.
    const bluesky = linkOf(kit!, 'bluesky');
    expect(bluesky.verdict.length).toBe([...bluesky.text].length);
    expect(bluesky.problem).toMatch(/^too long for Bluesky: \d+ of 300 graphemes$/);
    expect(linkOf(kit!, 'mastodon')).toMatchObject({ problem: null, verdict: { length: 314, max: 500 } });
    expect(linkOf(kit!, 'linkedin').problem).toBeNull();
    // The instance's own limit, as the config gives it.
    const [small] = shareKits(social(long), [alice], {
      ...options,
      limits: { mastodon: { maxCharacters: 300, charactersReservedPerUrl: 23 } },
    });
    expect(linkOf(small!, 'mastodon').problem).toBe('too long for Mastodon: 314 of 300 characters');
    const [linkedin] = shareKits(social('b'.repeat(3001)), [alice], options);
    expect(linkOf(linkedin!, 'linkedin').problem).toBe('too long for LinkedIn: 3001 of 3000 characters');
  });
});

describe('share kits and accounts of their own', () => {
  const account = (id: string, network: 'bluesky' | 'x' | 'mastodon', owner: string) => ({
    id,
    network,
    owner,
    credentials: {},
    key: id,
    declared: true,
  });

  it('leaves out a network where the item goes out through the person’s own account, and only there', () => {
    const item = social('Hello', {
      channels: ['bluesky', 'x'],
      accounts: [account('bluesky', 'bluesky', 'org'), account('alice-bluesky', 'bluesky', 'Alice-M')],
    });
    const kits = shareKits(item, [alice, ben], options);
    // Her own account says it on Bluesky already (the login compared without case); Ben has none.
    expect(kits.map((k) => [k.person.id, k.links.map((l) => l.network)])).toEqual([
      ['alice', ['x', 'linkedin', 'mastodon']],
      ['ben', ['bluesky']],
    ]);
  });

  it('gives no kit to someone whose every network the item reaches as them; another person’s account changes nothing', () => {
    const carol: StaffMember = { id: 'carol', name: 'Carol', github: 'carol', networks: ['x'] };
    const item = social('Hello', {
      channels: ['x'],
      accounts: [account('carol-x', 'x', 'carol'), account('alice-x', 'x', 'alice-m')],
    });
    const kits = shareKits(item, [carol, ben], options);
    expect(kits.map((k) => k.person.id)).toEqual(['ben']);
    // An organisation's account is nobody's own, whatever a login is called.
    const org = social('Hello', { channels: ['x'], accounts: [account('x', 'x', 'org')] });
    expect(shareKits(org, [{ ...carol, github: 'org' }], options)).toHaveLength(1);
  });
});

describe('share kits in check: a person’s own words their network will not take', () => {
  it('warns at the words, per network, and says nothing of the approved text or of words that fit', () => {
    const words = { text: `${'w'.repeat(290)} https://example.org/p`, at: { line: 5, col: 10 } };
    const item = social('d'.repeat(400), { share: { alice: words } });
    const found = shareProblems(item, [alice, ben], options);
    expect(found.map(({ file, line, col, severity }) => `${file}:${line}:${col} ${severity}`)).toEqual([
      'content/social/launch.md:5:10 warning',
      'content/social/launch.md:5:10 warning',
    ]);
    expect(found.map((p) => p.message)).toEqual([
      "share.alice (Alice Moreau's words on Bluesky): too long for Bluesky: 396 of 300 graphemes; shorten it, or their share kit will say so",
      "share.alice (Alice Moreau's words on X): too long for X: 314 of 280 weighted characters; shorten it, or their share kit will say so",
    ]);
    expect(shareProblems(social('d'.repeat(400)), [alice, ben], options)).toEqual([]);
  });
});

describe('share kits as Markdown and in the log', () => {
  const item = social('Approved words https://example.org/posts/launch', {
    share: { alice: { text: 'My words ```with fences``` and @someone #12 https://example.org/posts/launch', at } },
  });
  const kits = shareKits(item, [alice, { ...ben, name: '@bob [x](y)' }], options);

  it('links each network as "Post as <name> on <network>", with its length, and shows LinkedIn’s text in a code block', () => {
    const md = shareKitMarkdown(item, kits);
    expect(md).toContain('### Share kit: `social/launch`');
    expect(md).toContain(`- [Post as Alice Moreau on Bluesky](${linkOf(kits[0]!, 'bluesky').composeUrl}) · `);
    expect(md).toContain(
      `- [Post as Alice Moreau on LinkedIn](${linkOf(kits[0]!, 'linkedin').composeUrl}), then paste`,
    );
    expect(md).toContain('#### Alice Moreau (@alice-m)');
    expect(md).toContain("Alice Moreau's own words, from `share.alice`.");
    // The words are shown exactly, in a fence they cannot close; no mention or reference outside it.
    expect(md).toContain(`\`\`\`\`text\n${linkOf(kits[0]!, 'linkedin').text}\n\`\`\`\``);
    const outsideCode = md.replace(/````text\n[\s\S]*?\n````/g, '');
    expect(outsideCode).not.toMatch(/@someone|#12/);
    // A name from the config is text: it mentions no one and links nothing.
    expect(md).toContain('#### @&#8203;bob \\[x\\]\\(y\\)');
    expect(outsideCode.match(/@[a-z]/gi)).toEqual(['@a']);
  });

  it('starts the comment with the item’s marker and cuts it between people when too long', () => {
    expect(shareKitComment(item, kits, null).startsWith(`${shareKitMarker('social/launch')}\n### Share kit`)).toBe(
      true,
    );
    expect(shareKitMarker('social/a')).toBe('<!-- postgate:share-kit social%2Fa -->');
    const many = shareKits(
      social('x'.repeat(2900)),
      Array.from({ length: 40 }, (_, i) => ({ ...alice, id: `p${i}`, github: `p${i}` })),
      options,
    );
    const cut = shareKitComment(item, many, 'https://github.com/o/r/actions/runs/1');
    expect(cut.length).toBeLessThanOrEqual(65_000);
    expect(cut).toMatch(/> \d+ more people's kits did not fit in a comment: they are in the \[job summary\]\(https:/);
  });

  it('says in the log what is too long and where to change it', () => {
    const [kit] = shareKits(social('c'.repeat(300)), [ben], options);
    expect(shareKitLines(social(''), [kit!])).toEqual([
      'Share kit: social/launch',
      '  Ben (ben): the approved text',
      '    bluesky   300/300 graphemes',
      `      ${kit!.links[0]!.composeUrl}`,
    ]);
    const [long] = shareKits(social('c'.repeat(301)), [ben], options);
    expect(shareKitLines(social(''), [long!])[2]).toBe(
      '    bluesky   301/300 graphemes  too long for Bluesky: 301 of 300 graphemes; write shorter words for them in share.ben in content/social/launch.md',
    );
  });
});
