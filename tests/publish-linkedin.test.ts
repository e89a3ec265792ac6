import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeLittleText, unescapeLittleText } from '../src/channels/linkedin-text.ts';
import { FakeLinkedIn, ORGANIZATION } from './fakes/fake-linkedin.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { pngBytes } from './helpers/images.ts';

/**
 * `publish`, `retract` and `check` with LinkedIn, end to end: the real CLI against the fake
 * LinkedIn, in a copy of the example repository that publishes to LinkedIn only (Berlin time).
 */
let fake: FakeLinkedIn;
let dir: string;
beforeEach(async () => {
  fake = new FakeLinkedIn();
  await fake.start();
  dir = exampleRepoCopy();
  rmSync(join(dir, 'content/posts'), { recursive: true });
  rmSync(join(dir, 'content/social'), { recursive: true });
  mkdirSync(join(dir, 'content/social'));
  configure({});
});
afterEach(async () => {
  await fake.stop();
});

const DUE = '2026-12-01T09:30';
const NOW = '2026-12-01T08:31:00Z'; // 09:31 in Berlin
const TEXT = 'Our winter appeal is open (until 31 December): https://example.org/posts/winter-appeal #community';

function configure(linkedin: { author?: string; version?: string; tokenExpires?: string }) {
  const text = readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8').replace(
    /^channels: .*$/m,
    'channels: [linkedin]',
  );
  const settings = { author: ORGANIZATION, version: '202511', tokenExpires: '2027-01-31', ...linkedin };
  writeFileSync(
    join(dir, 'postgate.config.yaml'),
    `${text}\nlinkedin:\n  author: ${settings.author}\n  version: "${settings.version}"\n  tokenExpires: ${settings.tokenExpires}\n`,
  );
}

function draft(name: string, body: string, front = '') {
  writeFileSync(
    join(dir, `content/social/${name}.md`),
    `---\npublishAt: ${DUE}\nchannels: [linkedin]\n${front}---\n${body}\n`,
  );
}

const env = (extra: Record<string, string> = {}) => ({
  LINKEDIN_API_URL: fake.url,
  LINKEDIN_ACCESS_TOKEN: fake.member.token,
  ...extra,
});
const publish = (extra: Record<string, string> = {}, now = NOW) =>
  runCliAsync(['publish', '--now', now], { cwd: dir, env: env(extra) });

