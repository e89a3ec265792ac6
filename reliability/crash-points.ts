import { startProofNetworks } from './networks.ts';
import { approvedGitHub, publishOnce, publishToCompletion, pool } from './run-cli.ts';
import { scenarioAccounts, scenarioRepo, tally } from './scenario.ts';

/**
 * Crash points: the publisher killed (SIGKILL) at every step boundary in turn, each time on a
 * fresh repository and fresh fake networks, then rerun to completion. Afterwards every expected
 * post must exist exactly once on every account (the organisation's on each network, LinkedIn's page
 * among them, and Alice's own), and every thread must be a correct reply chain.
 */
export interface CrashReport {
  mode: string;
  /** Step boundaries a run without a crash passes. */
  points: number;
  /** Of those, where a run was killed (all, unless `every` > 1). */
  tried: number;
  killed: number;
  duplicates: number;
  lost: number;
  brokenChains: number;
  failures: string[];
}

async function oneRun(channels: readonly string[], github: boolean, crashAt: number | null) {
  const n = await startProofNetworks();
  const dir = scenarioRepo(channels, true);
  const gh = github ? await approvedGitHub(dir) : null;
  try {
    const first = await publishOnce(
      dir,
      n,
      gh,
      crashAt === null ? { POSTGATE_CRASH_AT: '1000000' } : { POSTGATE_CRASH_AT: String(crashAt) },
    );
    const passed = Number(/crash points passed: (\d+)/.exec(first.stderr)?.[1] ?? 0);
    const killed = first.signal === 'SIGKILL';
    const runs = killed || first.status !== 0 ? await publishToCompletion(dir, n, gh) : 1;
    // On GitHub a post's announcements wait for its address, which answers once the site job has
    // deployed it: publish.yml's job after the deploy sends them (the same command, run again).
    if (gh && runs > 0) await publishOnce(dir, n, gh);
    return { passed, killed, completed: runs > 0, tally: tally(n, channels, true) };
  } finally {
    await Promise.all([n.stop(), gh?.stop()]);
  }
}

export async function crashPointSection(
  mode: 'local' | 'github',
  channels: readonly string[],
  log: (line: string) => void,
  /** Kill at every `every`-th boundary only (and the last): a lighter pass that still runs every path. */
  every = 1,
): Promise<CrashReport> {
  const probe = await oneRun(channels, mode === 'github', null);
  const points = probe.passed;
  const report: CrashReport = {
    mode: `${mode}, ${channels.join('+')}, ${scenarioAccounts(channels, true).length} accounts`,
    points,
    tried: points,
    killed: 0,
    duplicates: 0,
    lost: 0,
    brokenChains: 0,
    failures: [],
  };
  if (probe.tally.lost || probe.tally.duplicates || points === 0)
    report.failures.push(
      `the run without a crash is wrong: ${probe.tally.details.join('; ') || 'no crash points passed'}`,
    );
  log(`crash points (${report.mode}): ${points} step boundaries`);
  const chosen = Array.from({ length: points }, (_, i) => i + 1).filter((p) => p % every === 0 || p === points);
  report.tried = chosen.length;
  const results = await pool(
    2,
    chosen.map((point, i) => async () => {
      const r = await oneRun(channels, mode === 'github', point);
      if ((i + 1) % 20 === 0) log(`  ${i + 1}/${chosen.length}`);
      return { point, ...r };
    }),
  );
  for (const r of results) {
    if (r.killed) report.killed++;
    report.duplicates += r.tally.duplicates;
    report.lost += r.tally.lost;
    report.brokenChains += r.tally.brokenChains;
    if (!r.completed) report.failures.push(`point ${r.point}: the reruns did not complete`);
    if (r.tally.details.length) report.failures.push(`point ${r.point}: ${r.tally.details.join('; ')}`);
  }
  return report;
}
