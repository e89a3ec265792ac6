import { appendFileSync } from 'node:fs';
import type { ActionResult } from '../publish/results.ts';

/**
 * Step outputs for the workflow (GITHUB_OUTPUT): `site-changed` is true when a blog post was
 * released or retracted, so the site is rebuilt and deployed in the same run, and only then;
 * `wait-needed` when publish.yml's waiting job has something to do (publish without --wait says).
 */
export function writeStepOutputs(
  env: Readonly<Record<string, string | undefined>>,
  results: readonly ActionResult[],
  extra: { waitNeeded?: boolean } = {},
): void {
  if (!env.GITHUB_OUTPUT) return;
  const changed = results.some((r) => r.channel === 'blog' && (r.outcome === 'released' || r.outcome === 'retracted'));
  const sent = results.filter((r) => r.outcome === 'sent' || r.outcome === 'released').length;
  const wait = extra.waitNeeded === undefined ? '' : `wait-needed=${extra.waitNeeded}\n`;
  appendFileSync(env.GITHUB_OUTPUT, `site-changed=${changed}\nsent=${sent}\n${wait}`);
}
