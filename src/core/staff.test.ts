import { describe, expect, it } from 'vitest';
import { parseConfig } from '../repo/load-config.ts';
import { ContentError } from './errors.ts';
import type { Problem } from './problem.ts';

const SITE = 'site:\n  title: Riverside\n  url: https://example.org\n  timeZone: Europe/Berlin\n';

function problemsOf(staff: string): readonly Problem[] {
  try {
    parseConfig(`${SITE}staff:\n${staff}`);
  } catch (error) {
    if (error instanceof ContentError) return error.problems;
    throw error;
  }
  return [];
}
const lines = (staff: string) => problemsOf(staff).map((p) => `${p.line}:${p.col} ${p.message}`);

describe('the config: staff', () => {
  it('is optional and empty by default', () => {
    expect(parseConfig(SITE).staff).toEqual([]);
  });

  it('reads each person: id, name, GitHub login, networks, and their Mastodon server as its origin', () => {
    const config = parseConfig(
      `${SITE}staff:\n  - id: alice\n    name: Alice Moreau\n    github: alice-m\n    networks: [linkedin, mastodon]\n    mastodonInstance: https://Mastodon.Social/\n  - id: ben-k\n    name: Ben\n    networks: [bluesky]\n`,
    );
    expect(config.staff).toEqual([
      {
        id: 'alice',
        name: 'Alice Moreau',
        github: 'alice-m',
        networks: ['linkedin', 'mastodon'],
        mastodonInstance: 'https://mastodon.social',
      },
      { id: 'ben-k', name: 'Ben', networks: ['bluesky'] },
    ]);
  });

  it('refuses ids that are not short slugs, where they are written', () => {
    for (const id of ['Alice', 'al ice', '-alice', 'alice_m', 'a'.repeat(41), '"utm=1&x"'])
      expect(lines(`  - id: ${id}\n    name: A\n    networks: [x]\n`), id).toEqual([
        expect.stringMatching(/^6:9 expected an id of lower-case letters, digits and "-", such as alice or ben-k/),
      ]);
  });

  it('refuses a duplicate id and a GitHub login given twice, at the second', () => {
    expect(
      lines(
        '  - id: alice\n    name: A\n    github: Alice\n    networks: [x]\n  - id: alice\n    name: B\n    github: alice\n    networks: [x]\n',
      ),
    ).toEqual([
      '10:9 "alice" is the id of staff member 1 already: each person needs their own id (it tells their links apart)',
      '12:13 GitHub login "alice" is given to alice already',
    ]);
  });

  it('asks for a Mastodon server over https, its address alone, when the person posts on Mastodon', () => {
    expect(lines('  - id: a\n    name: A\n    networks: [mastodon]\n')).toEqual([
      expect.stringMatching(/^6:5 a posts on Mastodon: say on which server, e\.g\. mastodonInstance: https:/),
    ]);
    const instance = (value: string) =>
      lines(`  - id: a\n    name: A\n    networks: [mastodon]\n    mastodonInstance: ${value}\n`);
    expect(instance('http://mastodon.social')).toEqual([
      '9:23 expected the https:// address of a Mastodon server, e.g. https://mastodon.social; received "http://mastodon.social"',
    ]);
    expect(instance('mastodon.social')[0]).toMatch(/expected the https:\/\/ address of a Mastodon server/);
    expect(instance('https://u:p@mastodon.social')[0]).toMatch(/expected the https:\/\/ address/);
    expect(instance('https://mastodon.social/@alice')).toEqual([
      '9:23 expected the server\'s address alone, without a path: https://mastodon.social rather than "https://mastodon.social/@alice"',
    ]);
  });

  it('refuses unknown networks, a network twice, no network, and a login with "@"', () => {
    expect(lines('  - id: a\n    name: A\n    networks: [x, x]\n')).toEqual(['8:19 "x" is listed twice']);
    expect(lines('  - id: a\n    name: A\n    networks: []\n')[0]).toMatch(/list at least one network/);
    expect(lines('  - id: a\n    name: A\n    networks: [facebook]\n')[0]).toMatch(
      /^8:16 unknown value for staff\[0\]\.networks\[0\] "facebook"; expected one of x, bluesky, linkedin, mastodon$/,
    );
    expect(lines('  - id: a\n    name: A\n    github: "@alice"\n    networks: [x]\n')[0]).toMatch(
      /expected a GitHub login \(letters, digits and single "-"\), without "@"/,
    );
    expect(lines('  - id: a\n    name: A\n    networks: [x]\n    token: abc\n')[0]).toMatch(/token/);
  });
});
