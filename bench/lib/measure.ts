import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runs a command as a child process and reports its wall time and the peak memory of its Node
 * processes. Both the case and its baseline run this way, in the same run, so ratios hold on
 * any machine even when absolute numbers do not.
 */
export interface Sample {
  ms: number;
  /** Peak resident memory of the largest Node process in the command, MB. */
  peakMb: number;
}

const HOOK = resolve(import.meta.dirname, 'peak-rss-hook.mjs');

export function runMeasured(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Sample {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const rssFile = join(dir, 'rss');
  const env = {
    ...process.env,
    ...options.env,
    BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${HOOK}`.trim(),
  };
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  let peakKb = 0;
  try {
    peakKb = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
  } catch {
    // The process died before its exit hook ran; memory unknown.
  }
  rmSync(dir, { recursive: true, force: true });
  if (result.error) throw result.error;
  if (options.env?.BENCH_EXPECT_STATUS !== 'any' && result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr.toString().slice(0, 2000)}`,
    );
  }
  return { ms, peakMb: peakKb / 1024 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs case and baseline alternately `rounds` times, so drift on a noisy machine hits both. */
export function compare(rounds: number, runCase: () => Sample, runBaseline: () => Sample) {
  const cases: Sample[] = [];
  const baselines: Sample[] = [];
  runCase(); // warm the file cache and any compile cache once, for both
  runBaseline();
  for (let i = 0; i < rounds; i++) {
    baselines.push(runBaseline());
    cases.push(runCase());
  }
  return {
    caseMs: median(cases.map((s) => s.ms)),
    casePeakMb: Math.max(...cases.map((s) => s.peakMb)),
    baselineMs: median(baselines.map((s) => s.ms)),
    baselinePeakMb: Math.max(...baselines.map((s) => s.peakMb)),
  };
}
