import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DASHBOARD_MARKER, dashboardMarkdown } from '../src/core/dashboard.ts';
import { scheduleGantt } from '../src/core/dashboard-gantt.ts';
import { LEDGER_BRANCH, LEDGER_FILE } from '../src/core/ledger.ts';
import { newSealKeys } from '../src/core/ledger-seal.ts';
import { checkPostLive } from '../src/publish/live-check.ts';
import type { FakeResponse, RecordedRequest } from './fakes/fake-server.ts';
import { FakeSite, postPageHtml } from './fakes/fake-site.ts';
import { runCliAsync } from './helpers/cli.ts';
import { startGitHubWorld, type GitHubWorld } from './helpers/github-world.ts';
import { dashboardInput } from './helpers/dashboard-input.ts';

/**
 * Insider review 5: what this session added (publish --wait, announce-after-live and the `live`
 * record, lateness on record, the dashboard issue, the ledger update check that ignores updates newer
 * than the head its history read saw), attacked as a writer with push access, an agency, or an
 * outside contributor. `it.fails` marks an attack that succeeds today (the expectation written is
 * what should hold); plain `it` pins an attack that is stopped.
 */
const T0 = '2026-12-01T09:00:00Z';
const T5 = '2026-12-01T09:05:00Z';
const T20 = '2026-12-01T09:20:00Z';
const KEYS = newSealKeys();
const SEALED = { POSTGATE_LEDGER_KEY: KEYS.privateKey, POSTGATE_LEDGER_PUBLIC_KEY: KEYS.publicKey };

let w: GitHubWorld;
let site: FakeSite;
beforeEach(async () => {
  w = await startGitHubWorld();
  site = new FakeSite({ siteTitle: 'Riverside Food Bank' });
  await site.start();
});
afterEach(async () => {
  await Promise.all([w.stop(), site.stop()]);
});

const publish = (args: string[], env: Record<string, string> = {}) =>
  runCliAsync(['publish', ...args], {
    cwd: w.dir,
    env: { ...w.env, POSTGATE_SITE_URL: site.siteUrl, POSTGATE_LIVE_RETRY_MS: '10', ...env },
  });
/** As the workflow's job runs: on main, at the commit it checked out. */
const onMain = () => ({ GITHUB_SHA: w.gh.head('main'), GITHUB_REF: 'refs/heads/main' });

const POST = 'content/posts/doors.mdx';
const post = (title = 'Doors open') =>
  `---\ntitle: ${title}\ndescription: Why we open earlier.\npublishAt: ${T0}\nannounce:\n  mastodon: "We open earlier: {url}"\n---\n\nFrom Monday.\n`;
const HOURS = 'content/social/hours.md';
const hours = (text: string, at = T5) => ({ [HOURS]: `---\npublishAt: ${at}\nchannels: [mastodon]\n---\n${text}\n` });

let lateBranches = 0;
/** A reviewed pull request merged on GitHub only: the run's checkout (w.dir) does not get it. */
function mergeOnGitHub(files: Record<string, string>) {
  const branch = `late-${++lateBranches}`;
  w.gh.commit({ branch, files, author: 'intern', message: 'Edit' });
  const pr = w.gh.openPullRequest({ author: 'intern', branch, title: 'Edit' });
  w.gh.review(pr, { user: 'amira', state: 'APPROVED' });
  w.gh.merge(pr, { by: 'riverside' });
}

/** Calls `fn` once, when the fake site first receives a request for `path`, before it answers. */
function onFirstSiteRequest(path: string, fn: () => void) {
  const route = (site as unknown as { route: (q: RecordedRequest) => FakeResponse }).route.bind(site);
  let done = false;
  Object.assign(site, {
    route: (q: RecordedRequest) => {
      if (!done && q.path === path) {
        done = true;
        fn();
      }
      return route(q);
    },
  });
}

/** Wraps the fake GitHub's router: `after` sees every request with its answer. */
function tapGitHub(hook: {
  before?: (q: RecordedRequest) => void;
  after?: (q: RecordedRequest, r: FakeResponse) => void;
}) {
  const route = (w.gh as unknown as { route: (q: RecordedRequest) => FakeResponse }).route.bind(w.gh);
  Object.assign(w.gh, {
    route: (q: RecordedRequest) => {
      hook.before?.(q);
      const r = route(q);
      hook.after?.(q, r);
      return r;
    },
  });
}

