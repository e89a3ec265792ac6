/**
 * What `report` reads and what it computes. The analytics adapters (src/analytics/) and the
 * networks' engagement readers produce the inputs; src/core/report.ts turns them, with the ledger,
 * into a Report; the renderers (report-text, report-markdown, report-json) show it.
 */

/** Visits that arrived with one `utm_campaign` and one `utm_source`, as an analytics tool counts them. */
export interface CampaignVisits {
  /** `utm_campaign`: Postgate writes the item's id. */
  campaign: string;
  /** `utm_source`: Postgate writes the network (`x`, `mastodon`, `bluesky`, `linkedin`). */
  source: string;
  /** Unique visitors, the one number every tool has. */
  visitors: number;
  /** Sessions, where the tool counts them. */
  visits?: number;
  /** Goal name → visitors who reached it, where the tool has goals. */
  conversions?: Record<string, number>;
}

/**
 * Visitors that arrived with one `utm_source` and one `utm_content`: a link of a declared account
 * carries its id as `utm_content` (src/core/accounts.ts), so this is what each account brought in.
 */
export interface ContentVisits {
  source: string;
  content: string;
  visitors: number;
}

/** Which numbers beyond visitors a tool gives at all (a tool that cannot is not a zero). */
export interface AnalyticsMeasures {
  visits: boolean;
  conversions: boolean;
}

/** One ISO week of the period as the tool answered it, or why it did not. */
export type AnalyticsWeek =
  | {
      week: string;
      since: string;
      until: string;
      rows: readonly CampaignVisits[];
      /** By utm_content, where the tool can tell and the report asked (the config lists accounts). */
      byContent?: readonly ContentVisits[];
    }
  | { week: string; since: string; until: string; error: string };

export type AnalyticsOutcome =
  /** No analytics tool set up: the report says how to set one up, and shows no visits. */
  | { configured: false; reason: string }
  | {
      configured: true;
      /** The tool's name as people know it: `GoatCounter`, `Plausible`, `Umami`. */
      tool: string;
      measures: AnalyticsMeasures;
      /** What the tool cannot tell, one short sentence each, shown in the report's notes. */
      cannot: readonly string[];
      weeks: readonly AnalyticsWeek[];
      /** The weeks carry visits by utm_content (absent: the tool cannot tell, or was not asked). */
      byContent?: boolean;
    };

export type ConfiguredAnalytics = Extract<AnalyticsOutcome, { configured: true }>;

/** What a network says people did with a post (a thread's parts added up). */
export interface Engagement {
  replies: number;
  reposts: number;
  likes: number;
  /** Bluesky counts quotes apart from reposts; the others do not say. */
  quotes?: number;
}

/**
 * One account's engagement (src/core/accounts.ts): a network's numbers are the sum of its accounts'.
 * `account` is the account's id as people name it (the network's id for the organisation's implicit one).
 */
export type EngagementOutcome =
  /** `byItem`: item id → its engagement on this account. */
  | { channel: string; account: string; ok: true; byItem: ReadonlyMap<string, Engagement> }
  /** `items`: the items whose posts on this account could not be read (their sums are at least the rest). */
  | { channel: string; account: string; ok: false; error: string; items: readonly string[] };

/** Numbers from the analytics tool for a post, an item, a network or a week. */
export interface Outcome {
  /** Null when there are no numbers at all (no tool set up, or it did not answer for the period). */
  visitors: number | null;
  /** Null also when the tool does not count visits. */
  visits: number | null;
  /** Goal → visitors who reached it; null when the tool has no goals or no numbers. */
  conversions: Record<string, number> | null;
  /** Part of the period is missing (a week the tool did not answer): the numbers are at least these. */
  partial: boolean;
}

