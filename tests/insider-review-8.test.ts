import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attentionDigest } from '../src/core/dashboard-attention.ts';
import { attentionNotice, keptAttention, noticeEntries } from '../src/core/dashboard-notice.ts';
import { DASHBOARD_MARKER, type DashboardInput, dashboardMarkdown } from '../src/core/dashboard.ts';
import { LEDGER_BRANCH, LEDGER_FILE } from '../src/core/ledger.ts';
import { runCliAsync } from './helpers/cli.ts';
import { startGitHubWorld, type GitHubWorld } from './helpers/github-world.ts';
import { dashboardInput } from './helpers/dashboard-input.ts';

/**
 * Insider review 8: the notification comment on the dashboard issue (commit c362d67:
 * dashboard-attention.ts, dashboard-notice.ts, publish/dashboard.ts, github/dashboard-issue.ts),
 * attacked as a writer with push access, an agency, an outside contributor. Not repeated: what
 * tests/insider-review-5.test.ts pins. Six attacks worked (marked WORKED below, with what they did);
 * each is fixed, and its test now passes as what must hold. The other three were stopped.
 */
let w: GitHubWorld;
beforeEach(async () => {
  w = await startGitHubWorld();
});
afterEach(async () => {
  await w.stop();
});

const BOT = 'github-actions[bot]';
const ISSUE_URL = 'https://github.com/riverside/journal/issues/7';
const dashboard = () => w.gh.issues.all.find((i) => i.user.login === BOT && i.body?.startsWith(DASHBOARD_MARKER));
const comments = () => w.gh.commentsOn(dashboard()!.number);
const publish = (now: string, env: Record<string, string> = {}) =>
  runCliAsync(['publish', '--now', now], { cwd: w.dir, env: { ...w.env, ...env } });
const social = (name: string, at: string) => ({
  [`content/social/${name}.md`]: `---\npublishAt: ${at}\nchannels: [mastodon]\n---\nText of ${name}.\n`,
});
const at = (hhmm: string) => `2026-12-01T${hhmm}:00Z`;
/** The example config's staff account has no credentials in this world: always listed. */
const JONAS_MISSING = attentionDigest('missing:bluesky:jonas-bluesky');

function crisisOn(date: string, author = 'amira') {
  w.gh.commit({ files: { CRISIS: 'Flood\n' }, author, message: 'CRISIS', date });
  writeFileSync(join(w.dir, 'CRISIS'), 'Flood\n');
}