const ledgerText = () => w.gh.fileAt(LEDGER_BRANCH, LEDGER_FILE) ?? '';
const line = (record: Record<string, unknown>) =>
  `${JSON.stringify({ v: 1, part: 0, parts: 1, hash: '', ...record })}\n`;
/** What a workflow on a writer's branch can do with its own GITHUB_TOKEN: a contents-API commit, as github-actions[bot]. */
const forgeOnLedger = (extra: string, message = 'ledger: live posts/doors on blog') =>
  w.gh.commit({ branch: LEDGER_BRANCH, files: { [LEDGER_FILE]: ledgerText() + extra }, asToken: true, message });
const mastodonTexts = () => w.n.mastodon.statuses.map((s) => s.text);

/** Releases the post (and lands `extra` with it) in a first run; the site has not deployed it yet. */
async function released(extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  w.mergeReviewed({ [POST]: post(), ...extra }, 'intern', ['amira']);
  const r = await publish(['--now', T0], env);
  expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: '' });
  expect(r.stdout).toMatch(/released\s+blog\s+posts\/doors/);
}

describe('waiting runs and the live check: CRISIS, main moving, edits merged meanwhile', () => {
  // ATTACK (stopped): CRISIS lands while the pass is asking the site (a fresh release is asked up to
  // 4 times, 15 s apart in production, after CRISIS was read at the pass's start). Every part still
  // reads CRISIS right before it goes out (send-thread.ts stopIfCrisis): nothing is sent.
  it('a CRISIS committed while the pass asks the site stops the announcement and everything due', async () => {
    await released(hours('Open until 6pm today.'));
    site.deployPost('doors', 'Doors open');
    onFirstSiteRequest('/posts/doors/', () =>
      w.gh.commit({ files: { CRISIS: 'Flooding in the valley\n' }, author: 'amira', message: 'crisis on' }),
    );
    const r = await publish(['--now', T5]);
    expect(site.requestsTo('/posts/doors/')).toBe(1);
    expect(r.stdout).toContain('CRISIS: Flooding in the valley');
    expect(mastodonTexts()).toEqual([]);
    expect(w.ledger().filter((rec) => rec.type === 'sent' && rec.channel !== 'blog')).toEqual([]);
  });

  // ATTACK (SUCCEEDS): "send an item it checked out before an edit was merged". main is verified
  // once before a pass (publish-command.ts verifyCheckout at the start; waiting.ts before each wake),
  // but publish-pass.ts now runs askLive between that check and applySends: up to 4 tries per fresh
  // release, 15 s timeout + 15 s pause each (about 105 s per post, sequential over posts), where
  // before this session the gap was a few API calls. An approved correction (or the deletion of the
  // item) merged in that gap is ignored and the checked-out text goes out. Here the owner's
  // correction lands during the first request to the site.
  // Weakness: src/publish/publish-pass.ts:100-108 (askLive, then applySends with no re-check of main).
  // Fix: call mode.verifyCheckout() again after askLive (i.e. right before applySends) and stop the
  // pass on MainMovedError as waiting.ts does; or ask the site after the sends and send the
  // announcements that became due in a second, re-verified step; and bound askLive's total time.
  it('an approved correction merged while the pass asks the site: the checked-out text is not sent', async () => {
    await released(hours('Open until 6pm today.'));
    let merged = false;
    onFirstSiteRequest('/posts/doors/', () => {
      mergeOnGitHub(hours('CORRECTION: we close at 4pm today.'));
      merged = true;
    });
    const r = await publish(['--now', T5], onMain());
    expect({ merged, status: r.status }, r.stdout + r.stderr).toEqual({ merged: true, status: 0 });
    // What should hold: main moved on before anything was sent, so the old text is not sent.
    expect(mastodonTexts().filter((t) => t.includes('6pm'))).toEqual([]);
  });

  // ATTACK (stopped): an edit merged during the wait (before a wake) is seen by verifyCheckout.
  // tests/waiting.test.ts pins the same for CRISIS; here a writer's direct push to main (no PR) during
  // the wait: nothing more goes out.
  it('a direct push to main during the wait ends the wait; the item due then is not sent', async () => {
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const start = Date.now() - 1000;
    const first = 'content/social/first.md';
    w.mergeReviewed(
      {
        [first]: `---\npublishAt: ${iso(start)}\nchannels: [mastodon]\n---\nDoors open now.\n`,
        ...hours('Second shift starts now.', iso(start + 8000)),
      },
      'intern',
      ['amira'],
    );
    const run = publish(['--wait'], { ...onMain(), POSTGATE_NOW: iso(start) });
    while (!w.ledger().some((rec) => rec.type === 'sent' && rec.item === 'social/first'))
      await new Promise((resolve) => setTimeout(resolve, 20));
    // No pull request, no review: a writer's push where main's ruleset is missing.
    w.gh.commit({ files: hours('Buy cheap pills at https://spam.example', iso(start + 8000)), author: 'intern' });
    const r = await run;
    expect(r.stdout).toMatch(/Stopped waiting: main moved on/);
    expect(mastodonTexts()).toEqual([expect.stringContaining('Doors open now')]);
  });
});

