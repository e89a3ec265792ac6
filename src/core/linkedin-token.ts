import { accountsOf, type AccountEntry } from './accounts.ts';
import { linkedinConfigSchema, PERSON_AUTHOR, type LinkedInSettings } from './linkedin-config.ts';
import { resolveLocal } from './time-zone.ts';

/**
 * LinkedIn's access token runs out: self-serve apps get 60-day tokens and no refresh token, so a
 * person has to authorize again every two months. The day it expires is in the config
 * (`linkedin.tokenExpires`); this says how things stand at a moment (the run's clock).
 *
 * The token counts as expired from the start of that day in the site's time zone: LinkedIn's own
 * expiry falls some time during it, and a post sent at 09:30 must not find out the hard way.
 * Warnings start 14 days ahead, and grow at 7 and at 1 (doctor: the last day is important).
 */
export const WARN_DAYS = [14, 7, 1] as const;
export const TOKEN_LIFETIME_DAYS = 60;
const DAY_MS = 86_400_000;

export type TokenStanding =
  | { state: 'valid'; expiresAt: number; daysLeft: number }
  /** `stage`: the warning this is (14, 7 or 1 days ahead, or fewer). */
  | { state: 'expiring'; expiresAt: number; daysLeft: number; stage: (typeof WARN_DAYS)[number] }
  | { state: 'expired'; expiresAt: number };

/** The instant `day` (YYYY-MM-DD) begins in `zone`. */
export function startOfDay(day: string, zone: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const local = resolveLocal(zone, { year, month, day: date, hour: 0, minute: 0, second: 0 });
  if (local.kind === 'unique') return local.epochMs;
  if (local.kind === 'overlap') return local.earlier.epochMs;
  // Midnight skipped by the clocks (a few zones change at 00:00): the day begins at the jump.
  return Date.UTC(year, month - 1, date) - local.after * 60_000;
}

export function tokenStanding(tokenExpires: string, now: number, zone: string): TokenStanding {
  const expiresAt = startOfDay(tokenExpires, zone);
  if (now >= expiresAt) return { state: 'expired', expiresAt };
  const daysLeft = Math.ceil((expiresAt - now) / DAY_MS);
  const stage = [...WARN_DAYS].reverse().find((d) => daysLeft <= d);
  return stage === undefined
    ? { state: 'valid', expiresAt, daysLeft }
    : { state: 'expiring', expiresAt, daysLeft, stage };
}

/** "in 6 days", or "at midnight" on its last day (it counts as expired from the start of its day). */
function when(daysLeft: number): string {
  return daysLeft <= 1 ? 'at midnight' : `in ${daysLeft} days`;
}

/**
 * Whose token a line is about, when it is not the organisation's LINKEDIN_ACCESS_TOKEN with
 * `linkedin.tokenExpires`: a listed account (`accounts:`) with its own variable or its own expiry.
 */
export interface TokenOwner {
  id: string;
  /** The variable holding its token (e.g. LINKEDIN_ACCESS_TOKEN_ALICE). */
  variable: string;
}

/** What a person does to get a new token, for the settings in use. */
export function reauthorizeSteps(settings: Pick<LinkedInSettings, 'author'>, now: number, owner?: TokenOwner): string {
  const person = settings.author === PERSON_AUTHOR;
  const scopes = person ? 'openid profile w_member_social' : 'w_organization_social r_organization_social';
  const who = person ? 'the member Postgate posts as' : `an administrator of the page ${settings.author}`;
  const next = new Date(now + TOKEN_LIFETIME_DAYS * DAY_MS).toISOString().slice(0, 10);
  const secret = owner?.variable ?? 'LINKEDIN_ACCESS_TOKEN';
  return [
    `re-authorize: signed in to LinkedIn as ${who}, open https://www.linkedin.com/developers/tools/oauth/token-generator, pick your app, tick ${scopes} and request a token`,
    `store it as the secret ${secret} of the publish environment (gh secret set ${secret} --env publish)`,
    `and set ${fieldOf(owner)} in postgate.config.yaml to the day it expires (the tool says; 60 days from today is ${next}) in a pull request`,
  ].join('; ');
}

const fieldOf = (owner?: TokenOwner): string =>
  owner ? `linkedin.tokenExpires of ${owner.id} in accounts:` : 'linkedin.tokenExpires';

/**
 * The line for a run's summary and for doctor, or null while the token has more than 14 days.
 * `expired` is what publish refuses with. With `owner`, the line names the account and its variable.
 */
export function tokenNotice(settings: LinkedInSettings, now: number, zone: string, owner?: TokenOwner): string | null {
  const standing = tokenStanding(settings.tokenExpires, now, zone);
  if (standing.state === 'valid') return null;
  const token = owner ? `${owner.id}'s LinkedIn access token (${owner.variable})` : "LinkedIn's access token";
  const stops = owner ? `nothing is sent as ${owner.id}` : 'nothing is sent to LinkedIn';
  if (standing.state === 'expired')
    return `${token} expired on ${settings.tokenExpires} (${fieldOf(owner)}): ${stops} until it is renewed; ${reauthorizeSteps(settings, now, owner)}`;
  return `${token} expires ${when(standing.daysLeft)} (${settings.tokenExpires}, ${fieldOf(owner)}); from then ${stops}: ${reauthorizeSteps(settings, now, owner)}`;
}

/**
 * The lines for every LinkedIn account of the config (src/core/accounts.ts), each with its own
 * expiry (its `linkedin:` over the config's): a person's token or a page's with its own variable
 * runs out on its own day, and is named by its id and variable. Once per line.
 */
export function accountTokenNotices(
  config: { linkedin?: LinkedInSettings; channels: readonly string[]; accounts?: readonly AccountEntry[] },
  now: number,
  zone: string,
): string[] {
  if (!config.channels.includes('linkedin')) return [];
  const lines = new Set<string>();
  for (const account of accountsOf(config)) {
    if (account.network !== 'linkedin') continue;
    const merged = linkedinConfigSchema.safeParse({ ...config.linkedin, ...account.linkedin });
    if (!merged.success) continue;
    const variable = account.credentials.LINKEDIN_ACCESS_TOKEN ?? 'LINKEDIN_ACCESS_TOKEN';
    const own = variable !== 'LINKEDIN_ACCESS_TOKEN' || account.linkedin?.tokenExpires !== undefined;
    const line = tokenNotice(merged.data, now, zone, own ? { id: account.id, variable } : undefined);
    if (line) lines.add(line);
  }
  return [...lines];
}
