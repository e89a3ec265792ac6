import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitBlobId } from '../src/core/approval-binding.ts';
import type { FakeResponse, RecordedRequest } from './fakes/fake-server.ts';
import { exampleRepoCopy, runCliAsync } from './helpers/cli.ts';
import { pngBytes } from './helpers/images.ts';
import { MEALS, MEALS_CHART, MEALS_LOGO, MEALS_POST } from './helpers/meals-post.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * `publish` end to end: the real CLI, the real client libraries, three stateful fake networks.
 * Example content times (Berlin): welcome post 2026-11-20 10:00; volunteer thanks 2026-12-01 09:30;
 * sign-ups thread 2026-12-02 13:00; winter appeal post + announcement 2026-12-03 08:00.
 */
let n: Networks;
let dir: string;
beforeEach(async () => {
  n = await startNetworks();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await n.stop();
});

const publish = (now: string, env: Record<string, string> = {}) =>
  runCliAsync(['publish', '--now', now], { cwd: dir, env: { ...n.env, ...env } });
const ledger = () =>
  existsSync(join(dir, 'content/ledger.jsonl'))
    ? readFileSync(join(dir, 'content/ledger.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
const sentRecords = () => ledger().filter((r) => r.type === 'sent');

describe('publish', () => {
  it('posts the example content exactly once per channel, and a rerun sends nothing', async () => {
    const first = await publish('2026-12-01T09:00:00Z');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect(
      sentRecords()
        .map((r) => `${r.item}:${r.channel}`)
        .sort(),
    ).toEqual([
      'posts/welcome:blog',
      'social/2026-12-01-volunteer-thanks:bluesky',
      'social/2026-12-01-volunteer-thanks:mastodon',
      'social/2026-12-01-volunteer-thanks:x',
    ]);
    // Stale, draft and future items stay where they are, and the table says why.
    expect(first.stdout).toMatch(/stale\s+-\s+social\/2026-11-27-happy-friday\s+due 4d ago/);
    expect(first.stdout).not.toContain('holiday-hours');

    await publish('2026-12-02T12:30:00Z');
    expect(liveCounts(n)).toEqual({ x: 5, mastodon: 4, bluesky: 5 });
    const third = await publish('2026-12-03T07:30:00Z');
    expect(third.status).toBe(0);
    expect(third.stdout).toMatch(/blog\s+posts\/winter-appeal\s+released/);
    expect(liveCounts(n)).toEqual({ x: 6, mastodon: 5, bluesky: 6 });

    const records = ledger().length;
    const rerun = await publish('2026-12-03T07:30:00Z');
    expect(rerun.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 6, mastodon: 5, bluesky: 6 });
    expect(ledger()).toHaveLength(records);
  });

  it('publishes the same with the dependencies loaded unbundled (POSTGATE_DEPENDENCY_BUNDLES=off)', async () => {
    const run = await publish('2026-12-02T12:30:00Z', { POSTGATE_DEPENDENCY_BUNDLES: 'off' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The sign-ups thread, four parts (Mastodon's own text has three); the 1 December post is stale by now.
    expect(liveCounts(n)).toEqual({ x: 4, mastodon: 3, bluesky: 4 });
  });

  it('sends threads as reply chains, with the image and its alt text on the first part', async () => {
    expect((await publish('2026-12-02T12:30:00Z')).status).toBe(0);
    const thread = n.x.livePosts().filter((p) => p.text.includes('') && !p.text.startsWith('Thank you'));
    expect(thread).toHaveLength(4);
    expect(thread[0]!.replyTo).toBeNull();
    for (let i = 1; i < 4; i++) expect(thread[i]!.replyTo).toBe(thread[i - 1]!.id);
    expect(thread[0]!.mediaIds).toHaveLength(1);
    expect(n.x.media.get(thread[0]!.mediaIds[0]!)?.altText).toContain('Bar chart of volunteer sign-ups');

    // Mastodon gets its own text (a three-part override), also chained, with the image described.
    const statuses = n.mastodon.statuses.filter((s) => !s.deleted);
    expect(statuses).toHaveLength(3);
    expect(statuses[0]!.text).toContain('with a chart for the numbers people among you');
    expect(statuses[1]!.in_reply_to_id).toBe(statuses[0]!.id);
    expect(statuses[2]!.in_reply_to_id).toBe(statuses[1]!.id);
    expect(statuses[0]!.media[0]?.description).toContain('Bar chart of volunteer sign-ups');
    expect(statuses.every((s) => s.idempotencyKey)).toBe(true);

    const posts = n.bluesky.records.filter((r) => !r.deleted);
    expect(posts).toHaveLength(4);
    const ref = (r: (typeof posts)[number]) => ({ uri: r.uri, cid: r.cid });
    expect(posts[0]!.record.embed).toMatchObject({
      $type: 'app.bsky.embed.images',
      images: [expect.objectContaining({ alt: expect.stringContaining('Bar chart') })],
    });
    for (let i = 1; i < 4; i++)
      expect(posts[i]!.record.reply).toEqual({ root: ref(posts[0]!), parent: ref(posts[i - 1]!) });
  });

  it('tags links to the site for analytics, and leaves other sites alone', async () => {
    writeFileSync(
      join(dir, 'content/social/links.md'),
      '---\npublishAt: 2026-12-01T09:00\nchannels: [x, bluesky]\n---\nOurs: https://example.org/posts/welcome/ and theirs: https://news.example.com/story\n',
    );
    expect((await publish('2026-12-01T08:05:00Z')).status).toBe(0);
    const x = n.x.livePosts().find((p) => p.text.startsWith('Ours'))!;
    expect(x.text).toBe(
      'Ours: https://example.org/posts/welcome/?utm_source=x&utm_medium=social&utm_campaign=social%2Flinks and theirs: https://news.example.com/story',
    );
    const bsky = n.bluesky.records.find((r) => String(r.record.text).startsWith('Ours'))!;
    expect(bsky.record.text).toContain('utm_source=bluesky');
    // The card for a link to the site's own post comes from that post.
    expect(bsky.record.embed).toMatchObject({
      $type: 'app.bsky.embed.external',
      external: { title: 'Welcome to our new journal' },
    });
  });

  it('resumes a thread from the part that failed, as a reply to the part before it', async () => {
    // X fails every try of the third part of the thread; the other networks finish.
    n.x.server.inject({
      match: /^POST \/2\/tweets$/,
      skip: 2,
      times: 3,
      respond: { status: 503, body: { title: 'Service Unavailable' } },
    });
    const first = await publish('2026-12-02T12:30:00Z');
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/FAILED\s+x\s+social\/2026-12-02-signups-thread\s+2\/4 parts live/);
    expect(liveCounts(n)).toEqual({ x: 2, mastodon: 3, bluesky: 4 });

    const second = await publish('2026-12-02T12:45:00Z');
    expect(second.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 4, mastodon: 3, bluesky: 4 });
    const x = n.x.livePosts();
    expect(x[2]!.replyTo).toBe(x[1]!.id);
    expect(x[3]!.replyTo).toBe(x[2]!.id);
  });

  it('keeps the other networks going when one is down, exits 1, and the next run completes', async () => {
    n.mastodon.server.inject({
      match: /^POST \/api\/v1\/statuses$/,
      times: 100,
      respond: { status: 503, body: { error: 'down for maintenance' } },
    });
    const first = await publish('2026-12-01T09:00:00Z');
    expect(first.status).toBe(1);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 0, bluesky: 1 });
    n.mastodon.server.clearFaults();
    const second = await publish('2026-12-01T09:15:00Z');
    expect(second.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });

  it('waits out a short rate limit, and leaves a long one for the next run', async () => {
    const reset = (s: number) => ({ 'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + s) });
    n.x.server.inject({
      match: /^POST \/2\/tweets$/,
      respond: { status: 429, headers: reset(1), body: { title: 'Too Many Requests' } },
    });
    const short = await publish('2026-12-01T09:00:00Z');
    expect(short.status).toBe(0);
    expect(short.stdout).toContain('rate limited; waiting');
    expect(liveCounts(n).x).toBe(1);

    writeFileSync(
      join(dir, 'content/social/later.md'),
      '---\npublishAt: 2026-12-01T10:00\nchannels: [x]\n---\nLater today.\n',
    );
    n.x.server.inject({
      match: /^POST \/2\/tweets$/,
      respond: { status: 429, headers: reset(3600), body: { title: 'Too Many Requests' } },
    });
    const long = await publish('2026-12-01T09:05:00Z');
    expect(long.status).toBe(0);
    expect(long.stdout).toMatch(/deferred\s+x\s+social\/later/);
    expect(liveCounts(n).x).toBe(1);
    expect((await publish('2026-12-01T09:20:00Z')).status).toBe(0);
    expect(n.x.livePosts().map((p) => p.text)).toContain('Later today.');
  });

  it('looks before resending when an answer is lost, so the post exists once', async () => {
    // Each network takes the post, then the answer never comes.
    n.x.server.inject({ match: /^POST \/2\/tweets$/, hang: true, afterHandling: true });
    n.mastodon.server.inject({ match: /^POST \/api\/v1\/statuses$/, hang: true, afterHandling: true });
    n.bluesky.server.inject({ match: /createRecord$/, respondAfterHandling: { status: 502, body: 'Bad Gateway' } });
    const r = await publish('2026-12-01T09:00:00Z', { POSTGATE_TIMEOUT_MS: '1500' });
    expect(r.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect(sentRecords().filter((rec) => rec.item === 'social/2026-12-01-volunteer-thanks')).toHaveLength(3);
    // A post found rather than answered for is recorded with the exact text that went out, all the same.
    const texts = Object.fromEntries(
      sentRecords()
        .filter((rec) => rec.item === 'social/2026-12-01-volunteer-thanks')
        .map((rec) => [rec.channel, rec.text]),
    );
    expect(texts).toEqual({
      x: n.x.livePosts()[0]!.text,
      mastodon: n.mastodon.live[0]!.text,
      bluesky: n.bluesky.livePosts[0]!.record.text,
    });
  });

  it('after a crash between request and answer, finds the post instead of sending it again', async () => {
    n.mastodon.server.inject({ match: /^POST \/api\/v1\/statuses$/, hang: true, afterHandling: true });
    const crashed = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z'], {
      cwd: dir,
      env: { ...n.env, MASTODON_URL: n.mastodon.server.url },
      started: (child) => {
        const poll = setInterval(() => {
          if (n.mastodon.statuses.length > 0) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGKILL'), 200);
          }
        }, 20);
      },
    });
    expect(crashed.signal).toBe('SIGKILL');
    const open = ledger().filter((r) => r.channel === 'mastodon');
    expect(open.map((r) => r.type)).toEqual(['attempt']);

    const after = await publish('2026-12-01T09:15:00Z');
    expect(after.status).toBe(0);
    expect(n.mastodon.statuses.filter((s) => !s.deleted)).toHaveLength(1);
    expect(
      ledger()
        .filter((r) => r.channel === 'mastodon')
        .map((r) => r.type),
    ).toEqual(['attempt', 'sent']);
  });

  it('is a dry run without credentials: shows the final text and lengths, sends and records nothing', async () => {
    const r = await runCliAsync(['publish', '--now', '2026-12-03T07:30:00Z'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No credentials for any network are set: this is a dry run');
    expect(r.stdout).toMatch(/blog\s+posts\/winter-appeal\s+would be released/);
    // The announcement of the post that would be released is shown too, with its final text.
    expect(r.stdout).toMatch(/x\s+posts\/winter-appeal\/announce\s+would send 1 part/);
    expect(r.stdout).toContain(
      '| Our winter appeal is live: 2,000 warm meals by January. Here is the plan, and how to help: https://example.org/posts/winter-appeal/?utm_source=x&utm_medium=social&utm_campaign=posts%2Fwinter-appeal%2Fannounce',
    );
    expect(r.stdout).toMatch(/part 1\/1 {2}\d+\/280/);
    expect(existsSync(join(dir, 'content/ledger.jsonl'))).toBe(false);
    expect(n.x.server.requests).toHaveLength(0);
  });

  it('sends nothing anywhere, blog included, while a CRISIS file exists, and says why', async () => {
    writeFileSync(join(dir, 'CRISIS'), 'Flooding in the city\n');
    const summary = join(dir, 'summary.md');
    const r = await publish('2026-12-01T09:00:00Z', { GITHUB_STEP_SUMMARY: summary });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Paused by CRISIS: Flooding in the city');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(existsSync(join(dir, 'content/ledger.jsonl'))).toBe(false);
    expect(readFileSync(summary, 'utf8')).toContain('## Postgate: paused by CRISIS');
  });

  it('stops between two parts of a thread when a CRISIS appears mid-run', async () => {
    // The CRISIS lands while X is answering the first part: the run cannot miss it, whatever the load
    // (a test that polled for the post and then wrote it raced the run, and lost under a busy CI).
    const fake = n.x as unknown as { route: (q: RecordedRequest) => Promise<FakeResponse> | FakeResponse };
    const route = fake.route.bind(n.x);
    fake.route = async (q) => {
      const answer = await route(q);
      if (q.method === 'POST' && q.path === '/2/tweets' && !existsSync(join(dir, 'CRISIS'))) {
        // Written whole, then renamed, as a checkout places it: a plain write leaves an
        // empty file for a moment, which the run rightly reads as "no reason given".
        writeFileSync(join(dir, 'CRISIS.tmp'), 'Breaking news\n');
        renameSync(join(dir, 'CRISIS.tmp'), join(dir, 'CRISIS'));
      }
      return answer;
    };
    const r = await runCliAsync(['publish', '--now', '2026-12-02T12:30:00Z'], {
      cwd: dir,
      env: { ...n.env, MASTODON_TOKEN: 'off', BLUESKY_APP_PASSWORD: 'off' },
    });
    expect(r.stdout).toMatch(/held\s+x\s+social\/2026-12-02-signups-thread\s+.*CRISIS: Breaking news/);
    expect(n.x.livePosts()).toHaveLength(1);
  });

  it('writes the summary table to the job summary', async () => {
    const summary = join(dir, 'summary.md');
    await publish('2026-12-01T09:00:00Z', { GITHUB_STEP_SUMMARY: summary });
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('## Postgate: publish');
    expect(md).toContain('| Result | Channel | Item | Detail |');
    expect(md).toMatch(/\| sent \| x \| `social\/2026-12-01-volunteer-thanks` \| \[https:\/\/x\.com\//);
    expect(md).toMatch(/\| stale \| `social\/2026-11-27-happy-friday` \|/);
  });

  it('never prints or records a credential, even when a network echoes it back', async () => {
    n.x.echoAuthorization = true;
    n.mastodon.echoAuthorization = true;
    n.bluesky.echoCredentials = true;
    const summary = join(dir, 'summary.md');
    // Wrong secrets make every network answer with an error that repeats what it was sent.
    const wrong = {
      X_ACCESS_SECRET: 'wrong-x-secret-1234567',
      MASTODON_TOKEN: 'wrong-mastodon-token-1234567',
      BLUESKY_APP_PASSWORD: 'wrong-bluesky-password-1234567',
    };
    const r = await publish('2026-12-01T09:00:00Z', { ...wrong, GITHUB_STEP_SUMMARY: summary });
    expect(r.status).toBe(1);
    const everything = [r.stdout, r.stderr, readFileSync(summary, 'utf8'), JSON.stringify(ledger())].join('\n');
    for (const secret of [...Object.values(wrong), n.env.X_API_SECRET!, n.env.X_ACCESS_TOKEN!, n.env.X_API_KEY!]) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('reports a network enabled in the config but missing its credentials', async () => {
    const r = await publish('2026-12-01T09:00:00Z', { MASTODON_TOKEN: '' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /FAILED\s+mastodon\s+social\/2026-12-01-volunteer-thanks\s+mastodon is enabled in postgate.config.yaml but MASTODON_TOKEN is not set/,
    );
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 0, bluesky: 1 });
  });
});

describe('a released blog post', () => {
  const WELCOME = 'content/posts/welcome.mdx';
  const releases = () =>
    ledger().filter((r) => r.type === 'sent' && r.channel === 'blog' && r.item === 'posts/welcome');

  it('binds the bytes it was released with; an edit is released again, once, and never re-announced', async () => {
    expect((await publish('2026-12-01T09:00:00Z')).status).toBe(0);
    const [first] = releases();
    expect(first).toMatchObject({ file: WELCOME, blob: expect.stringMatching(/^[0-9a-f]{40}$/), coverBlob: null });
    const posts = liveCounts(n);

    const path = join(dir, WELCOME);
    writeFileSync(path, readFileSync(path, 'utf8').replace('every story is ours', 'every single story is ours'));
    const edited = await publish('2026-12-01T09:15:00Z');
    expect(edited.status).toBe(0);
    expect(edited.stdout).toMatch(/blog\s+posts\/welcome\s+released again \(edited and approved\)/);
    const [, second] = releases();
    expect(second.blob).not.toBe(first.blob);
    expect(second.file).toBe(WELCOME);
    expect(liveCounts(n)).toEqual(posts);

    await publish('2026-12-01T09:30:00Z');
    expect(releases()).toHaveLength(2);
  });

  it('binds the files its body shows; a swapped image is released again, once, as an edit is', async () => {
    const files = { [MEALS]: MEALS_POST, [MEALS_CHART]: pngBytes(800, 400), [MEALS_LOGO]: pngBytes(64, 64) };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const meals = () => ledger().filter((r) => r.type === 'sent' && r.channel === 'blog' && r.item === 'posts/meals');
    expect((await publish('2026-11-20T09:30:00Z')).status).toBe(0);
    const blobOf = (path: string) => gitBlobId(readFileSync(join(dir, path)));
    expect(meals()).toEqual([
      expect.objectContaining({
        file: MEALS,
        blob: blobOf(MEALS),
        coverBlob: null,
        images: { [MEALS_CHART]: blobOf(MEALS_CHART), [MEALS_LOGO]: blobOf(MEALS_LOGO) },
      }),
    ]);
    // No GITHUB_TOKEN: approvals are not checked here (tests/approvals-cover.test.ts holds an unapproved swap).
    writeFileSync(join(dir, MEALS_LOGO), pngBytes(64, 64, 500));
    const swapped = await publish('2026-11-20T09:45:00Z');
    expect(swapped.stdout).toMatch(/blog\s+posts\/meals\s+released again \(edited and approved\)/);
    expect(meals()[1].images).toEqual({ [MEALS_CHART]: blobOf(MEALS_CHART), [MEALS_LOGO]: blobOf(MEALS_LOGO) });
    await publish('2026-11-20T10:00:00Z');
    expect(meals()).toHaveLength(2);
    // A post that shows no file is recorded as before: no images field.
    expect(releases().every((r) => !('images' in r))).toBe(true);
  });
});