describe('announce after live: the `live` record and the live check', () => {
  // ATTACK (stopped): a workflow on a writer's branch commits a `live` record with its own
  // GITHUB_TOKEN (github-actions[bot], signed by GitHub) so the announcement goes out while the post
  // is a 404. With seals on, the record has no seal: the run refuses the ledger and sends nothing.
  it('a forged `live` record (sealed ledger) stops the run; nothing is announced', async () => {
    await released({}, SEALED);
    forgeOnLedger(
      line({
        type: 'live',
        item: 'posts/doors',
        channel: 'blog',
        remoteId: '',
        url: 'https://example.org/posts/doors/',
        at: T0,
      }),
    );
    const r = await publish(['--now', T5], SEALED);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/carries no seal/);
    expect(mastodonTexts()).toEqual([]);
  });

  // ATTACK (stopped): the same record landed between the run's history read and its activity read,
  // where checkEveryUpdate now ignores updates newer than the head the history read saw. The run goes
  // by the ledger it verified (no `live`): it asks the site (404) and announces nothing; the next run
  // sees the record in the history and stops.
  it('a forged `live` record pushed between the history read and the activity read is not believed', async () => {
    await released({}, SEALED);
    let forged = false;
    tapGitHub({
      before: (q) => {
        if (!forged && q.method === 'GET' && q.path.endsWith('/activity') && !q.query.get('activity_type')) {
          forged = true;
          forgeOnLedger(
            line({
              type: 'live',
              item: 'posts/doors',
              channel: 'blog',
              remoteId: '',
              url: 'https://example.org/posts/doors/',
              at: T0,
            }),
          );
        }
      },
    });
    const r = await publish(['--now', T5], SEALED);
    expect(forged).toBe(true);
    expect(site.requestsTo('/posts/doors/')).toBeGreaterThan(0);
    expect(mastodonTexts()).toEqual([]);
    const next = await publish(['--now', T20], SEALED);
    expect({ first: r.status, next: next.status }).toEqual({ first: 0, next: 1 });
    expect(mastodonTexts()).toEqual([]);
  });

  // ATTACK (stopped): the branch deleted and made again at its head, so the activity list shows the
  // head twice (the re-creation newest): the splice keeps the deletion, and the run stops.
  it('an activity list that shows the head twice (deleted and re-created at it) stops the run', async () => {
    await released({}, SEALED);
    const head = w.gh.head(LEDGER_BRANCH);
    w.gh.deleteBranch(LEDGER_BRANCH, 'intern');
    (
      w.gh as unknown as { advance(b: string, s: string, p: { type: 'push'; at: number; actor: string }): void }
    ).advance(LEDGER_BRANCH, head, { type: 'push', at: 0, actor: 'github-actions[bot]' });
    expect(w.gh.head(LEDGER_BRANCH)).toBe(head);
    const r = await publish(['--now', T5], SEALED);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/deleted/);
  });

  // ATTACK (stopped): the live check is made to carry a credential (it runs in the job that holds
  // them all). It sends none: no Authorization, no cookie, no secret value in any header or the path.
  it('the live check carries no credential to the site', async () => {
    await released();
    site.deployPost('doors', 'Doors open');
    const r = await publish(['--now', T5]);
    expect(r.stdout).toContain('posts/doors is live');
    const asked = site.server.requests.filter((q) => q.path === '/posts/doors/');
    expect(asked.length).toBeGreaterThan(0);
    for (const q of asked) {
      expect(q.headers.authorization).toBeUndefined();
      expect(q.headers.cookie).toBeUndefined();
      const sent = JSON.stringify(q.headers) + q.path;
      for (const secret of [...w.n.secrets, w.gh.token]) expect(sent).not.toContain(secret);
    }
    expect(mastodonTexts()).toEqual([expect.stringContaining('We open earlier')]);
  });

  // ATTACK (stopped): announce while the post is not there. The site's 404 page (an HTML page) and a
  // 200 answer with another page do not count; the announcement waits.
  it('a 404 page or a 200 with another page at the address does not let the announcement out', async () => {
    await released();
    expect((await publish(['--now', T5])).stdout).toContain('posts/doors is not live yet');
    site.deploy('/posts/doors/', postPageHtml('Doors closed for good', site.siteTitle));
    expect((await publish(['--now', T20])).stdout).toContain('does not show the title');
    expect(mastodonTexts()).toEqual([]);
  });

  // ATTACK (SUCCEEDS, low): "live" is a substring test of the title in <title>/<h1>. A host that
  // answers every unknown path 200 with the home page (a single-page-app fallback: Cloudflare Pages
  // without a 404.html, Netlify `/* /index.html 200`, a preview host named by POSTGATE_SITE_URL) makes
  // a post whose title is a word of the site's title "live" before it is deployed.
  // Weakness: src/core/live-page.ts:17 (`text.includes(wanted)` on the whole <title>, any <h1>).
  // Fix: require the post page's own marker (e.g. the layout's `<h1 id="post-title">` or a
  // `<meta name="postgate:post" content="<id>@<release hash>">` the site writes) and compare whole,
  // not as a substring; that also tells an older deployment of the same post from this release.
  it('a catch-all 200 home page does not make a post titled with part of the site title live', async () => {
    w.mergeReviewed({ [POST]: post('Food Bank') }, 'intern', ['amira']);
    expect((await publish(['--now', T0])).status).toBe(0);
    // The host's fallback: the home page, 200, at every address.
    site.deploy(
      '/posts/doors/',
      '<!DOCTYPE html><html><head><title>Riverside Food Bank</title></head><body><h1>Riverside Food Bank</h1><ul><li><a href="/posts/older/">Older news</a></li></ul></body></html>',
    );
    const r = await publish(['--now', T5]);
    expect(r.stdout).not.toContain('posts/doors is live');
    expect(mastodonTexts()).toEqual([]);
  });
});

