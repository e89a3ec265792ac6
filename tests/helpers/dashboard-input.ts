import type { DashboardInput } from '../../src/core/dashboard.ts';

/** A dashboard's input with nothing in it but what a test gives: no items, records, results or CRISIS. */
export function dashboardInput(now: number, over: Partial<DashboardInput> = {}): DashboardInput {
  return {
    now,
    zone: 'Europe/Berlin',
    crisis: null,
    held: [],
    results: [],
    missingCredentials: [],
    items: [],
    verdicts: new Map(),
    enabled: ['blog', 'x', 'mastodon', 'bluesky'],
    records: [],
    linkHosts: {},
    runUrl: null,
    ...over,
  };
}
