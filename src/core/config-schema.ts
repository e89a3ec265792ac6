import { z } from 'zod';
import {
  CHANNEL_IDS,
  type ChannelLimits,
  MASTODON_DEFAULT_LIMITS,
  SOCIAL_CHANNEL_IDS,
  type SocialChannelId,
} from './channels.ts';
import { accountsSchema } from './accounts.ts';
import { parseDuration } from './duration.ts';
import { analyticsConfigSchema } from './analytics-config.ts';
import { linkedinConfigSchema } from './linkedin-config.ts';
import { staffSchema } from './staff.ts';
import { isTimeZone } from './time-zone.ts';
import { GITHUB_LOGIN } from './github-login.ts';

/**
 * `postgate.config.yaml`: the site, the channels it publishes to, and its policies.
 * Every field but the site's title, URL and time zone has a default a small team would choose.
 */
export const CONFIG_FILE = 'postgate.config.yaml';

/**
 * Waiting runs (policies.waitUpTo; the rule and its cost in src/core/wake-plan.ts). 30 minutes: two
 * runs of the 15-minute schedule may start up to 15 + 15 minutes apart when GitHub is 0-15 min late,
 * and a shorter wait leaves items in that gap late (`npm run bench -- punctuality`: 20m gives a p95 of
 * about a minute, 30m of seconds). Free on a public repository; see the README for private ones.
 */
export const DEFAULT_WAIT_UP_TO = '30m';
// A GitHub-hosted job is cancelled after 6 h; the run needs time to install and send around its wait.
const MAX_WAIT_MS = 5 * 3_600_000;

/**
 * How long after a post's release the publisher keeps asking its address before it holds the post's
 * announcements and tells the owner (src/core/item-state.ts). The release is only a ledger record:
 * the site is built and deployed after it, and a deploy can fail or sit queued (actions/deploy-pages
 * then never deploys that commit). A day leaves time for a queued deploy, a re-run and a fix the
 * next morning; staleAfter counts from the moment the post answered, so a late deploy does not make
 * the announcements stale. Each run asks each waiting post once: one request, whatever the window.
 */
