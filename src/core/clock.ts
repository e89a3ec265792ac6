/**
 * Two clocks, kept apart by type so that one can never be compared with the other by mistake.
 *
 * - The run's clock: one moment per run (`--now`, `POSTGATE_NOW`, or the machine's time read once),
 *   a plain number of epoch milliseconds named `now`. Every time the planner compares and every
 *   ledger record's `at` come from it, so a run at an injected moment is the same run whatever
 *   the date on the machine.
 * - The machine's clock, `MachineTime`: only for asking a network "was this posted after my
 *   attempt?", because networks stamp posts with real time. It is an object, not a number, so
 *   `attempt < now` does not type-check.
 */
export interface MachineTime {
  readonly machineMs: number;
}

export const machineTime = (ms: number): MachineTime => ({ machineMs: ms });

/** A machine time written in a record (ISO), or null when the record has none or it is unreadable. */
export function parseMachineTime(iso: string | undefined): MachineTime | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? machineTime(ms) : null;
}
