import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeBluesky } from './fakes/fake-bluesky.ts';
import type { FakeGitHub } from './fakes/fake-github.ts';
import { type AliceWorld, CONFIG_WITH_ALICE, startAliceWorld } from './helpers/accounts.ts';
import { runCliAsync } from './helpers/cli.ts';
import type { Networks } from './helpers/networks.ts';

/**
 * A person's account in GitHub mode (README: Accounts): the organisation's approvers decide for
 * the organisation's accounts; what goes out as Alice needs Alice's own consent to those bytes (her
 * approving review of them, or a pull request she opened and wrote alone). The attacks: an approver's
 * review alone, an agency adding her account after approval, her own push counted for the
 * organisation, a config edit that repoints her account's credentials.
 */
let n: Networks;
let alice: FakeBluesky;
let gh: FakeGitHub;
let dir: string;
const ITEM = 'content/social/2026-12-03-alice.md';
const NOW = '2026-12-03T10:00:00Z';
const CONFIG = 'postgate.config.yaml';
const config = CONFIG_WITH_ALICE;
const item = (as: string) =>
  `---\npublishAt: 2026-12-03T10:55\nas: [${as}]\n---\nWhat a morning at the food bank: https://example.org/volunteer/\n`;

let w: AliceWorld;
beforeEach(async () => {
  w = await startAliceWorld();
  ({ n, alice, gh, dir } = w);
});
afterEach(() => w.stop());

const publish = () => runCliAsync(['publish', '--now', NOW], { cwd: dir, env: w.env });
const sent = () => ({
  org: n.bluesky.livePosts.filter((r) => JSON.stringify(r).includes('food bank')).length,
  alice: alice.livePosts.length,
});
/** The checkout is main: the item's final bytes. */
const checkout = (text: string) => writeFileSync(join(dir, ITEM), text);

describe("a person's account needs the person's own approval", () => {
  it("an approver's review alone posts on the organisation's account, and holds Alice's", async () => {
    gh.commit({ branch: 'a', files: { [ITEM]: item('bluesky, alice-bluesky') }, author: 'intern' });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'a', title: 'Alice too' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr, { by: 'amira' });
    checkout(item('bluesky, alice-bluesky'));
    const r = await publish();
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(sent(), r.stdout).toEqual({ org: 1, alice: 0 });
    expect(r.stdout).toMatch(/held\s+alice-bluesky\s+social\/2026-12-03-alice\s+needs @alice's approval/);
    // The next run has only hers left: the item is held, and says for whom.
    const next = await publish();
    expect(sent()).toEqual({ org: 1, alice: 0 });
    expect(next.stdout).toMatch(/held\s+-\s+social\/2026-12-03-alice\s+alice-bluesky: needs @alice's approval/);

    // Alice approves the same bytes (a later review on the merged pull request's commit): hers goes too, once.
    gh.review(pr, { user: 'alice', state: 'APPROVED' });
    expect((await publish()).status).toBe(0);
    expect(sent()).toEqual({ org: 1, alice: 1 });
  }, 60_000);

  it('an agency adding as: [alice-bluesky] after the approvals is held, everywhere', async () => {
    gh.commit({ branch: 'b', files: { [ITEM]: item('bluesky') }, author: 'agency' });
    const pr = gh.openPullRequest({ author: 'agency', branch: 'b', title: 'Org post' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.review(pr, { user: 'alice', state: 'APPROVED' });
    gh.commit({ branch: 'b', files: { [ITEM]: item('bluesky, alice-bluesky') }, author: 'agency' });
    gh.merge(pr, { by: 'agency' });
    checkout(item('bluesky, alice-bluesky'));
    const r = await publish();
    expect(sent()).toEqual({ org: 0, alice: 0 });
    expect(r.stdout).toContain(`changed after approval: ${ITEM}`);
  }, 60_000);

  it("Alice's own pull request: her consent, but her approval never counts for the organisation", async () => {
    gh.commit({ branch: 'c', files: { [ITEM]: item('bluesky, alice-bluesky') }, author: 'alice', signed: true });
    const pr = gh.openPullRequest({ author: 'alice', branch: 'c', title: 'My post' });
    gh.review(pr, { user: 'alice', state: 'APPROVED' });
    gh.merge(pr, { by: 'alice' });
    checkout(item('bluesky, alice-bluesky'));
    const held = await publish();
    expect(sent()).toEqual({ org: 0, alice: 0 });
    expect(held.stdout).toContain("alice's approval does not count");

    // An approver approves the bytes she wrote: both go; hers on her authorship alone.
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    expect((await publish()).status).toBe(0);
    expect(sent()).toEqual({ org: 1, alice: 1 });
  }, 60_000);

  it("a config edit that repoints Alice's account's credentials is bound by approval: nothing goes", async () => {
    gh.commit({ branch: 'd', files: { [ITEM]: item('alice-bluesky') }, author: 'alice' });
    const pr = gh.openPullRequest({ author: 'alice', branch: 'd', title: 'Mine' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr, { by: 'amira' });
    const repointed = config.replaceAll('_ALICE', '_ALICE_EVE');
    gh.commit({ files: { [CONFIG]: repointed }, author: 'intern', message: 'tidy config' });
    checkout(item('alice-bluesky'));
    writeFileSync(join(dir, CONFIG), repointed);
    const r = await publish();
    expect(sent()).toEqual({ org: 0, alice: 0 });
    expect(r.stdout).toContain(`${CONFIG} changed in`);
  }, 60_000);
});
