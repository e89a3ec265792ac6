import { appendFileSync } from 'node:fs';
import type { ActionResult } from '../publish/results.ts';

/**
 * Step outputs for the workflow (GITHUB_OUTPUT): `site-changed` is true when a blog post was
 * released or retracted, so the site is rebuilt and deployed in the same run, and only then.
 */
export function writeStepOutputs(
  env: Readonly<Record<string, string | undefined>>,
  results: readonly ActionResult[],
): void {
  if (!env.GITHUB_OUTPUT) return;
  const changed = results.some((r) => r.channel === 'blog' && (r.outcome === 'released' || r.outcome === 'retracted'));
  const sent = results.filter((r) => r.outcome === 'sent' || r.outcome === 'released').length;
  appendFileSync(env.GITHUB_OUTPUT, `site-changed=${changed}\nsent=${sent}\n`);
}
