import type { Config } from '../core/config-schema.ts';
import type { LedgerRecord } from '../core/ledger.ts';
import type { EngagementOutcome } from '../core/report-types.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Engagement from the networks, second to visitors. */
export async function networkEngagement(
  _records: readonly LedgerRecord[],
  _config: Config,
  _env: Env,
): Promise<EngagementOutcome[]> {
  return [];
}
