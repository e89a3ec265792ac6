import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeNetworksProcess } from '../lib/fake-networks-client.ts';
import { generateRepo } from '../lib/generate-content.ts';
import { compare, runMeasured, type Sample } from '../lib/measure.ts';
import type { Row } from '../lib/table.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'scripts/postgate.mjs');

/**
 * (a) The scheduled run with nothing due, over 10,000 items, credentials set: what every
 * 15-minute run costs. Baseline: starting Node and doing nothing.
 */
export async function benchPublishNoop(rounds: number): Promise<Row[]> {
  const repo = generateRepo(10_000, { postWords: 600 });
  const fakes = await startFakeNetworksProcess(0);
  try {
    // The generated items are all due from 2027 on, so "now" has nothing due.
    const env = { ...fakes.env, POSTGATE_NOW: '2026-12-01T09:00:00Z' };
    const result = compare(
      rounds,
      () => runMeasured(process.execPath, [CLI, 'publish'], { cwd: repo.dir, env }),
      () => runMeasured(process.execPath, ['-e', '0'], { cwd: repo.dir }),
    );
    const requests = JSON.parse(await fakes.ask('counts'));
    if (requests.x + requests.mastodon + requests.bluesky !== 0)
      throw new Error(`a no-op publish made requests: ${JSON.stringify(requests)}`);
    return [
      { name: 'publish, nothing due, 10,000 items', ...result, baseline: 'node -e 0', maxMs: 1500, maxPeakMb: 200 },
    ];
  } finally {
    fakes.stop();
    rmSync(repo.dir, { recursive: true, force: true });
  }
}

/**
 * (b) A 10-part thread to all three networks, each answering after 50 ms. The floor is the
 * slowest network's sequential requests x 50 ms: parts must go one after another, networks need not.
 */
export async function benchPublishThread(rounds: number): Promise<Row[]> {
  const latency = 50;
  const fakes = await startFakeNetworksProcess(latency);
  const samples: Sample[] = [];
  const spans: number[] = [];
  let floorMs = 0;
  try {
    for (let round = 0; round <= rounds; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'postgate-bench-thread-'));
      mkdirSync(join(dir, 'content/social'), { recursive: true });
      copyFileSync(join(ROOT, 'postgate.config.yaml'), join(dir, 'postgate.config.yaml'));
      // Different words each round: X refuses duplicate text.
      const parts = Array.from(
        { length: 10 },
        (_, i) =>
          `Round ${round}, part ${i + 1} of our thread about the winter appeal. https://example.org/posts/winter-appeal/`,
      );
      writeFileSync(
        join(dir, 'content/social/thread.md'),
        `---\npublishAt: 2026-12-01T09:00\nchannels: [x, mastodon, bluesky]\n---\n${parts.join('\n\n---\n\n')}\n`,
      );
      await fakes.ask('reset');
      const sample = runMeasured(process.execPath, [CLI, 'publish'], {
        cwd: dir,
        env: { ...fakes.env, POSTGATE_NOW: '2026-12-01T08:05:00Z' },
      });
      const counts = JSON.parse(await fakes.ask('counts'));
      if (round > 0) {
        samples.push(sample); // round 0 warms the caches
        spans.push(counts.spanMs);
      }
      if (
        counts.posts.x !== 10 * (round + 1) ||
        counts.posts.mastodon !== 10 * (round + 1) ||
        counts.posts.bluesky !== 10 * (round + 1)
      ) {
        throw new Error(
          `expected every network to hold ${10 * (round + 1)} posts, found ${JSON.stringify(counts.posts)}`,
        );
      }
      floorMs = Math.max(counts.x, counts.mastodon, counts.bluesky) * latency;
      rmSync(dir, { recursive: true, force: true });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const peak = Math.max(...samples.map((s) => s.peakMb));
    const baseline = `slowest network's requests x ${latency} ms`;
    return [
      {
        name: '10-part thread to 3 networks, 50 ms/request: whole run',
        caseMs: median(samples.map((s) => s.ms)),
        casePeakMb: peak,
        baseline,
        baselineMs: floorMs,
        maxRatio: 1.3,
      },
      // The same runs, from the first request to the last answer: the publisher's own pacing,
      // without the fixed start-up (Node, Postgate, the network libraries).
      {
        name: '  the same, first request to last answer',
        caseMs: median(spans),
        casePeakMb: peak,
        baseline,
        baselineMs: floorMs,
        maxRatio: 1.3,
      },
    ];
  } finally {
    fakes.stop();
  }
}
