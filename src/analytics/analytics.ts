import { EnvironmentError } from '../core/errors.ts';
import type { Day } from '../core/iso-week.ts';
import type { AnalyticsMeasures, CampaignVisits, ContentVisits } from '../core/report-types.ts';

/**
 * The site's analytics, read through each tool's own API: one adapter per tool (GoatCounter,
 * Plausible, Umami) behind this one interface, so `report` does not care which the site uses.
 * An adapter asks for visits that arrived with a `utm_campaign` and a `utm_source`, grouped by
 * both, over whole days in the site's time zone; it never throws anything but an AnalyticsError.
 */
export type AnalyticsToolId = 'goatcounter' | 'plausible' | 'umami';

export interface VisitsQuery {
  /** First and last day, both included, in the site's time zone (the adapter's `timeZone`). */
  since: Day;
  until: Day;
  signal?: AbortSignal;
}

export interface AnalyticsAdapter {
  readonly tool: AnalyticsToolId;
  /** As people know it: `GoatCounter`, `Plausible`, `Umami`. */
  readonly name: string;
  /** Which numbers beyond visitors it gives. */
  readonly measures: AnalyticsMeasures;
  /** What it cannot tell, one short sentence each, for the report's notes. */
  readonly cannot: readonly string[];
  visitsByCampaign(query: VisitsQuery): Promise<CampaignVisits[]>;
  /** Visits by utm_source and utm_content (what each account brought in); absent where the tool's API cannot tell. */
  visitsByContent?(query: VisitsQuery): Promise<ContentVisits[]>;
}

/** Options every adapter takes besides its address and key. */
export interface AdapterOptions {
  /** The site's IANA time zone: the days asked about are the site's days. */
  timeZone: string;
  /** Per request (default 15 s): a tool that does not answer in time is reported as such. */
  timeoutMs?: number;
  /** The longest Retry-After waited out before asking again (default 5 s); longer is a rate-limited error. */
  maxRetryWaitMs?: number;
  /** For tests: the fetch to use, and how to wait. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type AnalyticsFailure =
  /** Could not connect, or a 5xx: the tool is down. */
  | 'unavailable'
  /** No answer within the timeout. */
  | 'timeout'
  /** 401/403: the key is wrong, expired, or cannot read this site. */
  | 'auth'
  /** 429 with a wait longer than is worth waiting out. */
  | 'rate-limited'
  /** A success whose body is not what the API promises. */
  | 'malformed'
  /** Another 4xx: the request itself was refused (an unknown site id, a tool too old for the query). */
  | 'rejected'
  /** The caller's signal stopped it. */
  | 'aborted';

/** What went wrong, in a short sentence that names the tool; never a credential. */
export class AnalyticsError extends EnvironmentError {
  override name = 'AnalyticsError';
  readonly tool: string;
  readonly kind: AnalyticsFailure;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    tool: string,
    kind: AnalyticsFailure,
    message: string,
    options: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.tool = tool;
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The utm_medium Postgate writes (src/core/utm.ts): adapters that can filter on it ask only for these visits. */
export const POSTGATE_MEDIUM = 'social';