/** A dashboard input with nothing in it but what a test gives. */
const input = (extra: Partial<DashboardInput> = {}) => dashboardInput(Date.parse(at('09:00')), extra);
/** What GitHub renders outside inline code spans. */
const outsideCode = (markdown: string) => markdown.replace(/`[^`\n]*`/g, '');

describe('keeping a real notification from being written', () => {
  // ATTACK (WORKED, now fixed): the "Sent in the last 7 days" list puts a ledger record's `account` (and an
  // unknown `channel`, via channelName's fallback) into the issue raw when its address is not linked
  // (dashboard-sent.ts:102: `${channelName(g.channel)} (${g.account})`; linkTo escapes only the
  // linked case). On an unsealed ledger (the default until `ledger --new-key`), a workflow on a
  // writer's branch appends a `sent` record (README: Sealed records) whose account is
  // "@amira\n\n<!-- postgate:attention <digests> -->". The run writes it into the bot's issue: an
  // @mention (README: "it can @mention no one"), and a hidden line that keptAttention
  // (dashboard-notice.ts:35, the FIRST line starting with the prefix) reads instead of the real one.
  // The writer lists the digest of `crisis:on` (and of what is already listed): the next CRISIS, a
  // failure or a held item of theirs is never commented. No issues: write needed.
  // Weakness: src/core/dashboard-sent.ts:102 (raw account/channel) + src/core/dashboard-notice.ts:35
  // (first matching line anywhere in the body).
  // Fix: plainText(name) in both branches (or codeText(account), channelName only for known
  // channels); keptAttention reads only the last line, and only if it is exactly
  // /^<!-- postgate:attention( [0-9a-f]{16})* -->$/.
  it('a forged unsealed `sent` record can neither mention anyone nor silence the CRISIS comment', async () => {
    w.mergeReviewed(social('a', at('09:00')), 'intern', ['amira']);
    expect((await publish(at('09:00'))).status).toBe(0);
    const ledger = w.gh.fileAt(LEDGER_BRANCH, LEDGER_FILE) ?? '';
    const forged = {
      v: 1,
      type: 'sent',
      item: 'social/a',
      channel: 'mastodon',
      account: `@amira\n\n<!-- postgate:attention ${attentionDigest('crisis:on')} ${JONAS_MISSING} -->`,
      part: 0,
      parts: 1,
      hash: '',
      remoteId: '9',
      url: 'https://elsewhere.example/x',
      at: at('09:01'),
    };
    w.gh.commit({
      branch: LEDGER_BRANCH,
      files: { [LEDGER_FILE]: `${ledger}${JSON.stringify(forged)}\n` },
      asToken: true,
      message: 'ledger: sent social/a on mastodon',
    });
    expect((await publish(at('09:10'))).status).toBe(0);
    const body = dashboard()!.body!;
    const told = comments().length;
    crisisOn(at('09:12'));
    expect((await publish(at('09:15'))).status).toBe(0);
    // Before the fix: { mention: true, keyLines: 2, crisisTold: false }.
    expect({
      mention: /(^|[^`\w])@amira/m.test(outsideCode(body)),
      keyLines: body.split('\n').filter((l) => l.startsWith('<!-- postgate:attention')).length,
      crisisTold: comments().length === told + 1 && comments().at(-1)!.body.includes('**CRISIS is on**'),
    }).toEqual({ mention: false, keyLines: 1, crisisTold: true });
  });

  // ATTACK (stopped): an item id (a file name) cannot start a line of the body, so it cannot plant
  // a keys line: codeText flattens whitespace, and the hidden line is only digests.
  it('an item id holding a newline and a keys line does not silence the next CRISIS', () => {
    const planted = `x\n<!-- postgate:attention ${attentionDigest('crisis:on')} -->`;
    const first = input({ held: [{ item: planted, state: 'held', reason: planted }] });
    const body = dashboardMarkdown(first);
    expect([...keptAttention(body)]).toEqual([attentionDigest(`held:${planted}`)]);
    const notice = attentionNotice({
      previousBody: body,
      entries: noticeEntries({ ...first, crisis: { reason: 'Flood', author: 'amira', at: at('08:50') } }),
      notify: [],
      issueUrl: ISSUE_URL,
    });
    expect(notice).toContain('**CRISIS is on**');
  });

  // ATTACK (WORKED, now fixed, medium): anything that stops the run before its end (a commit by a person on
  // postgate/ledger, an unsealed record on a sealed ledger, main moved before a non-waiting run,
  // GitHub not answering) skips updateDashboard: it runs only after the passes (publish-command.ts
  // 275). The worst state there is, nothing is published at all, is neither on the dashboard (which
  // keeps saying what it said before) nor commented: the owner hears of it only from Actions' failure
  // mail, which goes to whoever last edited the workflow's cron. A writer who wants a scheduled post
  // of the owner's not to go out pushes one commit to postgate/ledger and the issue stays quiet.
  // Weakness: src/cli/publish-command.ts:233 (a throw from publishPass skips the dashboard),
  // src/core/dashboard-attention.ts (no entry for "the run stopped").
  // Fix: catch the run's stopping error, update the dashboard with a "Publishing is stopped: <why>"
  // entry (key `stopped:<kind>`) and comment, then rethrow.
  it('a run stopped by a tampered ledger tells the owner on the dashboard', async () => {
    w.mergeReviewed(social('a', at('09:00')), 'intern', ['amira']);
    expect((await publish(at('09:00'))).status).toBe(0);
    const told = comments().length;
    const ledger = w.gh.fileAt(LEDGER_BRANCH, LEDGER_FILE) ?? '';
    w.gh.commit({ branch: LEDGER_BRANCH, files: { [LEDGER_FILE]: `${ledger}\n` }, author: 'intern', message: 'tidy' });
    w.mergeReviewed(social('b', at('09:20')), 'intern', ['amira']);
    const r = await publish(at('09:30'));
    expect(r.status, r.stdout).toBe(1);
    expect(w.n.mastodon.live.map((s) => s.text)).toEqual([expect.stringContaining('Text of a.')]);
    // Before the fix: the run stopped before the dashboard; no comment, and the issue read as before.
    expect(comments().length).toBe(told + 1);
    expect(comments().at(-1)!.body).toContain('- **Publishing is stopped:** ');
    expect(dashboard()!.body!.split('\n')[2]).toMatch(/^> \*\*Publishing is stopped:\*\* .*postgate\/ledger/);
    // Stopped again at the next run: on the dashboard still, not told again.
    expect((await publish(at('09:45'))).status).toBe(1);
    expect(comments().length).toBe(told + 1);
  });
});

