import { describe, expect, it } from 'vitest';
import { parseConfig } from '../repo/load-config.ts';
import { configSchema } from './config-schema.ts';
import { isCalendarDate, type LinkedInSettings } from './linkedin-config.ts';
import { reauthorizeSteps, startOfDay, tokenNotice, tokenStanding } from './linkedin-token.ts';
import { linkedinTokenFindings } from './repo-settings/findings-linkedin.ts';

/** LinkedIn's token runs out on the day in linkedin.tokenExpires: warnings 14, 7 and 1 days ahead. */
const ZONE = 'Europe/Berlin';
const EXPIRES = '2027-01-31';
// Midnight in Berlin (UTC+1 in winter) is 23:00 UTC the day before.
const END = Date.parse('2027-01-30T23:00:00Z');
const DAY = 86_400_000;
const org: LinkedInSettings = { author: 'urn:li:organization:2414183', version: '202511', tokenExpires: EXPIRES };
const person: LinkedInSettings = { ...org, author: 'person' };

describe('tokenStanding', () => {
  it('counts the token expired from the start of its day in the site time zone', () => {
    expect(startOfDay(EXPIRES, ZONE)).toBe(END);
    expect(startOfDay(EXPIRES, 'UTC')).toBe(Date.parse('2027-01-31T00:00:00Z'));
    expect(tokenStanding(EXPIRES, END - 1, ZONE).state).toBe('expiring');
    expect(tokenStanding(EXPIRES, END, ZONE)).toEqual({ state: 'expired', expiresAt: END });
    expect(tokenStanding(EXPIRES, END + 30 * DAY, ZONE).state).toBe('expired');
  });

  it('is quiet until 14 days ahead, then warns at 14, 7 and 1', () => {
    const at = (daysBefore: number) => tokenStanding(EXPIRES, END - daysBefore * DAY, ZONE);
    expect(at(30)).toEqual({ state: 'valid', expiresAt: END, daysLeft: 30 });
    expect(at(14.5)).toMatchObject({ state: 'valid', daysLeft: 15 });
    expect(at(14)).toMatchObject({ state: 'expiring', daysLeft: 14, stage: 14 });
    expect(at(8)).toMatchObject({ state: 'expiring', daysLeft: 8, stage: 14 });
    expect(at(7)).toMatchObject({ state: 'expiring', daysLeft: 7, stage: 7 });
    expect(at(1.5)).toMatchObject({ state: 'expiring', daysLeft: 2, stage: 7 });
    expect(at(1)).toMatchObject({ state: 'expiring', daysLeft: 1, stage: 1 });
    expect(at(0.01)).toMatchObject({ state: 'expiring', daysLeft: 1, stage: 1 });
  });

  it('finds the day\u2019s start where the clocks skip midnight (Santiago, September 2026)', () => {
    // Chile springs forward at 00:00 local: the day starts at 01:00, UTC-3.
    expect(startOfDay('2026-09-06', 'America/Santiago')).toBe(Date.parse('2026-09-06T03:00:00Z'));
  });
});

describe('tokenNotice', () => {
  it('says nothing while the token has more than 14 days', () => {
    expect(tokenNotice(org, END - 20 * DAY, ZONE)).toBeNull();
  });

  it('warns with the day, the setting and how to renew', () => {
    const notice = tokenNotice(org, END - 6.5 * DAY, ZONE)!;
    expect(notice).toContain("LinkedIn's access token expires in 7 days (2027-01-31, linkedin.tokenExpires)");
    expect(notice).toContain('https://www.linkedin.com/developers/tools/oauth/token-generator');
    expect(notice).toContain('w_organization_social r_organization_social');
    expect(notice).toContain('LINKEDIN_ACCESS_TOKEN');
    expect(tokenNotice(org, END - 3_600_000, ZONE)).toContain('expires at midnight (2027-01-31');
  });

  it('says an expired token stops LinkedIn, with the re-authorize steps for a person', () => {
    const notice = tokenNotice(person, END + DAY, ZONE)!;
    expect(notice).toMatch(
      /^LinkedIn's access token expired on 2027-01-31 \(linkedin\.tokenExpires\): nothing is sent to LinkedIn until it is renewed; re-authorize: /,
    );
    expect(notice).toContain('tick openid profile w_member_social');
    expect(notice).toContain('gh secret set LINKEDIN_ACCESS_TOKEN --env publish');
    // The new date: 60 days from the moment it is said.
    expect(reauthorizeSteps(person, Date.parse('2027-02-01T10:00:00Z'))).toContain('60 days from today is 2027-04-02');
  });
});

