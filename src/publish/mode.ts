import type { Env } from '../channels/channel.ts';
import type { Config } from '../core/config-schema.ts';
import { missedInCrisis } from '../core/crisis-window.ts';
import type { Item } from '../core/item.ts';
import type { ApprovalVerdict } from '../core/item-state.ts';
import { formatLocal } from '../core/time-zone.ts';
import { readLedger } from '../repo/ledger-file.ts';
import { LocalGates, type Gates } from './gates.ts';
import { LocalLedgerStore, type LedgerStore } from './ledger-store.ts';

/**
 * Local or GitHub: where the truth about CRISIS, approvals and the ledger comes from. Without
 * GITHUB_TOKEN everything is read from (and written to) the working tree; with it, from the live
 * branch on GitHub, and the gates are enforced in code.
 */
export interface CrisisNotice {
  reason: string;
  /** True when the check itself failed: treated as a crisis (nothing is sent), and the run fails. */
  unknown?: boolean;
  author?: string | null;
  at?: string | null;
}

export interface PublishingMode {
  gates: Gates;
  /** The ledger this run starts from. */
  ledgerText(): Promise<string>;
  store(ledgerTextAtStart: string): LedgerStore;
  /** Verdicts of the approval gate (and of "due during a past crisis") for items that could go out now. */
  approvals(items: readonly Item[], now: number): Promise<Map<string, ApprovalVerdict>>;
  crisisAtStart(): Promise<CrisisNotice | null>;
}

export function localMode(root: string): PublishingMode {
  const gates = new LocalGates(root);
  return {
    gates,
    ledgerText: async () => (await readLedger(root)).text,
    store: () => new LocalLedgerStore(root),
    approvals: async () => new Map(),
    crisisAtStart: async () => {
      const reason = await gates.crisis();
      return reason === null ? null : { reason };
    },
  };
}

export async function modeFromEnv(root: string, env: Env, config: Config): Promise<PublishingMode> {
  const { githubFromEnv } = await import('../github/client.ts');
  const gh = githubFromEnv(env);
  if (!gh) return localMode(root);
  const [
    { GitHubGates },
    { GitHubLedgerStore, readRemoteLedgerText },
    { ApprovalChecker },
    { readLiveCrisis, readCrisisHistory },
  ] = await Promise.all([
    import('../github/gates.ts'),
    import('../github/ledger-store.ts'),
    import('../github/approvals.ts'),
    import('../github/live-crisis.ts'),
  ]);
  const required = config.policies.approvals;
  const checker = new ApprovalChecker(gh, required);
  return {
    gates: new GitHubGates(gh, required),
    ledgerText: () => readRemoteLedgerText(gh),
    store: (text) => new GitHubLedgerStore(gh, root, text),
    crisisAtStart: () => readLiveCrisis(gh),
    async approvals(items, now) {
      const verdicts = new Map<string, ApprovalVerdict>();
      const candidates = items.filter((i) => !i.draft && i.publishAt !== null && i.publishAt <= now);
      if (candidates.length === 0) return verdicts;
      try {
        const periods = await readCrisisHistory(gh);
        await Promise.all(
          candidates.map(async (item) => {
            const { verdict, changedAt } = await checker.check(item.file);
            const missed = verdict.ok ? missedInCrisis(item.publishAt!, changedAt, periods) : null;
            verdicts.set(
              item.id,
              missed
                ? {
                    ok: false,
                    reason: `due during the CRISIS of ${formatLocal(missed.start, config.site.timeZone)} ("${missed.reason}"); its moment has passed: reschedule or re-approve it in a pull request`,
                  }
                : verdict,
            );
          }),
        );
      } catch (error) {
        // Fail closed: what cannot be shown to be approved does not go out.
        const reason = `could not check approvals on GitHub (${(error as Error).message}); nothing is sent until it can`;
        for (const item of candidates) verdicts.set(item.id, { ok: false, reason });
      }
      return verdicts;
    },
  };
}
