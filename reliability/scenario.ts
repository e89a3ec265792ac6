import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Networks } from '../tests/helpers/networks.ts';

/**
 * The content the reliability proof publishes: a 5-part thread, an image post and a blog post with
 * an announcement, all on three networks, all due; and how to tell that each went out exactly once,
 * as a correct reply chain.
 */
export const ROOT = resolve(import.meta.dirname, '..');
export const NOW = '2026-12-01T09:00:00Z';

export const THREAD = Array.from(
  { length: 5 },
  (_, i) => `Reliability thread, part ${i + 1} of 5: every part exactly once, each replying to the one before.`,
);
export const IMAGE_POST = 'Reliability image post: one picture, with its description, exactly once.';
export const ANNOUNCE = 'Reliability announcement: the post is live';

/** @param channels the networks the site publishes to (fewer make a shorter run) */
export function scenarioRepo(channels: readonly string[] = ['x', 'mastodon', 'bluesky']): string {
  const dir = mkdtempSync(join(tmpdir(), 'postgate-reliability-'));
  const config = read(ROOT, 'postgate.config.yaml').replace(
    /^channels: .*$/m,
    `channels: [blog, ${channels.join(', ')}]`,
  );
  writeFileSync(join(dir, 'postgate.config.yaml'), config);
  mkdirSync(join(dir, 'content/social'), { recursive: true });
  mkdirSync(join(dir, 'content/posts'), { recursive: true });
  cpSync(join(ROOT, 'content/social/volunteer-chart.png'), join(dir, 'content/social/chart.png'));
  writeFileSync(
    join(dir, 'content/social/thread.md'),
    `---\npublishAt: 2026-12-01T09:45\nchannels: [x, mastodon, bluesky]\n---\n${THREAD.join('\n\n---\n\n')}\n`,
  );
  writeFileSync(
    join(dir, 'content/social/image.md'),
    `---\npublishAt: 2026-12-01T09:50\nchannels: [x, mastodon, bluesky]\nimages:\n  - src: ./chart.png\n    alt: Bar chart of sign-ups per week\n---\n${IMAGE_POST}\n`,
  );
  writeFileSync(
    join(dir, 'content/posts/launch.mdx'),
    `---\ntitle: Reliability launch\ndescription: A post whose announcement must go out once.\npublishAt: 2026-12-01T09:40\nannounce: "${ANNOUNCE}: {url}"\n---\n\nThe post.\n`,
  );
  return dir;
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

/** Counts, on the fake networks, every expected post: each must exist once, threads as reply chains. */
export function tally(n: Networks, channels: readonly string[] = ['x', 'mastodon', 'bluesky']): Tally {
  const t: Tally = { duplicates: 0, lost: 0, brokenChains: 0, details: [] };
  const networks = {
    x: n.x.livePosts().map((p) => ({ id: p.id, text: p.text, parent: p.replyTo })),
    mastodon: n.mastodon.statuses
      .filter((s) => !s.deleted)
      .map((s) => ({ id: s.id, text: s.text, parent: s.in_reply_to_id })),
    bluesky: n.bluesky.records
      .filter((r) => !r.deleted)
      .map((r) => ({
        id: r.uri,
        text: String(r.record.text),
        parent: (r.record.reply as { parent?: { uri: string } } | undefined)?.parent?.uri ?? null,
      })),
  };
  for (const [network, posts] of Object.entries(networks).filter(([name]) => channels.includes(name))) {
    const find = (prefix: string) => posts.filter((p) => p.text.startsWith(prefix));
    const expect = (prefix: string) => {
      const found = find(prefix);
      if (found.length === 0) {
        t.lost++;
        t.details.push(`${network}: lost "${prefix.slice(0, 40)}"`);
      }
      if (found.length > 1) {
        t.duplicates += found.length - 1;
        t.details.push(`${network}: ${found.length} copies of "${prefix.slice(0, 40)}"`);
      }
      return found[0];
    };
    let previous: { id: string } | undefined;
    THREAD.forEach((text, i) => {
      const post = expect(text.slice(0, 30));
      if (post && (i === 0 ? post.parent !== null : post.parent !== previous?.id)) {
        t.brokenChains++;
        t.details.push(`${network}: part ${i + 1} does not reply to part ${i}`);
      }
      previous = post;
    });
    expect(IMAGE_POST.slice(0, 30));
    expect(ANNOUNCE);
  }
  return t;
}
