import { appendFileSync } from 'node:fs';
import type { Env } from '../channels/channel.ts';
import { redactSecrets } from '../channels/channel-error.ts';
import { REQUIRED_VARIABLES, SECRET_VARIABLES } from '../channels/credentials.ts';
import { accountsOf, secretNamesOf } from '../core/accounts.ts';
import { socialChannelsOf, type Config } from '../core/config-schema.ts';
import { type DashboardInput, dashboardMarkdown } from '../core/dashboard.ts';
import { attentionNotice, type NoticeEntry, noticeEntries } from '../core/dashboard-notice.ts';
import { crisisCarry, crisisOffSince } from '../core/dashboard-crisis.ts';
import { stoppedDashboard, stoppedEntry } from '../core/dashboard-stopped.ts';
import type { Item } from '../core/item.ts';
import type { StateVerdict } from '../core/item-state.ts';
import { parseLedgerText } from '../repo/ledger-file.ts';
import type { GitHubRepo } from '../github/client.ts';
import type { CrisisNotice } from './mode.ts';
import type { HeldItem } from './report.ts';
import type { ActionResult } from './results.ts';

/**
 * The end of a publish run on GitHub: the dashboard issue brought up to date (src/core/dashboard.ts
 * says what it shows, src/github/dashboard-issue.ts how it is found). It never fails the run: a token
 * without `issues: write`, or a GitHub that does not answer, is said in the log and the job summary.
 * Nothing happens locally (no GITHUB_TOKEN), with `dashboard.enabled: false`, or in a --dry-run. A run
 * that is a dry run only because no network has credentials does update it: that is what it is for.
 */
export interface DashboardRun {
  config: Config;
  /** The run's clock as the run ends. */
  now: number;
  /** The CRISIS as the run's last pass found it. */
  crisis: CrisisNotice | null;
  results: readonly ActionResult[];
  held: readonly HeldItem[];
  verdicts: ReadonlyMap<string, StateVerdict>;
  items: readonly Item[];
  /**
   * The ledger as the run checked it (its history, and its seals when they are on), with the records
   * the run wrote since: the dashboard lists what went out from nothing less.
   */
  ledgerText: () => Promise<string>;
  /** `--dry-run` was given. */
  dryRun: boolean;
  env: Env;
  /** The run's log (already redacting secrets). */
  out: (line: string) => void;
}

export async function updateDashboard(run: DashboardRun): Promise<void> {
  const { env } = run;
  await writeDashboard(run, async (gh) => {
    const input: DashboardInput = {
      now: run.now,
      zone: run.config.site.timeZone,
      crisis: run.crisis,
      held: run.held,
      results: run.results,
      missingCredentials: missingCredentials(run.config, env),
      items: run.items,
      verdicts: run.verdicts,
      enabled: run.config.channels,
      // The ledger the run checked, and what it wrote: never a fresh, unchecked read.
      records: parseLedgerText(await run.ledgerText()).records,
      linkHosts: linkHostsOf(run.config, env),
      runUrl: runUrlOf(env),
      latestReport: run.config.analytics.tool === 'none' ? null : await latestReportOf(gh, env),
    };
    // CRISIS off since when: what the dashboard saw before says it (src/core/dashboard-crisis.ts).
    const body = (previous: string | null) =>
      dashboardMarkdown({
        ...input,
        crisisOffSince: crisisOffSince(previous, input.now, input.crisis !== null),
        crisisCarry: input.crisis?.unknown ? crisisCarry(previous) : null,
      });
    return { body, entries: noticeEntries(input) };
  });
}

/**
 * A run that stopped before it could plan (src/core/dashboard-stopped.ts): the dashboard says so at
 * the top and the owner is told, as for a CRISIS. Like the full dashboard, it never fails the run.
 */
export async function reportStoppedRun(
  run: Pick<DashboardRun, 'config' | 'now' | 'dryRun' | 'env' | 'out'> & { reason: string },
): Promise<void> {
  const stopped = {
    now: run.now,
    zone: run.config.site.timeZone,
    reason: redactSecrets(run.reason.split('\n')[0] ?? '', secretValues(run.config, run.env)),
    runUrl: runUrlOf(run.env),
  };
  await writeDashboard(run, async () => ({
    body: (previous) => stoppedDashboard(previous, stopped),
    entries: [stoppedEntry(stopped)],
  }));
}

type Say = (line: string) => void;

