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
 * - a process on this machine that has ended: not in flight, it crashed;
 * - otherwise (alive here, another machine, or an attempt that does not say): in flight until its
 *   lease runs out, the longest a live run leaves an attempt open (see attemptLeaseMs).
 */
export interface OpenAttempt {
  /** The machine time of the latest attempt (every retry claims again, with a new time). */
  at: MachineTime | null;
  /** The run that wrote it (its `run`). */
  run?: string;
  /** Where it was written: `<machine tag>:<process id>` (its `runner`). */
  runner?: string;
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

export function attemptInFlight(attempt: OpenAttempt, self: ThisRunner, now: MachineTime, leaseMs: number): InFlight {
  if (attempt.run !== undefined && attempt.run === self.run) return { inFlight: false };
  const where = parseRunner(attempt.runner);
  // A process id is only worth asking about on the machine that wrote it, and ours is not theirs.
  if (where && where.machine === self.machine && (where.pid === self.pid || !self.alive(where.pid)))
    return { inFlight: false };
  // An attempt of unknown time cannot be waited out: it is treated as before, looked for.
  if (attempt.at === null) return { inFlight: false };
  // One from further ahead than the lease is a clock that cannot be trusted either way: looked for.
  const until = attempt.at.machineMs + leaseMs;
  const plausible = now.machineMs < until && now.machineMs > attempt.at.machineMs - leaseMs;
  return plausible ? { inFlight: true, until: { machineMs: until } } : { inFlight: false };
}

/**
 * The longest a live run leaves its latest attempt open: the send itself (its own time limit), a
 * look for the post after a failure that may have posted it, the longest wait for a rate limit
 * before it claims again, and two minutes for its ledger commits and the machines' clocks.
 */
export function attemptLeaseMs(limits: { sendMs: number; findMs: number; rateLimitWaitMs: number }): number {
  return limits.sendMs + limits.findMs + limits.rateLimitWaitMs + 120_000;
}

function parseRunner(runner: string | undefined): { machine: string; pid: number } | null {
  const match = /^([0-9a-f]{1,64}):(\d{1,10})$/.exec(runner ?? '');
  return match ? { machine: match[1]!, pid: Number(match[2]) } : null;
}
