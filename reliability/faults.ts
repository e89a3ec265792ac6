import type { Fault } from '../tests/fakes/fake-server.ts';
import { startProofNetworks, type ProofNetworks } from './networks.ts';
import { publishOnce, publishToCompletion } from './run-cli.ts';
import { expectedParts, expectedSends, scenarioRepo, tally } from './scenario.ts';

/** Tries per part in a run: `maxTries` of src/cli/publish-command.ts. */
const MAX_TRIES = 3;

/**
 * Faults from the networks, one case at a time on each network (LinkedIn's page included), with the
 * organisation's and Alice's accounts on it, so a fault hits whichever posts first: the run must not
 * crash (exit 0 or 1, no stack trace), must say what happened, must make a bounded number of
 * requests, and the next run must complete with every post exactly once on every account.
 */
export interface FaultReport {
  cases: number;
  crashes: number;
  duplicates: number;
  lost: number;
  unbounded: number;
  unclear: number;
  failures: string[];
}

const NETWORKS = ['x', 'mastodon', 'bluesky', 'linkedin'] as const;
type NetworkName = (typeof NETWORKS)[number];
const POST: Record<NetworkName, RegExp> = {
  x: /^POST \/2\/tweets$/,
  mastodon: /^POST \/api\/v1\/statuses$/,
  bluesky: /createRecord$/,
  linkedin: /^POST \/rest\/posts$/,
};
const server = (n: ProofNetworks, name: NetworkName) =>
  ({ x: n.x.server, mastodon: n.mastodon.server, bluesky: n.bluesky.server, linkedin: n.linkedin.server })[name];
const reset = (seconds: number) => String(Math.ceil(Date.now() / 1000) + seconds);
const RESET_HEADER: Record<NetworkName, (s: number) => Record<string, string>> = {
  x: (s) => ({ 'x-rate-limit-reset': reset(s) }),
  mastodon: (s) => ({ 'x-ratelimit-reset': new Date(Date.now() + s * 1000).toISOString() }),
  bluesky: (s) => ({ 'ratelimit-reset': reset(s) }),
  // LinkedIn documents no reset header on its 429: the client cannot know when to retry.
  linkedin: () => ({}),
};

const CASES: { name: string; fault: (net: NetworkName) => Fault; latency?: number }[] = [
  {
    name: '500 on every try',
    fault: (net) => ({ match: POST[net], times: 10, respond: { status: 500, body: { error: 'internal error' } } }),
  },
  {
    name: 'one 503, then fine',
    fault: (net) => ({ match: POST[net], respond: { status: 503, body: { error: 'unavailable' } } }),
  },
  { name: 'hang (timeout)', fault: (net) => ({ match: POST[net], hang: true }) },
  { name: 'hang after posting (lost answer)', fault: (net) => ({ match: POST[net], hang: true, afterHandling: true }) },
  {
    name: '429, reset in 1 s',
    fault: (net) => ({
      match: POST[net],
      respond: { status: 429, headers: RESET_HEADER[net](1), body: { error: 'rate limited' } },
    }),
  },
  {
    name: '429, reset in an hour',
    fault: (net) => ({
      match: POST[net],
      respond: { status: 429, headers: RESET_HEADER[net](3600), body: { error: 'rate limited' } },
    }),
  },
  { name: 'malformed JSON', fault: (net) => ({ match: POST[net], respond: { status: 200, body: '{"id": ' } }) },
  { name: '200 without an id', fault: (net) => ({ match: POST[net], respond: { status: 200, body: { ok: true } } }) },
  {
    name: 'malformed answer after posting',
    fault: (net) => ({ match: POST[net], respondAfterHandling: { status: 200, body: '<html>proxy</html>' } }),
  },
  {
    name: '401 auth failure',
    fault: (net) => ({ match: POST[net], respond: { status: 401, body: { error: 'invalid token' } } }),
  },
  { name: 'slow answers (1.2 s each)', fault: () => ({ match: /^$/ }), latency: 1200 },
];

export async function faultSection(log: (line: string) => void): Promise<FaultReport> {
  const report: FaultReport = { cases: 0, crashes: 0, duplicates: 0, lost: 0, unbounded: 0, unclear: 0, failures: [] };
  for (const c of CASES) {
    for (const net of NETWORKS) {
      const n = await startProofNetworks();
      const dir = scenarioRepo([net], true);
      try {
        const s = server(n, net);
        s.inject(c.fault(net));
        if (c.latency) s.latencyMs = c.latency;
        const first = await publishOnce(dir, n, null);
        const label = `${net}: ${c.name}`;
        report.cases++;
        if ((first.status !== 0 && first.status !== 1) || /\n\s+at .+:\d+:\d+/.test(first.stderr)) {
          report.crashes++;
          report.failures.push(
            `${label}: crashed (exit ${first.status}, signal ${first.signal}): ${first.stderr.slice(0, 300)}`,
          );
        }
        if (first.status === 1 && !/FAILED|deferred/.test(first.stdout)) {
          report.unclear++;
          report.failures.push(`${label}: exit 1 without saying what failed`);
        }
        const posts = s.requests.filter((r) => POST[net].test(`${r.method} ${r.path}`)).length;
        // Every part once (all accounts, less the blog post), and at most MAX_TRIES - 1 retries per
        // item and account: a part that keeps failing stops its thread. LinkedIn, with one post per
        // item, shows that a fixed allowance is not a bound: 3 items failing 3 times is 9 requests.
        const bound = expectedParts([net], true) - 1 + expectedSends([net], true) * (MAX_TRIES - 1);
        if (posts > bound) {
          report.unbounded++;
          report.failures.push(`${label}: ${posts} post requests in one run`);
        }
        s.clearFaults();
        s.latencyMs = 0;
        if ((await publishToCompletion(dir, n, null)) < 0)
          report.failures.push(`${label}: the next runs did not complete`);
        const t = tally(n, [net], true);
        report.duplicates += t.duplicates;
        report.lost += t.lost;
        if (t.details.length) report.failures.push(`${label}: ${t.details.join('; ')}`);
      } finally {
        await n.stop();
      }
    }
    log(`  faults: ${c.name} done`);
  }
  return report;
}
