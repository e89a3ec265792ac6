import type { MachineTime } from './clock.ts';

/**
 * Whether an open attempt (a claim with no outcome yet) may belong to a run that is sending it
 * right now, rather than to one that stopped.
 *
 * A run that finds an open attempt looks for the post and sends it if it is not there: that is how
 * a crashed run's post is never lost. But two runs can overlap (a local run beside the scheduled
 * one, a dispatch from an external scheduler), and the other run's post may not have reached the
 * network yet when this one looks: sending then would post it twice. So an attempt is left to its
 * run while that run may still be sending:
 * - this run's own (an earlier pass of a waiting run): never in flight, passes run one at a time;
 * - a process of this machine (one process list: src/publish/this-runner.ts) that has ended, or
 *   whose id is now this run's: not in flight, it crashed;
 * - otherwise (alive here, another machine, an attempt that does not say): in flight until its
 *   lease runs out, the longest a live run leaves an attempt open: the longer of the lease the
 *   attempt recorded (its run's own settings, capped at MAX_RECORDED_LEASE_MS) and this run's;
 * - an attempt of unknown machine time, or dated further ahead than its lease (a clock that cannot
 *   be trusted either way), is not waited for: it is looked for, as before.
 */
export interface OpenAttempt {
  /** The machine time of the latest attempt (every retry claims again, with a new time). */
  at: MachineTime | null;
  /** The run that wrote it (its `run`). */
  run?: string;
  /** Where it was written: `<machine tag>:<process id>` (its `runner`). */
  runner?: string;
  /** The lease its run computed from its own settings (its `leaseMs`). */
  leaseMs?: number;
}

export interface ThisRunner {
  run: string;
  /** This machine's tag, as in `runner`. */
  machine: string;
  pid: number;
  /** Whether a process of this machine is running. */
  alive: (pid: number) => boolean;
}

export type InFlight = { inFlight: false } | { inFlight: true; until: MachineTime };

/**
 * A recorded lease is believed up to an hour: a run whose requests may each take longer than about
 * ten minutes is not a configuration to keep a crashed run's post waiting for.
 */
export const MAX_RECORDED_LEASE_MS = 3_600_000;

export function attemptInFlight(
  attempt: OpenAttempt,
  self: ThisRunner,
  now: MachineTime,
  ownLeaseMs: number,
): InFlight {
  if (attempt.run !== undefined && attempt.run === self.run) return { inFlight: false };
  const where = parseRunner(attempt.runner);
  // A process id is only worth asking about on the machine that wrote it, and ours is not theirs.
  if (where && where.machine === self.machine && (where.pid === self.pid || !self.alive(where.pid)))
    return { inFlight: false };
  if (attempt.at === null) return { inFlight: false };
  const recorded = Math.min(attempt.leaseMs ?? 0, MAX_RECORDED_LEASE_MS);
  const leaseMs = Math.max(ownLeaseMs, Number.isFinite(recorded) ? recorded : 0);
  const until = attempt.at.machineMs + leaseMs;
  const plausible = now.machineMs < until && now.machineMs > attempt.at.machineMs - leaseMs;
  return plausible ? { inFlight: true, until: { machineMs: until } } : { inFlight: false };
}

/**
 * The longest a live run leaves its latest attempt open: the send itself (its own time limit), a
 * look for the post after a failure that may have posted it, the longest wait before it claims
 * again (a rate limit's, or a retry's), and three minutes for its ledger commits (the attempt's
 * time is taken before its own commit) and for the machines' clocks.
 */
export function attemptLeaseMs(limits: { sendMs: number; findMs: number; waitMs: number }): number {
  return limits.sendMs + limits.findMs + limits.waitMs + 180_000;
}

function parseRunner(runner: string | undefined): { machine: string; pid: number } | null {
  const match = /^([0-9a-f]{1,64}):(\d{1,10})$/.exec(runner ?? '');
  return match ? { machine: match[1]!, pid: Number(match[2]) } : null;
}
