#!/usr/bin/env node
/**
 * `npm run demo`: check, queue and a dry run of publish on the example content.
 *
 * The example content is one week of a food bank's publishing (late November, early December
 * 2026). Run at today's date it would show nothing due, so the demo runs at a fixed moment of that
 * week, and says so: a thread with an image is due, a post is released, one item is stale, a draft
 * waits, and an announcement waits for its post. `POSTGATE_NOW` picks another moment. A dry run
 * sends and records nothing, whatever credentials are set.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// `npm run demo | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const EXAMPLE_MOMENT = '2026-12-02T13:05';
const entry = fileURLToPath(new URL('./postgate.mjs', import.meta.url));
const now = process.env.POSTGATE_NOW || EXAMPLE_MOMENT;

process.stdout.write(
  now === EXAMPLE_MOMENT
    ? `Demo: the example week as at ${EXAMPLE_MOMENT} in the site's time zone (set POSTGATE_NOW for another moment).\n\n`
    : `Demo at POSTGATE_NOW=${now}.\n\n`,
);
for (const args of [['check'], ['queue'], ['publish', '--dry-run']]) {
  process.stdout.write(`$ postgate ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [entry, ...args], {
    stdio: 'inherit',
    env: { ...process.env, POSTGATE_NOW: now },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
  process.stdout.write('\n');
}
