import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Row } from '../lib/table.ts';

/**
 * What a scheduled run with nothing due costs the user in Actions time, on this machine: a fresh
 * clone, `npm ci` from a warm npm cache (what setup-node's cache gives), and `publish`. Beside it,
 * the same run when the workflow's node_modules cache hits, which skips npm ci. Baseline: npm ci
 * alone, the floor of any job that runs Postgate at all.
 */
const ROOT = resolve(import.meta.dirname, '../..');

function timed(command: string, args: string[], cwd: string, env: Record<string, string> = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr.slice(0, 2000)}`);
  return performance.now() - start;
}

export function benchScheduledRun(rounds: number): Row[] {
  const totals: number[] = [];
  const installs: number[] = [];
  const cachedTotals: number[] = [];
  const env = { POSTGATE_NOW: '2026-11-10T09:07:00Z', npm_config_fund: 'false', npm_config_audit: 'false' };
  for (let round = 0; round < Math.max(1, Math.min(rounds, 3)); round++) {
    const dir = mkdtempSync(join(tmpdir(), 'postgate-scheduled-'));
    try {
      const clone = timed('git', ['clone', '--quiet', '--depth', '1', `file://${ROOT}`, dir], tmpdir());
      const install = timed('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir, env);
      const publish = timed(join(dir, 'node_modules/.bin/node'), ['scripts/postgate.mjs', 'publish'], dir, env);
      totals.push(clone + install + publish);
      installs.push(install);
      cachedTotals.push(clone + publish);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  return [
    {
      name: 'scheduled run, nothing due: clone + npm ci + publish',
      caseMs: median(totals),
      casePeakMb: 0,
      baseline: 'npm ci alone (warm npm cache)',
      baselineMs: median(installs),
    },
    {
      name: '  the same with node_modules cached: clone + publish',
      caseMs: median(cachedTotals),
      casePeakMb: 0,
      baseline: 'npm ci alone (warm npm cache)',
      baselineMs: median(installs),
    },
  ];
}
