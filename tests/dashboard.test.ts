import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DASHBOARD_MARKER } from '../src/core/dashboard.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import { REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { startNetworks, type Networks } from './helpers/networks.ts';

/**
 * The publishing dashboard, as a publish run on GitHub keeps it: the real CLI against the fake
 * GitHub (issues included) and the fake networks. Main starts with the example config; each test
 * lands content with a pull request (approved by Amira or not) and checks the issue out.
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;
const CONFIG = readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8');
const BOT = 'github-actions[bot]';

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({ files: { 'postgate.config.yaml': CONFIG } });
  gh.collaborators.set('amira', 'write');
  await gh.start();
  dir = mkdtempSync(join(tmpdir(), 'postgate-dashboard-'));
  writeFileSync(join(dir, 'postgate.config.yaml'), CONFIG);
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const env = (extra: Record<string, string> = {}) => ({
  ...n.env,
  ...githubEnvOf(gh),
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '4242',
  // The example's staff account (jonas-bluesky) reads its own variables: set, it is not missing.
  BLUESKY_HANDLE_JONAS: 'jonas.example.org',
  BLUESKY_APP_PASSWORD_JONAS: 'jonas-app-password',
  ...extra,
});
const publish = (now: string, options: { env?: Record<string, string>; args?: string[] } = {}) =>
  runCliAsync(['publish', '--now', now, ...(options.args ?? [])], { cwd: dir, env: env(options.env) });

let branches = 0;
/** Lands files on main through a pull request by the intern, approved by Amira unless told; the checkout gets them. */
function land(files: Record<string, string>, approved = true) {
  const branch = `content-${++branches}`;
  gh.commit({ branch, files, author: 'intern', message: 'Add content' });
  const pr = gh.openPullRequest({ author: 'intern', branch, title: 'New content' });
  if (approved) gh.review(pr, { user: 'amira', state: 'APPROVED' });
  gh.merge(pr, { by: 'riverside' });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Amira commits CRISIS to main at that moment; the checkout has it. */
function crisisOn(date: string) {
  gh.commit({ files: { CRISIS: 'Flooding in the city\n' }, author: 'amira', message: 'CRISIS', date });
  writeFileSync(join(dir, 'CRISIS'), 'Flooding in the city\n');
}

const social = (name: string, publishAt: string, text: string, channels = '[mastodon, bluesky]') => ({
  [`content/social/${name}.md`]: `---\npublishAt: ${publishAt}\nchannels: ${channels}\n---\n${text}\n`,
});

/** Issues the token opened, and what the fake GitHub was asked about issues. */
const ours = () => gh.issues.all.filter((i) => i.user.login === BOT);
const issueRequests = () =>
  gh.server.requests
    .filter((r) => /\/issues(\/\d+)?$/.test(r.path))
    .map((r) => `${r.method} ${r.path.replace(/^.*\/issues/, '/issues')}`);
const sectionOf = (body: string, heading: string) => body.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';

describe('the dashboard issue', () => {
  it('is created by the first run, then edited in place, and only when something besides its time changed', async () => {
    land({
      ...social('doors', '2026-12-01T08:59:00Z', 'Doors open at ten.'),
      ...social('market', '2026-12-03T15:00:00Z', 'Winter market on Thursday.'),
    });
    const first = await publish('2026-12-01T09:00:00Z');
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    expect(ours()).toHaveLength(1);
    const issue = ours()[0]!;
    expect(first.stdout).toContain(
      `Dashboard: issue #${issue.number} created: https://github.com/riverside/journal/issues/${issue.number}`,
    );
    expect(issue.title).toBe('Postgate dashboard');
    const body = issue.body!;
    expect(body.startsWith(`${DASHBOARD_MARKER}\n`)).toBe(true);
    expect(body).toContain('**CRISIS:** off.');
    expect(body).toContain('Nothing needs attention.');
    expect(sectionOf(body, 'Sent in the last 7 days')).toMatch(
      /- 2026-12-01 10:00 \+01:00: `social\/doors` on \[Mastodon\]\(http:\/\/127\.0\.0\.1:\d+\/@postgate\/\d+\)\n- 2026-12-01 10:00 \+01:00: `social\/doors` on \[Bluesky\]\(https:\/\/bsky\.app\/profile\/postgate\.bsky\.social\/post\/\w+\)/,
    );
    expect(body).toContain('  16∶00 social/market : milestone, 2026-12-03 16:00, 1m');
    expect(body).toContain(
      '_Updated 2026-12-01 10:00 +01:00 by [this publish run](https://github.com/riverside/journal/actions/runs/4242)._',
    );
    // One listing of the token's issues, one creation.
    expect(issueRequests()).toEqual(['GET /issues', 'POST /issues']);

    // Fifteen minutes later nothing has changed but the time: no edit.
    const second = await publish('2026-12-01T09:15:00Z', { env: { GITHUB_RUN_ID: '4243' } });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`Dashboard: issue #${issue.number} unchanged`);
    expect(issueRequests()).toEqual(['GET /issues', 'POST /issues', 'GET /issues']);
    expect(issue.body).toBe(body);

    // Something to act on: the same issue is edited, no second one opened.
    land(social('unapproved', '2026-12-01T09:20:00Z', 'Nobody approved this.'), false);
    const third = await publish('2026-12-01T09:30:00Z', { env: { GITHUB_RUN_ID: '4244' } });
    expect(third.status).toBe(0);
    expect(third.stdout).toContain(`Dashboard: issue #${issue.number} updated`);
    expect(ours()).toHaveLength(1);
    expect(gh.issues.all).toHaveLength(1);
    expect(issueRequests().slice(3)).toEqual(['GET /issues', `PATCH /issues/${issue.number}`]);
    expect(sectionOf(issue.body!, 'Needs attention')).toContain('- **Held** `social/unapproved`');
    expect(issue.body).toContain('actions/runs/4244');
  });

  it('puts what needs attention first: rejected and missing credentials, failures, held and missed items', async () => {
    land({
      ...social('missed', '2026-11-30T22:00:00Z', 'Good night, everyone.'),
      ...social('toots', '2026-12-01T08:55:00Z', 'Fresh bread today.', '[mastodon]'),
      ...social('skies', '2026-12-01T08:55:00Z', 'Bread for the skies.', '[bluesky]'),
    });
    land(social('unapproved', '2026-12-01T08:50:00Z', 'Nobody approved this.'), false);
    const r = await publish('2026-12-01T09:00:00Z', {
      env: { MASTODON_TOKEN: 'revoked-token', BLUESKY_HANDLE: '', BLUESKY_APP_PASSWORD: '' },
    });
    // Failures fail the run; the dashboard is still written.
    expect(r.status).toBe(1);
    const body = ours()[0]!.body!;
    const attention = sectionOf(body, 'Needs attention').trim().split('\n');
    expect(attention[0]).toBe(
      '- **Credentials missing** for Bluesky: `BLUESKY_HANDLE`, `BLUESKY_APP_PASSWORD` not set in the publish environment; nothing is sent there.',
    );
    expect(attention[1]).toMatch(
      /^- \*\*Credentials rejected\*\* by Mastodon \(`social\/toots` on Mastodon\): Mastodon: the access token was refused/,
    );
    expect(attention[2]).toMatch(/^- \*\*Failed\*\* `social\/skies` on Bluesky: /);
    expect(attention.slice(3).map((line) => line.split(':')[0])).toEqual([
      '- **Held** `social/unapproved`',
      '- **Missed** `social/missed`',
    ]);
    expect(attention[4]).toContain('due 2026-11-30 23:00 +01:00, past its 6h window; it is not sent late.');
    expect(body.indexOf('## Needs attention')).toBeLessThan(body.indexOf('## Sent in the last 7 days'));
  });

  it('a run with no credentials at all (a dry run by necessity) still tells the owner on the dashboard', async () => {
    land(social('doors', '2026-12-01T08:59:00Z', 'Doors open at ten.'));
    const none = Object.fromEntries(
      Object.keys(n.env)
        .filter((k) => !k.endsWith('_URL') && !k.endsWith('SERVICE'))
        .map((k) => [k, '']),
    );
    const r = await publish('2026-12-01T09:00:00Z', {
      env: { ...none, BLUESKY_HANDLE_JONAS: '', BLUESKY_APP_PASSWORD_JONAS: '' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No credentials for any network are set: this is a dry run.');
    const attention = sectionOf(ours()[0]!.body!, 'Needs attention');
    for (const network of ['X', 'Mastodon', 'Bluesky'])
      expect(attention).toContain(`**Credentials missing** for ${network}:`);
    // A staff account is named, with its own variables.
    expect(attention).toContain(
      '**Credentials missing** for Bluesky (`jonas-bluesky`): `BLUESKY_HANDLE_JONAS`, `BLUESKY_APP_PASSWORD_JONAS` not set',
    );
    expect(n.mastodon.statuses).toEqual([]);
  });

  it('shows CRISIS at the very top, since when and by whom', async () => {
    land(social('doors', '2026-12-01T08:59:00Z', 'Doors open at ten.'));
    crisisOn('2026-12-01T08:40:00Z');
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).toBe(0);
    const lines = ours()[0]!.body!.split('\n');
    expect(lines.slice(2, 5)).toEqual([
      '> [!CAUTION]',
      '> **CRISIS is on** (since 2026-12-01 09:40 +01:00, by amira): nothing is published, the blog included, until the CRISIS file is removed from main.',
      '> Reason: Flooding in the city',
    ]);
    expect(sectionOf(ours()[0]!.body!, 'Needs attention')).toContain(
      '- **Held** `social/doors`: CRISIS: Flooding in the city',
    );

    // Removed: the first run that finds it gone says since when, and later runs keep that moment.
    gh.commit({ files: { CRISIS: null }, author: 'amira', message: 'CRISIS over', date: '2026-12-01T09:05:00Z' });
    rmSync(join(dir, 'CRISIS'));
    expect((await publish('2026-12-01T09:15:00Z')).status).toBe(0);
    const off = '**CRISIS:** off since 2026-12-01 10:15 +01:00 (the first run that found it removed).';
    expect(ours()[0]!.body!.split('\n')[2]).toContain(off);
    expect((await publish('2026-12-01T09:30:00Z')).stdout).toContain('unchanged');
    expect(ours()[0]!.body!).toContain(off);
  });

  it('a token without issues: write skips it with a note in the log and the job summary; the run still succeeds', async () => {
    land(social('doors', '2026-12-01T08:59:00Z', 'Doors open at ten.'));
    gh.issues.permission = 'read';
    const summary = join(dir, 'summary.md');
    const r = await publish('2026-12-01T09:00:00Z', { env: { GITHUB_STEP_SUMMARY: summary } });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(n.mastodon.statuses).toHaveLength(1);
    const note =
      'Note: the dashboard issue was not updated: the token may not write issues here (403: Resource not accessible by integration';
    expect(r.stdout).toContain(note);
    expect(readFileSync(summary, 'utf8')).toContain(`> ${note}`);
    expect(gh.issues.all).toEqual([]);
  });

  it('leaves issues alone when the config turns it off, in a dry run, and in local mode', async () => {
    land(social('doors', '2026-12-01T08:59:00Z', 'Doors open at ten.'));
    const dry = await publish('2026-12-01T09:00:00Z', { args: ['--dry-run'] });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('Dry run: would update the dashboard issue.');

    const local = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z', '--dry-run'], {
      cwd: dir,
      env: n.env,
    });
    expect(local.status).toBe(0);
    expect(local.stdout).not.toContain('dashboard');

    const off = CONFIG.replace(/^(dashboard:.*\n {2}enabled:) true$/m, '$1 false');
    expect(off).not.toBe(CONFIG);
    land({ 'postgate.config.yaml': off });
    const r = await publish('2026-12-01T09:00:00Z');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(n.mastodon.statuses).toHaveLength(1);
    expect(r.stdout).not.toContain('ashboard');
    expect(issueRequests()).toEqual([]);
    expect(gh.issues.all).toEqual([]);
  });

  it('an outsider’s issue with the marker is neither adopted nor edited; a closed dashboard is kept closed and current', async () => {
    // Written before the first run, as an outsider on a public repository can: the marker, the
    // title, even a pull request by the bot's name would not make it ours.
    const bait = `${DASHBOARD_MARKER}\nPlease click https://evil.example to update your credentials.\n`;
    const outsider = gh.issues.open({ author: 'mallory', title: 'Postgate dashboard', body: bait });
    const owners = gh.issues.open({
      author: 'riverside',
      title: 'Postgate dashboard',
      body: `${DASHBOARD_MARKER}\nnotes`,
    });
    land(social('doors', '2026-12-01T08:59:00Z', 'Doors open at ten.'));

    const first = await publish('2026-12-01T09:00:00Z');
    expect(first.status).toBe(0);
    expect(ours()).toHaveLength(1);
    const dashboard = ours()[0]!;
    expect(dashboard.number).not.toBe(outsider);
    expect(gh.issues.get(outsider)).toMatchObject({ body: bait, state: 'open' });
    expect(gh.issues.get(owners).body).toBe(`${DASHBOARD_MARKER}\nnotes`);
    // Nothing was ever written to their issues.
    expect(issueRequests().filter((r) => r.startsWith('PATCH'))).toEqual([]);

    // The owner closes ours: later runs keep it current, closed, and open no other.
    gh.issues.close(dashboard.number);
    land(social('unapproved', '2026-12-01T09:20:00Z', 'Nobody approved this.'), false);
    const second = await publish('2026-12-01T09:30:00Z');
    expect(second.stdout).toContain(
      `Dashboard: issue #${dashboard.number} updated (closed: reopen it to see it among open issues)`,
    );
    expect(ours()).toHaveLength(1);
    expect(dashboard.state).toBe('closed');
    expect(dashboard.body).toContain('`social/unapproved`');
    expect(issueRequests().filter((r) => r.startsWith('PATCH'))).toEqual([`PATCH /issues/${dashboard.number}`]);
    expect(gh.issues.get(outsider).body).toBe(bait);
  });

  it('adopts nothing a listing holds that the token did not open, even with the marker', async () => {
    // Were GitHub's creator filter ever to let others' issues through, or a pull request's body to
    // carry the marker: neither is taken for the dashboard.
    const person = { login: 'mallory', id: 7, type: 'User' };
    const bot = { login: BOT, id: 41898282, type: 'Bot' };
    const listed = [
      {
        number: 1,
        title: 'Postgate dashboard',
        body: DASHBOARD_MARKER,
        user: person,
        state: 'open',
        html_url: 'https://github.com/riverside/journal/issues/1',
      },
      {
        number: 2,
        title: 'Postgate dashboard',
        body: DASHBOARD_MARKER,
        user: bot,
        state: 'open',
        html_url: 'https://github.com/riverside/journal/pull/2',
        pull_request: { url: 'x' },
      },
    ];
    gh.server.inject({ match: /^GET \/repos\/riverside\/journal\/issues$/, respond: { status: 200, body: listed } });
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).toBe(0);
    expect(issueRequests()).toEqual(['GET /issues', 'POST /issues']);
    expect(ours()).toHaveLength(1);
  });
});

