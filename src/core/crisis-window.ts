/**
 * After a crisis: an item whose moment fell inside it is not sent when the crisis ends, because
 * its moment has passed. It waits until someone approves it again, i.e. its file is changed
 * (rescheduled or re-approved) by a pull request merged after the crisis ended.
 */
export interface CrisisPeriod {
  /** When the CRISIS file appeared on main (epoch ms). */
  start: number;
  /** When it was removed; null while it is still there. */
  end: number | null;
  reason: string;
}

/**
 * The crisis an item fell due in and that its file was not approved again after, if any.
 * @param changedAt when the item's file last changed on main (the merge of its latest approval)
 */
export function missedInCrisis(
  dueAt: number,
  changedAt: number,
  periods: readonly CrisisPeriod[],
): CrisisPeriod | null {
  for (const period of periods) {
    if (period.end === null) continue; // an ongoing crisis holds everything anyway
    if (dueAt >= period.start && dueAt < period.end && changedAt < period.end) return period;
  }
  return null;
}

/** The state of the root after one commit of the branch: whether any CRISIS entry is there. */
export interface CrisisState {
  /** When the commit reached the branch, as well as it is known (epoch ms). */
  at: number;
  crisis: boolean;
  /** The commit message's first line: the reason of a period this state opens. */
  reason: string;
}

/**
 * Periods from the successive states of the branch, oldest first, in the order the branch went
 * through them (not re-sorted by date: dates are the committer's claim, the order is not).
 */
export function crisisPeriodsOfStates(states: readonly CrisisState[]): CrisisPeriod[] {
  const periods: CrisisPeriod[] = [];
  let on = false;
  for (const state of states) {
    if (state.crisis && !on) periods.push({ start: state.at, end: null, reason: state.reason || 'no reason given' });
    else if (!state.crisis && on) periods.at(-1)!.end = state.at;
    on = state.crisis;
  }
  return periods;
}