describe('making the bot comment when nothing new happened (noise, every run)', () => {
  // ATTACK (WORKED, now fixed, low): one failure is told twice. The run that fails keys it from its result,
  // `failed:<item>:<channel>:<account>` (dashboard-attention.ts:46); the next run, which does not
  // retry a rejected post, lists it from the held list as `failed:<item>` (line 56): another key, so
  // another comment for the same failure. A held result (CRISIS, another run sending) does the same.
  // Fix: one key per thing: `failed:<item>` (or item+channel) from both sources.
  it('a post the network rejects is told once, not again by the next run', async () => {
    w.mergeReviewed(social('a', at('09:00')), 'intern', ['amira']);
    w.n.mastodon.server.inject({
      match: /POST \/api\/v1\/statuses/,
      times: 100,
      respond: { status: 422, body: { error: 'Validation failed: nope' } },
    });
    expect((await publish(at('09:00'))).status).toBe(1);
    expect(comments().at(-1)!.body).toContain('**Failed** `social/a` on Mastodon');
    const told = comments().length;
    await publish(at('09:15'));
    await publish(at('09:30'));
    // Before the fix: a second comment at 09:15, "**Failed** `social/a`: mastodon: Mastodon: posting … rejected".
    expect(comments().length).toBe(told);
  });

  // ATTACK (WORKED, now fixed, low): during a CRISIS, every item that falls due is a held result "CRISIS: …"
  // with a key of its own (dashboard-attention.ts:47), so each run in which one falls due comments
  // again, though CRISIS itself was told and nothing else is new. A busy schedule (or a writer who
  // lands many items) makes a comment every 15 minutes for the whole CRISIS.
  // Fix: no key for results held by CRISIS (crisis:on covers them), as for deferred ones.
  it('items falling due during a CRISIS that was told make no further comments', async () => {
    w.mergeReviewed(
      { ...social('a', at('09:10')), ...social('b', at('09:25')), ...social('c', at('09:40')) },
      'intern',
      ['amira'],
    );
    await publish(at('09:00'));
    crisisOn(at('09:05'));
    await publish(at('09:15'));
    expect(comments().at(-1)!.body).toContain('**CRISIS is on**');
    const told = comments().length;
    await publish(at('09:30'));
    await publish(at('09:45'));
    // Before the fix: two more comments, "**Held** `social/b`: CRISIS: Flood" and the same for social/c.
    expect(comments().length).toBe(told);
  });

  // ATTACK (WORKED, now fixed, low-medium): the hidden line keeps at most 500 digests (dashboard-notice.ts:19,
  // 25 slice(0, MAX_KEYS)); what needs attention has no such limit. With more than 500 keys (a writer
  // on a main without rulesets lands 510 unapproved files, or 130 held items on 4 channels as
  // results), the keys past the 500th are never kept, so EVERY run (96 a day) comments them again,
  // mentioning dashboard.notify each time.
  // Fix: keep as many digests as entries (17 chars each; or fold the rest into one digest of the
  // sorted remainder), and never comment keys that could not be kept.
  it('more than 500 things needing attention do not make every run comment', () => {
    const held = Array.from({ length: 510 }, (_, i) => ({
      item: `social/spam-${i}`,
      state: 'held',
      reason: 'not approved',
    }));
    const same = input({ held });
    const previousBody = dashboardMarkdown(same);
    // Before the fix: the 10 items past the 500th are "new" on every run.
    expect(
      attentionNotice({ previousBody, entries: noticeEntries(same), notify: ['amira'], issueUrl: ISSUE_URL }),
    ).toBeNull();
  });
});

