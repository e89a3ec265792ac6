import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH, LEDGER_FILE } from '../src/core/ledger.ts';
import { FakeSite } from './fakes/fake-site.ts';
import { runCliAsync } from './helpers/cli.ts';
import { startGitHubWorld, type GitHubWorld } from './helpers/github-world.ts';

/**
 * Waiting runs (`publish --wait`), in GitHub mode against the fakes: the run's clock starts at
 * POSTGATE_NOW and runs on with the machine, so items due a few seconds after it are waited for
 * for real. What is asserted is order and gates (never before its time; CRISIS and main read
 * again at each wake), not how many seconds anything took.
 */
const START = '2030-03-04T09:29:58Z';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString().replace('.000', '');

let w: GitHubWorld;
beforeEach(async () => {
  w = await startGitHubWorld();
});
afterEach(() => w.stop());

function social(name: string, dueIn: number, text: string): Record<string, string> {
  return {
    [`content/social/${name}.md`]: `---\npublishAt: ${at(dueIn)}\nchannels: [mastodon, bluesky]\n---\n${text}\n`,
  };
}

const publish = (args: string[], env: Record<string, string> = {}) =>
  runCliAsync(['publish', ...args], { cwd: w.dir, env: { ...w.env, POSTGATE_NOW: START, ...env } });

/** Resolves once the ledger branch has a `sent` record of `item`. */
async function whenSent(item: string): Promise<void> {
  while (!w.ledger().some((r) => r.type === 'sent' && r.item === item)) await new Promise((r) => setTimeout(r, 20));
}

