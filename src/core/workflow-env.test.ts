import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.ts';
import { accountEnvIssues, passedVariables } from './workflow-env.ts';

const site = { title: 'T', url: 'https://example.org', timeZone: 'UTC' };
const config = configSchema.parse({
  site,
  accounts: [
    {
      id: 'alice-bluesky',
      network: 'bluesky',
      owner: 'alice',
      credentials: { BLUESKY_HANDLE: 'BLUESKY_HANDLE_ALICE', BLUESKY_APP_PASSWORD: 'BLUESKY_APP_PASSWORD_ALICE' },
    },
  ],
});
const job = (env: string[]) =>
  `    runs-on: ubuntu-latest\n    steps:\n      - run: npm run --silent postgate -- publish\n        env:\n${env.map((v) => `          ${v}: \${{ secrets.${v} }}\n`).join('')}`;
const publishYml = (env: string[]) => `on: push\njobs:\n  publish:\n${job(env)}  wait:\n${job(env)}`;

describe('account variables in the sending workflows', () => {
  it('reads what a job passes to its postgate steps', () => {
    expect([...passedVariables(publishYml(['A', 'B']), 'wait')!]).toEqual(['A', 'B']);
    expect(passedVariables(publishYml([]), 'retract')).toBeNull();
  });

  it('names each variable an account needs that a sending job does not pass, at the account', () => {
    const workflows = new Map([['.github/workflows/publish.yml', publishYml(['BLUESKY_HANDLE_ALICE'])]]);
    expect(accountEnvIssues(config, workflows)).toEqual([
      {
        path: ['accounts', 0, 'credentials', 'BLUESKY_APP_PASSWORD'],
        message: expect.stringMatching(
          /^BLUESKY_APP_PASSWORD_ALICE is not passed to the jobs publish \(\.github\/workflows\/publish\.yml\), wait \(\.github\/workflows\/publish\.yml\), so alice-bluesky cannot post/,
        ),
      },
    ]);
    const all = publishYml(['BLUESKY_HANDLE_ALICE', 'BLUESKY_APP_PASSWORD_ALICE']);
    expect(accountEnvIssues(config, new Map([['.github/workflows/publish.yml', all]]))).toEqual([]);
    // No workflows (no GitHub Actions): nothing to say.
    expect(accountEnvIssues(config, new Map())).toEqual([]);
  });

  it('names what the weekly report job does not pass too, as engagement it cannot count; a handle comes from vars', () => {
    const reportYml = `on: schedule
jobs:
  report:
${job(['BLUESKY_APP_PASSWORD_ALICE'])}`;
    const all = publishYml(['BLUESKY_HANDLE_ALICE', 'BLUESKY_APP_PASSWORD_ALICE']);
    const workflows = new Map([
      ['.github/workflows/publish.yml', all],
      ['.github/workflows/report.yml', reportYml],
    ]);
    expect(accountEnvIssues(config, workflows)).toEqual([
      {
        path: ['accounts', 0, 'credentials', 'BLUESKY_HANDLE'],
        message:
          "BLUESKY_HANDLE_ALICE is not passed to the job report (.github/workflows/report.yml), so the weekly report cannot count alice-bluesky's engagement: GitHub passes secrets only by name; add BLUESKY_HANDLE_ALICE: $" +
          "{{ vars.BLUESKY_HANDLE_ALICE }} to each one's env",
      },
    ]);
  });
});
