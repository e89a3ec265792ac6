import type { SeededVisit } from './fake-analytics.ts';

/**
 * The checks Plausible's Stats API v2 makes on a query before running it (its JSON schema,
 * Plausible.Stats.ApiQueryParser, QueryBuilder and TableDecider), so that the fake refuses what
 * the real API refuses, with messages in its words. The fake evaluates date ranges given as two
 * dates only, and filters on `visit:utm_*`; other shapes the real API takes are refused as "not in
 * the fake", so a test cannot pass on a query the fake did not really run.
 */
const KEYS = ['site_id', 'date_range', 'metrics', 'dimensions', 'filters', 'order_by', 'include', 'pagination'];
const METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'events',
  'scroll_depth',
  'percentage',
  'conversion_rate',
  'group_conversion_rate',
  'average_revenue',
  'total_revenue',
  'time_on_page',
  'exit_rate',
];
const SESSION_ONLY = ['bounce_rate', 'views_per_visit', 'visit_duration'];
const VISIT = ['entry_page', 'entry_page_hostname', 'exit_page', 'exit_page_hostname', 'source', 'referrer', 'channel'];
const UTM = ['utm_medium', 'utm_source', 'utm_campaign', 'utm_content', 'utm_term'];
const DEVICE = ['device', 'browser', 'browser_version', 'os', 'os_version', 'country', 'region', 'city'];
const DIMENSIONS = [
  'event:goal',
  'event:page',
  'event:hostname',
  ...[...VISIT, ...UTM, ...DEVICE, 'country_name', 'region_name', 'city_name'].map((d) => `visit:${d}`),
  'time',
  'time:hour',
  'time:day',
  'time:week',
  'time:month',
];
const OPERATORS = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not'];

export interface PlausibleQuery {
  since: string;
  until: string;
  metrics: string[];
  dimensions: string[];
  filters: ((v: SeededVisit) => boolean)[];
  limit: number;
  offset: number;
}

const isDimension = (d: unknown): d is string =>
  typeof d === 'string' && (DIMENSIONS.includes(d) || /^event:props:[^:]+$/.test(d));
const isDate = (d: unknown): d is string =>
  typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

export function validatePlausibleQuery(
  body: Record<string, unknown>,
  goals: ReadonlySet<string>,
): PlausibleQuery | { error: string } {
  for (const key of Object.keys(body))
    if (!KEYS.includes(key)) return { error: `#/${key}: Schema does not allow additional properties.` };
  const { metrics, dimensions = [], filters = [], date_range: range, pagination = {} } = body;
  if (range === undefined) return { error: '#: Required property date_range was not present.' };
  if (metrics === undefined) return { error: '#: Required property metrics was not present.' };
  if (!Array.isArray(metrics) || metrics.length === 0)
    return { error: '#/metrics: Expected a non-empty list of metrics.' };
  for (const [i, m] of metrics.entries())
    if (!METRICS.includes(m)) return { error: `#/metrics/${i}: Invalid metric ${JSON.stringify(m)}` };
  if (!Array.isArray(dimensions)) return { error: '#/dimensions: Type mismatch. Expected Array but got Object.' };
  for (const [i, d] of dimensions.entries())
    if (!isDimension(d)) return { error: `#/dimensions/${i}: Invalid dimension ${JSON.stringify(d)}` };
  if (typeof range === 'string') return { error: `date_range "${range}": relative ranges are not in the fake` };
  if (!Array.isArray(range) || range.length !== 2 || !range.every(isDate))
    return { error: `Invalid date_range ${JSON.stringify(range)}` };
  const [since, until] = range as [string, string];
  if (since > until) return { error: `Invalid date_range ${JSON.stringify(range)}` };
  const p = pagination as { limit?: unknown; offset?: unknown };
  const limit = p.limit ?? 10_000;
  const offset = p.offset ?? 0;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 10_000)
    return { error: '#/pagination/limit: Expected the value to be between 1 and 10000' };
  if (!Number.isInteger(offset) || (offset as number) < 0)
    return { error: '#/pagination/offset: Expected a non-negative integer' };
  const eventDimensions = (dimensions as string[]).filter((d) => d.startsWith('event:') && d !== 'event:page');
  const sessionMetrics = (metrics as string[]).filter((m) => SESSION_ONLY.includes(m));
  if (sessionMetrics.length && eventDimensions.length)
    return {
      error: `Session metric(s) ${sessionMetrics.map((m) => `\`${m}\``).join(', ')} cannot be queried along with event dimension(s) ${eventDimensions.map((d) => `\`${d}\``).join(', ')}`,
    };
  const parsedFilters: ((v: SeededVisit) => boolean)[] = [];
  if (!Array.isArray(filters)) return { error: '#/filters: Type mismatch. Expected Array but got Object.' };
  for (const [i, f] of filters.entries()) {
    const [op, dimension, clauses] = Array.isArray(f) ? f : [];
    if (
      !OPERATORS.includes(op) ||
      !isDimension(dimension) ||
      !Array.isArray(clauses) ||
      !clauses.every((c) => typeof c === 'string')
    )
      return { error: `#/filters/${i}: Invalid filter ${JSON.stringify(f)}` };
    if (dimension === 'event:goal' && op === 'is')
      for (const goal of clauses)
        if (!goals.has(goal))
          return { error: `Invalid filters. The goal \`${goal}\` is not configured for this site.` };
    if (!dimension.startsWith('visit:utm_') || !['is', 'is_not', 'contains'].includes(op))
      return { error: `filter ${JSON.stringify(f)}: not in the fake` };
    parsedFilters.push((v) => {
      const value = dimensionOf(v, dimension);
      if (op === 'is') return clauses.includes(value);
      if (op === 'is_not') return !clauses.includes(value);
      return clauses.some((c: string) => value.includes(c));
    });
  }
  const wantsGoal = (m: string) => m === 'conversion_rate' || m === 'group_conversion_rate';
  if ((metrics as string[]).some(wantsGoal) && !(dimensions as string[]).includes('event:goal'))
    return { error: 'Metric `conversion_rate` can only be queried with event:goal filters or dimensions.' };
  return {
    since,
    until,
    metrics: metrics as string[],
    dimensions: dimensions as string[],
    filters: parsedFilters,
    limit: limit as number,
    offset: offset as number,
  };
}

/** A visit's value for a visit dimension the fake knows (the UTM ones). */
export function dimensionOf(v: SeededVisit, dimension: string): string {
  switch (dimension) {
    case 'visit:utm_campaign':
      return v.campaign ?? '';
    case 'visit:utm_source':
      return v.source ?? '';
    case 'visit:utm_medium':
      return v.medium ?? '';
    case 'visit:utm_content':
      return v.content ?? '';
    default:
      return '(not in the fake)';
  }
}