describe('publish --wait', () => {
  it('sends each item at its moment, never before, keeps due and sent times on record, and leaves later ones', async () => {
    w.mergeReviewed(
      {
        ...social('first', 2, 'Doors open at 9:30.'),
        ...social('second', 4, 'Second shift starts now.'),
        ...social('tonight', 2 * 3600, 'See you tonight.'),
      },
      'intern',
      ['amira'],
    );
    const r = await publish(['--wait']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Waiting until 2030-03-04 10:30 \+01:00 for 1 item due then \(social\/first\)/);
    expect(r.stdout).toMatch(/Waiting until 2030-03-04 10:30 \+01:00 for 1 item due then \(social\/second\)/);
    expect(r.stdout).toContain('Left to a later run: the next item is due at 2030-03-04 12:29 +01:00');

    const sent = w.ledger().filter((rec) => rec.type === 'sent');
    expect(sent.map((rec) => `${rec.item}:${rec.channel}`).sort()).toEqual([
      'social/first:bluesky',
      'social/first:mastodon',
      'social/second:bluesky',
      'social/second:mastodon',
    ]);
    for (const rec of sent) {
      const due = rec.item === 'social/first' ? at(2) : at(4);
      expect(rec.due).toBe(new Date(due).toISOString());
      // Not a moment early, by the run's clock: neither the pass that sent it nor the send itself.
      expect(Date.parse(rec.at)).toBeGreaterThanOrEqual(Date.parse(due));
      expect(Date.parse(rec.sentAt!)).toBeGreaterThanOrEqual(Date.parse(due));
    }
    // Each went out in its own pass, the second after the first.
    const firstAt = Math.max(...sent.filter((s) => s.item === 'social/first').map((s) => Date.parse(s.sentAt!)));
    const secondAt = Math.min(...sent.filter((s) => s.item === 'social/second').map((s) => Date.parse(s.sentAt!)));
    expect(secondAt).toBeGreaterThan(firstAt);
    // The summary says how late each went out, and so does the queue, from the ledger.
    expect(r.stdout).toMatch(/sent\s+mastodon\s+social\/first\s+\S+; (on time|\d+s late)/);
    const queue = await runCliAsync(['queue', '--json'], { cwd: w.dir, env: { ...w.env, POSTGATE_NOW: at(60) } });
    const rows = JSON.parse(queue.stdout) as { id: string; state: string; lateMs?: number; reason?: string }[];
    for (const id of ['social/first', 'social/second']) {
      const row = rows.find((q) => q.id === id)!;
      expect(row.state).toBe('published');
      const latest = Math.max(
        ...sent.filter((s) => s.item === id).map((s) => Date.parse(s.sentAt!) - Date.parse(s.due!)),
      );
      expect(row.lateMs).toBe(latest);
      expect(row.reason).toBeUndefined();
    }
    const text = await runCliAsync(['queue'], { cwd: w.dir, env: { ...w.env, POSTGATE_NOW: at(60) } });
    expect(text.stdout).toMatch(
      /published .* social\/first\n\s+↳ went out (on time|\d+s late \((mastodon|bluesky)\))\n/,
    );
  });

  it('reads CRISIS again at each wake: one committed during the wait stops what was due after it', async () => {
    w.mergeReviewed(
      { ...social('first', 2, 'Doors open at 9:30.'), ...social('second', 6, 'Second shift starts now.') },
      'intern',
      ['amira'],
    );
    const summary = join(w.dir, 'summary.md');
    const run = publish(['--wait'], { GITHUB_STEP_SUMMARY: summary });
    await whenSent('social/first');
    w.gh.commit({ files: { CRISIS: 'Flooding in the valley\n' }, author: 'amira', message: 'crisis on' });
    const r = await run;
    expect(r.stdout).toContain('Paused by CRISIS: Flooding in the valley');
    expect(w.ledger().filter((rec) => rec.item === 'social/second')).toEqual([]);
    expect(w.n.mastodon.statuses.map((s) => s.text)).toEqual([expect.stringContaining('Doors open')]);
    expect(readFileSync(summary, 'utf8')).toContain('Postgate: paused by CRISIS');
  });

  it('a ledger edited during the wait stops it: nothing more goes out, and the summary still says what did', async () => {
    w.mergeReviewed(
      { ...social('first', 2, 'Doors open at 9:30.'), ...social('second', 6, 'Second shift starts now.') },
      'intern',
      ['amira'],
    );
    const summary = join(w.dir, 'summary.md');
    const run = publish(['--wait'], { GITHUB_STEP_SUMMARY: summary });
    await whenSent('social/first');
    const ledger = w.gh.fileAt(LEDGER_BRANCH, LEDGER_FILE)!;
    // A person's commit that drops the last record (a rewind that would let it go out again).
    const cut = `${ledger.trimEnd().split('\n').slice(0, -1).join('\n')}\n`;
    w.gh.commit({ branch: LEDGER_BRANCH, files: { [LEDGER_FILE]: cut }, author: 'intern', message: 'tidy' });
    const r = await run;
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Stopped waiting: .*intern/);
    expect(w.ledger().filter((rec) => rec.item === 'social/second')).toEqual([]);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/\| sent \| mastodon \| `social\/first` \|/);
    expect(md).toContain('Stopped waiting:');
  });

  it('stops waiting when main moves on during the wait: what is on disk is no longer main', async () => {
    w.mergeReviewed(
      { ...social('first', 2, 'Doors open at 9:30.'), ...social('second', 6, 'Second shift starts now.') },
      'intern',
      ['amira'],
    );
    const run = publish(['--wait'], { GITHUB_SHA: w.gh.head('main'), GITHUB_REF: 'refs/heads/main' });
    await whenSent('social/first');
    w.mergeReviewed({ ...social('second', 6, 'Second shift starts at ten.') }, 'intern', ['amira']);
    const r = await run;
    expect(r.stdout).toMatch(
      /Stopped waiting: main moved on since this run checked out .*What is left goes out at the next run/,
    );
    expect(w.ledger().filter((rec) => rec.item === 'social/second')).toEqual([]);
  });

  it('a release ends the wait (the site is built first); the job after the deploy announces it and sends the rest at its moment', async () => {
    const pages = new FakeSite({ siteTitle: 'Riverside Food Bank' });
    await pages.start();
    try {
      const post = `---\ntitle: Doors open\ndescription: Why we open earlier.\npublishAt: ${at(0)}\nannounce:\n  mastodon: "We open earlier: {url}"\n---\n\nFrom Monday.\n`;
      w.mergeReviewed(
        { 'content/posts/doors.mdx': post, ...social('shift', 6, 'Second shift starts now.') },
        'intern',
        ['amira'],
      );
      const output = join(w.dir, 'github-output');
      writeFileSync(output, '');
      const env = { GITHUB_OUTPUT: output, POSTGATE_SITE_URL: pages.siteUrl, POSTGATE_LIVE_RETRY_MS: '10' };
      const first = await publish(['--wait'], env);
      expect(first.status, first.stdout + first.stderr).toBe(0);
      expect(first.stdout).toMatch(/released\s+blog\s+posts\/doors/);
      expect(first.stdout).toContain('a blog post was released, and the site is built first');
      expect(readFileSync(output, 'utf8')).toContain('site-changed=true');
      expect(readFileSync(output, 'utf8')).toContain('wait-needed=true');
      expect(w.ledger().filter((r) => r.item !== 'posts/doors')).toEqual([]);
      // Not asked before its site is built: this run released it.
      expect(pages.requestsTo('/posts/doors/')).toBe(0);

      // The site job deploys it; the job after starts a little later and finishes what was left.
      pages.deployPost('doors', 'Doors open');
      const second = await publish(['--wait'], { ...env, POSTGATE_NOW: at(3) });
      expect(second.status, second.stdout + second.stderr).toBe(0);
      expect(second.stdout).toContain('posts/doors is live at https://example.org/posts/doors/');
      const sent = w.ledger().filter((r) => r.type === 'sent');
      expect(sent.map((r) => `${r.item}:${r.channel}`).sort()).toEqual([
        'posts/doors/announce:mastodon',
        'posts/doors:blog',
        'social/shift:bluesky',
        'social/shift:mastodon',
      ]);
      // The announcement first: it was due when the post answered, at the job's start.
      const order = sent.map((r) => r.item);
      expect(order.indexOf('posts/doors/announce')).toBeLessThan(order.indexOf('social/shift'));
      expect(Date.parse(sent.find((r) => r.item === 'social/shift')!.sentAt!)).toBeGreaterThanOrEqual(
        Date.parse(at(6)),
      );
    } finally {
      await pages.stop();
    }
  });

  it('the job after the deploy sends nothing, and does not fail, when main moved on since the run began', async () => {
    w.mergeReviewed({ ...social('first', 2, 'Doors open at 9:30.') }, 'intern', ['amira']);
    const started = w.gh.head('main');
    w.mergeReviewed({ 'content/social/other.md': '---\ndraft: true\n---\nLater.\n' }, 'intern', ['amira']);
    const r = await publish(['--wait'], { GITHUB_SHA: started, GITHUB_REF: 'refs/heads/main', GITHUB_ACTIONS: 'true' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/This job sends nothing: main moved on since this run checked out/);
    expect(w.ledger()).toEqual([]);
    // Without --wait (the run's first job) it is an error to see and rerun, as before.
    const plain = await publish([], { GITHUB_SHA: started, GITHUB_REF: 'refs/heads/main', GITHUB_ACTIONS: 'true' });
    expect(plain.status).toBe(1);
  });

  it('with --now or --dry-run says when it would wake, and waits for nothing', async () => {
    w.mergeReviewed({ ...social('first', 120, 'Doors open soon.') }, 'intern', ['amira']);
    for (const args of [
      ['--wait', '--now', START],
      ['--wait', '--dry-run'],
    ]) {
      const r = await publish(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/Would wait until 2030-03-04 10:31 \+01:00 for 1 item due then \(social\/first\)/);
      expect(w.ledger()).toEqual([]);
    }
  });

  it("bridges the gap publish.yml's cron leaves: a sparser cron, a longer wait, within waitUpTo and the job's timeout", async () => {
    w.mergeReviewed({ ...social('later', 50 * 60, 'Doors close soon.') }, 'intern', ['amira']);
    const config = join(w.dir, 'postgate.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/ {2}waitUpTo: \S+/, '  waitUpTo: 90m'));
    const workflow = (cron: string, timeout: number) => {
      mkdirSync(join(w.dir, '.github/workflows'), { recursive: true });
      writeFileSync(
        join(w.dir, '.github/workflows/publish.yml'),
        `on:\n  schedule:\n    - cron: "${cron}"\njobs:\n  publish:\n    timeout-minutes: ${timeout}\n`,
      );
    };
    const wait = (env: Record<string, string> = {}) =>
      publish(['--wait', '--now', START], { GITHUB_JOB: 'publish', ...env });
    // Every 15 minutes: the next run is expected within half an hour; the item is left to it.
    workflow('7,22,37,52 * * * *', 50);
    expect((await wait()).stdout).toContain('Left to a later run: the next item is due at 2030-03-04 11:19 +01:00');
    // Hourly, with time in the job: this run waits for it.
    workflow('0 * * * *', 120);
    expect((await wait()).stdout).toMatch(
      /Would wait until 2030-03-04 11:19 \+01:00 for 1 item due then \(social\/later\)/,
    );
    // Hourly, but the job times out after 50 minutes: it waits at most 35, and says why.
    workflow('0 * * * *', 50);
    const capped = await wait();
    expect(capped.stdout).toContain('Left to a later run');
    expect(capped.stdout).toContain(
      "Note: the publish job's timeout-minutes in publish.yml leaves room to wait 35 minutes, less than policies.waitUpTo: raise it to wait longer.",
    );
    expect(w.ledger()).toEqual([]);
  });

  it('waits for nothing without --wait, nor with policies.waitUpTo 0m; says whether the waiting job is needed', async () => {
    w.mergeReviewed({ ...social('first', 2, 'Doors open at 9:30.') }, 'intern', ['amira']);
    const output = join(w.dir, 'github-output');
    writeFileSync(output, '');
    expect((await publish([], { GITHUB_OUTPUT: output })).stdout).not.toContain('Waiting until');
    expect(readFileSync(output, 'utf8')).toContain('wait-needed=true');
    // Nothing due within the wait: the workflow's waiting job is skipped.
    writeFileSync(output, '');
    await publish([], { GITHUB_OUTPUT: output, POSTGATE_NOW: at(-3600) });
    expect(readFileSync(output, 'utf8')).toContain('wait-needed=false');
    const config = join(w.dir, 'postgate.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/ {2}waitUpTo: \S+/, '  waitUpTo: 0m'));
    const r = await publish(['--wait']);
    expect(r.stdout).not.toContain('Waiting until');
    expect(w.ledger().filter((rec) => rec.type === 'sent')).toEqual([]);
  });
});
