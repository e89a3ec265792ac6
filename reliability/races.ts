import { LEDGER_BRANCH, LEDGER_FILE } from '../src/core/ledger.ts';
import { startProofNetworks } from './networks.ts';
import { approvedGitHub, publishOnce } from './run-cli.ts';
import { expectedParts, scenarioRepo, tally } from './scenario.ts';

/**
 * Races: two publish runs started together, each with its own checkout, over the same content,
 * the same fake networks and the same fake GitHub. Nothing may be sent twice on any account, and
 * every part of every account must have exactly one `sent` record in the ledger's branch.
 */
export interface RaceReport {
  races: number;
  duplicates: number;
  lost: number;
  lostRecords: number;
  failures: string[];
}

export async function raceSection(
  rounds: number,
  channels: readonly string[],
  log: (line: string) => void,
): Promise<RaceReport> {
  const report: RaceReport = { races: 0, duplicates: 0, lost: 0, lostRecords: 0, failures: [] };
  for (let round = 1; round <= rounds; round++) {
    const n = await startProofNetworks();
    const a = scenarioRepo(channels, true);
    const b = scenarioRepo(channels, true);
    const gh = await approvedGitHub(a);
    try {
      const [ra, rb] = await Promise.all([publishOnce(a, n, gh), publishOnce(b, n, gh)]);
      // Whatever one run left to the other (claimed but not finished by it) a later run completes.
      if (ra.status !== 0 || rb.status !== 0) await publishOnce(a, n, gh);
      await publishOnce(b, n, gh);
      report.races++;
      const t = tally(n, channels, true);
      report.duplicates += t.duplicates;
      report.lost += t.lost;
      if (t.details.length) report.failures.push(`race ${round}: ${t.details.join('; ')}`);
      const records = (gh.fileAt(LEDGER_BRANCH, LEDGER_FILE) ?? '')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; item: string; channel: string; account?: string; part: number });
      // A part is its item, account (absent for the organisation's standard one) and number.
      const sent = new Map<string, number>();
      for (const r of records) {
        const key = `${r.item}|${r.channel}|${r.account ?? ''}|${r.part}`;
        if (r.type === 'sent') sent.set(key, (sent.get(key) ?? 0) + 1);
      }
      const missing = expectedParts(channels, true) - sent.size;
      const doubled = [...sent.values()].filter((c) => c > 1).length;
      report.lostRecords += Math.max(0, missing);
      if (missing > 0 || doubled > 0)
        report.failures.push(`race ${round}: ${missing} parts without a sent record, ${doubled} with two`);
      if (round % 5 === 0) log(`  races: ${round}/${rounds}`);
    } finally {
      await Promise.all([n.stop(), gh.stop()]);
    }
  }
  return report;
}
