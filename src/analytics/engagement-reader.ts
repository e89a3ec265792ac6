import { type AdapterOptions, AnalyticsError } from './analytics.ts';

/** What every network's engagement reader takes besides its address and credentials (http.ts's options). */
export interface ReaderOptions extends Omit<AdapterOptions, 'timeZone'> {
  signal?: AbortSignal;
}

/** http.ts's options for a reader: its counts are not per day, so no time zone is involved. */
export const httpOptions = (options: ReaderOptions): AdapterOptions => ({ ...options, timeZone: 'UTC' });

/**
 * A count as the network gives it. Bluesky leaves a count out when it is 0 (its lexicon marks them
 * optional); anything else that is not a whole number is an answer the report cannot trust.
 */
export function counted(network: string, value: unknown, field: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new AnalyticsError(
    network,
    'malformed',
    `${network} answered ${field} = ${JSON.stringify(value)}, not a count`,
  );
}