interface Record_ {
  type: string;
  item: string;
  channel: string;
  remoteId: string;
  url: string;
  text?: string;
  error?: string;
}
const ledger = (): Record_[] => {
  const file = join(dir, 'content/ledger.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record_)
    : [];
};
const CREATE = /^POST \/rest\/posts$/;

describe('publish to LinkedIn', () => {
  it('posts as the page, with one image, links tagged and every character kept; once', async () => {
    writeFileSync(join(dir, 'content/social/appeal.png'), pngBytes(1200, 627, 500));
    draft(
      '2026-12-01-appeal',
      TEXT,
      'images:\n  - src: ./appeal.png\n    alt: Volunteers packing boxes of winter food\n',
    );
    const run = await publish();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fake.live).toHaveLength(1);
    const made = fake.live[0]!;
    expect(made.author).toBe(ORGANIZATION);
    // Kept whole: the fake cuts a commentary at its first bare reserved character.
    expect(made.commentary).toBe(made.received);
    expect(unescapeLittleText(made.commentary)).toBe(
      // The example config lists the page as the account riverside-linkedin: its links say so.
      'Our winter appeal is open (until 31 December): https://example.org/posts/winter-appeal?utm_source=linkedin&utm_medium=social&utm_campaign=social%2F2026-12-01-appeal&utm_content=riverside-linkedin #community',
    );
    expect(made.media).toEqual({ id: fake.images[0]!.urn, altText: 'Volunteers packing boxes of winter food' });
    expect(fake.images[0]!.owner).toBe(ORGANIZATION);
    const url = `https://www.linkedin.com/feed/update/${made.id}/`;
    expect(run.stdout).toContain(`linkedin social/2026-12-01-appeal  part 1/1  sent  ${url}`);
    expect(ledger().map((r) => [r.type, r.channel, r.remoteId, r.url])).toEqual([
      ['attempt', 'linkedin', '', ''],
      ['sent', 'linkedin', made.id, url],
    ]);

    const again = await publish({}, '2026-12-01T08:45:00Z');
    expect(again.status).toBe(0);
    expect(fake.creations()).toHaveLength(1);
  });

  it('posts as the person the token belongs to', async () => {
    configure({ author: 'person' });
    draft('2026-12-01-thanks', 'Thank you to the 40 volunteers who came on Saturday!');
    const run = await publish();
    expect(run.status).toBe(0);
    expect(fake.live.map((p) => p.author)).toEqual([fake.personUrn]);
    expect(fake.server.requests.filter((r) => r.path === '/v2/userinfo')).toHaveLength(1);
  });

  it('takes DUPLICATE_POST as the post sent: records the post LinkedIn names, with a warning', async () => {
    const text = 'The pantry opens on Tuesday at nine.';
    const earlier = fake.addPost(ORGANIZATION, escapeLittleText(text));
    draft('2026-12-01-pantry', text);
    const run = await publish();
    expect(run.status).toBe(0);
    expect(fake.live).toHaveLength(1);
    expect(run.stdout).toContain(
      `warning: LinkedIn answered that this text was posted already (DUPLICATE_POST, ${earlier.id})`,
    );
    expect(ledger().at(-1)).toMatchObject({ type: 'sent', remoteId: earlier.id, text });
  });

  it('after a lost answer, finds a page\u2019s post instead of posting it again', async () => {
    draft('2026-12-01-pantry', 'The pantry opens on Tuesday at nine.');
    fake.server.inject({ match: CREATE, hang: true, afterHandling: true });
    const run = await publish({ POSTGATE_TIMEOUT_MS: '1500' });
    expect(run.status).toBe(0);
    expect(fake.creations()).toHaveLength(1);
    expect(ledger().map((r) => r.type)).toEqual(['attempt', 'sent']);
    expect(ledger()[1]!.remoteId).toBe(fake.live[0]!.id);
  });

  it('after a lost answer for a person, holds the part and says exactly what to check; never resends', async () => {
    configure({ author: 'person' });
    draft('2026-12-01-thanks', 'Thank you to the 40 volunteers who came on Saturday!');
    fake.server.inject({ match: CREATE, hang: true, afterHandling: true });
    const summary = join(mkdtempSync(join(tmpdir(), 'postgate-summary-')), 'summary.md');
    const run = await publish({ POSTGATE_TIMEOUT_MS: '1500', GITHUB_STEP_SUMMARY: summary });
    const check =
      'open https://www.linkedin.com/in/me/recent-activity/all/ and look for a post starting «Thank you to the 40 volunteers who came on Saturday!»';
    expect(run.stdout).toContain(check);
    expect(run.stdout).toMatch(/^held +linkedin +social\/2026-12-01-thanks +part 1 may have gone out: /m);
    expect(readFileSync(summary, 'utf8')).toContain(check);
    expect(fake.live).toHaveLength(1);
    expect(ledger().map((r) => r.type)).toEqual(['attempt']);

    // The next run asks nothing of LinkedIn and sends nothing: it says the same again.
    const before = fake.server.requests.length;
    const next = await publish({}, '2026-12-01T08:45:00Z');
    expect(next.stdout).toContain(check);
    expect(fake.server.requests.slice(before).filter((r) => CREATE.test(`${r.method} ${r.path}`))).toHaveLength(0);
    expect(fake.live).toHaveLength(1);
  });

  it('confirm --found: a person says where the post is; it is recorded as sent, never sent again, and retract can delete it', async () => {
    configure({ author: 'person' });
    draft('2026-12-01-thanks', 'Thank you to the 40 volunteers who came on Saturday!');
    fake.server.inject({ match: CREATE, hang: true, afterHandling: true });
    const run = await publish({ POSTGATE_TIMEOUT_MS: '1500' });
    expect(run.stdout).toContain(
      'npm run postgate -- confirm social/2026-12-01-thanks --found <address> | --not-found',
    );
    const post = fake.live[0]!;
    const confirm = await runCliAsync(
      ['confirm', '2026-12-01-thanks', '--found', `https://www.linkedin.com/feed/update/${post.id}/`],
      { cwd: dir, env: { POSTGATE_NOW: '2026-12-01T09:00:00Z' } },
    );
    expect(confirm.stderr).toBe('');
    expect(confirm.status).toBe(0);
    expect(confirm.stdout).toContain(
      `Recorded: social/2026-12-01-thanks part 1 is live on linkedin at https://www.linkedin.com/feed/update/${post.id}/`,
    );
    expect(ledger().map((r) => r.type)).toEqual(['attempt', 'sent']);
    expect(ledger()[1]).toMatchObject({ remoteId: post.id, confirmedBy: 'a person, by hand' });

    const before = fake.server.requests.length;
    const next = await publish({}, '2026-12-01T08:45:00Z');
    expect(next.status).toBe(0);
    expect(next.stdout).not.toContain('may have gone out');
    expect(fake.server.requests.length).toBe(before);
    const queue = await runCliAsync(['queue', '--now', '2026-12-01T08:45:00Z'], { cwd: dir });
    expect(queue.stdout).toMatch(/^published .* social\/2026-12-01-thanks$/m);

    expect((await runCliAsync(['retract', 'social/2026-12-01-thanks'], { cwd: dir, env: env() })).status).toBe(0);
    expect(fake.live).toHaveLength(0);
  });

  it('confirm --not-found: the next run sends it; asking again finds nothing waiting (exit 2)', async () => {
    configure({ author: 'person' });
    draft('2026-12-01-thanks', 'Thank you to the 40 volunteers who came on Saturday!');
    fake.server.inject({ match: CREATE, hang: true });
    await publish({ POSTGATE_TIMEOUT_MS: '1500' });
    expect(fake.live).toHaveLength(0);
    const confirm = await runCliAsync(['confirm', 'social/2026-12-01-thanks', '--not-found'], {
      cwd: dir,
      env: { GITHUB_TRIGGERING_ACTOR: 'owner' },
    });
    expect(confirm.status).toBe(0);
    expect(ledger().at(-1)).toMatchObject({ type: 'failed', failure: 'not-found' });
    expect(ledger().at(-1)!.error).toContain('@owner looked and did not find it');

    const next = await publish({}, '2026-12-01T08:45:00Z');
    expect(next.status).toBe(0);
    expect(fake.live).toHaveLength(1);
    expect(ledger().map((r) => r.type)).toEqual(['attempt', 'failed', 'attempt', 'sent']);

    const again = await runCliAsync(['confirm', 'social/2026-12-01-thanks', '--not-found'], { cwd: dir });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('nothing is waiting for a person to look');
    expect(ledger()).toHaveLength(4);
  });

  it('retract deletes the post and records it', async () => {
    draft('2026-12-01-pantry', 'The pantry opens on Tuesday at nine.');
    expect((await publish()).status).toBe(0);
    const run = await runCliAsync(['retract', 'social/2026-12-01-pantry'], { cwd: dir, env: env() });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('retracted 1 post');
    expect(fake.live).toHaveLength(0);
    expect(ledger().at(-1)).toMatchObject({ type: 'retracted', channel: 'linkedin' });
  });

  it('refuses an expired token before any request, with the re-authorize steps', async () => {
    configure({ tokenExpires: '2026-11-30' });
    draft('2026-12-01-pantry', 'The pantry opens on Tuesday at nine.');
    const run = await publish();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "LinkedIn's access token expired on 2026-11-30 (linkedin.tokenExpires): nothing is sent to LinkedIn until it is renewed; re-authorize: ",
    );
    expect(run.stdout).toContain('https://www.linkedin.com/developers/tools/oauth/token-generator');
    expect(run.stdout).toMatch(/^FAILED +linkedin +social\/2026-12-01-pantry +LinkedIn's access token expired/m);
    expect(fake.server.requests).toHaveLength(0);
    expect(ledger()).toEqual([]);
  });

  it('warns in the run and its summary when the token expires within 14 days', async () => {
    configure({ tokenExpires: '2026-12-08' });
    draft('2026-12-01-pantry', 'The pantry opens on Tuesday at nine.');
    const summary = join(mkdtempSync(join(tmpdir(), 'postgate-summary-')), 'summary.md');
    const run = await publish({ GITHUB_STEP_SUMMARY: summary });
    expect(run.status).toBe(0);
    const warning = "Warning: LinkedIn's access token expires in 7 days (2026-12-08, linkedin.tokenExpires)";
    expect(run.stdout).toContain(warning);
    expect(readFileSync(summary, 'utf8')).toContain(warning);
  });

  it('a retired API version: says which setting to change, and sends nothing', async () => {
    configure({ version: '202301' });
    draft('2026-12-01-pantry', 'The pantry opens on Tuesday at nine.');
    const run = await publish();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('LinkedIn no longer serves API version 202301');
    expect(run.stdout).toContain('set linkedin.version in postgate.config.yaml');
    expect(fake.live).toHaveLength(0);
    expect(ledger().at(-1)).toMatchObject({ type: 'failed' });
  });
});

describe('check with LinkedIn', () => {
  it('refuses a thread for LinkedIn and says how to give it one text', async () => {
    draft('2026-12-01-thread', 'Part one.\n\n---\n\nPart two.');
    const run = await runCliAsync(['check'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'content/social/2026-12-01-thread.md:9:1: error: LinkedIn has no threads: an item goes there as one post, and this one has 2 parts; give LinkedIn its own single text with linkedin: { text: ... }, or take linkedin out of channels',
    );
  });

  it('counts the text as LinkedIn receives it, escaped', async () => {
    draft('2026-12-01-long', `${'a'.repeat(2991)} (#1_)`);
    const run = await runCliAsync(['check'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'error: the post is too long for LinkedIn: 3001 characters as sent (escaped), the limit is 3000 (counted as LinkedIn receives it',
    );
  });
});
