import { list, unread, type Push, type Severity } from './finding.ts';
import { credentialSecrets } from './secrets.ts';
import { PUBLISH_ENVIRONMENT, type PlanTier, type RepoSettings } from './settings.ts';

/**
 * doctor on the network credentials: a repository (or organisation) secret is given to a workflow on
 * any branch; only an environment limited to main keeps them from other branches' code.
 */
export function secretFindings(
  settings: RepoSettings,
  tier: PlanTier,
  credentialNames: readonly string[],
  push: Push,
): void {
  const severity: Severity = tier === 'private-free' ? 'limit' : 'important';
  const move = (names: readonly string[]) => {
    const them = names.length === 1 ? 'it' : 'them';
    return tier === 'private-free'
      ? `on this plan there is nowhere else to keep ${them}`
      : `move ${them} to the ${PUBLISH_ENVIRONMENT} environment (add ${names.length === 1 ? 'it' : 'each'} there, then delete the ${names.length === 1 ? 'secret' : 'secrets'} here)`;
  };
  const { repositorySecrets, organizationSecrets } = settings;
  if (!repositorySecrets.ok) push('important', unread('the repository secrets', repositorySecrets));
  else {
    const credentials = credentialSecrets(repositorySecrets.value, credentialNames);
    if (credentials.length)
      push(
        severity,
        credentials.length === 1
          ? `secret ${credentials[0]} is a repository secret: any branch's workflow can read it; ${move(credentials)}`
          : `secrets ${list(credentials)} are repository secrets: any branch's workflow can read them; ${move(credentials)}`,
      );
    else push('ok', 'no network credentials are repository secrets');
    const others = repositorySecrets.value.filter((n) => !credentials.includes(n));
    if (others.length)
      push(
        'warning',
        `${list(others)}: repository secret${others.length === 1 ? '' : 's'} that any branch's workflow can read (Postgate does not use ${others.length === 1 ? 'it' : 'them'})`,
      );
  }
  if (organizationSecrets.ok) {
    const credentials = credentialSecrets(organizationSecrets.value, credentialNames);
    if (credentials.length)
      push(
        severity,
        `organisation secret${credentials.length === 1 ? '' : 's'} ${list(credentials)} ${credentials.length === 1 ? 'reaches' : 'reach'} this repository: any branch's workflow can read ${credentials.length === 1 ? 'it' : 'them'}; ${move(credentials)}`,
      );
  }
  const publish = settings.publish.ok ? settings.publish.value : null;
  if (publish?.secrets.ok && credentialSecrets(publish.secrets.value, credentialNames).length === 0)
    push(
      'warning',
      `the ${PUBLISH_ENVIRONMENT} environment holds no network credentials: publish runs as a dry run until they are added there`,
    );
}

/** An account on an enabled network, and the names of the secrets it reads (src/core/accounts.ts). */
export interface AccountSecrets {
  id: string;
  /** The network's name, as people read it: Bluesky. */
  network: string;
  secrets: readonly string[];
}

/**
 * doctor on each account: a secret it reads that is in neither the publish environment nor the
 * repository or organisation (which the job would also see) means nothing goes out as that account.
 * Only secrets' names can be read; a variable (a handle, a server's address) is not checked here.
 */
export function accountSecretFindings(settings: RepoSettings, accounts: readonly AccountSecrets[], push: Push): void {
  const publish = settings.publish.ok ? settings.publish.value : null;
  if (!publish?.secrets.ok || accounts.length === 0) return;
  const known = new Set(
    [
      ...publish.secrets.value,
      ...(settings.repositorySecrets.ok ? settings.repositorySecrets.value : []),
      ...(settings.organizationSecrets.ok ? settings.organizationSecrets.value : []),
    ].map((n) => n.toUpperCase()),
  );
  let complete = 0;
  for (const account of accounts) {
    const missing = account.secrets.filter((name) => !known.has(name.toUpperCase()));
    if (missing.length === 0) {
      complete++;
      continue;
    }
    push(
      'warning',
      `${account.id} (${account.network}): ${list(missing)} ${missing.length === 1 ? 'is not a secret' : 'are not secrets'} of the ${PUBLISH_ENVIRONMENT} environment: nothing goes out as this account until ${missing.length === 1 ? 'it is' : 'they are'} added there`,
    );
  }
  if (complete === accounts.length) push('ok', `every account's secrets are set (${list(accounts.map((a) => a.id))})`);
}
