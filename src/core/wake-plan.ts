import type { Plan } from './plan.ts';

/**
 * Punctual runs: when a scheduled run should stay alive and wake to send what falls due soon.
 *
 * GitHub starts `schedule:` runs late (minutes usually, hours sometimes) and drops some. Sending
 * at "the first run after the due time" makes every item as late as the next run is, so a run
 * that finds items due shortly waits inside the job and sends each at its moment. Pure: the
 * planner's verdicts at the run's clock go in, the moments to wake come out. The planner decides
 * what is due, stale or held; this only decides when to look again.
 *
 * Why waiting is bounded: a waiting job bills Actions minutes for every minute it is alive (free on
 * public repositories with standard runners, counted against the plan's quota on private ones, and
 * rounded up to the whole minute per job). So a run waits only for items due before the next
 * scheduled run is expected (the cron interval plus a margin for GitHub's lateness), never longer
 * than the configured `policies.waitUpTo`, and only until its last wake, not to the end of the
 * window. Items due later are left to a later run.
 *
 * Use: call once, at the run's start. At each moment in `wakeAt`, plan again with that moment as
 * the clock (so CRISIS and every gate are checked again right before the send) and send what the
 * planner then says is due. Calling it again at a wake would stretch the wait past the policy.
 */
export interface WakePolicy {
  /** How far apart the schedule starts runs: 15 minutes for the template's cron (publish-schedule.ts). */
  intervalMs: number;
  /** How late GitHub may start the next run without its items counting as late. */
  marginMs: number;
  /** The most a run may stay alive waiting (`policies.waitUpTo`); 0 turns waiting off. */
  waitUpToMs: number;
  /** The most the job may wait before its own timeout cuts it off, when known (publish-schedule.ts). */
  jobTimeoutMs?: number;
}

export interface WakePlan {
  /** Items the planner sends at this moment, in its order (an item on several channels once). */
  sendNow: string[];
  /** Future moments, ascending and distinct, at which to wake, plan again and send. */
  wakeAt: number[];
  /** When this run stops waiting: its last wake, or its start when it has nothing to wait for. */
  until: number;
  /** Items past their window at this moment: reported as missed, never sent late. */
  missed: string[];
  /** The first due time this run leaves to a later one, or null when nothing is scheduled after its wait. */
  leftFor: number | null;
}

/**
 * The longest a run may wait: the policy's horizon, but no longer than until the next run is
 * expected, nor than its job may live.
 */
export function waitLimitMs(policy: WakePolicy): number {
  const limits = [policy.waitUpToMs, policy.intervalMs + policy.marginMs, policy.jobTimeoutMs ?? Infinity];
  return Math.max(0, Math.min(...limits));
}

export function planWake(now: number, plan: Pick<Plan, 'actions' | 'verdicts'>, policy: WakePolicy): WakePlan {
  const sendNow = [...new Set(plan.actions.map((a) => a.item.id))];
  const horizon = now + waitLimitMs(policy);
  const wakes = new Set<number>();
  const missed: string[] = [];
  let leftFor: number | null = null;
  for (const [id, verdict] of plan.verdicts) {
    if (verdict.state === 'stale') missed.push(id);
    // Only `scheduled` items with a known time: a held item is not sent when it falls due either,
    // and an announcement whose post is not live yet has no time until the post's release.
    if (verdict.state !== 'scheduled' || verdict.dueAt === null || verdict.dueAt <= now) continue;
    if (verdict.dueAt <= horizon) wakes.add(verdict.dueAt);
    else if (leftFor === null || verdict.dueAt < leftFor) leftFor = verdict.dueAt;
  }
  const wakeAt = [...wakes].sort((a, b) => a - b);
  return { sendNow, wakeAt, until: wakeAt.at(-1) ?? now, missed: missed.sort(), leftFor };
}

/**
 * The schedule publish.yml runs on: every 15 minutes (its cron), and GitHub may start a run up to
 * about 15 minutes late on an ordinary day. tests/workflows.test.ts holds the cron and the job's
 * timeout to these figures.
 */
export const PUBLISH_SCHEDULE = { intervalMs: 15 * 60_000, marginMs: 15 * 60_000 } as const;
