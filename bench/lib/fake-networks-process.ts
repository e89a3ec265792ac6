/**
 * The three fake networks in a process of their own, so a benchmark can time `publish` as a
 * separate process without blocking the servers. Prints one JSON line (the environment that
 * points publish at them), then answers "counts" on stdin with the requests each has received.
 * Usage: node bench/lib/fake-networks-process.ts [latencyMs]
 */
import { createInterface } from 'node:readline';
import { startNetworks } from '../../tests/helpers/networks.ts';

const latency = Number(process.argv[2] ?? 0);
const networks = await startNetworks();
for (const fake of [networks.x, networks.mastodon, networks.bluesky]) fake.server.latencyMs = latency;
process.stdout.write(`${JSON.stringify(networks.env)}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'counts') {
    const count = (requests: { method: string; path: string }[]) => requests.length;
    const all = [networks.x, networks.mastodon, networks.bluesky].flatMap((f) => f.server.requests);
    const span = all.length ? Math.max(...all.map((r) => r.answeredAt ?? r.at)) - Math.min(...all.map((r) => r.at)) : 0;
    process.stdout.write(
      `${JSON.stringify({ x: count(networks.x.server.requests), mastodon: count(networks.mastodon.server.requests), bluesky: count(networks.bluesky.server.requests), spanMs: span, posts: { x: networks.x.livePosts().length, mastodon: networks.mastodon.statuses.length, bluesky: networks.bluesky.records.length } })}\n`,
    );
  }
  if (line.trim() === 'reset') {
    networks.x.server.requests.length = 0;
    networks.mastodon.server.requests.length = 0;
    networks.bluesky.server.requests.length = 0;
    process.stdout.write('ok\n');
  }
}
await networks.stop();
