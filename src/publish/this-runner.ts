import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ThisRunner } from '../core/attempt-in-flight.ts';

/** This process's run id: GitHub's run id and attempt when there is one, and always a random part. */
export const RUN_ID = `${process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}.${process.env.GITHUB_RUN_ATTEMPT ?? 1}-` : ''}${randomUUID().slice(0, 8)}`;

/**
 * This machine, as a tag: a hash of its host name, so that a ledger in a public repository says
 * which attempts came from one machine without naming a person's laptop.
 */
const MACHINE = createHash('sha256').update(hostname()).digest('hex').slice(0, 12);

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
