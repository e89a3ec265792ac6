import type { LinkedInSettings } from '../linkedin-config.ts';
import { tokenNotice, tokenStanding } from '../linkedin-token.ts';
import type { Finding } from './finding.ts';

/**
 * doctor on LinkedIn's access token (src/core/linkedin-token.ts): it lives 60 days and cannot be
 * renewed by Postgate, so doctor says how long it has. 14 and 7 days ahead: worth knowing; on the
 * last day, and once it has expired (publish then sends nothing to LinkedIn): important.
 */
export function linkedinTokenFindings(
  config: { channels: readonly string[]; linkedin?: LinkedInSettings | undefined },
  now: number,
  zone: string,
): Finding[] {
  const { linkedin } = config;
  if (!linkedin || !config.channels.includes('linkedin')) return [];
  const standing = tokenStanding(linkedin.tokenExpires, now, zone);
  if (standing.state === 'valid')
    return [
      {
        severity: 'ok',
        message: `LinkedIn's access token is good until ${linkedin.tokenExpires} (${standing.daysLeft} days; linkedin.tokenExpires)`,
      },
    ];
  const urgent = standing.state === 'expired' || standing.stage === 1;
  return [{ severity: urgent ? 'important' : 'warning', message: tokenNotice(linkedin, now, zone)! }];
}