describe('telling the owner: an edited issue notifies no one, so something new gets a comment', () => {
  const notifying = (logins: string) =>
    CONFIG.replace(/^(dashboard:.*\n {2}enabled: true\n {2}notify:) \[\]/m, `$1 ${logins}`);
  const commentsOnDashboard = () => gh.commentsOn(ours()[0]!.number);

  it('comments once per new thing, mentioning dashboard.notify; the same thing still there is not said again', async () => {
    const config = notifying('[amira, ben-k]');
    expect(config).not.toBe(CONFIG);
    land({ 'postgate.config.yaml': config, ...social('doors', '2026-12-01T08:59:00Z', 'Doors open at ten.') });
    writeFileSync(join(dir, 'postgate.config.yaml'), config);
    const first = await publish('2026-12-01T09:00:00Z');
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    // Nothing needs attention: the dashboard is created, and nobody is pinged.
    expect(commentsOnDashboard()).toEqual([]);

    land(social('unapproved', '2026-12-01T09:20:00Z', 'Nobody approved this.'), false);
    const second = await publish('2026-12-01T09:30:00Z');
    expect(second.status).toBe(0);
    const [told] = commentsOnDashboard();
    expect(told?.user.login).toBe(BOT);
    const number = ours()[0]!.number;
    expect(told?.body.split('\n\n').slice(0, 3)).toEqual([
      '<!-- postgate:notice -->',
      `@amira @ben-k: new on the [dashboard](https://github.com/riverside/journal/issues/${number}) since its last update:`,
      expect.stringMatching(/^- \*\*Held\*\* `social\/unapproved`: /),
    ]);
    expect(second.stdout).toContain(
      `Dashboard: something new needs attention; told in https://github.com/riverside/journal/issues/${number}#issuecomment-`,
    );

    // Still held a run later: on the dashboard, not said again.
    const third = await publish('2026-12-01T09:45:00Z');
    expect(third.status).toBe(0);
    expect(commentsOnDashboard()).toHaveLength(1);

    // CRISIS is news; the item held before it is not said again.
    crisisOn('2026-12-01T09:50:00Z');
    const fourth = await publish('2026-12-01T10:00:00Z');
    expect(fourth.status).toBe(0);
    expect(commentsOnDashboard()).toHaveLength(2);
    const crisis = commentsOnDashboard()[1]!.body;
    expect(crisis).toContain(
      '- **CRISIS is on** (since 2026-12-01 10:50 +01:00, by amira): nothing is published, the blog included, until the CRISIS file is removed from main.',
    );
    expect(crisis).not.toContain('social/unapproved');
  });

  it('without notify it still comments (watchers and subscribers are notified) and mentions no one', async () => {
    land(social('missed', '2026-11-30T22:00:00Z', 'Good night, everyone.'));
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).toBe(0);
    const [told] = commentsOnDashboard();
    expect(told?.body).toMatch(
      /^<!-- postgate:notice -->\n\nNew on the \[dashboard\]\(https:\/\/github\.com\/riverside\/journal\/issues\/\d+\) since its last update:\n\n- \*\*Missed\*\* `social\/missed`: due 2026-11-30 23:00 \+01:00/,
    );
    expect(told?.body).not.toContain('@');
  });

  it('a comment GitHub refuses is said; the dashboard is current and the run does not fail for it', async () => {
    gh.refuseCommentWrites = true;
    land(social('unapproved', '2026-12-01T08:50:00Z', 'Nobody approved this.'), false);
    const summary = join(dir, 'summary.md');
    const r = await publish('2026-12-01T09:00:00Z', { env: { GITHUB_STEP_SUMMARY: summary } });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(ours()[0]!.body).toContain('`social/unapproved`');
    const warning =
      'Warning: the dashboard is current, but the comment that tells the owner what is new was not written';
    expect(r.stdout).toContain(warning);
    expect(readFileSync(summary, 'utf8')).toContain(warning);
    expect(commentsOnDashboard()).toEqual([]);
  });

  it('a login that is not one, or a repeated one, is refused by check at its place', async () => {
    writeFileSync(join(dir, 'postgate.config.yaml'), notifying('["@amira", amira]'));
    const r = await runCliAsync(['check'], { cwd: dir, env: {} });
    expect(r.status).toBe(1);
    expect(r.stderr + r.stdout).toContain('expected a GitHub login (letters, digits and single "-"), without "@"');
    writeFileSync(join(dir, 'postgate.config.yaml'), notifying('[amira, Amira]'));
    const again = await runCliAsync(['check'], { cwd: dir, env: {} });
    expect(again.status).toBe(1);
    expect(again.stderr + again.stdout).toContain('a login is listed twice');
  });
});
