import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import type { ThisRunner } from '../core/attempt-in-flight.ts';

/** This process's run id: GitHub's run id and attempt when there is one, and always a random part. */
export const RUN_ID = `${process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}.${process.env.GITHUB_RUN_ATTEMPT ?? 1}-` : ''}${randomUUID().slice(0, 8)}`;

/**
 * This machine's process list, as a tag: two processes with the same tag can see each other's
 * process ids. A host name alone is not enough: containers that share one (a fixed `--hostname`,
 * host networking) each have their own process ids, often 1 in every one. So on Linux the tag is
 * made of the boot's random id and the process-id namespace as well; elsewhere, of the host name
 * and the moment the machine started. It is hashed with the random boot id, so that a ledger in a
 * public repository cannot be turned back into a laptop's name by guessing.
 */
function machineTag(): string {
  const linux = [readOr('/proc/sys/kernel/random/boot_id'), linkOr('/proc/self/ns/pid')];
  const parts = linux.every((p) => p !== '')
    ? [...linux, hostname()]
    : [hostname(), String(Math.round((Date.now() / 1000 - uptime()) / 60))];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 12);
}

const readOr = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};
const linkOr = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
};

const MACHINE = machineTag();

/** Where this run's attempts say they were made (an attempt's `runner`). */
export const RUNNER_TAG = `${MACHINE}:${process.pid}`;

/** Whether a process of this machine is running: only one that has ended answers ESRCH. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export const THIS_RUNNER: ThisRunner = { run: RUN_ID, machine: MACHINE, pid: process.pid, alive };
