import { describe, expect, it } from 'vitest';
import { type Account, accountEnv, accountsOf, secretNamesOf, targetAccounts } from './accounts.ts';
import { configSchema } from './config-schema.ts';
import { summarizeLedger, type LedgerRecord } from './ledger.ts';
import { planPublish, type PublishAction } from './plan.ts';
import { dashboardMarkdown } from './dashboard.ts';
import { approvalKey } from './item-state.ts';
import { channelBlock } from './preview-channel.ts';
import { checkLengths } from './check-items.ts';
import type { SocialItem } from './item.ts';

const site = { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin' };
const NOW = Date.UTC(2026, 11, 1, 12, 0);
const alice = {
  id: 'alice-bluesky',
  network: 'bluesky',
  owner: 'alice',
  credentials: { BLUESKY_HANDLE: 'BLUESKY_HANDLE_ALICE', BLUESKY_APP_PASSWORD: 'BLUESKY_APP_PASSWORD_ALICE' },
};
const brand = { id: 'brand-bluesky', network: 'bluesky', owner: 'org' };

/** A due Bluesky draft; with `accounts`, going out on those. */
function launch(text: string, accounts?: Account[]): SocialItem {
  return {
    id: 'social/launch',
    kind: 'social',
    file: 'content/social/launch.md',
    publishAt: NOW - 60_000,
    draft: false,
    staleAfterMs: null,
    channels: ['bluesky'],
    parts: [{ text, at: { line: 3, col: 1 } }],
    overrides: {},
    images: [],
    ...(accounts ? { accounts } : {}),
  };
}

const parse = (accounts: unknown[]) => configSchema.safeParse({ site, accounts });
const issues = (accounts: unknown[]) =>
  (parse(accounts).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('accounts: in the config', () => {
  it('without it, one organisation account per enabled network, keyed and named as before', () => {
    const accounts = accountsOf(configSchema.parse({ site }));
    expect(accounts.map((a) => [a.id, a.key, a.owner, a.declared])).toEqual([
      ['x', 'x', 'org', false],
      ['mastodon', 'mastodon', 'org', false],
      ['bluesky', 'bluesky', 'org', false],
    ]);
    expect(accounts[2]!.credentials).toMatchObject({ BLUESKY_APP_PASSWORD: 'BLUESKY_APP_PASSWORD' });
  });

  it('keeps the network id as the ledger key of the organisation account with the standard names, whatever its id', () => {
    const accounts = accountsOf(parse([brand, alice]).data!);
    expect(accounts.map((a) => [a.id, a.key])).toEqual([
      ['brand-bluesky', 'bluesky'],
      ['alice-bluesky', 'alice-bluesky'],
      ['x', 'x'],
      ['mastodon', 'mastodon'],
    ]);
  });

  it('refuses a repeated id, a missing credential, a non-standard name and a network name as id', () => {
    expect(issues([alice, alice])).toContainEqual(
      expect.stringMatching(/^accounts\.1\.id: "alice-bluesky" is the id of account 1/),
    );
    expect(issues([{ ...alice, id: 'alice-2', credentials: { BLUESKY_HANDLE: 'BLUESKY_HANDLE_A2' } }])).toContainEqual(
      "accounts.0.credentials: Bluesky needs BLUESKY_APP_PASSWORD: add BLUESKY_APP_PASSWORD: BLUESKY_APP_PASSWORD_<SUFFIX> to alice-2's credentials",
    );
    expect(
      issues([{ ...alice, credentials: { ...alice.credentials, BLUESKY_APP_PASSWORD: 'ALICE_PW' } }]),
    ).toContainEqual(
      expect.stringMatching(
        /^accounts\.0\.credentials\.BLUESKY_APP_PASSWORD: expected the variable for BLUESKY_APP_PASSWORD to be named/,
      ),
    );
    expect(issues([{ ...alice, credentials: { ...alice.credentials, X_API_KEY: 'X_API_KEY_A' } }])).toContainEqual(
      expect.stringMatching(/^accounts\.0\.credentials\.X_API_KEY: X_API_KEY is not a Bluesky credential/),
    );
    expect(issues([{ ...alice, id: 'bluesky' }])).toContainEqual(
      expect.stringMatching(/^accounts\.0\.id: "bluesky" is a channel's name/),
    );
    expect(issues([{ id: 'bob-x', network: 'x', owner: 'bob' }])).toContainEqual(
      expect.stringMatching(/^accounts\.0\.credentials: bob-x is bob's own account: name the variables/),
    );
    expect(issues([brand, { ...brand, id: 'brand-2' }])).toContainEqual(
      expect.stringMatching(/^accounts\.1\.credentials: account brand-2 uses the same variables as brand-bluesky/),
    );
    expect(issues([brand, alice])).toEqual([]);
  });

  it('builds each account an environment of its own under the standard names, and knows its secrets', () => {
    const [, mine] = accountsOf(parse([brand, alice]).data!);
    const env = {
      BLUESKY_HANDLE: 'brand.example',
      BLUESKY_HANDLE_ALICE: 'alice.example',
      BLUESKY_APP_PASSWORD_ALICE: 'pw',
    };
    expect(accountEnv(env, mine!)).toMatchObject({ BLUESKY_HANDLE: 'alice.example', BLUESKY_APP_PASSWORD: 'pw' });
    expect(secretNamesOf([mine!])).toEqual(['BLUESKY_APP_PASSWORD_ALICE']);
  });
});

describe('the plan, per account', () => {
  const config = parse([brand, alice]).data!;
  const accounts = accountsOf(config);
  const item = (as?: string[]) =>
    launch('Read https://example.org/posts/launch/', targetAccounts(as, ['bluesky'], accounts));
  const plan = (records: LedgerRecord[], as?: string[]) =>
    planPublish({
      items: [item(as)],
      ledger: summarizeLedger(records),
      now: NOW,
      crisis: null,
      invalid: new Map(),
      compose: { siteUrl: 'https://example.org', utm: true },
      enabled: ['blog', 'bluesky'],
    }).actions as Extract<PublishAction, { kind: 'send' }>[];

  it('sends to each account, tagging utm_content only for accounts listed in accounts:', () => {
    const actions = plan([], ['brand-bluesky', 'alice-bluesky']);
    expect(actions.map((a) => [a.account.key, a.parts[0]!.text])).toEqual([
      [
        'bluesky',
        'Read https://example.org/posts/launch/?utm_source=bluesky&utm_medium=social&utm_campaign=social%2Flaunch&utm_content=brand-bluesky',
      ],
      [
        'alice-bluesky',
        'Read https://example.org/posts/launch/?utm_source=bluesky&utm_medium=social&utm_campaign=social%2Flaunch&utm_content=alice-bluesky',
      ],
    ]);
    // Two accounts never share an idempotency key.
    expect(actions[0]!.parts[0]!.key).not.toBe(actions[1]!.parts[0]!.key);
  });

  it('never resends what the organisation account sent before accounts: named it (records without account)', () => {
    const sent: LedgerRecord = {
      v: 1,
      type: 'sent',
      item: 'social/launch',
      channel: 'bluesky',
      part: 0,
      parts: 1,
      remoteId: 'at://1',
      url: 'https://bsky.app/1',
      at: new Date(NOW - 30_000).toISOString(),
      hash: 'h',
    };
    expect(plan([sent], ['brand-bluesky', 'alice-bluesky']).map((a) => a.account.id)).toEqual(['alice-bluesky']);
    expect(plan([sent]).map((a) => a.account.id)).toEqual([]);
    // And what alice's account sent is hers alone.
    const hers = { ...sent, account: 'alice-bluesky' };
    expect(plan([hers], ['brand-bluesky', 'alice-bluesky']).map((a) => a.account.id)).toEqual(['brand-bluesky']);
  });
});

describe('the preview, per account', () => {
  it("shows each account's own text, named, and says a person's account waits for them", () => {
    const config = parse([brand, alice]).data!;
    const [org, hers] = accountsOf(config);
    const item = launch('Read https://example.org/posts/launch/');
    const ctx = { siteUrl: 'https://example.org', utm: true, posts: new Map() };
    const mine = channelBlock(item, 'bluesky', ctx, hers);
    expect(mine).toContain('<summary>Bluesky as alice-bluesky · 1 post');
    expect(mine).toContain('utm_content=alice-bluesky');
    expect(mine).toContain("@alice's own account: it goes out only once @alice approves these words too.");
    const theirs = channelBlock(item, 'bluesky', ctx, org);
    expect(theirs).toContain('utm_content=brand-bluesky');
    expect(theirs).not.toContain('own account');
    // An implicit account's block is what it was before accounts.
    expect(channelBlock(item, 'bluesky', ctx, accountsOf({ channels: ['bluesky'] })[0])).toBe(
      channelBlock(item, 'bluesky', ctx),
    );
  });
});

describe('check, per account', () => {
  it("measures a network's text with the longest utm_content of its accounts", () => {
    const accounts = accountsOf(parse([alice]).data!);
    // 300 graphemes with the link tagged for the implicit organisation account; Alice's adds utm_content.
    const link = 'https://example.org/posts/launch/';
    const tagged = `${link}?utm_source=bluesky&utm_medium=social&utm_campaign=social%2Flaunch`;
    const text = `${'a'.repeat(300 - tagged.length - 1)} ${link}`;
    const item = (as: string[]) => launch(text, targetAccounts(as, ['bluesky'], accounts));
    const options = { siteUrl: 'https://example.org', utm: true };
    expect(checkLengths(item(['bluesky']), options)).toEqual([]);
    expect(checkLengths(item(['bluesky', 'alice-bluesky']), options).map((p) => p.message)).toEqual([
      expect.stringMatching(/326 graphemes, the limit is 300/),
    ]);
  });
});

describe("the plan, when a person's account waits for them", () => {
  it('sends the other accounts, and holds the item once only hers is left, saying for whom', () => {
    const accounts = accountsOf(parse([alice]).data!);
    const item = launch('Hello', targetAccounts(['bluesky', 'alice-bluesky'], ['bluesky'], accounts));
    const approvals = new Map([
      [approvalKey(item), { ok: true as const, held: { 'alice-bluesky': "needs @alice's approval" } }],
    ]);
    const plan = (records: LedgerRecord[]) =>
      planPublish({
        items: [item],
        ledger: summarizeLedger(records),
        now: NOW,
        crisis: null,
        invalid: new Map(),
        approvals,
        compose: { siteUrl: 'https://example.org', utm: true },
        enabled: ['blog', 'bluesky'],
      });
    const first = plan([]);
    expect(first.actions.map((a) => (a.kind === 'send' ? a.account.id : a.kind))).toEqual(['bluesky']);
    expect(first.held.map((h) => h.account.id)).toEqual(['alice-bluesky']);
    expect(first.verdicts.get(item.id)?.state).toBe('due');
    const sent: LedgerRecord = {
      ...{ v: 1, type: 'sent', item: item.id, channel: 'bluesky', part: 0, parts: 1 },
      ...{ remoteId: 'at://1', url: 'https://bsky.app/1', at: new Date(NOW).toISOString(), hash: 'h' },
    };
    const after = plan([sent]);
    expect(after.actions).toEqual([]);
    expect(after.verdicts.get(item.id)).toMatchObject({
      state: 'held',
      reason: "alice-bluesky: needs @alice's approval",
    });
  });
});

describe('the dashboard, per account', () => {
  it('names the account of what needs attention and of what went out', () => {
    const body = dashboardMarkdown({
      now: NOW,
      zone: 'UTC',
      crisis: null,
      held: [],
      results: [
        { item: 'social/a', channel: 'bluesky', account: 'alice-bluesky', outcome: 'held', message: 'needs @alice' },
      ],
      missingCredentials: [],
      items: [],
      verdicts: new Map(),
      enabled: ['bluesky'],
      records: [
        {
          ...{ type: 'sent', item: 'social/b', channel: 'bluesky', account: 'alice-bluesky', part: 0, parts: 1 },
          ...{ url: 'https://bsky.app/profile/alice/post/1', at: new Date(NOW - 60_000).toISOString() },
        },
      ],
      linkHosts: { bluesky: ['bsky.app'] },
      runUrl: null,
    });
    // Mentions are defused in the issue (@&#8203;), as every line of it is.
    expect(body).toContain('**Held** `social/a` on Bluesky (`alice-bluesky`): needs @&#8203;alice');
    expect(body).toContain('`social/b` on [Bluesky \\(alice-bluesky\\)](https://bsky.app/profile/alice/post/1)');
  });
});
