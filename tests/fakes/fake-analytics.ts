import { wallTimeAt } from '../../src/core/time-zone.ts';
import type { FakeResponse } from './fake-server.ts';

/**
 * What the fake analytics tools (fake-goatcounter.ts, fake-plausible.ts, fake-umami.ts) are seeded
 * with: visits to the site as a browser makes them, each with the UTM parameters of the link it
 * came through. Each fake counts them as its tool does (GoatCounter's first visits of a day,
 * Plausible's and Umami's distinct visitors and sessions), in the time zone its tool would use.
 */
export interface SeededVisit {
  /** When the visit's first pageview was (ISO 8601 with an offset or Z). */
  at: string;
  /** Who: the same visitor on another visit is not a new visitor. */
  visitor: string;
  /** The session; default one per visitor and instant. */
  visit?: string;
  campaign?: string;
  source?: string;
  medium?: string;
  /** `utm_content`: the account (or person) whose link it was. */
  content?: string;
  /** Goals reached in this visit (Plausible's goals, by display name). */
  goals?: string[];
  /** Pageviews in the visit (default 1). */
  pageviews?: number;
}

export const visitId = (v: SeededVisit) => v.visit ?? `${v.visitor}@${v.at}`;

/** The local day (`YYYY-MM-DD`) of an instant in a zone, as a tool stores its days. */
export function localDay(epochMs: number, zone: string): string {
  const w = wallTimeAt(zone, epochMs);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * A sliding-window request limit, as the tools enforce per key or per address: `take()` says how
 * many ms to wait when the limit is reached, or 0 when the request may go ahead.
 */
export class RateLimit {
  private readonly times: number[] = [];
  readonly limit: number;
  readonly windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  take(now = Date.now()): number {
    while (this.times.length && this.times[0]! <= now - this.windowMs) this.times.shift();
    if (this.times.length >= this.limit) return this.times[0]! + this.windowMs - now;
    this.times.push(now);
    return 0;
  }
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  body,
  headers,
});

export function distinct<T>(values: Iterable<T>): number {
  return new Set(values).size;
}