/** The way every dashboard is written: found, created or edited, then the owner told what is new. */
async function writeDashboard(
  run: Pick<DashboardRun, 'config' | 'dryRun' | 'env' | 'out'>,
  make: (gh: GitHubRepo) => Promise<{
    body: string | ((previous: string | null) => string);
    entries: readonly NoticeEntry[];
  }>,
): Promise<void> {
  const { env } = run;
  if (!run.config.dashboard.enabled || !env.GITHUB_TOKEN) return;
  const say: Say = (line) => {
    run.out(`  ${line}`);
    if (env.GITHUB_STEP_SUMMARY)
      appendFileSync(env.GITHUB_STEP_SUMMARY, `> ${redactSecrets(line, secretValues(run.config, env))}\n\n`);
  };
  if (run.dryRun) return say('Dry run: would update the dashboard issue.');
  try {
    const [{ githubFromEnv }, { commentOnDashboard, upsertDashboardIssue }] = await Promise.all([
      import('../github/client.ts'),
      import('../github/dashboard-issue.ts'),
    ]);
    const gh = githubFromEnv(env, { timeoutMs: 10_000 });
    if (!gh) return;
    const { body: made, entries: told } = await make(gh);
    // Every text on the issue has been through its channel's redaction; once more, with every name.
    const secrets = secretValues(run.config, env);
    const hide = (text: string) => redactSecrets(text, secrets);
    const render = typeof made === 'string' ? () => made : made;
    const body = (previous: string | null) => hide(render(previous));
    const entries = told.map((e) => ({ ...e, line: hide(e.line) }));
    const result = await upsertDashboardIssue(gh, { title: run.config.dashboard.title, body });
    if (result.kind === 'no-access')
      return say(
        `Note: the dashboard issue was not updated: the token may not write issues here (${result.status}: ${result.message}). Give the publish job \`issues: write\` (README: Publishing dashboard), or set dashboard.enabled: false.`,
      );
    const closed = result.closed ? ' (closed: reopen it to see it among open issues)' : '';
    say(`Dashboard: issue #${result.number} ${result.kind}${closed}: ${result.url}`);
    const { previousBody, number, url } = result;
    const notice = attentionNotice({ previousBody, entries, notify: run.config.dashboard.notify, issueUrl: url });
    // Only after the edit: the edited body says what was told, so a later run does not tell it again.
    if (notice !== null) await tellOwner(gh, number, notice, say, commentOnDashboard);
  } catch (error) {
    say(
      `Warning: could not update the dashboard issue (${(error as Error).message.split('\n')[0]}); nothing else is affected.`,
    );
  }
}

/** The comment that notifies; a refusal is said, and the dashboard above it is current all the same. */
async function tellOwner(
  gh: GitHubRepo,
  number: number,
  notice: string,
  say: Say,
  comment: (gh: GitHubRepo, number: number, body: string) => Promise<string>,
): Promise<void> {
  try {
    say(`Dashboard: something new needs attention; told in ${await comment(gh, number, notice)}`);
  } catch (error) {
    say(
      `Warning: the dashboard is current, but the comment that tells the owner what is new was not written (${(error as Error).message.split('\n')[0]}).`,
    );
  }
}

/** The values never to show: every credential, the accounts' own included (e.g. BLUESKY_APP_PASSWORD_JONAS). */
function secretValues(config: Config, env: Env): (string | undefined)[] {
  return [...SECRET_VARIABLES, ...secretNamesOf(accountsOf(config))].map((name) => env[name]);
}

/** Where each channel's posts live: the only hosts the dashboard links a record's address to. */
function linkHostsOf(config: Config, env: Env): Record<string, string[]> {
  const host = (url: string | undefined) => (url ? (URL.parse(url)?.hostname ?? null) : null);
  const only = (...hosts: (string | null)[]) => hosts.filter((h): h is string => h !== null);
  return {
    blog: only(host(config.site.url)),
    x: ['x.com', 'twitter.com'],
    mastodon: only(host(env.MASTODON_URL)),
    bluesky: ['bsky.app'],
    linkedin: ['www.linkedin.com'],
  };
}

/**
 * Accounts on enabled networks with credentials not all set, and which of their own variables are
 * missing (an account of `accounts:` reads its own, e.g. BLUESKY_APP_PASSWORD_ALICE). An account
 * that is not the organisation's standard one is named by its id.
 */
function missingCredentials(config: Config, env: Env): { channel: string; account?: string; variables: string[] }[] {
  const enabled = socialChannelsOf(config);
  return accountsOf(config)
    .filter((a) => enabled.includes(a.network))
    .map((a) => ({
      channel: a.network,
      ...(a.key !== a.network ? { account: a.id } : {}),
      variables: REQUIRED_VARIABLES[a.network].map((v) => a.credentials[v] ?? v).filter((name) => !env[name]),
    }))
    .filter((m) => m.variables.length > 0);
}

/** This run's page: GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID, as Actions sets them. */
function runUrlOf(env: Env): string | null {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: id } = env;
  if (!id || !/^\d+$/.test(id) || !repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return null;
  if (!/^https:\/\/[^\s/]+$/.test(server)) return null;
  return `${server}/${repository}/actions/runs/${id}`;
}

/**
 * The newest weekly report (report.yml keeps them on postgate/reports), asked only when an analytics
 * tool is set up: one request, and a run without reports asks nothing. Not finding it costs only the link.
 */
async function latestReportOf(gh: GitHubRepo, env: Env): Promise<{ week: string; url: string } | null> {
  const { latestReport, reportUrl } = await import('../github/report-branch.ts');
  try {
    const path = await latestReport(gh);
    if (path === null) return null;
    return {
      week: path.replace(/^reports\/|\.md$/g, ''),
      url: reportUrl(gh, path, env.GITHUB_SERVER_URL || undefined),
    };
  } catch {
    return null;
  }
}
