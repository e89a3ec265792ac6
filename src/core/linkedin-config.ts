import { z } from 'zod';

/**
 * `linkedin:` in postgate.config.yaml: whose voice the posts are, which API version to ask for,
 * and when the access token stops working. None of it is a secret (the token is, and lives in
 * LINKEDIN_ACCESS_TOKEN). Required once `linkedin` is among the channels.
 *
 * - author: `person` posts as the member who authorized the token (their `urn:li:person:…`, read
 *   from OpenID's userinfo); `urn:li:organization:<id>` posts as a page the member administers.
 * - version: the `LinkedIn-Version` header (YYYYMM). LinkedIn retires a version about a year after
 *   it ships and then answers 426 NONEXISTENT_VERSION: it is a setting so moving on needs no release.
 * - tokenExpires: the day the token stops working (tokens of self-serve apps live 60 days and come
 *   without a refresh token). From that day publish sends nothing to LinkedIn; doctor and every
 *   run's summary warn 14, 7 and 1 days ahead (src/core/linkedin-token.ts).
 */
export const PERSON_AUTHOR = 'person';

const ORGANIZATION = /^urn:li:organization:\d+$/;

export const linkedinConfigSchema = z.strictObject({
  author: z
    .string('expected person or urn:li:organization:<id>')
    .trim()
    .refine(
      (v) => v === PERSON_AUTHOR || ORGANIZATION.test(v),
      'expected person (posts as the member who authorized the token) or urn:li:organization:<id> (a page the member administers), e.g. urn:li:organization:2414183',
    ),
  version: z
    .union([z.string(), z.number()], 'expected the LinkedIn API version as YYYYMM, e.g. "202511"')
    .transform((v) => String(v).trim())
    .refine(
      (v) => /^20\d\d(0[1-9]|1[0-2])(\.\d\d)?$/.test(v),
      'expected the LinkedIn API version as YYYYMM, e.g. "202511" (LinkedIn\'s "Recent changes" page lists the active ones)',
    ),
  tokenExpires: z
    .string('expected the day the access token expires, as YYYY-MM-DD, e.g. 2027-01-31')
    .trim()
    .refine(isCalendarDate, 'expected the day the access token expires, as YYYY-MM-DD, e.g. 2027-01-31'),
});

export type LinkedInSettings = z.output<typeof linkedinConfigSchema>;

/** A real day written YYYY-MM-DD (no 2027-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `linkedin` listed among the channels without a `linkedin:` section: where, and what to add. */
export function linkedinSectionIssue(config: {
  channels: readonly string[];
  linkedin?: unknown;
}): { path: (string | number)[]; message: string } | null {
  const at = config.channels.indexOf('linkedin');
  if (at < 0 || config.linkedin !== undefined) return null;
  return {
    path: ['channels', at],
    message:
      'linkedin is among the channels, so postgate.config.yaml needs a linkedin: section with author (person, or urn:li:organization:<id>), version (e.g. "202511") and tokenExpires (e.g. 2027-01-31); see the README, LinkedIn',
  };
}