export interface PostOutcome {
  item: string;
  channel: string;
  url: string;
  /** When the network took its first part (epoch ms). */
  sentAt: number;
  /** When it was due, and how late it went out, on records that keep both. */
  due: number | null;
  lateMs: number | null;
  parts: number;
  retracted: boolean;
  /** Went out before the period; listed because readers still came from it during the period. */
  earlier: boolean;
  outcome: Outcome;
  /** Null when not asked, or the network did not answer (the report's missing parts say which). */
  engagement: Engagement | null;
  /** Another account's posts of this item on this network did not answer: the sum is at least this. */
  engagementPartial: boolean;
}

export interface ItemOutcome {
  item: string;
  /** Its posts listed in the report (one per network). */
  posts: number;
  firstSentAt: number;
  outcome: Outcome;
  /** Visitors per post, or null without numbers. */
  perPost: number | null;
  /** Visitors with this item's campaign from sources it was not posted to by the publisher (staff share kits, copies). */
  otherSources: { source: string; visitors: number }[];
}

export interface NetworkTotal {
  channel: string;
  posts: number;
  outcome: Outcome;
  perPost: number | null;
  /** The sum of the engagement known for its posts; null when none is known. */
  engagement: Engagement | null;
  /** Some of its live posts have no numbers (the network did not return them): the sum is at least this. */
  engagementPartial: boolean;
}

/**
 * Per network: its engagement came back, did not (see `missing`), came back from some of its accounts
 * only (`partial`: the others are named in `missing`), or was not asked for (X bills each read).
 */
export type EngagementStatus = 'ok' | 'partial' | 'missing' | 'not asked';

export interface WeekTotal {
  week: string;
  since: string;
  until: string;
  /** Visitors per network that week, from the publisher's posts; null for a week the tool did not answer. */
  byChannel: Record<string, number> | null;
  total: number | null;
}

/** Visitors per post in the `weeksOut`-th ISO week after the one it was sent in (0: that week). */
export interface AgeTotal {
  weeksOut: number;
  /** Posts sent in the period whose week `weeksOut` the tool answered for. */
  posts: number;
  visitors: number;
  perPost: number;
}

/** What one account (src/core/accounts.ts) brought in: the per-account table, shown when the config lists accounts. */
export interface AccountOutcome {
  /** Its id as `as:` names it (the network's id for the organisation's implicit account). */
  account: string;
  /** `org`, or the GitHub login of the person whose voice it is; null for an account the config no longer lists. */
  owner: string | null;
  channel: string;
  /** Of the posts the report lists, those this account sent. */
  posts: number;
  /** Visitors whose link carried its id as utm_content; null when not known. */
  visitors: number | null;
  /** False when they cannot be known: a tool that cannot tell, or links that carry no utm_content (an account not in `accounts:`). */
  counted: boolean;
  /** A week the tool did not answer: at least these. */
  partial: boolean;
  /** The sum of its posts' engagement; null when not asked or it did not answer. */
  engagement: Engagement | null;
}

export interface MissingPart {
  part: 'analytics' | 'engagement';
  /** What is missing, e.g. `GoatCounter, weeks 2026-W45 to 2026-W46` or `Mastodon engagement`. */
  what: string;
  reason: string;
}

export interface Report {
  since: string;
  until: string;
  timeZone: string;
  generatedAt: number;
  analytics: { tool: string; measures: AnalyticsMeasures; cannot: readonly string[] } | null;
  /** Networks with posts in the report, in the order tables list them. */
  channels: string[];
  engagement: Record<string, EngagementStatus>;
  goals: string[];
  posts: PostOutcome[];
  items: ItemOutcome[];
  networks: NetworkTotal[];
  /** Per account, when an account listed in `accounts:` sent some of the posts (empty otherwise: the networks' table says it all). */
  accounts: AccountOutcome[];
  weeks: WeekTotal[];
  /** Visitors per post by weeks since it went out (src/core/report-age.ts). */
  byAge: AgeTotal[];
  /** Ranked only among items whose posts all went out in the period and whose numbers are complete. */
  best: ItemOutcome[];
  worst: ItemOutcome[];
  missing: MissingPart[];
  notes: string[];
}
