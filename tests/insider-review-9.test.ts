import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attentionDigest } from '../src/core/dashboard-attention.ts';
import { longestCronGapMs, cronField } from '../src/core/cron-gap.ts';
import { crisisCarry, crisisOffSince } from '../src/core/dashboard-crisis.ts';
import { attentionNotice, keptAttention, noticeEntries } from '../src/core/dashboard-notice.ts';
import { stoppedDashboard, stoppedEntry } from '../src/core/dashboard-stopped.ts';
import { DASHBOARD_MARKER, type DashboardInput, dashboardMarkdown } from '../src/core/dashboard.ts';
import { JOB_RESERVE_MS, publishScheduleOf } from '../src/core/publish-schedule.ts';
import { waitLimitMs } from '../src/core/wake-plan.ts';
import { reportStoppedRun } from '../src/publish/dashboard.ts';
import { loadConfig } from '../src/repo/load-config.ts';
import { dashboardInput } from './helpers/dashboard-input.ts';
import { startGitHubWorld, type GitHubWorld } from './helpers/github-world.ts';

/**
 * Insider review 9: the "Publishing is stopped" dashboard (f6afe36: dashboard-stopped.ts,
 * publish/dashboard.ts, the catch around the first pass in publish-command.ts), the waits read from
 * publish.yml (799a070: cron-gap.ts, publish-schedule.ts) and "CRISIS off since when" (489466b:
 * dashboard-crisis.ts). Attacks that WORKED are fixed (marked so, with what happened); all pass as
 * what holds.
 */
