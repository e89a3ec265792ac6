import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ORGANIZATION, type FakeLinkedIn } from '../tests/fakes/fake-linkedin.ts';
import type { Networks } from '../tests/helpers/networks.ts';
import { ALICE } from './networks.ts';

/**
 * The content the reliability proof publishes: a 5-part thread, an image post and a blog post with
 * an announcement, all due; and how to tell that each went out exactly once, on every account, as a
 * correct reply chain. The networks are any of x, mastodon, bluesky and linkedin (the organisation's
 * page: LinkedIn has no threads, so the thread goes there as one post of its own text). With `staff`,
 * the thread and the image post also go out as Alice, on her own account of each network but LinkedIn
 * (reliability/networks.ts), from her suffixed variables.
 */
export const ROOT = resolve(import.meta.dirname, '..');
export const NOW = '2026-12-01T09:00:00Z';

export const THREAD = Array.from(
  { length: 5 },
  (_, i) => `Reliability thread, part ${i + 1} of 5: every part exactly once, each replying to the one before.`,
);
export const LINKEDIN_THREAD = 'Reliability thread, as one LinkedIn post: exactly once on the page.';
export const IMAGE_POST = 'Reliability image post: one picture, with its description, exactly once.';
export const ANNOUNCE = 'Reliability announcement: the post is live';
export const STAFF_NETWORKS = ['x', 'mastodon', 'bluesky'] as const;

/**
 * The variables of Alice's accounts, each suffixed _ALICE. A person's account reads none of the
 * organisation's, so on X her variables repeat the app's keys (one app, her own user token).
 */
const STAFF_VARIABLES: Record<(typeof STAFF_NETWORKS)[number], string[]> = {
  x: ['X_API_KEY_ALICE', 'X_API_SECRET_ALICE', 'X_ACCESS_TOKEN_ALICE', 'X_ACCESS_SECRET_ALICE', 'X_API_URL_ALICE'],
  mastodon: ['MASTODON_URL_ALICE', 'MASTODON_TOKEN_ALICE'],
  bluesky: ['BLUESKY_SERVICE_ALICE', 'BLUESKY_HANDLE_ALICE', 'BLUESKY_APP_PASSWORD_ALICE'],
};

/** Alice's entry of `accounts:` on a network. */
function staffAccount(network: (typeof STAFF_NETWORKS)[number]): string {
  const credentials = STAFF_VARIABLES[network].map((v) => `${v.replace(/_ALICE$/, '')}: ${v}`).join(', ');
  return `  - id: alice-${network}\n    network: ${network}\n    owner: alice\n    credentials: { ${credentials} }\n`;
}

/** The accounts the scenario's social items go to: the organisation's (ids = networks), then Alice's. */
export function scenarioAccounts(channels: readonly string[], staff: boolean): string[] {
  const alice = staff ? STAFF_NETWORKS.filter((n) => channels.includes(n)).map((n) => `alice-${n}`) : [];
  return [...channels, ...alice];
}

/**
 * @param channels the networks the site publishes to (fewer make a shorter run)
 * @param staff also send as Alice, on her own account of each of those networks but LinkedIn
 */
export function scenarioRepo(channels: readonly string[] = ['x', 'mastodon', 'bluesky'], staff = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'postgate-reliability-'));
  // The example's own accounts and LinkedIn settings change with the example: the scenario names its own.
  let config = withoutSection(withoutSection(read(ROOT, 'postgate.config.yaml'), 'accounts'), 'linkedin').replace(
    /^channels: .*$/m,
    `channels: [blog, ${channels.join(', ')}]`,
  );
  const entries = staff ? STAFF_NETWORKS.filter((n) => channels.includes(n)).map(staffAccount) : [];
  if (entries.length) config += `\naccounts:\n${entries.join('')}`;
  // The page's token is LinkedIn's standard LINKEDIN_ACCESS_TOKEN; it expires long after NOW.
  if (channels.includes('linkedin'))
    config += '\nlinkedin:\n  author: urn:li:organization:2414183\n  version: "202511"\n  tokenExpires: 2027-01-31\n';
  writeFileSync(join(dir, 'postgate.config.yaml'), config);
  mkdirSync(join(dir, 'content/social'), { recursive: true });
  mkdirSync(join(dir, 'content/posts'), { recursive: true });
  cpSync(join(ROOT, 'content/social/volunteer-chart.png'), join(dir, 'content/social/chart.png'));
  const to = staff ? `as: [${scenarioAccounts(channels, staff).join(', ')}]` : `channels: [${channels.join(', ')}]`;
  const linkedin = channels.includes('linkedin') ? `linkedin:\n  text: "${LINKEDIN_THREAD}"\n` : '';
  writeFileSync(
    join(dir, 'content/social/thread.md'),
    `---\npublishAt: 2026-12-01T09:45\n${to}\n${linkedin}---\n${THREAD.join('\n\n---\n\n')}\n`,
  );
  writeFileSync(
    join(dir, 'content/social/image.md'),
    `---\npublishAt: 2026-12-01T09:50\n${to}\nimages:\n  - src: ./chart.png\n    alt: Bar chart of sign-ups per week\n---\n${IMAGE_POST}\n`,
  );
  writeFileSync(
    join(dir, 'content/posts/launch.mdx'),
    `---\ntitle: Reliability launch\ndescription: A post whose announcement must go out once.\npublishAt: 2026-12-01T09:40\nannounce: "${ANNOUNCE}: {url}"\n---\n\nThe post.\n`,
  );
  return dir;
}

