import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMastodon } from './fakes/fake-mastodon.ts';
import { FakePlausible } from './fakes/fake-plausible.ts';
import { ALICE_MASTODON, withAccounts } from './helpers/accounts.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { startNetworks, type Networks } from './helpers/networks.ts';
import { REPORT_NOW, startReportWorld, THANKS, THREAD, type ReportWorld } from './helpers/report-world.ts';

/**
 * `report` as a user runs it: the example content, published to the fake networks, its visitors
 * in a fake Plausible. The world is built once (two publish runs); each test only reads it.
 */
let w: ReportWorld;
beforeAll(async () => {
  w = await startReportWorld();
}, 60_000);
afterAll(async () => {
  await w.stop();
});

describe('postgate report', () => {
  it('prints the tables for the last complete week: visitors per network, per week, per post', async () => {
    const run = await w.report([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^Outcomes 2026-11-30 to 2026-12-06 \(Europe\/Berlin\), visitors from Plausible/);
    expect(out).toMatch(/BY NETWORK[\s\S]*Mastodon\s+2\s+12\s/);
    expect(out).toMatch(/BY WEEK \(visitors\)\n.*\n.*2026-W49\s+2026-11-30 to 2026-12-06\s+5\s+12\s+7\s+24/);
    expect(out).toContain(THANKS);
    expect(out).toContain(THREAD);
    expect(out).not.toContain('newsletter');
    // Engagement second: Mastodon's four statuses (the thanks and the three-part thread), Bluesky's
    // first post; X not asked (it bills each read), with the number of reads it would take.
    expect(out).toMatch(/Mastodon\s+2\s+12\s.*4 replies, 8 reposts, 12 likes/);
    expect(out).toMatch(/Bluesky\s+2\s+7\s.*0 replies, 0 reposts, 4 likes, 1 quote/);
    expect(out).toMatch(/X\s+2\s+5\s.*–$/m);
    expect(out).toMatch(/This report would read 5 posts; analytics.xMetrics: true turns it on/);
    expect(w.networks.x.postsRead).toBe(0);
    for (const secret of [...w.networks.secrets, w.plausible.key]) expect(out).not.toContain(secret);
  });

  it('gives the same numbers as JSON and as Markdown with its chart', async () => {
    const json = JSON.parse((await w.report(['--format', 'json'])).stdout);
    expect(json.since).toBe('2026-11-30');
    const thanks = json.items.find((i: { item: string }) => i.item === THANKS);
    expect(thanks).toMatchObject({ visitors: 17, partial: false, conversions: { Signup: 2 } });
    const md = (await w.report(['--format', 'markdown', '--since', '2026-12-01', '--until', '2026-12-03'])).stdout;
    expect(md).toContain('```mermaid');
    expect(md).toContain('xychart-beta');
  });

  it('still prints the report when the tool refuses the key, names what is missing, and exits 1 only with --strict', async () => {
    const bad = { PLAUSIBLE_API_KEY: 'not-the-key-0000' };
    const run = await w.report([], bad);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/MISSING[\s\S]*Plausible, week 2026-W49: .*(key|401)/i);
    expect(run.stdout).toMatch(/Mastodon\s+2\s+\?/);
    const strict = await w.report(['--strict'], bad);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('MISSING');
    expect(strict.stderr).toMatch(/missing Plausible, week 2026-W49/);
    expect(strict.stderr + strict.stdout).not.toContain('not-the-key-0000');
  });

  it('names a tool that is down, and one not set up', async () => {
    const down = await w.report([], { PLAUSIBLE_URL: 'http://127.0.0.1:9' });
    expect(down.status).toBe(0);
    expect(down.stdout).toMatch(/MISSING[\s\S]*Plausible, week 2026-W49: /);
    const unset = await w.report(['--strict'], { PLAUSIBLE_API_KEY: '' });
    expect(unset.status).toBe(1);
    expect(unset.stdout).toMatch(/MISSING[\s\S]*visitors from the site: PLAUSIBLE_API_KEY is not set/);
  });

  it('refuses plain http to another machine, a bad day and a bad format before asking anything', async () => {
    const asked = w.plausible.server.requests.length;
    const insecure = await w.report([], { PLAUSIBLE_URL: 'http://stats.example' });
    expect(insecure.status).toBe(2);
    expect(insecure.stderr).toMatch(/PLAUSIBLE_URL is http:\/\/stats\.example: http:\/\/ would send credentials/);
    expect((await w.report(['--since', '2026-13-01'])).stderr).toMatch(/--since expects a day written YYYY-MM-DD/);
    expect((await w.report(['--format', 'csv'])).stderr).toMatch(/--format expects one of text, markdown, json/);
    expect(w.plausible.server.requests).toHaveLength(asked);
  });
});

describe("the README's sample report", () => {
  it('is the pinned month, its tables and chart as report renders them', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const fixture = readFileSync(join(REPO_ROOT, 'tests/fixtures/report/2026-11.md'), 'utf8');
    const between = (text: string, from: string, to: string) =>
      text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
    for (const [from, to] of [
      ['| Network | Posts |', '\n\n'],
      ['| Week | Days |', '\n\n'],
      ['```mermaid\nxychart-beta\n    title "X:', '```\n'],
      ['| Weeks out |', '\n\n'],
      ['```mermaid\nxychart-beta\n    title "Visitors per post', '```\n'],
      ['1. `social/2026-11-03-launch`', '\n\n'],
    ] as const) {
      const part = between(fixture, from, to);
      expect(part.length, from).toBeGreaterThan(20);
      expect(readme, from).toContain(part);
    }
  });
});

