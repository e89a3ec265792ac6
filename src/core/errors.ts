import type { Problem } from './problem.ts';

/**
 * The few error classes the library throws. The entry point maps them to exit codes;
 * nothing inside the library calls `process.exit`.
 */

/** The command line was used wrongly: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The repository's configuration or content cannot be used: exit 1, with located problems. */
export class ContentError extends Error {
  override name = 'ContentError';
  readonly problems: readonly Problem[];
  constructor(message: string, problems: readonly Problem[]) {
    super(message);
    this.problems = problems;
  }
}

/** Something outside the repository (a file system, a network) refused: exit 1. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/**
 * Main has moved on since the run checked it out: the files on disk are no longer main's, so this
 * run sends nothing more. A scheduled run after it checks out main as it is then.
 */
export class MainMovedError extends EnvironmentError {
  override name = 'MainMovedError';
}
