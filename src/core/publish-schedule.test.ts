import { describe, expect, it } from 'vitest';
import { JOB_RESERVE_MS, publishScheduleOf, waitLimitNote } from './publish-schedule.ts';
import { PUBLISH_SCHEDULE, waitLimitMs } from './wake-plan.ts';

const MIN = 60_000;
const workflow = (cron: string, timeout = 50) =>
  `on:\n  schedule:\n    - cron: "${cron}"\n  workflow_dispatch:\njobs:\n  publish:\n    timeout-minutes: ${timeout}\n  wait:\n    runs-on: ubuntu-latest\n`;

describe('publishScheduleOf: the schedule a waiting run bridges, from publish.yml', () => {
  it("the template's cron: every 15 minutes; the publish job's 50 minutes leave 35 to wait", () => {
    const s = publishScheduleOf(workflow('7,22,37,52 * * * *'), 'publish');
    expect(s).toEqual({ ...PUBLISH_SCHEDULE, jobTimeoutMs: 50 * MIN - JOB_RESERVE_MS, note: null });
    // The default waitUpTo (30m) is what limits it, as the interval plus margin does.
    expect(waitLimitMs({ ...s, waitUpToMs: 30 * MIN })).toBe(30 * MIN);
  });

  it('an hourly cron lets a run wait up to the hour plus the margin, if waitUpTo and the job allow', () => {
    const s = publishScheduleOf(workflow('0 * * * *', 120), 'publish');
    expect(s.intervalMs).toBe(60 * MIN);
    expect(waitLimitMs({ ...s, waitUpToMs: 90 * MIN })).toBe(75 * MIN);
    expect(waitLimitMs({ ...s, waitUpToMs: 30 * MIN })).toBe(30 * MIN);
    expect(waitLimitNote({ ...s, waitUpToMs: 90 * MIN }, 'publish')).toBeNull();
  });

  it("the job's timeout caps the wait, and the run says so", () => {
    const s = publishScheduleOf(workflow('0 * * * *', 50), 'publish');
    expect(waitLimitMs({ ...s, waitUpToMs: 90 * MIN })).toBe(35 * MIN);
    expect(waitLimitNote({ ...s, waitUpToMs: 90 * MIN }, 'publish')).toBe(
      "the publish job's timeout-minutes in publish.yml leaves room to wait 35 minutes, less than policies.waitUpTo: raise it to wait longer",
    );
    // A job without timeout-minutes has GitHub's 6 hours.
    expect(publishScheduleOf(workflow('0 * * * *'), 'wait').jobTimeoutMs).toBe(360 * MIN - JOB_RESERVE_MS);
  });

  it('without the workflow, a cron it does not read, or a job it does not know: the template figures, said', () => {
    expect(publishScheduleOf(null, 'publish')).toEqual({ ...PUBLISH_SCHEDULE, note: null });
    expect(publishScheduleOf('{ not: [yaml', 'publish')).toEqual({ ...PUBLISH_SCHEDULE, note: null });
    const monthly = publishScheduleOf(workflow('0 9 1 * *'), 'publish');
    expect(monthly.intervalMs).toBe(PUBLISH_SCHEDULE.intervalMs);
    expect(monthly.note).toContain("publish.yml's cron (0 9 1 * *) is not one Postgate reads");
    expect(publishScheduleOf(workflow('0 * * * *'), 'elsewhere').jobTimeoutMs).toBeUndefined();
  });
});