describe('postgate report, per account', () => {
  // The organisation's Mastodon account and Alice's own, on another instance with its own token: the
  // same status ids on both servers, so reading hers with the organisation's token would count the wrong post.
  const ITEM = 'social/2026-12-03-alice';
  const ALICE_TOKEN = 'alice-own-mastodon-token-5d1';
  let n: Networks;
  let alice: FakeMastodon;
  let plausible: FakePlausible;
  let dir: string;
  let env: Record<string, string>;
  const report = (args: string[], extra: Record<string, string> = {}) =>
    runCliAsync(['report', '--now', REPORT_NOW, ...args], { cwd: dir, env: { ...env, ...extra } });

  beforeAll(async () => {
    n = await startNetworks();
    alice = new FakeMastodon();
    alice.token = ALICE_TOKEN;
    plausible = new FakePlausible();
    plausible.timeZone = 'Europe/Berlin';
    await Promise.all([alice.start(), plausible.start()]);
    dir = exampleRepoCopy();
    const configFile = join(dir, 'postgate.config.yaml');
    const config = withAccounts(readFileSync(configFile, 'utf8'), ALICE_MASTODON);
    writeFileSync(configFile, `${config}\nanalytics:\n  tool: plausible\n`);
    writeFileSync(
      join(dir, `content/${ITEM}.md`),
      '---\npublishAt: 2026-12-03T10:55\nas: [mastodon, alice-mastodon]\n---\nWhat a morning at the food bank: https://example.org/posts/welcome/\n',
    );
    env = {
      ...n.env,
      MASTODON_URL_ALICE: alice.server.url,
      MASTODON_TOKEN_ALICE: ALICE_TOKEN,
      PLAUSIBLE_URL: plausible.url,
      PLAUSIBLE_API_KEY: plausible.key,
    };
    const sent = await runCliAsync(['publish', '--now', '2026-12-03T10:00:00Z'], { cwd: dir, env });
    if (sent.status !== 0) throw new Error(`publish failed: ${sent.stdout}${sent.stderr}`);
    const org = n.mastodon.liveOf('postgate').find((s) => s.text.includes('food bank'))!;
    const hers = alice.liveOf('postgate')[0]!;
    n.mastodon.counts.set(org.id, { replies_count: 1, reblogs_count: 2, favourites_count: 3 });
    alice.counts.set(hers.id, { replies_count: 0, reblogs_count: 5, favourites_count: 10 });
    const visit = (i: number, content?: string) => ({
      at: `2026-12-03T1${i}:30:00+01:00`,
      visitor: `${content ?? 'org'}-${i}`,
      campaign: ITEM,
      source: 'mastodon',
      medium: 'social',
      ...(content ? { content } : {}),
    });
    for (let i = 0; i < 4; i++) plausible.seed(visit(i));
    for (let i = 0; i < 3; i++) plausible.seed(visit(i, 'alice-mastodon'));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([n.stop(), alice.stop(), plausible.stop()]);
  });

  it("reads each account's engagement on its own server and says what each account brought in", async () => {
    const run = await report([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The network is the sum of its accounts, read each with its own token on its own instance.
    expect(run.stdout).toMatch(/BY NETWORK[\s\S]*Mastodon\s+2\s+7\s.*1 reply, 7 reposts, 13 likes/);
    expect(run.stdout).toMatch(
      /BY ACCOUNT[\s\S]*\n {2}mastodon +organisation +Mastodon +2 +– +1 reply, 2 reposts, 3 likes\n/,
    );
    expect(run.stdout).toMatch(/ {2}alice-mastodon +@alice +Mastodon +1 +3 +0 replies, 5 reposts, 10 likes\n/);
    expect(alice.server.requests.some((r) => r.headers.authorization === `Bearer ${ALICE_TOKEN}`)).toBe(true);
    const asked = plausible.server.requests.map((r) => JSON.parse(r.body.toString()).dimensions);
    expect(asked).toContainEqual(['visit:utm_source', 'visit:utm_content']);
    const json = JSON.parse((await report(['--format', 'json'])).stdout);
    expect(json.accounts).toContainEqual(
      expect.objectContaining({ account: 'alice-mastodon', owner: 'alice', posts: 1, visitors: 3 }),
    );
    for (const secret of [...n.secrets, ALICE_TOKEN, plausible.key]) expect(run.stdout).not.toContain(secret);
  });

  it('names an account whose token is unset by its variable, and keeps the numbers of the account that answered', async () => {
    const run = await report(['--strict'], { MASTODON_TOKEN_ALICE: '' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/MISSING[\s\S]*Mastodon engagement of alice-mastodon: MASTODON_TOKEN_ALICE is not set/);
    expect(run.stdout).toMatch(/BY NETWORK[\s\S]*Mastodon\s+2\s+7\s.*≥ 1 reply, 2 reposts, 3 likes/);
    expect(run.stdout).toMatch(/ {2}alice-mastodon +@alice +Mastodon +1 +3 +\?\n/);
    expect(run.stderr).toContain('missing Mastodon engagement of alice-mastodon');
  });
});
