import { formatLocal } from '../core/time-zone.ts';
import { planWake, type WakePolicy } from '../core/wake-plan.ts';
import type { PassOutcome } from './publish-pass.ts';

/**
 * A waiting run (`publish --wait`): after its first pass, it stays alive for the items due before
 * the next scheduled run is expected, and makes one more pass at each of their moments. The wake
 * plan is made once, from the first pass (src/core/wake-plan.ts says why); every later pass reads
 * CRISIS, the ledger and the approvals again, so a CRISIS committed during the wait stops what was
 * due after it.
 *
 * A pass that released a blog post ends the wait: the site is built after the job, and a post must
 * not sit unbuilt while the run waits for something else. What was left is `remaining`; the
 * workflow's job after the site build waits for it (publish.yml).
 */
export interface WaitContext {
  policy: WakePolicy;
  /** The run's clock: its start moment plus the time elapsed since. */
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  zone: string;
  log: (line: string) => void;
  /** Throws when main has moved on since the checkout: what is on disk is then no longer main's. */
  verifyCheckout: () => Promise<void>;
  /** A pass at a moment. */
  pass: (now: number) => Promise<PassOutcome>;
  /** Show the waits without waiting (dry runs, --now): the moments are said, nothing sleeps. */
  sayOnly: boolean;
}

export interface WaitOutcome {
  passes: PassOutcome[];
  /** A pass at a wake failed (a ledger that can no longer be trusted, GitHub not answering): said, and the run fails. */
  error: string | null;
  /** Wakes this run did not make (it released a post, or main moved on): a later job's or run's. */
  remaining: number[];
}

const releasedAPost = (pass: PassOutcome) => pass.results.some((r) => r.outcome === 'released');

export async function waitAndSend(start: number, first: PassOutcome, ctx: WaitContext): Promise<WaitOutcome> {
  const wake = planWake(start, first.plan, ctx.policy);
  const when = (at: number) => formatLocal(at, ctx.zone);
  const dueAt = (at: number) =>
    [...first.plan.verdicts].filter(([, v]) => v.state === 'scheduled' && v.dueAt === at).map(([id]) => id);
  const passes: PassOutcome[] = [];
  const remaining = [...wake.wakeAt];
  let error: string | null = null;
  while (remaining.length) {
    const at = remaining[0]!;
    const ids = dueAt(at);
    const what = `${ids.length} item${ids.length === 1 ? '' : 's'} due then (${ids.join(', ')})`;
    if (ctx.sayOnly) {
      ctx.log(`  Would wait until ${when(at)} for ${what}.`);
      remaining.shift();
      continue;
    }
    if ((passes.at(-1) ?? first).stopped) break;
    if (releasedAPost(passes.at(-1) ?? first)) {
      ctx.log(`  Not waiting for ${when(at)} and later: a blog post was released, and the site is built first.`);
      break;
    }
    ctx.log(`  Waiting until ${when(at)} for ${what}; CRISIS and the gates are read again before they go out.`);
    const ms = at - ctx.clock();
    if (ms > 0) await ctx.sleep(ms);
    try {
      await ctx.verifyCheckout();
    } catch (error) {
      ctx.log(`  Stopped waiting: ${(error as Error).message}. What is left goes out at the next run.`);
      break;
    }
    remaining.shift();
    let pass: PassOutcome;
    try {
      pass = await ctx.pass(Math.max(at, ctx.clock()));
    } catch (failure) {
      // What earlier passes sent is on record; the summary must still say so.
      error = (failure as Error).message;
      ctx.log(`  Stopped waiting: ${error}`);
      break;
    }
    passes.push(pass);
    if (pass.stopped) break;
  }
  if (wake.leftFor !== null)
    ctx.log(`  Left to a later run: the next item is due at ${when(wake.leftFor)}, after this run's wait.`);
  return { passes, remaining, error };
}
