import { UsageError } from './errors.ts';
import { addDays, type DayRange, weeksOf } from './iso-week.ts';

/**
 * Where the weekly report is kept: `reports/2026-W48.md`, one file per ISO week, on the branch
 * `postgate/reports` (main is protected; src/github/report-branch.ts writes it through the API).
 */
export const REPORTS_DIR = 'reports';
export const REPORTS_BRANCH = 'postgate/reports';

/** The file of a period that is exactly one whole ISO week; a usage error for any other period. */
export function reportPath(period: DayRange): string {
  // Seven days that weeksOf does not cut at a Sunday: Monday to Sunday.
  const weeks = weeksOf(period);
  const week = weeks[0];
  if (weeks.length !== 1 || !week || period.until !== addDays(period.since, 6))
    throw new UsageError(
      `report: --save keeps one file per ISO week; ${period.since} to ${period.until} is not one whole week (Monday to Sunday). Leave out --since and --until for the last complete week`,
    );
  return `${REPORTS_DIR}/${week.week}.md`;
}

/** The line that says when it was generated changes every run; the report is the same without it. */
const GENERATED = / · generated [^\n]*/;

export function sameReport(a: string, b: string): boolean {
  return a.replace(GENERATED, '') === b.replace(GENERATED, '');
}
