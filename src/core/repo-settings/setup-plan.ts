import { CODEOWNERS_FILE, codeOwnersWithAreas, ownerHandles } from './codeowners.ts';
import { list } from './finding.ts';
import { credentialSecrets } from './secrets.ts';
import type { SetupOptions, SetupStep } from './setup-actions.ts';
import { publishEnvironmentStep, retractEnvironmentStep } from './setup-environments.ts';
import { ledgerRulesetStep, mainRulesetStep } from './setup-rulesets.ts';
import { MAIN_BRANCH, planTier, PUBLISH_ENVIRONMENT, type RepoSettings } from './settings.ts';

/**
 * `setup`'s plan: every step, each already so, to change (with the exact requests), or not possible
 * here (and why). The order matters once: CODEOWNERS is committed to main before main's ruleset,
 * which may require pull requests from then on.
 */
export function planSetup(
  settings: RepoSettings,
  options: SetupOptions & { credentialNames: readonly string[] },
): SetupStep[] {
  return [
    codeOwnersStep(settings),
    mainRulesetStep(settings, options),
    ledgerRulesetStep(settings),
    publishEnvironmentStep(settings),
    retractEnvironmentStep(settings),
    pagesStep(settings),
    secretsStep(settings, options.credentialNames),
  ];
}

const cannot = (title: string, summary: string, details: string[] = []): SetupStep => ({
  title,
  status: 'cannot',
  summary,
  details,
  actions: [],
});

export function codeOwnersStep(settings: RepoSettings): SetupStep {
  const title = 'Code owners';
  const details = [
    `content/ and the gate's own files (postgate.config.yaml, .github/, src/, scripts/, package.json, package-lock.json, astro.config.mjs, .nvmrc) are owned by the owners: once ${MAIN_BRANCH} requires a code owner's review, a change to them needs one of the owners' approval, not just any writer's.`,
  ];
  const { codeOwners, owners } = settings;
  if (!codeOwners.ok)
    return cannot(
      title,
      `could not read CODEOWNERS (${codeOwners.status ?? 'no answer'}: ${codeOwners.message})`,
      details,
    );
  const current = codeOwners.value;
  const probe = codeOwnersWithAreas(current?.text ?? null, ['@owner']);
  if (probe === null) return { title, status: 'ok', summary: `already so (${current!.path})`, details, actions: [] };
  if (!owners.ok || owners.value.length === 0)
    return cannot(
      title,
      owners.ok
        ? 'found no owner to name'
        : `could not tell who the owners are (${owners.status ?? 'no answer'}: ${owners.message})`,
      details,
    );
  const handles = ownerHandles(owners.value.filter((o) => o.type === 'User').map((o) => o.login));
  const text = codeOwnersWithAreas(current?.text ?? null, handles)!;
  const path = current?.path ?? CODEOWNERS_FILE;
  const shown = current === null ? text : text.slice(current.text.length);
  details.push(
    current === null ? `${path}, a new file:` : `${path}, these lines appended:`,
    ...shown
      .replace(/^\n+|\n+$/g, '')
      .split('\n')
      .map((line) => `    ${line}`),
  );
  return {
    title,
    status: 'change',
    summary: `${current === null ? 'create' : 'complete'} ${path} (a commit to ${MAIN_BRANCH} through the API)`,
    details,
    actions: [
      {
        kind: 'write-file',
        path,
        text,
        sha: current?.sha ?? null,
        message: "Code owners for content/ and for the gate's own files (postgate setup)",
      },
    ],
  };
}

export function pagesStep(settings: RepoSettings): SetupStep {
  const title = 'GitHub Pages';
  const details = [
    'Source: GitHub Actions. The site workflow builds the blog from the released posts only, and a separate job deploys that build.',
  ];
  const { pages } = settings;
  if (!pages.ok)
    return cannot(
      title,
      pages.limit || planTier(settings) === 'private-free'
        ? `GitHub Pages is not available for this repository on its plan (GitHub: "${pages.message}")`
        : `could not read the Pages settings (${pages.status ?? 'no answer'}: ${pages.message})`,
      details,
    );
  if (pages.value?.buildType === 'workflow')
    return { title, status: 'ok', summary: 'already so (source: GitHub Actions)', details, actions: [] };
  if (!settings.repo.admin)
    return cannot(
      title,
      `the token is not an admin's of ${settings.repo.fullName}: GitHub lets only admins turn on Pages`,
    );
  return pages.value === null
    ? {
        title,
        status: 'change',
        summary: 'turn on Pages, source GitHub Actions',
        details,
        actions: [{ kind: 'create-pages' }],
      }
    : {
        title,
        status: 'change',
        summary: 'switch the source from a branch to GitHub Actions',
        details,
        actions: [{ kind: 'update-pages' }],
      };
}

/** Secrets setup can only report: GitHub never reveals a secret's value, so nothing can move one. */
export function secretsStep(settings: RepoSettings, credentialNames: readonly string[]): SetupStep {
  const title = 'Network credentials';
  const { repositorySecrets, organizationSecrets } = settings;
  if (!repositorySecrets.ok)
    return cannot(
      title,
      `could not list the repository secrets (${repositorySecrets.status ?? 'no answer'}: ${repositorySecrets.message})`,
    );
  const exposed = [
    ...credentialSecrets(repositorySecrets.value, credentialNames),
    ...(organizationSecrets.ok ? credentialSecrets(organizationSecrets.value, credentialNames) : []),
  ];
  if (exposed.length === 0)
    return {
      title,
      status: 'ok',
      summary: 'already so (no network credential is a repository or organisation secret)',
      details: [],
      actions: [],
    };
  if (planTier(settings) === 'private-free')
    return cannot(
      title,
      `${list(exposed)} must stay ${exposed.length === 1 ? 'a repository secret' : 'repository secrets'} on this plan (no environments): any branch's workflow can read ${exposed.length === 1 ? 'it' : 'them'}`,
    );
  return cannot(
    title,
    `${list(exposed)} can be read by a workflow on any branch; GitHub never reveals a secret's value, so setup cannot move ${exposed.length === 1 ? 'it' : 'them'}`,
    [
      `Settings → Environments → ${PUBLISH_ENVIRONMENT} → Add environment secret: add each one there (a new value is best: the old one was readable from every branch), then delete the repository secret (Settings → Secrets and variables → Actions).`,
    ],
  );
}
