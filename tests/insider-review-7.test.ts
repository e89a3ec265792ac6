import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadChannel } from '../src/channels/from-env.ts';
import { accountEnv, accountsOf, targetAccounts } from '../src/core/accounts.ts';
import { summarizeLedger, type LedgerRecord } from '../src/core/ledger.ts';
import { planPublish } from '../src/core/plan.ts';
import { configSchema } from '../src/core/config-schema.ts';
import { dashboardMarkdown } from '../src/core/dashboard.ts';
import { accountTokenNotices } from '../src/core/linkedin-token.ts';
import { linkedinTokenFindings } from '../src/core/repo-settings/findings-linkedin.ts';
import type { FakeBluesky } from './fakes/fake-bluesky.ts';
import type { FakeGitHub } from './fakes/fake-github.ts';
import { type AliceWorld, startAliceWorld } from './helpers/accounts.ts';
import { runCliAsync } from './helpers/cli.ts';

/**
 * Insider review 7: accounts (README: Accounts), attacked as a staff writer or agency with push
 * access, as Alice herself, or as an outside contributor. Each test is an attack: one that is
 * stopped pins the defence; one that worked is fixed, and the test pins the fix (the weakness and
 * the file are named beside it).
 */
const site = { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin' };
const issues = (accounts: unknown[]) => {
  const r = configSchema.safeParse({ site, accounts });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const aliceEntry = {
  id: 'alice-bluesky',
  network: 'bluesky',
  owner: 'alice',
  credentials: { BLUESKY_HANDLE: 'BLUESKY_HANDLE_ALICE', BLUESKY_APP_PASSWORD: 'BLUESKY_APP_PASSWORD_ALICE' },
};

describe('the config cannot make a second way onto Alice’s account', () => {
  it('ATTACK (worked, fixed): an organisation entry with her password and its own server variable', () => {
    // The "same variables" check compared every variable, the server's address included: an entry
    // { owner: org, BLUESKY_APP_PASSWORD_ALICE, BLUESKY_SERVICE: BLUESKY_SERVICE_X } passed, and
    // posted on Alice's account as the organisation's (no consent of hers), twice, or sent her
    // password to another server. Fix: src/core/accounts.ts compares the secrets alone.
    const sneaky = {
      id: 'brand-news',
      network: 'bluesky',
      owner: 'org',
      credentials: { ...aliceEntry.credentials, BLUESKY_SERVICE: 'BLUESKY_SERVICE_X' },
    };
    expect(issues([aliceEntry, sneaky])).toContainEqual(
      expect.stringMatching(
        /^accounts\.1\.credentials: account brand-news uses the same variables as alice-bluesky \(BLUESKY_APP_PASSWORD_ALICE\)/,
      ),
    );
    // Only the password shared, the handle its own: still one account.
    const half = {
      ...sneaky,
      credentials: { BLUESKY_HANDLE: 'BLUESKY_HANDLE_X', BLUESKY_APP_PASSWORD: 'BLUESKY_APP_PASSWORD_ALICE' },
    };
    expect(issues([aliceEntry, half]).join('\n')).toContain('uses the same variables as alice-bluesky');
  });

  it("ATTACK (worked, fixed): a person's account reading the organisation's unsuffixed token, on a server of its own", () => {
    // owner: alice with MASTODON_TOKEN (the organisation's) and MASTODON_URL: MASTODON_URL_ALICE:
    // the organisation's token went to whatever address Alice's variable holds. Fix: src/core/accounts.ts.
    const grab = {
      id: 'alice-mastodon',
      network: 'mastodon',
      owner: 'alice',
      credentials: { MASTODON_URL: 'MASTODON_URL_ALICE', MASTODON_TOKEN: 'MASTODON_TOKEN' },
    };
    expect(issues([grab])).toContainEqual(
      expect.stringMatching(
        /^accounts\.0\.credentials: alice-mastodon is alice's own account but reads MASTODON_TOKEN, the organisation's/,
      ),
    );
    expect(
      issues([
        { ...grab, credentials: { MASTODON_URL: 'MASTODON_URL_ALICE', MASTODON_TOKEN: 'MASTODON_TOKEN_ALICE' } },
      ]),
    ).toEqual([]);
  });

  it("stopped: a secret read into a slot that is shown (a handle, a server's address) to print it", () => {
    // The handle and the server's address are not redacted; a variable's name must start with the
    // standard name it stands for, so another slot's secret cannot be read into them.
    const leak = {
      ...aliceEntry,
      credentials: { ...aliceEntry.credentials, BLUESKY_HANDLE: 'BLUESKY_APP_PASSWORD_ALICE' },
    };
    expect(issues([leak]).join('\n')).toContain('expected the variable for BLUESKY_HANDLE to be named');
    const url = { ...aliceEntry, credentials: { ...aliceEntry.credentials, BLUESKY_SERVICE: 'BLUESKY_APP_PASSWORD' } };
    expect(issues([url]).join('\n')).toContain('expected the variable for BLUESKY_SERVICE to be named');
  });

  it('stopped: ids that are a network, upper case, Unicode look-alikes or carry a query', () => {
    for (const id of ['bluesky', 'Alice-Bluesky', 'аlice-bluesky', 'alice&utm_source=x', 'alice bluesky', 'alice-'])
      expect(issues([{ ...aliceEntry, id }]).join('\n'), id).toMatch(/accounts\.0\.id/);
    // Two entries for one id, even with different credentials.
    const other = {
      ...aliceEntry,
      credentials: { BLUESKY_HANDLE: 'BLUESKY_HANDLE_B', BLUESKY_APP_PASSWORD: 'BLUESKY_APP_PASSWORD_B' },
    };
    expect(issues([aliceEntry, other]).join('\n')).toContain('is the id of account 1 already');
  });

  it("stopped: a person's server variable at http:// elsewhere never gets her password", async () => {
    const entry = {
      ...aliceEntry,
      credentials: { ...aliceEntry.credentials, BLUESKY_SERVICE: 'BLUESKY_SERVICE_ALICE' },
    };
    const [alice] = accountsOf({ channels: [], accounts: configSchema.parse({ site, accounts: [entry] }).accounts });
    const env = {
      BLUESKY_SERVICE: 'https://bsky.social',
      BLUESKY_SERVICE_ALICE: 'http://attacker.example',
      BLUESKY_HANDLE_ALICE: 'alice.bsky.social',
      BLUESKY_APP_PASSWORD_ALICE: 'alice-secret',
    };
    const channel = await loadChannel('bluesky', accountEnv(env, alice!));
    expect(channel.ok).toBe(false);
    expect(JSON.stringify(channel)).toContain('BLUESKY_SERVICE (http:// is accepted only for this machine');
  });
});

describe('the ledger key of an account', () => {
  const NOW = Date.UTC(2026, 11, 1, 12, 0);
  const brand = (id: string) => ({
    id,
    network: 'bluesky',
    owner: 'org',
    credentials: { BLUESKY_HANDLE: 'BLUESKY_HANDLE_NEWS', BLUESKY_APP_PASSWORD: 'BLUESKY_APP_PASSWORD_NEWS' },
  });
  const plan = (id: string, records: LedgerRecord[]) => {
    const accounts = accountsOf(configSchema.parse({ site, accounts: [brand(id)] }));
    const item = {
      ...{ id: 'social/launch', kind: 'social' as const, file: 'content/social/launch.md', draft: false },
      ...{ publishAt: NOW - 60_000, staleAfterMs: 6 * 3600_000, channels: ['bluesky' as const], overrides: {} },
      ...{ parts: [{ text: 'Read https://example.org/posts/launch/', at: { line: 3, col: 1 } }], images: [] },
      accounts: targetAccounts(undefined, ['bluesky'], accounts),
    };
    const input = { items: [item], ledger: summarizeLedger(records), now: NOW, crisis: null, invalid: new Map() };
    return planPublish({
      ...input,
      compose: { siteUrl: 'https://example.org', utm: true },
      enabled: ['blog', 'bluesky'],
      accountKeys: new Set(accounts.map((a) => a.key)),
    });
  };
  const sent: LedgerRecord = {
    ...{ v: 1, type: 'sent', item: 'social/launch', channel: 'bluesky', account: 'brand-news', part: 0, parts: 1 },
    ...{ remoteId: 'at://1', url: 'https://bsky.app/1', at: new Date(NOW - 30_000).toISOString(), hash: 'h' },
  };

  it('stopped: a record without account and one with the network as account are one key; no id but the standard one is the network', () => {
    expect(plan('brand-news', [sent]).actions).toEqual([]);
    expect(issues([{ ...brand('bluesky') }]).join('\n')).toContain("is a channel's name");
  });

  it('ATTACK (worked, fixed): renaming an id sent everything within staleAfter again', () => {
    // Its records are under its id and its links carry utm_content=<id>: the renamed account had no
    // record, so the plan sent it again. Fix: src/core/plan.ts holds an item on a network where it went
    // out under a key no account has any more (publish and queue pass the config's keys).
    const renamed = plan('brand-bulletin', [sent]);
    expect(renamed.actions).toEqual([]);
    expect(renamed.held.map((h) => h.reason)).toEqual([
      expect.stringContaining('it went out on brand-news, which is no longer an account'),
    ]);
    expect(plan('brand-news', [sent]).held).toEqual([]);
  });
});

describe("each LinkedIn account's token, on its own day", () => {
  const NOW = Date.UTC(2027, 0, 10, 9, 0);
  const config = configSchema.parse({
    site,
    channels: ['blog', 'linkedin'],
    linkedin: { author: 'urn:li:organization:2414183', version: '202511', tokenExpires: '2027-03-01' },
    accounts: [
      {
        id: 'alice-linkedin',
        network: 'linkedin',
        owner: 'alice',
        credentials: { LINKEDIN_ACCESS_TOKEN: 'LINKEDIN_ACCESS_TOKEN_ALICE' },
        linkedin: { author: 'person', tokenExpires: '2027-01-15' },
      },
    ],
  });

  it("warns of Alice's token by her id and variable, in the run's notes and in doctor; the organisation's is still good", () => {
    const lines = accountTokenNotices(config, NOW, site.timeZone);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^alice-linkedin's LinkedIn access token \(LINKEDIN_ACCESS_TOKEN_ALICE\) expires in 5 days/,
    );
    expect(lines[0]).toContain('gh secret set LINKEDIN_ACCESS_TOKEN_ALICE --env publish');
    expect(lines[0]).toContain('linkedin.tokenExpires of alice-linkedin in accounts:');
    const findings = linkedinTokenFindings(config, NOW, site.timeZone);
    expect(findings.map((f) => f.severity).sort()).toEqual(['ok', 'warning']);
    expect(findings.find((f) => f.severity === 'ok')?.message).toMatch(
      /^LinkedIn's access token is good until 2027-03-01/,
    );
    // Without accounts: the organisation's line, as before.
    const { accounts: _, ...plain } = config;
    expect(accountTokenNotices(plain, Date.UTC(2027, 1, 20), site.timeZone)[0]).toMatch(
      /^LinkedIn's access token expires in/,
    );
  });
});

describe('missing credentials, per account', () => {
  it("the dashboard names Alice's account and her own variables, and the organisation's line is as before", () => {
    const body = dashboardMarkdown({
      ...{ now: Date.UTC(2026, 11, 1), zone: 'UTC', crisis: null, held: [], results: [], items: [] },
      ...{ verdicts: new Map(), enabled: ['blog', 'bluesky'], records: [], runUrl: null },
      linkHosts: { blog: ['example.org'], bluesky: ['bsky.app'] },
      missingCredentials: [
        { channel: 'bluesky', account: 'alice-bluesky', variables: ['BLUESKY_APP_PASSWORD_ALICE'] },
        { channel: 'bluesky', variables: ['BLUESKY_HANDLE'] },
      ],
    });
    expect(body).toContain(
      '**Credentials missing** for Bluesky (`alice-bluesky`): `BLUESKY_APP_PASSWORD_ALICE` not set in the publish environment',
    );
    expect(body).toContain('**Credentials missing** for Bluesky: `BLUESKY_HANDLE` not set');
  });
});

/** Alice's own pull request, in GitHub mode (as tests/accounts-gates.test.ts). */
let alice: FakeBluesky;
let gh: FakeGitHub;
let dir: string;
const ITEM = 'content/social/2026-12-03-alice.md';
const item = (text: string) => `---\npublishAt: 2026-12-03T10:55\nas: [alice-bluesky]\n---\n${text}\n`;

let w: AliceWorld;
beforeEach(async () => {
  w = await startAliceWorld();
  ({ alice, gh, dir } = w);
});
afterEach(() => w.stop());
const publish = () => runCliAsync(['publish', '--now', '2026-12-03T10:00:00Z'], { cwd: dir, env: w.env });

describe("Alice's consent by her own pull request", () => {
  it('ATTACK (worked, fixed): the agency pushes a commit naming Alice as author and committer to her branch', async () => {
    // Commit names are whatever the pusher types (GIT_AUTHOR_EMAIL, GIT_COMMITTER_EMAIL): "opened
    // by her and every commit hers" was true of the agency's words too, and they went out as Alice
    // with only the organisation's approval. Fix: src/github/approvers.ts + approvals.ts count her
    // own pull request only when every commit in it is signed and verified by GitHub.
    const words = 'We are proud of our volunteers: https://example.org/volunteer/';
    const theirs = 'I now endorse Brand X, buy it today: https://example.org/volunteer/';
    gh.commit({ branch: 'c', files: { [ITEM]: item(words) }, author: 'alice', signed: true });
    const pr = gh.openPullRequest({ author: 'alice', branch: 'c', title: 'My post' });
    gh.commit({ branch: 'c', files: { [ITEM]: item(theirs) }, author: 'alice' }); // the agency's push, unsigned
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr, { by: 'amira' });
    writeFileSync(join(dir, ITEM), item(theirs));
    const r = await publish();
    expect(alice.livePosts).toHaveLength(0);
    expect(r.stdout).toContain('signed and verified');

    // Her review of those bytes is her consent, signed or not.
    gh.review(pr, { user: 'alice', state: 'APPROVED' });
    expect((await publish()).status).toBe(0);
    expect(alice.livePosts).toHaveLength(1);
  }, 60_000);

  it('stopped: a commit that claims GitHub (web-flow) as committer, by someone else, is not hers', async () => {
    gh.commit({
      branch: 'w',
      files: { [ITEM]: item('Mine: https://example.org/volunteer/') },
      author: 'alice',
      signed: true,
    });
    const pr = gh.openPullRequest({ author: 'alice', branch: 'w', title: 'Mine' });
    gh.commit({
      branch: 'w',
      files: { [ITEM]: item('Not mine: https://example.org/volunteer/') },
      author: 'bob',
      committer: 'web-flow',
    });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr, { by: 'amira' });
    writeFileSync(join(dir, ITEM), item('Not mine: https://example.org/volunteer/'));
    const r = await publish();
    expect(alice.livePosts).toHaveLength(0);
    expect(r.stdout).toContain("needs @alice's approval");
  }, 60_000);

  it('stopped: her approval, then a force-push back to words she had not approved', async () => {
    const first = gh.commit({
      branch: 'f',
      files: { [ITEM]: item('Draft: https://example.org/volunteer/') },
      author: 'bob',
    });
    const pr = gh.openPullRequest({ author: 'bob', branch: 'f', title: 'For Alice' });
    gh.commit({ branch: 'f', files: { [ITEM]: item('Final: https://example.org/volunteer/') }, author: 'bob' });
    gh.review(pr, { user: 'alice', state: 'APPROVED' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.forcePush('f', first);
    gh.merge(pr, { by: 'bob' });
    writeFileSync(join(dir, ITEM), item('Draft: https://example.org/volunteer/'));
    await publish();
    expect(alice.livePosts).toHaveLength(0);
  }, 60_000);
});
