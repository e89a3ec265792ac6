import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fakes/fake-github.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { pngBytes } from './helpers/images.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * The Bluesky link card's thumbnail is the linked post's cover: bytes that go out, so the item's
 * approval binds them (src/core/approval-binding.ts). Attacked as a writer with push access would,
 * with the harness of approvals.test.ts: the real CLI, Octokit and @atproto/api against the fakes.
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;
const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
const APPEAL = 'content/posts/winter-appeal.mdx';
const COVER = 'content/posts/winter-appeal-cover.png';
const CONFIG = 'postgate.config.yaml';
const DUE_THANKS = '2026-12-01T09:00:00Z';
const text = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const bytes = (path: string) => readFileSync(join(REPO_ROOT, path));
/** Due 09:30 Berlin on 1 December, to Bluesky only, linking to the winter appeal: a card, no image. */
const LINKING =
  '---\npublishAt: 2026-12-01T09:30\nchannels: [bluesky]\n---\nOur plan for the coldest weeks: https://example.org/posts/winter-appeal/\n';

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({ files: { [CONFIG]: text(CONFIG) } });
  gh.collaborators.set('amira', 'write');
  gh.collaborators.set('intern', 'write');
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const publish = (now: string) =>
  runCliAsync(['publish', '--now', now], { cwd: dir, env: { ...n.env, ...githubEnvOf(gh) } });
const checkOut = (files: Record<string, string | Buffer | Uint8Array>) => {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
};
const heldLine = (stdout: string, id: string) => stdout.split('\n').find((l) => l.startsWith('held') && l.includes(id));

/** A pull request from the intern, approved by amira on its head, merged. */
function approvedPullRequest(files: Record<string, string | Buffer>, branch: string) {
  gh.commit({ branch, files, author: 'intern' });
  const pr = gh.openPullRequest({ author: 'intern', branch, title: 'Content' });
  gh.review(pr, { user: 'amira', state: 'APPROVED' });
  gh.merge(pr);
}

describe("the link card's thumbnail is approved bytes", () => {
  it('holds a post whose linked cover was swapped on main without approval, and sends an approved one', async () => {
    approvedPullRequest({ [THANKS]: LINKING, [APPEAL]: text(APPEAL), [COVER]: bytes(COVER) }, 'appeal');
    // The intern replaces the cover straight on main: a valid PNG the owner never saw.
    const swapped = Buffer.from(pngBytes(1200, 630, 3000));
    gh.commit({ files: { [COVER]: swapped }, author: 'intern', message: 'nicer cover' });
    checkOut({ [THANKS]: LINKING, [COVER]: swapped });
    const held = await publish(DUE_THANKS);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(n.bluesky.blobs).toEqual([]);
    expect(heldLine(held.stdout, 'volunteer-thanks')).toMatch(
      /the last change to content\/posts\/winter-appeal-cover\.png \([0-9a-f]{7} by intern\) was pushed to main without a reviewed pull request/,
    );

    // The honest way: the new cover in a pull request an approver approves.
    const reviewed = Buffer.from(pngBytes(1200, 630, 3500));
    approvedPullRequest({ [COVER]: reviewed }, 'cover');
    checkOut({ [COVER]: reviewed });
    const sent = await publish(DUE_THANKS);
    expect(sent.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 1 });
    const thumb = (n.bluesky.livePosts[0]!.record.embed as { external: { thumb: { ref: { $link: string } } } }).external
      .thumb;
    const blob = n.bluesky.blobs.find((b) => b.cid === thumb.ref.$link)!;
    expect(Buffer.compare(blob.bytes, reviewed)).toBe(0);
  });
});
