import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanEnv } from './clean-env.ts';

/** Runs the real CLI in a child process, as a user (or the workflow) would. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(REPO_ROOT, 'scripts/postgate.mjs');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): CliResult {
  const env = cleanEnv(options.env);
  const result = spawnSync(process.execPath, [ENTRY, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a command without blocking this process: needed whenever the fake servers it talks to live
 * in the test process. `started` gives access to the child, e.g. to kill it mid-run.
 */
export function spawnAsync(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; started?: (child: ChildProcess) => void; timeoutMs?: number },
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
    options.started?.(child);
  });
}

/** The CLI, run as spawnAsync runs a command, in a clean environment like runCli's. */
export function runCliAsync(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; started?: (child: ChildProcess) => void } = {},
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  const env = cleanEnv(options.env);
  return spawnAsync(process.execPath, [ENTRY, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    ...(options.started ? { started: options.started } : {}),
  });
}

/** A scratch copy of the example repository (config and content) to change freely. */
export function exampleRepoCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'postgate-'));
  cpSync(join(REPO_ROOT, 'postgate.config.yaml'), join(dir, 'postgate.config.yaml'));
  cpSync(join(REPO_ROOT, 'content'), join(dir, 'content'), { recursive: true });
  return dir;
}
