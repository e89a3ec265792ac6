import { parse } from 'yaml';
import type { AccountEntry } from './accounts.ts';
import { accountsOf } from './accounts.ts';

/**
 * GitHub hands a job only the secrets its workflow names, one by one: an account's variables that a
 * sending job does not pass are simply unset there, and the account "not configured" at the moment
 * it should post. `check` says so ahead, from the workflows as they are.
 */
export const SENDING_JOBS: readonly (readonly [file: string, jobs: readonly string[]])[] = [
  ['.github/workflows/publish.yml', ['publish', 'wait']],
  ['.github/workflows/retract.yml', ['retract']],
];

/** The weekly report reads each account's engagement with its own variables (LinkedIn's is not read). */
export const READING_JOBS: readonly (readonly [file: string, jobs: readonly string[]])[] = [
  ['.github/workflows/report.yml', ['report']],
];

interface Job {
  env?: Record<string, unknown>;
  steps?: { run?: string; env?: Record<string, unknown> }[];
}

/** The variables a job gives the steps that run postgate: its own env and theirs. */
export function passedVariables(workflowText: string, job: string): Set<string> | null {
  let parsed: { jobs?: Record<string, Job> } | null;
  try {
    parsed = parse(workflowText) as typeof parsed;
  } catch {
    return null;
  }
  const found = parsed?.jobs?.[job];
  if (!found) return null;
  const names = new Set(Object.keys(found.env ?? {}));
  for (const step of found.steps ?? [])
    if (step.run?.includes('postgate')) for (const name of Object.keys(step.env ?? {})) names.add(name);
  return names;
}

export interface EnvIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Each listed account's variables that a sending job does not pass, at the account's credential
 * (`accounts[i].credentials.<NAME>`). Workflows that are not there are not asked (no GitHub Actions).
 */
export function accountEnvIssues(
  config: { channels: readonly string[]; accounts?: readonly AccountEntry[] },
  workflows: ReadonlyMap<string, string>,
): EnvIssue[] {
  const issues: EnvIssue[] = [];
  const accounts = accountsOf(config).filter((a) => a.declared);
  accounts.forEach((account, index) => {
    for (const [standard, variable] of Object.entries(account.credentials)) {
      if (variable === standard || !config.accounts?.[index]?.credentials?.[standard]) continue;
      const unpassed = (list: typeof SENDING_JOBS) => {
        const missing: string[] = [];
        for (const [file, jobs] of list) {
          const text = workflows.get(file);
          if (text === undefined) continue;
          for (const job of jobs)
            if (passedVariables(text, job)?.has(variable) === false) missing.push(`${job} (${file})`);
        }
        return missing;
      };
      const sending = unpassed(SENDING_JOBS);
      const reading = account.network === 'linkedin' ? [] : unpassed(READING_JOBS);
      const missing = [...sending, ...reading];
      const consequence =
        sending.length > 0
          ? `${account.id} cannot post or retract there`
          : `the weekly report cannot count ${account.id}'s engagement`;
      // A server's address or a handle is no secret: repository variables (vars.) hold those.
      const source = /_(URL|SERVICE)(_|$)|^BLUESKY_HANDLE/.test(variable) ? 'vars' : 'secrets';
      if (missing.length)
        issues.push({
          path: ['accounts', index, 'credentials', standard],
          message: `${variable} is not passed to the job${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, so ${consequence}: GitHub passes secrets only by name; add ${variable}: \${{ ${source}.${variable} }} to each one's env`,
        });
    }
  });
  return issues;
}
