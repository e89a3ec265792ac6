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
