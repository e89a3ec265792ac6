import { parse } from 'yaml';
import { longestCronGapMs } from './cron-gap.ts';
import { PUBLISH_SCHEDULE, type WakePolicy } from './wake-plan.ts';

/**
 * The schedule a waiting run bridges, read from the publish workflow as it is on main: how far apart
 * its cron starts runs (a sparser cron means a longer wait before the next run is expected) and how
 * long the running job may live (`timeout-minutes`; GitHub's default is 6 hours), so a wait is never
 * cut off by the job's own timeout. Without the workflow (a local run) or a cron this can read, the
 * template's figures.
 */
export const WORKFLOW_FILE = '.github/workflows/publish.yml';
/** What a job needs beside its wait: install, the first pass, the sends after the last wake. */
export const JOB_RESERVE_MS = 15 * 60_000;
const GITHUB_DEFAULT_TIMEOUT_MINUTES = 360;

export type Schedule = Omit<WakePolicy, 'waitUpToMs'> & {
  /** What the run's log should say of it: a cron this does not read. */
  note: string | null;
};

interface Step {
  run?: unknown;
  'timeout-minutes'?: unknown;
}
interface Workflow {
  on?: { schedule?: { cron?: unknown }[] } | null;
  jobs?: Record<string, { 'timeout-minutes'?: unknown; steps?: unknown }>;
}
/** The template's jobs' timeout: what a timeout that cannot be read is taken to be. */
const TEMPLATE_TIMEOUT_MINUTES = 50;

export function publishScheduleOf(workflowText: string | null, job: string | undefined): Schedule {
  const fallback = { ...PUBLISH_SCHEDULE, note: null };
  if (workflowText === null) return fallback;
  let workflow: Workflow | null = null;
  try {
    workflow = parse(workflowText) as Workflow | null;
  } catch {
    return fallback;
  }
  const crons = (Array.isArray(workflow?.on?.schedule) ? workflow.on.schedule : [])
    .map((s) => s?.cron)
    .filter((c): c is string => typeof c === 'string');
  const gap = longestCronGapMs(crons);
  const found = job !== undefined && Object.hasOwn(workflow?.jobs ?? {}, job) ? workflow!.jobs![job] : undefined;
  const timeout = found ? jobTimeoutMinutes(found) : null;
  const notes = [
    gap === null && crons.length > 0
      ? `publish.yml's cron (${crons.join('; ')}) is not one Postgate reads (a day of month, a month, or names): waits are planned as for runs every 15 minutes`
      : null,
    timeout?.unread
      ? `the ${job} job's timeout-minutes in publish.yml is not a number Postgate reads: waits are planned as for ${TEMPLATE_TIMEOUT_MINUTES} minutes`
      : null,
  ].filter((n): n is string => n !== null);
  return {
    intervalMs: gap ?? PUBLISH_SCHEDULE.intervalMs,
    marginMs: PUBLISH_SCHEDULE.marginMs,
    ...(timeout ? { jobTimeoutMs: timeout.minutes * 60_000 - JOB_RESERVE_MS } : {}),
    note: notes.length ? notes.join('; ') : null,
  };
}

/**
 * How long the job may live: the least of its own timeout-minutes and that of any step that runs
 * postgate (a step's cuts the wait off just the same); GitHub's 6 hours when none is given. A value
 * that is there but not a positive number (a string, an expression) is not guessed at: the template's.
 */
function jobTimeoutMinutes(job: { 'timeout-minutes'?: unknown; steps?: unknown }): {
  minutes: number;
  unread: boolean;
} {
  const steps = (Array.isArray(job.steps) ? (job.steps as Step[]) : []).filter(
    (step) => typeof step?.run === 'string' && step.run.includes('postgate'),
  );
  const given = [job['timeout-minutes'], ...steps.map((step) => step['timeout-minutes'])].filter(
    (t) => t !== undefined,
  );
  const read = given.map((t) => (typeof t === 'number' && t > 0 ? t : null));
  const unread = read.includes(null);
  const minutes = Math.min(GITHUB_DEFAULT_TIMEOUT_MINUTES, ...read.map((t) => t ?? TEMPLATE_TIMEOUT_MINUTES));
  return { minutes, unread };
}

/** What the run's log says when the job's timeout, not `policies.waitUpTo`, limits the wait. */
export function waitLimitNote(policy: WakePolicy, job: string | undefined): string | null {
  const { jobTimeoutMs } = policy;
  if (jobTimeoutMs === undefined || jobTimeoutMs >= Math.min(policy.waitUpToMs, policy.intervalMs + policy.marginMs))
    return null;
  const minutes = Math.max(0, Math.round(jobTimeoutMs / 60_000));
  return `the ${job ?? 'publish'} job's timeout-minutes in publish.yml leaves room to wait ${minutes} minutes, less than policies.waitUpTo: raise it to wait longer`;
}
