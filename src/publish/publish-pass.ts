import { ContentError, EnvironmentError } from '../core/errors.ts';
import { summarizeLedger } from '../core/ledger.ts';
import { planPublish, type Plan, type PlanInputs } from '../core/plan.ts';
import { readableLedgerRecords } from '../repo/ledger-file.ts';
import { applyReleases, applySends, type ApplyDeps } from './apply-plan.ts';
import type { CrisisNotice, PublishingMode } from './mode.ts';
import type { ActionResult } from './results.ts';

/**
 * One pass of `publish` at one moment: read the live CRISIS, the ledger and the approvals, plan,
 * release the due blog posts, plan again (their announcements may now be due), send. A run makes
 * one pass at its start and, when it waits (src/core/wake-plan.ts), one more at each wake, so every
 * gate is read again right before anything goes out.
 */
export interface PassContext {
  mode: PublishingMode;
  /** Everything the planner takes that stays the same for the whole run. */
  plan: Omit<PlanInputs, 'now' | 'ledger' | 'crisis' | 'approvals'>;
  dryRun: boolean;
  /** The apply phase's dependencies for a pass at `now`, writing through `ledger`. */
  deps: (now: number, ledger: ApplyDeps['ledger']) => ApplyDeps;
  /** Said in the log and kept for the job summary (e.g. the store moved the ledger). */
  tell: (line: string) => void;
  /** Said when a CRISIS holds the pass. */
  paused: (crisis: CrisisNotice) => void;
}

export interface PassOutcome {
  plan: Plan;
  results: ActionResult[];
  /** The crisis that held this pass, or null. */
  crisis: CrisisNotice | null;
}

export async function publishPass(ctx: PassContext, now: number): Promise<PassOutcome> {
  const { mode } = ctx;
  // Fail closed: if it cannot be told whether there is a crisis, nothing is published.
  let crisis: CrisisNotice | null;
  try {
    crisis = await mode.crisisAtStart();
  } catch (error) {
    crisis = {
      reason: `could not check for a CRISIS (${(error as Error).message}); nothing is published until it can`,
      unknown: true,
    };
  }
  let ledgerText = '';
  try {
    ledgerText = await mode.ledgerText();
  } catch (error) {
    // A ledger that was tampered with stops the run, crisis or not: it must be seen.
    if (error instanceof ContentError) throw error;
    // Without the ledger nothing can be known to be unsent; in a crisis nothing is sent anyway.
    if (crisis === null)
      throw new EnvironmentError(`could not read the ledger (${(error as Error).message}); nothing was sent`);
  }
  const ledger = summarizeLedger(readableLedgerRecords(ledgerText));
  const approvals = crisis === null ? await mode.approvals(ctx.plan.items, now) : new Map();
  const inputs: PlanInputs = { ...ctx.plan, ledger, now, crisis: crisis?.reason ?? null, approvals };
  let plan = planPublish(inputs);
  if (crisis !== null) {
    ctx.paused(crisis);
    return { plan, results: [], crisis };
  }

  const deps = ctx.deps(now, mode.store(ledgerText, ctx.tell));
  const results = await applyReleases(plan.actions, deps);
  // Announcements of posts released just now are due now: plan again with the new records
  // (in a dry run, as if the posts had been released).
  const released = results.filter((r) => r.outcome === 'released' || r.outcome === 'would-release').map((r) => r.item);
  if (released.length) {
    const after = ctx.dryRun ? ledger : summarizeLedger(readableLedgerRecords(await mode.ledgerText()));
    if (ctx.dryRun) for (const id of released) after.releasedAt.set(id, now);
    plan = planPublish({ ...inputs, ledger: after });
  }
  results.push(...(await applySends(plan.actions, deps)));
  return { plan, results, crisis };
}