const MIN = 60_000;
const T = (hhmm: string) => Date.parse(`2026-12-01T${hhmm}:00Z`);
const ISSUE = 'https://github.com/riverside/journal/issues/7';
const input = (now: number, over: Partial<DashboardInput> = {}) => dashboardInput(now, over);
const body = (now: number, over: Partial<DashboardInput> = {}) => dashboardMarkdown(input(now, over));
const stopped = (reason: string, now = T('09:00')) => ({
  now,
  zone: 'Europe/Berlin',
  reason,
  runUrl: 'https://github.com/riverside/journal/actions/runs/2',
});
const on = { reason: 'Flood', author: 'amira', at: '2026-12-01T07:40:00Z' };
const unknown = { reason: 'GitHub did not answer', unknown: true };
/** What GitHub renders as active outside inline code spans: escaped characters (`\\<`) are text. */
const outsideCode = (markdown: string) => markdown.replace(/`[^`\n]*`/g, '').replace(/\\./g, '');

describe('1. the "Publishing is stopped" dashboard', () => {
  // ATTACK (stopped): a stopped run after a stopped run after a stopped run, with the body saved
  // back by GitHub's web editor (CRLF): one banner, one marker, one keys line, one stamp.
  it('banners do not pile up, CRLF or not', () => {
    let b = body(T('08:00'), { held: [{ item: 'social/a', state: 'held', reason: 'not approved' }] });
    for (let i = 0; i < 4; i++) b = stoppedDashboard(b.replace(/\n/g, '\r\n'), stopped(`reason ${i}`, T('08:15') + i));
    expect(b.match(/Publishing is stopped/g)).toHaveLength(1);
    expect(b.split(DASHBOARD_MARKER)).toHaveLength(2);
    expect(b.split('\n').filter((l) => l.startsWith('<!-- postgate:attention'))).toHaveLength(1);
    expect(b.match(/<!-- postgate:updated -->/g)).toHaveLength(1);
    expect(b).toContain('reason 3');
  });

  // ATTACK (stopped): the reason carries a commit's git author name (ledger-history.ts:176 falls
  // back to c.commit.author.name, which whoever pushes to postgate/ledger chooses): a mention, a
  // reference, a link, an image, HTML, math, the stopped mark and a keys line. All text, on one line.
  it('writer text in the reason renders as text, in the banner and in the comment', () => {
    const name = `@amira #12 GH-3 ![x](https://evil.example/p.png) <img src=x> $x$ <!-- postgate:stopped -->\n<!-- postgate:attention ${attentionDigest('crisis:on')} -->`;
    const run = stopped(`content/ledger.jsonl was changed by abc1234 (${name}) outside the publisher`);
    const b = stoppedDashboard(body(T('08:00')), run);
    const banner = b.split('\n')[2]!;
    expect(outsideCode(banner)).not.toMatch(/@amira|#12|GH-3|!\[|<img|\]\(https:/);
    expect(keptAttention(b).has(attentionDigest('crisis:on'))).toBe(false);
    const comment = attentionNotice({ previousBody: null, entries: [stoppedEntry(run)], notify: [], issueUrl: ISSUE })!;
    const told = comment.split('\n').find((l) => l.startsWith('- **Publishing is stopped:** '))!;
    expect(told).toContain('abc1234');
    expect(outsideCode(told)).not.toMatch(/@amira|#12|GH-3|!\[|<img|\]\(https:/);
    // The banner is one line ending with its mark: the next stopped run replaces it, not keeps it.
    expect(stoppedDashboard(b, run).match(/Publishing is stopped/g)).toHaveLength(1);
  });

  // ATTACK (stopped): the worst reason (300 '#', each escaped to 9 characters) on the longest full
  // dashboard (60,000, its own cap) stays under GitHub's 65,536.
  it('the longest reason on the longest full dashboard still fits GitHub', () => {
    const full = `${DASHBOARD_MARKER}\n\n${'x'.repeat(59_900)}\n\n<!-- postgate:attention -->\n\n---\n\n_Updated x._ <!-- postgate:updated -->\n`;
    expect(stoppedDashboard(full, stopped('#'.repeat(5000))).length).toBeLessThan(65_536);
  });

  // ATTACK (WORKED, now fixed): someone who may edit issues pads the dashboard's body (a line of 64,000
  // characters below the list, or anywhere) up to GitHub's limit. A full run rewrites the body, but a
  // stopped run keeps all of it and adds the banner: the edit is over 65,536, GitHub refuses it
  // (422), writeDashboard says "could not update the dashboard issue" in the log, and neither the
  // banner nor the comment is written. The README says an editor can silence a comment by editing
  // the digests, "but not the dashboard's own list": here the stop itself is kept off the dashboard.
  // Weakness: src/core/dashboard-stopped.ts:36-44 (the previous body is kept whole, never capped).
  // Fix: cap what is kept (drop kept lines from the end, above the keys/stamp lines, until banner +
  // kept + ends fit in 60,000), or fall back to banner + keys + stamp alone when it does not fit.
  it('a padded previous body does not keep the stopped banner off the issue', () => {
    const full = body(T('08:00'));
    const padded = `${full}\n${'x'.repeat(65_400 - full.length)}\n`;
    expect(padded.length).toBeLessThan(65_536);
    expect(stoppedDashboard(padded, stopped('content/ledger.jsonl was rewritten')).length).toBeLessThanOrEqual(65_536);
  });

  // ATTACK (WORKED, now fixed): every untrusted-ledger reason ends with a full stop
  // (ledger-history.ts:109 "...until the ledger is trusted again."), and the banner adds its own:
  // "…trusted again.. Nothing is sent". The README's main example of a stop reads wrong.
  // Weakness: src/core/dashboard-stopped.ts:33 (`${plainText(run.reason)}. Nothing…`).
  // Fix: plainText(run.reason).replace(/\.+$/, '') before adding '.'.
  it('the banner of an untrusted ledger does not end its reason with two full stops', () => {
    const reason =
      'content/ledger.jsonl was changed by abc1234 (intern) outside the publisher. Nothing is sent or retracted until the ledger is trusted again.';
    expect(stoppedDashboard(null, stopped(reason)).split('\n')[2]).not.toContain('..');
  });

  // ATTACK (stopped): stuck after recovery, or a comment every run. Stop, stop, recover, stop:
  // told at the first stop, not at the second, the banner gone after recovery, told again after.
  it('told once per stop; the next full run drops the banner and the digest', () => {
    const full = input(T('08:00'), { held: [{ item: 'social/a', state: 'held', reason: 'not approved' }] });
    const b0 = dashboardMarkdown(full);
    const run = stopped('GitHub did not answer', T('08:15'));
    const notice = (prev: string) =>
      attentionNotice({ previousBody: prev, entries: [stoppedEntry(run)], notify: [], issueUrl: ISSUE });
    expect(notice(b0)).not.toBeNull();
    const b1 = stoppedDashboard(b0, run);
    expect(notice(b1)).toBeNull();
    const b2 = stoppedDashboard(b1, run);
    const recovered = { ...full, now: T('08:45') };
    expect(
      attentionNotice({ previousBody: b2, entries: noticeEntries(recovered), notify: [], issueUrl: ISSUE }),
    ).toBeNull();
    const b3 = dashboardMarkdown(recovered);
    expect(b3).not.toContain('Publishing is stopped');
    expect(notice(b3)).not.toBeNull();
  });
});

