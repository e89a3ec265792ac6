import { ContentError, EnvironmentError, MainMovedError } from '../core/errors.ts';
import { type LedgerRecord, summarizeLedger } from '../core/ledger.ts';
import { planPublish, type LiveCheck, type Plan, type PlanInputs } from '../core/plan.ts';
import { readableLedgerRecords } from '../repo/ledger-file.ts';
import { applyReleases, applySends, type ApplyDeps } from './apply-plan.ts';
import type { LedgerStore } from './ledger-store.ts';
import type { LiveAnswer } from './live-check.ts';
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
  /** Announcements wait for their post's address to answer (GitHub, or POSTGATE_SITE_URL); null: off. */
  live: LiveCheckContext | null;
}

export interface LiveCheckContext {
  /** `policies.liveWithin`. */
  withinMs: number;
  ask: (check: LiveCheck) => Promise<LiveAnswer>;
  /** Posts released by this run: the site is built after it ends, so they are not asked before. */
  releasedByThisRun: Set<string>;
  /** Tries for a post released in the last FRESH_MS (a deploy may still be reaching the CDN), and the pause between. */
  tries: number;
  pauseMs: number;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

/** A release this recent may still be on its way to the site: its address is asked a few times. */
const FRESH_MS = 30 * 60_000;

export interface PassOutcome {
  plan: Plan;
  results: ActionResult[];
  /** The crisis that held this pass, or null. */
  crisis: CrisisNotice | null;
  /** Main moved on during the pass: nothing more may be sent by this run. */
  stopped?: boolean;
  /** The ledger the pass checked at its start, and the records it wrote since (for the dashboard: no second read). */
  ledger: { text: string; written: LedgerRecord[] };
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
  const live = ctx.live ? { liveAt: ledger.liveAt, liveWithinMs: ctx.live.withinMs } : {};
  const inputs: PlanInputs = { ...ctx.plan, ledger, now, crisis: crisis?.reason ?? null, approvals, ...live };
  let plan = planPublish(inputs);
  if (crisis !== null) {
    ctx.paused(crisis);
    return { plan, results: [], crisis, ledger: { text: ledgerText, written: [] } };
  }

  // What this pass writes, kept: the ledger as the pass leaves it is the one it checked plus these.
  const written: LedgerRecord[] = [];
  const base = mode.store(ledgerText, ctx.tell);
  const store: LedgerStore = {
    append: async (record) => {
      await base.append(record);
      written.push(record);
    },
    claim: async (record) => {
      const claimed = await base.claim(record);
      if (claimed) written.push(record);
      return claimed;
    },
  };
  const leaves = { text: ledgerText, written };
  const deps = ctx.deps(now, store);
  const results = await applyReleases(plan.actions, deps);
  const released = results.filter((r) => r.outcome === 'released' || r.outcome === 'would-release').map((r) => r.item);
  for (const id of released) ctx.live?.releasedByThisRun.add(id);
  // Plan again with the new records (in a dry run, as if the posts had been released): without the
  // live check, announcements of posts released just now are due now; with it, they wait for it.
  let after = ledger;
  if (released.length) {
    after = ctx.dryRun ? ledger : summarizeLedger(readableLedgerRecords(await mode.ledgerText()));
    if (ctx.dryRun) for (const id of released) after.releasedAt.set(id, now);
    plan = planPublish({ ...inputs, ledger: after, ...(ctx.live ? { liveAt: after.liveAt } : {}) });
  }
  if (ctx.live && plan.checkLive.length) {
    const { asked, answered } = await askLive(ctx.live, plan.checkLive, now, ctx.dryRun ? null : store);
    if (answered.length) {
      const liveAt = new Map(after.liveAt);
      for (const id of answered) liveAt.set(id, now);
      plan = planPublish({ ...inputs, ledger: after, liveAt });
    }
    // Asking took time (a fresh release is asked for up to a minute): a correction merged meanwhile
    // must not be overtaken by the text this run checked out.
    if (asked && !ctx.dryRun)
      try {
        await mode.verifyCheckout();
      } catch (error) {
        if (!(error instanceof MainMovedError)) throw error;
        ctx.tell(
          `Nothing more is sent: ${error.message.replace(/; rerun the workflow.*$/, '')}; the next run sends it.`,
        );
        return { plan, results, crisis, stopped: true, ledger: leaves };
      }
  }
  results.push(...(await applySends(plan.actions, deps)), ...heldResults(plan));
  return { plan, results, crisis, ledger: leaves };
}

/**
 * Asks each post's address; records `live` for each that answers with the post (not in a dry run).
 * Returns the ids of those that did. A post released by this run is not asked: its site is built
 * after the run. One that does not answer is said, with until when it is asked again.
 */
async function askLive(
  live: LiveCheckContext,
  checks: readonly LiveCheck[],
  now: number,
  store: LedgerStore | null,
): Promise<{ asked: boolean; answered: string[] }> {
  const answered: string[] = [];
  const toAsk = checks.filter((check) => !live.releasedByThisRun.has(check.item.id));
  // All at once: the time it takes is one post's tries, however many posts wait.
  const answers = await Promise.all(
    toAsk.map(async (check) => {
      const tries = now - check.releasedAt < FRESH_MS ? live.tries : 1;
      let answer: LiveAnswer = { ok: false, reason: 'not asked' };
      for (let i = 0; i < tries && !answer.ok; i++) {
        if (i > 0) await live.sleep(live.pauseMs);
        answer = await live.ask(check);
      }
      return answer;
    }),
  );
  for (const [i, check] of toAsk.entries()) {
    const answer = answers[i]!;
    if (!answer.ok) {
      const until = new Date(check.releasedAt + live.withinMs).toISOString();
      live.log(
        `${check.item.id} is not live yet at ${check.url} (${answer.reason}): its announcements wait; each run asks again until ${until}, then holds them`,
      );
      continue;
    }
    await store?.append({
      v: 1,
      type: 'live',
      item: check.item.id,
      channel: 'blog',
      part: 0,
      parts: 1,
      remoteId: '',
      url: check.url,
      hash: '',
      at: new Date(now).toISOString(),
    });
    live.log(
      `${check.item.id} is live at ${check.url}${store ? '' : ' (dry run: not recorded)'}: its announcements are due`,
    );
    answered.push(check.item.id);
  }
  return { asked: toAsk.length > 0, answered };
}

/** A person's account held for their own approval: said in the summary, as the other holds are. */
function heldResults(plan: Plan): ActionResult[] {
  // An item held as a whole (only such accounts left) is said once, with the other held items.
  const going = plan.held.filter(({ item }) => plan.verdicts.get(item.id)?.state !== 'held');
  return going.map(({ item, account, reason }) => ({
    item: item.id,
    channel: account.network,
    ...(account.key === account.network ? {} : { account: account.key }),
    outcome: 'held' as const,
    partsLive: 0,
    parts: 1,
    message: reason,
  }));
}
