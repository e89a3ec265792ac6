import type { Env } from '../channels/channel.ts';
import type { Config } from '../core/config-schema.ts';
import type { Item } from '../core/item.ts';
import type { ApprovalVerdict } from '../core/item-state.ts';
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
  /** `notice` hears what the store did besides recording (on GitHub: moved the ledger to its branch). */
  store(ledgerTextAtStart: string, notice?: (line: string) => void): LedgerStore;
  /** Verdicts of the approval gate (and of "due during a past crisis") for items that could go out now. */
  approvals(items: readonly Item[], now: number): Promise<Map<string, ApprovalVerdict>>;
  crisisAtStart(): Promise<CrisisNotice | null>;
  /** Throws unless the checkout is the commit the gates read (GitHub: main at GITHUB_SHA). */
  verifyCheckout(): Promise<void>;
}

export function localMode(root: string): PublishingMode {
  const gates = new LocalGates(root);
  return {
    gates,
    ledgerText: async () => (await readLedger(root)).text,
    store: () => new LocalLedgerStore(root),
    verifyCheckout: async () => {},
    approvals: async () => new Map(),
    crisisAtStart: async () => {
      const reason = await gates.crisis();
      return reason === null ? null : { reason };
    },
  };
}

export async function modeFromEnv(root: string, env: Env, config: Config): Promise<PublishingMode> {
  const { githubFromEnv, refuseLocalModeInActions } = await import('../github/client.ts');
  const gh = githubFromEnv(env);
  if (!gh) {
    refuseLocalModeInActions(env);
    return localMode(root);
  }
  const [{ GitHubGates }, { GitHubLedgerStore, readLedgerOnGitHub }, { approvalVerdicts }, { readLiveCrisis }] =
    await Promise.all([
      import('../github/gates.ts'),
      import('../github/ledger-store.ts'),
      import('../github/approval-gate.ts'),
      import('../github/live-crisis.ts'),
    ]);
  const { verifyRunCommit } = await import('../github/run-commit.ts');
  const { sealingFromEnv } = await import('../github/ledger-sealing.ts');
  const sealing = sealingFromEnv(env);
  const required = config.policies.approvals;
  // Until the ledger has moved to its branch, the store creates the branch from the main commit
  // whose ledger the last read checked.
  let moveFrom: string | null = null;
  return {
    gates: new GitHubGates(gh, required),
    ledgerText: async () => {
      const ledger = await readLedgerOnGitHub(gh, env.POSTGATE_APPROVERS, sealing.check);
      moveFrom = ledger.moveFrom;
      return ledger.text;
    },
    store: (text, notice) => new GitHubLedgerStore(gh, root, { text, moveFrom }, { notice, sealing }),
    crisisAtStart: () => readLiveCrisis(gh),
    approvals: (items, now) => approvalVerdicts(gh, root, env, config, items, now),
    verifyCheckout: () => verifyRunCommit(gh, env),
  };
}