describe('the live check itself: redirects, slow and hostile pages', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  });
  async function serve(host: string, handler: RequestListener): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return `http://${host}:${(server.address() as AddressInfo).port}`;
  }
  const otherMachine = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  // ATTACK (SUCCEEDS, low): POSTGATE_SITE_URL may be http:// only to this machine, because "over plain
  // http to another machine, anyone on the way could give that answer" (base-url.ts). A redirect
  // from the site to http:// on another host is followed all the same (redirect: 'follow'), and so
  // is site.url itself when it is http:// (config-schema.ts accepts any http:// site.url). No
  // credential travels, but the answer decides whether announcements go out.
  // Weakness: src/publish/live-check.ts:36 (`redirect: 'follow'`).
  // Fix: redirect: 'manual' and follow at most a few hops by hand, each checked with
  // insecureBaseUrlProblem (https, or http only to loopback) and kept on the site's host (or the
  // override's); require site.url to be https:// (or loopback) in the config schema.
  (otherMachine ? it : it.skip)('a redirect to plain http:// on another machine is not followed', async () => {
    const plain = await serve(otherMachine!, (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(postPageHtml('Doors open', 'Riverside Food Bank'));
    });
    const local = await serve('127.0.0.1', (_q, res) => {
      res.writeHead(302, { location: `${plain}/posts/doors/` });
      res.end();
    });
    const answer = await checkPostLive('https://example.org/posts/doors/', 'Doors open', {
      timeoutMs: 2_000,
      siteUrl: 'https://example.org',
      baseOverride: local,
    });
    expect(answer.ok).toBe(false);
  });

  // ATTACK (stopped): a site that sends 200 and then trickles its page, a byte at a time, for ever,
  // to keep the credentialed job alive: the timeout covers reading the body too.
  it('a page that trickles for ever is given up at the timeout', async () => {
    const base = await serve('127.0.0.1', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const answer = await checkPostLive('https://example.org/posts/doors/', 'Doors open', {
      timeoutMs: 500,
      siteUrl: 'https://example.org',
      baseOverride: base,
    });
    expect(answer).toEqual({ ok: false, reason: 'timed out after 0.5 s' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  // ATTACK (SUCCEEDS, DoS): pageShowsPost's regexes are quadratic on unclosed openings
  // (`<h1\b[^>]*>([\s\S]*?)<\/h1\s*>`, the same for <title>, <!--, <script>). The site's Markdown
  // keeps `<` as it is inside attribute values (hast-util-to-html escapes only " and & there), so an
  // approved post with a long image alt text of "<h1 <h1 <h1 …" renders such a page. Measured here:
  // 128 KB 2.2 s, 1 MB 176 s per ask, synchronous (the AbortSignal timeout cannot stop it), 4 asks
  // for a fresh release, before applySends: every send of the pass waits, the run can hit the job's
  // timeout, and each run does it again until policies.liveWithin (24 h) runs out.
  // Weakness: src/core/live-page.ts:12-15.
  // Fix: a linear scan (indexOf for "<title", "<h1", "</h1>", "-->"; or parse5's tokenizer), read
  // only the <head> and the first <h1 id="post-title">, or cap the page at ~64 KB before matching.
  it('a post page with a long "<h1 <h1 …" alt text is judged within the timeout', async () => {
    const alt = '<h1 '.repeat(48 * 1024); // 192 KB
    const page = postPageHtml('Doors open', 'Riverside Food Bank').replace(
      '<div class="prose">',
      `<div class="prose"><p><img src="/chart.png" alt="${alt}"></p>`,
    );
    const base = await serve('127.0.0.1', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
    });
    const started = Date.now();
    const answer = await checkPostLive('https://example.org/posts/doors/', 'Doors open', {
      timeoutMs: 500,
      siteUrl: 'https://example.org',
      baseOverride: base,
    });
    expect(answer.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  }, 60_000);
});

describe('the dashboard issue', () => {
  const BOT = 'github-actions[bot]';
  const dashboard = () => w.gh.issues.all.find((i) => i.user.login === BOT && i.body?.startsWith(DASHBOARD_MARKER));

  // ATTACK (SUCCEEDS): a phishing link in the bot's own issue. The dashboard's "Sent" list is built
  // from a fresh, unchecked read of the ledger branch at the end of the run (dashboard-issue.ts
  // ledgerOnItsBranch: "no history check"), and linkTo links any http(s) URL a record holds; a later
  // record for the same item and channel replaces the link (dashboard-sent.ts: part 0 wins). A
  // branch workflow commits a `sent` record for the post just sent, with its URL on a phishing host,
  // while the run is sending (after its verified read): the issue, written by github-actions[bot],
  // links "Mastodon" there. The next run refuses the ledger (no seal) and stops before the dashboard,
  // so the link stays up until the ledger is repaired.
  // Weakness: src/publish/dashboard.ts:75 (records from ledgerOnItsBranch) and
  // src/core/dashboard-sent.ts:55,65 (a later part-0 record replaces the URL; linkTo any URL).
  // Fix: build the list from the ledger text the run verified plus the records its own store wrote
  // (pass the store's `seen` text), never from a fresh unchecked read; and link only URLs on the
  // channel's own host (site.url for blog, MASTODON_URL's host, x.com, bsky.app), plain text otherwise.
  it('a `sent` record forged during the run does not put a phishing link in the dashboard', async () => {
    w.mergeReviewed(hours('Doors open at ten.', T0), 'intern', ['amira']);
    let forged = false;
    tapGitHub({
      after: (q, r) => {
        if (forged || q.method !== 'PUT' || !q.path.includes('/contents/') || r.status >= 300) return;
        if (!/^ledger: sent social\/hours on mastodon/.test(JSON.parse(q.body.toString()).message ?? '')) return;
        forged = true;
        forgeOnLedger(
          line({
            type: 'sent',
            item: 'social/hours',
            channel: 'mastodon',
            remoteId: '1',
            url: 'https://phish.example/mastodon-login',
            at: T0,
          }),
          'ledger: sent social/hours on mastodon',
        );
      },
    });
    const first = await publish(['--now', T0], SEALED);
    const afterFirst = dashboard()?.body ?? '';
    const next = await publish(['--now', T20], SEALED);
    const afterNext = dashboard()?.body ?? '';
    // Today: { forged: true, first: 0, linked: true, next: 1, stillLinked: true }.
    expect({
      forged,
      first: first.status,
      linked: afterFirst.includes('](https://phish.example'),
      next: next.status,
      stillLinked: afterNext.includes('](https://phish.example'),
    }).toEqual({ forged: true, first: 0, linked: false, next: 1, stillLinked: false });
  });

  // ATTACK (SUCCEEDS, low): markdown-text.ts promises writer text "must not ... link", and escapes
  // Markdown's characters, but GitHub also autolinks bare URLs (https://…, www.…). A file merged to
  // main without approval (a writer on a plan without main's ruleset, or a careless approver) is held,
  // and its error quotes the writer's value: the bot's issue shows a clickable phishing link.
  // Weakness: src/core/markdown-text.ts:19 (plainText leaves "://" and "www." intact).
  // Fix: break autolinks in plainText (a zero-width space entity after "://" and after "www", as for
  // @ and #), or show held reasons as code spans.
  it('a held file’s error does not turn a writer’s URL into a link in the dashboard', async () => {
    const file = 'content/social/signup.md';
    const text = `---\npublishAt: ${T0}\nchannels: [mastodon]\nimages: [{src: "https://phish.example/postgate-login", alt: "x"}]\n---\nHi\n`;
    // Merged by its author without a review (main without its ruleset): held, never sent.
    w.gh.commit({ branch: 'signup', files: { [file]: text }, author: 'intern' });
    w.gh.merge(w.gh.openPullRequest({ author: 'intern', branch: 'signup', title: 'Signup' }), { by: 'intern' });
    mkdirSync(join(w.dir, 'content/social'), { recursive: true });
    writeFileSync(join(w.dir, file), text);
    const r = await publish(['--now', T5]);
    const body = dashboard()?.body ?? '';
    expect(body, r.stdout).toContain('**Held** `social/signup`');
    expect(mastodonTexts()).toEqual([]);
    // Today the line reads: image "https://phish.example/postgate-login" is an address, … (autolinked by GitHub).
    expect(body).not.toMatch(/https?:\/\/phish\.example/);
  });

  // ATTACK (stopped): mentions, issue references, HTML, images, math and fence breaks in item ids,
  // reasons, failure messages and the CRISIS reason; Mermaid statements in ids in the chart.
  it('writer text cannot mention, reference, embed HTML or break the chart', () => {
    const hostile =
      '@amira #1 riverside/journal#2 <img src=x onerror=alert(1)> [log in](https://phish.example) ![x](https://phish.example/p.png) $x$ ~~s~~ \n```\n</details>';
    const now = Date.parse(T0);
    const body = dashboardMarkdown(
      dashboardInput(now, {
        crisis: { reason: hostile, author: '@riverside' },
        held: [{ item: hostile, state: 'held', reason: hostile }],
        results: [{ item: hostile, channel: 'mastodon', outcome: 'failed', message: hostile }],
        enabled: ['mastodon'],
      }),
    );
    const outsideCode = body.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toMatch(/(?<!\\)<img|(?<!\\)<\/details|\]\(https?:|@amira|@riverside|(^|\s)#1|journal#2/m);
    expect(body.match(/^```/gm) ?? []).toEqual([]);

    const chart = scheduleGantt(now, 'Europe/Berlin', [
      {
        id: 'x```\n%%{init: {"theme":"dark"}}%%\nclick a href "javascript:alert(1)"\nsection Owned : crit',
        channel: 'mastodon',
        dueAt: now + 3_600_000,
      },
    ])!;
    const lines = chart.split('\n');
    expect(lines.filter((l) => l.startsWith('```'))).toEqual(['```mermaid', '```']);
    const task = lines.find((l) => l.includes('milestone'))!;
    expect(task).toMatch(/^ {2}\d\d∶\d\d [\p{L}\p{N} ._/+\-…]+ : milestone, \d{4}-\d\d-\d\d \d\d:\d\d, 1m$/u);
    expect(lines.filter((l) => /^\s*(click|section Owned|%%)/.test(l))).toEqual([]);
  });
});
