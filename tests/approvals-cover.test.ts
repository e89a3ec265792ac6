import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fakes/fake-github.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { pngBytes } from './helpers/images.ts';
import { MEALS, MEALS_CHART, MEALS_LOGO, MEALS_POST } from './helpers/meals-post.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * Images that go out besides an item's own file, bound by its approval (src/core/approval-binding.ts):
 * the Bluesky link card's thumbnail, the linked post's cover; and the files a blog post's body shows
 * (src/core/post-body-images.ts), which its release binds too. Attacked as a writer with push access
 * would, with the harness of approvals.test.ts: the real CLI, Octokit and @atproto/api against the
 * fakes. (What the site builds from such a release is in tests/site/build.test.ts.)
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
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
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

describe("the images in a post's body are approved bytes", () => {
  // MEALS_POST is due at 09:00 UTC on 20 November.
  const DUE_MEALS = '2026-11-20T09:30:00Z';
  const publishMeals = () => publish(DUE_MEALS);
  /** A pull request approved and merged, and main as it then is checked out. */
  const approved = (files: Record<string, string | Uint8Array>, branch: string) => {
    approvedPullRequest(files as Record<string, string | Buffer>, branch);
    checkOut(files);
  };
  /** A push straight to main by the intern, checked out. */
  const pushed = (files: Record<string, string | Uint8Array>) => {
    gh.commit({ files: files as Record<string, string | Buffer>, author: 'intern', message: 'nicer picture' });
    checkOut(files);
  };
  const mealsAndImages = { [MEALS]: MEALS_POST, [MEALS_CHART]: pngBytes(800, 400), [MEALS_LOGO]: pngBytes(64, 64) };

  it('holds a post whose image was swapped on main before its release, and releases the approved one', async () => {
    approved(mealsAndImages, 'meals');
    pushed({ [MEALS_CHART]: pngBytes(800, 400, 2000) });
    const held = await publishMeals();
    expect(heldLine(held.stdout, 'posts/meals')).toMatch(
      /the last change to content\/posts\/meals-chart\.png \([0-9a-f]{7} by intern\) was pushed to main without a reviewed pull request/,
    );
    expect(held.stdout).not.toMatch(/blog\s+posts\/meals\s+released/);

    // The honest way: the new chart in a pull request an approver approves.
    approved({ [MEALS_CHART]: pngBytes(800, 400, 2500) }, 'chart');
    const released = await publishMeals();
    expect(released.stdout).toMatch(/blog\s+posts\/meals\s+released\s+https:\/\/example\.org\/posts\/meals\//);
  });

  it('never releases again an image swapped on main after the release; an approved swap is released again', async () => {
    approved(mealsAndImages, 'meals');
    expect((await publishMeals()).stdout).toMatch(/blog\s+posts\/meals\s+released\s+https:/);

    // The intern replaces the served logo on main. The release keeps the bytes it bound, so the site
    // leaves the post out rather than show a logo nobody approved, and the publisher does not rebind it.
    pushed({ [MEALS_LOGO]: pngBytes(64, 64, 500) });
    const swapped = await publishMeals();
    expect(swapped.stdout).not.toMatch(/blog\s+posts\/meals\s+released/);
    // And the owner is told: held, with what changed and why it is not released again.
    expect(swapped.stdout).toMatch(
      /held\s+-\s+posts\/meals\s+released, but an image it shows \(public\/.*\) has changed since it was released, and .*pushed to main without a reviewed pull request.*: the published site leaves it out until it is released again/,
    );

    approved({ [MEALS_LOGO]: pngBytes(64, 64, 600) }, 'logo');
    expect((await publishMeals()).stdout).toMatch(/blog\s+posts\/meals\s+released again \(edited and approved\)/);
  });
});