/** The YAML without its top-level `key:` block (up to the next top-level key). */
function withoutSection(yaml: string, key: string): string {
  return yaml.replace(new RegExp(`^${key}:.*\\n(?:(?:[ \\t#].*)?\\n)*`, 'm'), '');
}

/** The scenario's content, image included: what its approved pull request brings to main. */
export const SCENARIO_FILES = [
  'content/social/thread.md',
  'content/social/image.md',
  'content/social/chart.png',
  'content/posts/launch.mdx',
];

/** The scenario's files as bytes (the image must reach the fake GitHub undecoded). */
export function scenarioFiles(dir: string): Record<string, Buffer> {
  return Object.fromEntries(SCENARIO_FILES.map((f) => [f, readFileSync(join(dir, f))]));
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

export interface Tally {
  duplicates: number;
  lost: number;
  brokenChains: number;
  details: string[];
}

interface Seen {
  id: string;
  text: string;
  parent: string | null;
}

/** Each account's live posts on the fakes, by account id (the organisation's are the networks' ids). */
function postsByAccount(n: Networks & { linkedin?: FakeLinkedIn }): Record<string, Seen[]> {
  const x = (username: string) => n.x.liveOf(username).map((p) => ({ id: p.id, text: p.text, parent: p.replyTo }));
  const mastodon = (username: string) =>
    n.mastodon.liveOf(username).map((s) => ({ id: s.id, text: s.text, parent: s.in_reply_to_id }));
  const bluesky = (did: string) =>
    n.bluesky.liveOf(did).map((r) => ({
      id: r.uri,
      text: String(r.record.text),
      parent: (r.record.reply as { parent?: { uri: string } } | undefined)?.parent?.uri ?? null,
    }));
  return {
    x: x(n.x.user.username),
    mastodon: mastodon('postgate'),
    bluesky: bluesky(n.bluesky.did),
    'alice-x': x(ALICE.x.username),
    'alice-mastodon': mastodon(ALICE.mastodon.username),
    'alice-bluesky': bluesky(ALICE.bluesky.did),
    // What LinkedIn kept of each commentary: a post cut short by an unescaped character is lost here.
    linkedin: (n.linkedin?.live ?? [])
      .filter((p) => p.author === ORGANIZATION)
      .map((p) => ({ id: p.id, text: p.commentary, parent: null })),
  };
}

/** The parts each account must hold once: 5 thread parts (1 on LinkedIn), the image post, and on the organisation's the announcement. */
export function expectedParts(channels: readonly string[], staff: boolean): number {
  return scenarioAccounts(channels, staff).reduce(
    (sum, id) => sum + (id === 'linkedin' ? 1 : THREAD.length) + 1 + (id.startsWith('alice-') ? 0 : 1),
    1, // the blog post
  );
}

/** Items times accounts: each account gets the thread and the image post, the organisation's also the announcement. */
export function expectedSends(channels: readonly string[], staff: boolean): number {
  return scenarioAccounts(channels, staff).reduce((sum, id) => sum + 2 + (id.startsWith('alice-') ? 0 : 1), 0);
}

/** Counts, on the fake networks, every expected post of every account: each must exist once, threads as reply chains. */
export function tally(
  n: Networks & { linkedin?: FakeLinkedIn },
  channels: readonly string[] = ['x', 'mastodon', 'bluesky'],
  staff = false,
): Tally {
  const t: Tally = { duplicates: 0, lost: 0, brokenChains: 0, details: [] };
  const all = postsByAccount(n);
  for (const account of scenarioAccounts(channels, staff)) {
    const posts = all[account] ?? [];
    const expect = (prefix: string) => {
      const found = posts.filter((p) => p.text.startsWith(prefix));
      if (found.length === 0) {
        t.lost++;
        t.details.push(`${account}: lost "${prefix.slice(0, 40)}"`);
      }
      if (found.length > 1) {
        t.duplicates += found.length - 1;
        t.details.push(`${account}: ${found.length} copies of "${prefix.slice(0, 40)}"`);
      }
      return found[0];
    };
    if (account === 'linkedin') expect(LINKEDIN_THREAD);
    else {
      let previous: { id: string } | undefined;
      THREAD.forEach((text, i) => {
        const post = expect(text.slice(0, 30));
        if (post && (i === 0 ? post.parent !== null : post.parent !== previous?.id)) {
          t.brokenChains++;
          t.details.push(`${account}: part ${i + 1} does not reply to part ${i}`);
        }
        previous = post;
      });
    }
    expect(IMAGE_POST.slice(0, 30));
    if (!account.startsWith('alice-')) expect(ANNOUNCE);
  }
  return t;
}
