import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeLinkedIn } from './fakes/fake-linkedin.ts';
import { type GitHubWorld, linkedinRunner, startGitHubWorld } from './helpers/github-world.ts';

/**
 * `confirm` on GitHub: after a lost answer for a person's LinkedIn post the part is held; what a
 * person found is recorded on the ledger's branch by the workflow's token, like any record, so
 * the next publish run reads a ledger whose history it accepts, and sends nothing twice.
 */
const NOW = '2030-03-04T09:30:00Z';
const ITEM = `---
publishAt: 2030-03-04T09:29:00Z
channels: [linkedin]
---
Thank you to the 40 volunteers who came on Saturday!
`;

let w: GitHubWorld;
let linkedin: FakeLinkedIn;
beforeEach(async () => {
  w = await startGitHubWorld();
  linkedin = new FakeLinkedIn();
  await linkedin.start();
  const config = readFileSync(join(w.dir, 'postgate.config.yaml'), 'utf8')
    .replace(/^channels: .*$/m, 'channels: [blog, linkedin]')
    .concat('\nlinkedin:\n  author: person\n  version: "202511"\n  tokenExpires: 2030-04-30\n');
  w.mergeReviewed({ 'postgate.config.yaml': config, 'content/social/thanks.md': ITEM }, 'intern', ['amira']);
});
afterEach(async () => {
  await linkedin.stop();
  await w.stop();
});

const run = linkedinRunner(
  () => w,
  () => linkedin,
  NOW,
);

describe('confirm on GitHub', () => {
  it('records what the person who ran it found on the ledger branch; the next run accepts it and sends nothing', async () => {
    linkedin.server.inject({ match: /^POST \/rest\/posts$/, hang: true, afterHandling: true });
    const first = await run(['publish'], { POSTGATE_TIMEOUT_MS: '1500' });
    expect(first.stdout).toMatch(/^held +linkedin +social\/thanks +part 1 may have gone out/m);
    expect(w.ledger().map((r) => r.type)).toEqual(['attempt']);

    const post = linkedin.live[0]!;
    const confirm = await run(['confirm', 'social/thanks', '--found', post.id], { GITHUB_TRIGGERING_ACTOR: 'amira' });
    expect(confirm.stderr).toBe('');
    expect(confirm.status).toBe(0);
    expect(w.ledger().at(-1)).toMatchObject({ type: 'sent', remoteId: post.id, confirmedBy: '@amira' });

    const requests = linkedin.server.requests.length;
    const next = await run(['publish'], { POSTGATE_NOW: '2030-03-04T09:45:00Z' });
    expect(next.stderr).toBe('');
    expect(next.status).toBe(0);
    expect(next.stdout).not.toContain('may have gone out');
    expect(linkedin.server.requests.length).toBe(requests);
    expect(linkedin.live).toHaveLength(1);
  });

  it('two answers at once: one is recorded, the other is refused', async () => {
    linkedin.server.inject({ match: /^POST \/rest\/posts$/, hang: true, afterHandling: true });
    await run(['publish'], { POSTGATE_TIMEOUT_MS: '1500' });
    // Two people answer at once: the first is recorded, the second finds nothing left to settle.
    const [a, b] = await Promise.all([
      run(['confirm', 'social/thanks', '--not-found'], { GITHUB_TRIGGERING_ACTOR: 'amira' }),
      run(['confirm', 'social/thanks', '--found', linkedin.live[0]!.id], { GITHUB_TRIGGERING_ACTOR: 'riverside' }),
    ]);
    // The later one either finds nothing waiting any more (2) or loses the claim (1).
    expect([a.status, b.status].filter((status) => status === 0)).toHaveLength(1);
    const settled = w.ledger().filter((r) => r.type !== 'attempt');
    expect(settled).toHaveLength(1);
  });
});
