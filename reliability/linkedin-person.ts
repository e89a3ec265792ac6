import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fault } from '../tests/fakes/fake-server.ts';
import { startProofNetworks } from './networks.ts';
import { publishOnce } from './run-cli.ts';
import { ANNOUNCE, IMAGE_POST, LINKEDIN_THREAD, read, scenarioRepo } from './scenario.ts';

/**
 * LinkedIn as a person (author: person) after a lost answer. LinkedIn lists no person's posts back,
 * so Postgate cannot look for the post itself: the part must be held for a person to `confirm`, and
 * every later run must go on holding it, never sending it again. The post made before the answer
 * was lost exists once; the scenario's other posts still go out once each.
 */
export interface PersonReport {
  cases: number;
  duplicates: number;
  lost: number;
  held: number;
  failures: string[];
}

const CREATE = /^POST \/rest\/posts$/;
const CASES: { name: string; fault: Fault }[] = [
  { name: 'hang after posting (lost answer)', fault: { match: CREATE, hang: true, afterHandling: true } },
  {
    name: 'malformed answer after posting',
    fault: { match: CREATE, respondAfterHandling: { status: 200, body: '<html>proxy</html>' } },
  },
];

export async function linkedinPersonSection(): Promise<PersonReport> {
  const report: PersonReport = { cases: 0, duplicates: 0, lost: 0, held: 0, failures: [] };
  for (const c of CASES) {
    const n = await startProofNetworks();
    const dir = scenarioRepo(['linkedin']);
    const config = join(dir, 'postgate.config.yaml');
    writeFileSync(
      config,
      read(dir, 'postgate.config.yaml').replace(/author: urn:li:organization:\d+/, 'author: person'),
    );
    try {
      n.linkedin.server.inject(c.fault);
      const runs = [await publishOnce(dir, n, null)];
      n.linkedin.server.clearFaults();
      // Two more runs, as the schedule would make: both must hold the part, neither may resend it.
      runs.push(await publishOnce(dir, n, null), await publishOnce(dir, n, null));
      report.cases++;
      const mine = n.linkedin.live.filter((p) => p.author === n.linkedin.personUrn);
      for (const text of [LINKEDIN_THREAD, IMAGE_POST, ANNOUNCE]) {
        const copies = mine.filter((p) => p.commentary.startsWith(text.slice(0, 30))).length;
        if (copies > 1) report.duplicates += copies - 1;
        if (copies === 0) report.lost++;
        if (copies !== 1) report.failures.push(`${c.name}: ${copies} copies of "${text.slice(0, 40)}"`);
      }
      const holding = runs.filter((r) => /confirm/.test(r.stdout)).length;
      if (holding === runs.length) report.held++;
      else
        report.failures.push(`${c.name}: ${runs.length - holding} of ${runs.length} runs did not say what to confirm`);
    } finally {
      await n.stop();
    }
  }
  return report;
}