export const DEFAULT_LIVE_WITHIN = '24h';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const configSchema = z.strictObject({
  site: z.strictObject({
    title: z.string().trim().min(1, 'the site title must not be empty'),
    description: z.string().trim().default(''),
    url: z
      .string()
      .url('expected the site address with its scheme, e.g. https://example.org')
      .refine((u) => /^https?:\/\//.test(u), 'expected an http:// or https:// address')
      .transform((u) => u.replace(/\/+$/, '')),
    timeZone: z
      .string()
      .refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin, America/New_York or UTC'),
    language: z.string().default('en'),
    author: z.string().trim().min(1).default('The editors'),
  }),
  channels: z
    .array(z.enum(CHANNEL_IDS))
    // LinkedIn only when listed: a config without `channels` keeps the four it had before LinkedIn.
    .default(['blog', 'x', 'mastodon', 'bluesky'])
    .refine((list) => new Set(list).size === list.length, 'a channel is listed twice'),
  // A Mastodon instance sets its own limits (its /api/v2/instance says them); `publish` asks the
  // instance, `check` and the preview work offline from these.
  mastodon: z
    .strictObject({
      maxCharacters: z
        .number('expected the number of characters your Mastodon instance allows in a post, e.g. 500')
        .int('expected a whole number of characters, e.g. 500')
        .min(1, 'expected at least 1 character')
        .default(MASTODON_DEFAULT_LIMITS.maxCharacters),
      charactersReservedPerUrl: z
        .number('expected the number of characters your Mastodon instance counts for a link, e.g. 23')
        .int('expected a whole number of characters, e.g. 23')
        .min(0, 'expected 0 or more characters')
        .default(MASTODON_DEFAULT_LIMITS.charactersReservedPerUrl),
    })
    .prefault({}),
  // Required once `linkedin` is among the channels (src/core/linkedin-config.ts).
  linkedin: linkedinConfigSchema.optional(),
  policies: z
    .strictObject({
      staleAfter: z
        .string()
        .default('6h')
        .transform((raw, ctx) => {
          const parsed = parseDuration(raw);
          if (!parsed.ok) {
            ctx.addIssue({ code: 'custom', message: parsed.message });
            return z.NEVER;
          }
          return parsed.ms;
        }),
      // How long a publish run may stay alive to send items at their minute (src/core/wake-plan.ts).
      // Every minute waited is a billed Actions minute on a private repository; "0m" turns it off.
      waitUpTo: z
        .string()
        .default(DEFAULT_WAIT_UP_TO)
        .transform((raw, ctx) => {
          if (typeof raw === 'string' && /^\s*0+\s*[wdhm]\s*$/i.test(raw)) return 0;
          const parsed = parseDuration(raw);
          if (!parsed.ok || parsed.ms === null || parsed.ms > MAX_WAIT_MS) {
            ctx.addIssue({
              code: 'custom',
              message: `expected how long a run may wait, such as 20m, 30m or 0m (no waiting), at most 5h (the job's limit is 6h); received ${JSON.stringify(raw)}`,
            });
            return z.NEVER;
          }
          return parsed.ms;
        }),
      liveWithin: z
        .string()
        .default(DEFAULT_LIVE_WITHIN)
        .transform((raw, ctx) => {
          const parsed = parseDuration(raw);
          if (!parsed.ok || parsed.ms === null) {
            ctx.addIssue({
              code: 'custom',
              message: `expected how long after a release to keep checking the post's address, such as 2h, 24h or 3d (never "never": its announcements would wait for ever); received ${JSON.stringify(raw)}`,
            });
            return z.NEVER;
          }
          return parsed.ms;
        }),
      utm: z.boolean().default(true),
      approvals: z.number().int().min(0).max(10).default(1),
    })
    .prefault({}),
  schedule: z
    .strictObject({
      slots: z
        .array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM, e.g. "09:30"'))
        .min(1)
        .default(['09:30', '13:00', '17:00']),
      days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    })
    .prefault({}),
  theme: z
    .strictObject({
      accent: z
        .string()
        .regex(/^#[0-9a-fA-F]{3,8}$/, 'expected a colour such as "#0b6e4f"')
        .default('#0b6e4f'),
    })
    .prefault({}),
  // The publishing dashboard (src/core/dashboard.ts): one issue that every publish run on GitHub keeps
  // current (what needs attention, what went out, the next 14 days). It needs `issues: write` on the
  // publish job; without it a run skips it and says so. `enabled: false` leaves issues alone.
  dashboard: z
    .strictObject({
      enabled: z.boolean('expected true or false').default(true),
      title: z
        .string()
        .trim()
        .min(1, 'the dashboard issue needs a title')
        .max(256, 'GitHub allows issue titles of at most 256 characters')
        .default('Postgate dashboard'),
      // Whom a run's comment mentions when something new needs attention (src/core/dashboard-notice.ts).
      notify: z
        .array(
          z
            .string('expected a GitHub login, e.g. amira-k')
            .regex(GITHUB_LOGIN, 'expected a GitHub login (letters, digits and single "-"), without "@"'),
          'expected a list of GitHub logins, e.g. [amira-k]',
        )
        .max(10, 'at most 10 people: a comment that mentions more is noise')
        .refine(
          (logins) => new Set(logins.map((l) => l.toLowerCase())).size === logins.length,
          'a login is listed twice',
        )
        .default([]),
    })
    .prefault({}),
  // Staff who share what goes out as themselves, from their own accounts (src/core/staff.ts; README:
  // Share kits for staff). Postgate holds none of their credentials: it hands each a share kit.
  staff: staffSchema,
  // Where social items go, and whose voice each is (src/core/accounts.ts; README: Accounts). Absent:
  // one organisation account per enabled network, with the standard variable names.
  accounts: accountsSchema,
  // The site's analytics: the tracking snippet and where `report` reads visitors (src/core/analytics-config.ts).
  analytics: analyticsConfigSchema,
});

export type Config = z.output<typeof configSchema>;
export type Weekday = (typeof WEEKDAYS)[number];
export { WEEKDAYS };

export function socialChannelsOf(config: Config): SocialChannelId[] {
  return SOCIAL_CHANNEL_IDS.filter((c) => config.channels.includes(c));
}

/** The limits `check`, the preview and the planner measure by (see MastodonLimits). */
export function channelLimitsOf(config: Partial<Pick<Config, 'mastodon'>>): ChannelLimits {
  return config.mastodon ? { mastodon: config.mastodon } : {};
}