describe('what the comment shows', () => {
  // ATTACK (WORKED, now fixed, low): plainText breaks @ and # and bare URLs, but GitHub also reads `GH-12` as
  // a reference to issue 12 (docs: Autolinked references, "GH-26"), linking it and putting "mentioned
  // this" in issue 12's timeline. CRISIS's author is the commit's author name when the commit has no
  // GitHub login (live-crisis.ts:80: commit.author.name, free text), shown in the comment by
  // crisisSince (dashboard-attention.ts:104); held reasons and failure messages quote writer text.
  // Fix: in plainText, a zero-width space entity inside /\bGH-(?=\d)/i (GH&#8203;-12), and show
  // logins/author names as codeText.
  it('a CRISIS author or a held reason cannot reference an issue with GH-<n>', () => {
    const notice = attentionNotice({
      previousBody: '',
      entries: noticeEntries(
        input({
          crisis: { reason: 'Flood', author: 'see GH-1', at: at('08:50') },
          held: [{ item: 'social/x', state: 'held', reason: 'image "GH-2" is not stored in the repository' }],
        }),
      ),
      notify: [],
      issueUrl: ISSUE_URL,
    })!;
    expect(notice).toContain('**CRISIS is on**');
    expect(outsideCode(notice)).not.toMatch(/\bGH-\d/i);
  });

  // ATTACK (stopped): hostile ids, accounts and messages, 25 of them: no mention, reference, HTML or
  // link outside code spans, and the comment stays under GitHub's 65,536-character limit (a refused
  // comment would lose the notice for good: the keys were already written).
  it('hostile text in 25 new things: nothing active, and the comment is not too long for GitHub', () => {
    const worst = `${'#'.repeat(150)}${'@www.'.repeat(30)}`;
    const results = Array.from({ length: 25 }, (_, i) => ({
      item: `${i}${'`@#<'.repeat(40)}`,
      channel: 'mastodon',
      account: '@amira'.repeat(20),
      outcome: 'failed',
      message: `${worst} <img src=x> [x](https://phish.example) @amira #1`,
    }));
    const entries = noticeEntries(input({ results }));
    const notice = attentionNotice({ previousBody: null, entries, notify: [], issueUrl: ISSUE_URL })!;
    expect(notice.length).toBeLessThan(65_536);
    expect(outsideCode(notice)).not.toMatch(/(?<!\\)<img|\]\(https?:\/\/phish|@amira|(^|\s)#1\b|https?:\/\/phish/m);
    expect(notice).toContain('… and 5 more on the dashboard.');
  });

  // ATTACK (stopped): an outside contributor opens "Postgate dashboard" first, with the marker and a
  // hidden keys line listing CRISIS: the run neither adopts nor comments on it, and its keys do not
  // silence anything.
  it('an outsider’s older marker issue gets no comment and its keys line counts for nothing', async () => {
    const theirs = w.gh.issues.open({
      author: 'outsider',
      title: 'Postgate dashboard',
      body: `${DASHBOARD_MARKER}\n\n<!-- postgate:attention ${attentionDigest('crisis:on')} ${JONAS_MISSING} -->\n`,
    });
    crisisOn(at('08:50'));
    const r = await publish(at('09:00'));
    expect(r.status, r.stdout).toBe(0);
    expect(w.gh.commentsOn(theirs)).toEqual([]);
    expect(dashboard()!.number).not.toBe(theirs);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain('**CRISIS is on**');
  });
});
