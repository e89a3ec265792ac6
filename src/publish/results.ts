import type { ChannelId } from '../core/channels.ts';

/** What happened to one item on one channel in a run. */
export type Outcome =
  | 'sent'
  | 'released'
  | 'retracted'
  | 'failed'
  | 'deferred'
  | 'held'
  | 'would-send'
  | 'would-release'
  | 'not-configured';

export interface ActionResult {
  item: string;
  channel: ChannelId;
  /** The account on that network, when it is not the organisation's standard one (src/core/accounts.ts). */
  account?: string;
  outcome: Outcome;
  /** Parts live after this run, of how many. */
  partsLive: number;
  parts: number;
  url?: string;
  message?: string;
  /** How long after its due time it went out, when it went out in this run (its first part). */
  lateMs?: number;
  /** For failures from a network: its kind (see ChannelError), e.g. `auth`. */
  failure?: string;
}

export const FAILING: readonly Outcome[] = ['failed', 'not-configured'];
