import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH, type LedgerRecord } from '../src/core/ledger.ts';
import { githubFromEnv } from '../src/github/client.ts';
import { GitHubLedgerStore } from '../src/github/ledger-store.ts';
import { LocalLedgerStore, RUN_ID } from '../src/publish/ledger-store.ts';
import { writeFileSync, mkdirSync } from 'node:fs';
import { blobSha, FakeGitHub } from './fakes/fake-github.ts';
import { REPO_ROOT } from './helpers/cli.ts';
import { spawnSync } from 'node:child_process';

/**
 * Claims: a run may send a part only if no other run claimed it since this run read the ledger.
 * Found by the race proof: two runs writing the same claim in the same millisecond made identical
 * lines, and each took the other's for its own. Every line now names its run.
 */
const claim: LedgerRecord = {
  v: 1,
  type: 'attempt',
  item: 'social/a',
  channel: 'x',
  part: 0,
  parts: 1,
  remoteId: '',
  url: '',
  at: '2026-12-01T08:30:00.000Z',
  hash: 'h',
};

/** The line another process writes for the very same record, in the same millisecond. */
function lineFromAnotherProcess(record: LedgerRecord): string {
  const script = `import('${join(REPO_ROOT, 'src/publish/ledger-store.ts')}').then((m) => process.stdout.write(m.ledgerLine(${JSON.stringify(record)})))`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout;
}
const byAnotherRun = `${lineFromAnotherProcess(claim)}\n`;

describe('claims against another run', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = new FakeGitHub();
    await gh.start();
  });
  afterEach(() => gh.stop());

  it('on GitHub: refuses a part another process claimed with the very same record', async () => {
    expect(byAnotherRun).toContain('"item":"social/a"');
    const repo = githubFromEnv({
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
      POSTGATE_GITHUB_THROTTLE: 'off',
    })!;
    const store = new GitHubLedgerStore(repo, mkdtempSync(join(tmpdir(), 'postgate-claims-')), {
      text: '',
      moveFrom: null,
    });
    gh.commit({ branch: LEDGER_BRANCH, files: { 'content/ledger.jsonl': byAnotherRun }, author: 'github-actions' });
    expect(await store.claim(claim)).toBe(false);
    expect(await store.claim({ ...claim, part: 1 })).toBe(true);
    expect(gh.fileAt(LEDGER_BRANCH, 'content/ledger.jsonl')).toContain(
      `"part":1,"parts":1,"remoteId":"","url":"","at":"2026-12-01T08:30:00.000Z","hash":"h","run":"${RUN_ID}"`,
    );
  });

  it('locally: the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postgate-claims-'));
    const store = new LocalLedgerStore(dir);
    mkdirSync(join(dir, 'content'), { recursive: true });
    writeFileSync(join(dir, 'content/ledger.jsonl'), byAnotherRun);
    expect(await store.claim(claim)).toBe(false);
    expect(await store.claim({ ...claim, part: 1 })).toBe(true);
  });

  it('a `live` record another run wrote since is no claim: it says the post answered, not that a part is being sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postgate-claims-'));
    const store = new LocalLedgerStore(dir);
    const release: LedgerRecord = { ...claim, item: 'posts/launch', channel: 'blog', hash: '' };
    mkdirSync(join(dir, 'content'), { recursive: true });
    writeFileSync(join(dir, 'content/ledger.jsonl'), `${lineFromAnotherProcess({ ...release, type: 'live' })}\n`);
    expect(await store.claim(release)).toBe(true);
  });
});

describe('one run writing the GitHub ledger from several channels at once', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = new FakeGitHub();
    await gh.start();
  });
  afterEach(() => gh.stop());

  const storeOn = (start: string) => {
    const repo = githubFromEnv({
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
      POSTGATE_GITHUB_THROTTLE: 'off',
    })!;
    return new GitHubLedgerStore(repo, mkdtempSync(join(tmpdir(), 'postgate-claims-')), {
      text: start,
      moveFrom: null,
    });
  };
  const start = `${JSON.stringify({ ...claim, item: 'social/old', run: 'r0' })}\n`;

  it('never takes its own writes for a rewrite: twelve claims at once all land, one commit each', async () => {
    gh.commit({ branch: LEDGER_BRANCH, files: { 'content/ledger.jsonl': start }, author: 'github-actions' });
    gh.server.latencyMs = 5;
    const store = storeOn(start);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, part) => store.claim({ ...claim, part, parts: 12 })),
    );
    expect(results).toEqual(Array(12).fill(true));
    const lines = (gh.fileAt(LEDGER_BRANCH, 'content/ledger.jsonl') ?? '').split('\n').filter(Boolean);
    expect(lines).toHaveLength(13);
    // One after another: no write had to be retried after a conflict.
    expect(gh.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(12);
  });

  it('reads again when an answer is older than its own last write (a lagging replica), and goes on', async () => {
    gh.commit({ branch: LEDGER_BRANCH, files: { 'content/ledger.jsonl': start }, author: 'github-actions' });
    const store = storeOn(start);
    expect(await store.claim({ ...claim, part: 0, parts: 2 })).toBe(true);
    // The next read is answered with the version before that write.
    const old = Buffer.from(start);
    gh.server.inject({
      match: /^GET \/repos\/[^/]+\/[^/]+\/contents\/content\/ledger\.jsonl$/,
      respond: {
        status: 200,
        body: {
          type: 'file',
          path: 'content/ledger.jsonl',
          encoding: 'base64',
          content: old.toString('base64'),
          sha: blobSha(start),
          size: old.length,
        },
      },
    });
    expect(await store.claim({ ...claim, part: 1, parts: 2 })).toBe(true);
    expect((gh.fileAt(LEDGER_BRANCH, 'content/ledger.jsonl') ?? '').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('stops claiming when the ledger no longer begins with what it read (a rewrite), whatever the timing', async () => {
    gh.commit({ branch: LEDGER_BRANCH, files: { 'content/ledger.jsonl': start }, author: 'github-actions' });
    const store = storeOn(start);
    gh.commit({ branch: LEDGER_BRANCH, files: { 'content/ledger.jsonl': 'something else\n' }, author: 'amira' });
    await expect(store.claim({ ...claim, part: 0, parts: 1 })).rejects.toThrow(/was rewritten during this run/);
  });
});
