import { accountsOf, type AccountEntry } from '../accounts.ts';
import { linkedinConfigSchema, type LinkedInSettings } from '../linkedin-config.ts';
import { tokenNotice, tokenStanding } from '../linkedin-token.ts';
import type { Finding } from './finding.ts';

/**
 * doctor on LinkedIn's access tokens (src/core/linkedin-token.ts): each lives 60 days and cannot be
 * renewed by Postgate, so doctor says how long each has. 14 and 7 days ahead: worth knowing; on the
 * last day, and once it has expired (publish then sends nothing with it): important. Every LinkedIn
 * account of `accounts:` with its own variable or its own expiry is named by its id and variable.
 */
export function linkedinTokenFindings(
  config: { channels: readonly string[]; linkedin?: LinkedInSettings | undefined; accounts?: readonly AccountEntry[] },
  now: number,
  zone: string,
): Finding[] {
  if (!config.linkedin || !config.channels.includes('linkedin')) return [];
  const findings = new Map<string, Finding>();
  for (const account of accountsOf(config)) {
    if (account.network !== 'linkedin') continue;
    const merged = linkedinConfigSchema.safeParse({ ...config.linkedin, ...account.linkedin });
    if (!merged.success) continue;
    const linkedin = merged.data;
    const variable = account.credentials.LINKEDIN_ACCESS_TOKEN ?? 'LINKEDIN_ACCESS_TOKEN';
    const own = variable !== 'LINKEDIN_ACCESS_TOKEN' || account.linkedin?.tokenExpires !== undefined;
    const owner = own ? { id: account.id, variable } : undefined;
    const standing = tokenStanding(linkedin.tokenExpires, now, zone);
    const finding: Finding =
      standing.state === 'valid'
        ? {
            severity: 'ok',
            message: owner
              ? `${owner.id}'s LinkedIn access token (${variable}) is good until ${linkedin.tokenExpires} (${standing.daysLeft} days; linkedin.tokenExpires of ${owner.id} in accounts:)`
              : `LinkedIn's access token is good until ${linkedin.tokenExpires} (${standing.daysLeft} days; linkedin.tokenExpires)`,
          }
        : {
            severity: standing.state === 'expired' || standing.stage === 1 ? 'important' : 'warning',
            message: tokenNotice(linkedin, now, zone, owner)!,
          };
    findings.set(finding.message, finding);
  }
  return [...findings.values()];
}