describe('the linkedin: settings', () => {
  const site = { title: 'T', url: 'https://example.org', timeZone: 'UTC' };
  const yaml = (rest: string) => `site:\n  title: T\n  url: https://example.org\n  timeZone: UTC\n${rest}`;

  it('keeps the default channels as they were: LinkedIn only when listed', () => {
    expect(configSchema.parse({ site }).channels).toEqual(['blog', 'x', 'mastodon', 'bluesky']);
    expect(configSchema.parse({ site }).linkedin).toBeUndefined();
  });

  it('reads a version written as a number or a string, and a date YAML leaves as text', () => {
    const config = parseConfig(
      yaml('channels: [linkedin]\nlinkedin:\n  author: person\n  version: 202511\n  tokenExpires: 2027-01-31\n'),
    );
    expect(config.linkedin).toEqual({ author: 'person', version: '202511', tokenExpires: '2027-01-31' });
  });

  it('needs the section once linkedin is listed, said at the channel', () => {
    expect(() => parseConfig(yaml('channels: [blog, linkedin]\n'))).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({
            line: 5,
            col: 18,
            message: expect.stringContaining('needs a linkedin: section with author'),
          }),
        ],
      }),
    );
  });

  it('refuses an author, a version or a date it cannot use', () => {
    const bad = (linkedin: Record<string, unknown>) =>
      configSchema.safeParse({ site, linkedin: { ...org, ...linkedin } }).error?.issues.map((i) => i.message);
    expect(bad({ author: 'urn:li:person:abc' })?.[0]).toContain('expected person');
    expect(bad({ author: 'urn:li:organization:acme' })?.[0]).toContain('urn:li:organization:<id>');
    expect(bad({ version: '2025-11' })?.[0]).toContain('YYYYMM');
    expect(bad({ version: 202513 })?.[0]).toContain('YYYYMM');
    expect(bad({ tokenExpires: '2027-02-30' })?.[0]).toContain('YYYY-MM-DD');
    expect(bad({})).toBeUndefined();
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
  });
});

describe('doctor on the LinkedIn token', () => {
  const config = (channels: string[]) => ({ channels, linkedin: org });
  it('says how long it has, warns 14 and 7 days ahead, and calls the last day and after important', () => {
    expect(linkedinTokenFindings(config(['blog']), END - DAY, ZONE)).toEqual([]);
    expect(linkedinTokenFindings(config(['linkedin']), END - 30 * DAY, ZONE)).toEqual([
      { severity: 'ok', message: "LinkedIn's access token is good until 2027-01-31 (30 days; linkedin.tokenExpires)" },
    ]);
    expect(linkedinTokenFindings(config(['linkedin']), END - 10 * DAY, ZONE)[0]?.severity).toBe('warning');
    expect(linkedinTokenFindings(config(['linkedin']), END - 5 * DAY, ZONE)[0]?.severity).toBe('warning');
    expect(linkedinTokenFindings(config(['linkedin']), END - DAY / 2, ZONE)[0]?.severity).toBe('important');
    const expired = linkedinTokenFindings(config(['linkedin']), END, ZONE)[0]!;
    expect(expired.severity).toBe('important');
    expect(expired.message).toContain('expired on 2027-01-31');
  });
});