// ATTACK (WORKED, now fixed): an account's own secret (BLUESKY_APP_PASSWORD_JONAS, from accounts:) in the
// stopping error goes into the dashboard issue as is. publish-command.ts:88 adds the accounts'
// secrets to the run's redaction list, but reportStoppedRun redacts with SECRET_VARIABLES only, and
// GitHub's own log masking does not reach issue bodies (the dashboard is public on a public
// repository). No error of today's first pass is known to carry a credential, so this is
// defence in depth, but the function's contract ("secrets already redacted") does not hold. The same
// list is used for the job summary in writeDashboard's `say`.
// Weakness: src/publish/dashboard.ts:84-87 (and :113-116).
// Fix: redact with [...SECRET_VARIABLES, ...secretNamesOf(accountsOf(run.config))] (one helper,
// as report-command.ts:61 does), or have the caller pass its `secrets` list.
describe('1b. the stop reason and secrets', () => {
  let w: GitHubWorld;
  beforeEach(async () => {
    w = await startGitHubWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it("an account's own secret in the stopping error is not written into the dashboard", async () => {
    const secret = 'jonas-app-password-7f3k-q9z2';
    const config = await loadConfig(w.dir);
    await reportStoppedRun({
      config,
      now: T('09:00'),
      reason: `could not read the ledger (request failed: ${secret}); nothing was sent`,
      dryRun: false,
      env: { ...w.env, BLUESKY_APP_PASSWORD_JONAS: secret },
      out: () => {},
    });
    const issue = w.gh.issues.all.find((i) => i.body?.startsWith(DASHBOARD_MARKER));
    expect(issue?.body).toContain('Publishing is stopped');
    expect(issue?.body).not.toContain(secret);
  });
});

describe('2. the waits read from publish.yml', () => {
  const workflow = (cron: string, job = 'publish', timeout = '50') =>
    `on:\n  schedule:\n    - cron: "${cron}"\njobs:\n  ${job}:\n    timeout-minutes: ${timeout}\n`;

  // ATTACK (stopped): crons GitHub accepts, written in other ways, read as what they are.
  it('ranges with steps, whitespace, long lists, Sunday as 0 and 7', () => {
    expect(longestCronGapMs(['0-59/15 * * * *'])).toBe(15 * MIN);
    expect(longestCronGapMs(['  */30 \t *  * * *  '])).toBe(30 * MIN);
    const every = Array.from({ length: 60 }, (_, i) => i).join(',');
    expect(longestCronGapMs([`${every} * * * *`])).toBe(MIN);
    expect(longestCronGapMs(['0 0 * * 0', '0 0 * * 7'])).toBe(7 * 24 * 60 * MIN);
    expect(longestCronGapMs(['0 12 * * 0-7'])).toBe(24 * 60 * MIN);
    expect(longestCronGapMs(['07 */6 * * *'])).toBe(6 * 60 * MIN);
    expect(cronField('0-59/0', 0, 59)).toBeNull();
    expect(cronField('0-60/15', 0, 59)).toBeNull();
    expect(cronField('99999999999999999999', 0, 59)).toBeNull();
  });

  // ATTACK (stopped): a weekly cron and a huge waitUpTo cannot make a wait outlive its job: the
  // job's timeout (or GitHub's 6 hours) less 15 minutes caps it; a tiny timeout makes no negative wait.
  it('no absurd waits: capped by the job, never negative', () => {
    const weekly = publishScheduleOf(workflow('0 0 * * 0'), 'publish');
    expect(waitLimitMs({ ...weekly, waitUpToMs: 10_000 * MIN })).toBe(50 * MIN - JOB_RESERVE_MS);
    const none = publishScheduleOf('on:\n  schedule:\n    - cron: "0 0 * * 0"\njobs:\n  publish: {}\n', 'publish');
    expect(waitLimitMs({ ...none, waitUpToMs: 10_000 * MIN })).toBe(360 * MIN - JOB_RESERVE_MS);
    const tiny = publishScheduleOf(workflow('0 * * * *', 'publish', '5'), 'publish');
    expect(waitLimitMs({ ...tiny, waitUpToMs: 30 * MIN })).toBe(0);
  });

  // ATTACK (stopped): workflow files that are odd but parse, and GITHUB_JOB names that are not in
  // the file (or are Object.prototype's): no crash, the template's figures or GitHub's 6 hours.
  it('odd workflows and job names do not crash', () => {
    for (const text of [
      '',
      'null',
      '42',
      'on: push',
      'on: [push, schedule]',
      'on:\n  schedule: 5',
      'on:\n  schedule: [null, {cron: 7}]',
      'jobs: x',
      '{ bad: [yaml',
    ])
      for (const job of [undefined, 'publish', 'constructor', '__proto__', 'toString'])
        expect(() => publishScheduleOf(text, job), `${text} / ${job}`).not.toThrow();
    const s = publishScheduleOf(workflow('0 * * * *'), 'constructor');
    // Object.prototype.constructor is "a job": GitHub's 6 hours, as for a job without a timeout.
    expect(s.jobTimeoutMs === undefined || s.jobTimeoutMs === 360 * MIN - JOB_RESERVE_MS).toBe(true);
  });

  // ATTACK (stopped): CPU. Many crons of every minute of the week: bounded by the week's 10,080 minutes.
  it('a long list of crons is read quickly', () => {
    const started = performance.now();
    expect(longestCronGapMs(Array.from({ length: 200 }, () => '* * * * 0-7'))).toBe(MIN);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  // ATTACK (WORKED, now fixed): a timeout GitHub accepts but Postgate does not read as a number (an
  // expression such as `${{ fromJSON(vars.PUBLISH_TIMEOUT) }}`, or a quoted "20") is taken as no
  // timeout at all: GitHub's 6 hours. With an hourly cron and `waitUpTo: 75m` (the README's own
  // advice), a job whose timeout is really 20 minutes plans a 75-minute wait and is killed by GitHub
  // mid-wait (possibly mid-thread), and the run never says its timeout limits the wait.
  // Weakness: src/core/publish-schedule.ts:40-41 (anything not a number falls to 360 minutes).
  // Fix: only an absent key means GitHub's default; a present value that is not a positive number
  // is not known: treat it as the template's 50 (or the old 15-minute interval) and say so in `note`.
  it('a timeout-minutes Postgate cannot read is not taken as six hours, silently', () => {
    for (const timeout of ['"20"', '${{ fromJSON(vars.PUBLISH_TIMEOUT) }}']) {
      const s = publishScheduleOf(workflow('0 * * * *', 'publish', timeout), 'publish');
      expect(s.jobTimeoutMs === 360 * MIN - JOB_RESERVE_MS && s.note === null, timeout).toBe(false);
    }
  });

  // ATTACK (WORKED, now fixed): a `timeout-minutes` on the publish *step* (GitHub kills the step, and
  // with it the wait) is not read: only the job's is. The owner who follows the README and raises
  // the job's timeout to 90 but left a step timeout of 20 gets the same cut-off wait.
  // Weakness: src/core/publish-schedule.ts:40 (jobs.<job>.timeout-minutes only).
  // Fix: take the smaller of the job's and the timeout-minutes of the step that runs `publish`
  // (or of every step, conservatively).
  it("a step's timeout-minutes caps the wait too", () => {
    const text =
      'on:\n  schedule:\n    - cron: "0 * * * *"\njobs:\n  publish:\n    timeout-minutes: 90\n    steps:\n      - id: publish\n        timeout-minutes: 20\n        run: npm run --silent postgate -- publish --wait\n';
    const s = publishScheduleOf(text, 'publish');
    expect(waitLimitMs({ ...s, waitUpToMs: 75 * MIN })).toBeLessThanOrEqual(5 * MIN);
  });
});

describe('3. CRISIS off since when', () => {
  // ATTACK (stopped): a stopped run between on and off keeps `crisis:on` in the digests, so the
  // first full run that finds it gone writes its moment; a stopped run after "off since" keeps the mark.
  it('a stopped run in between neither loses nor moves the moment', () => {
    const whileOn = body(T('08:00'), { crisis: on });
    const stop1 = stoppedDashboard(whileOn, stopped('rewritten', T('08:15')));
    expect(crisisOffSince(stop1, T('08:30'), false)).toBe(T('08:30'));
    const off = body(T('08:30'), { crisisOffSince: T('08:30') });
    const stop2 = stoppedDashboard(off, stopped('rewritten', T('08:45')));
    expect(crisisOffSince(stop2, T('09:00'), false)).toBe(T('08:30'));
  });

  // ATTACK (stopped): a writer's text cannot plant a mark: item ids and reasons (held list, sent
  // list, CRISIS reason and author, the stop reason) are escaped or inside code spans.
  it('a mark in writer text is not taken', () => {
    const mark = '<!-- postgate:crisis-off 2001-01-01T00:00:00.000Z -->';
    const b = body(T('08:00'), {
      held: [{ item: `x ${mark}`, state: 'held', reason: `why ${mark}` }],
      results: [{ item: 'y', channel: 'mastodon', outcome: 'failed', message: mark }],
      records: [
        {
          type: 'sent',
          item: mark,
          channel: 'mastodon',
          account: mark,
          part: 0,
          parts: 1,
          url: mark,
          at: '2026-12-01T07:00:00Z',
        },
      ],
    });
    expect(crisisOffSince(b, T('08:15'), false)).toBeNull();
    expect(crisisOffSince(stoppedDashboard(b, stopped(mark)), T('08:15'), false)).toBeNull();
  });

  // ATTACK (WORKED, now fixed): CRISIS on, then one run that cannot read it (GitHub not answering: the
  // body says "could not be checked" and its digests hold `crisis:unknown` only), then off: the
  // dashboard says plain "off", with no moment, though a run saw it on. The README: "off (since the
  // first run that found it removed, once a run has seen it on)". One unreadable run forgets it.
  // Weakness: src/core/dashboard-crisis.ts:19-21 (only the last body's `crisis:on` digest or an off
  // mark count; an unknown body carries neither).
  // Fix: while CRISIS is unknown, carry what the previous body knew: keep the `crisis:on` digest
  // (or a hidden `<!-- postgate:crisis-seen-on -->` mark) and any off mark on the unknown CRISIS line.
  it('on, then unreadable, then off: "off since" the run that found it removed', () => {
    const whileOn = body(T('08:00'), { crisis: on });
    const previousOn = crisisOffSince(whileOn, T('08:15'), true);
    expect(previousOn).toBeNull();
    // As publish's dashboard makes it: the unreadable run carries what the body before knew.
    const unreadable = body(T('08:15'), { crisis: unknown, crisisCarry: crisisCarry(whileOn) });
    expect(crisisOffSince(unreadable, T('08:30'), false)).toBe(T('08:30'));
  });

  // ATTACK (WORKED, now fixed): the same, after "off since 08:15": one unreadable run drops the moment,
  // and every later run says plain "off".
  it('off since a moment, then unreadable, then off: the moment is kept', () => {
    const off = body(T('08:15'), { crisisOffSince: T('08:15') });
    expect(crisisOffSince(off, T('08:30'), false)).toBe(T('08:15'));
    const unreadable = body(T('08:30'), { crisis: unknown, crisisCarry: crisisCarry(off) });
    // Either moment would do (08:15, or 08:45 if the unreadable run may have hidden an on and off); null does not.
    expect(crisisOffSince(unreadable, T('08:45'), false)).not.toBeNull();
  });
});
