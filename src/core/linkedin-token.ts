import { PERSON_AUTHOR, type LinkedInSettings } from './linkedin-config.ts';
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

/** What a person does to get a new token, for the settings in use. */
export function reauthorizeSteps(settings: Pick<LinkedInSettings, 'author'>, now: number): string {
  const person = settings.author === PERSON_AUTHOR;
  const scopes = person ? 'openid profile w_member_social' : 'w_organization_social r_organization_social';
  const who = person ? 'the member Postgate posts as' : `an administrator of the page ${settings.author}`;
  const next = new Date(now + TOKEN_LIFETIME_DAYS * DAY_MS).toISOString().slice(0, 10);
  return [
    `re-authorize: signed in to LinkedIn as ${who}, open https://www.linkedin.com/developers/tools/oauth/token-generator, pick your app, tick ${scopes} and request a token`,
    'store it as the secret LINKEDIN_ACCESS_TOKEN of the publish environment (gh secret set LINKEDIN_ACCESS_TOKEN --env publish)',
    `and set linkedin.tokenExpires in postgate.config.yaml to the day it expires (the tool says; 60 days from today is ${next}) in a pull request`,
  ].join('; ');
}

/**
 * The line for a run's summary and for doctor, or null while the token has more than 14 days.
 * `expired` is what publish refuses with.
 */
export function tokenNotice(settings: LinkedInSettings, now: number, zone: string): string | null {
  const standing = tokenStanding(settings.tokenExpires, now, zone);
  if (standing.state === 'valid') return null;
  if (standing.state === 'expired')
    return `LinkedIn's access token expired on ${settings.tokenExpires} (linkedin.tokenExpires): nothing is sent to LinkedIn until it is renewed; ${reauthorizeSteps(settings, now)}`;
  return `LinkedIn's access token expires ${when(standing.daysLeft)} (${settings.tokenExpires}, linkedin.tokenExpires); from then nothing is sent to LinkedIn: ${reauthorizeSteps(settings, now)}`;
}
