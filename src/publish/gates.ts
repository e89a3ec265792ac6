import type { CrisisNearMiss } from '../core/crisis-name.ts';
import { readCrisisFile, readLocalNearMisses } from '../repo/crisis-file.ts';

/**
 * The checks between "due" and "sent" that need the outside world. The publisher asks `crisis()`
 * at the start of a run and again right before every single post, so a CRISIS that appears while
 * a run is under way stops the very next post.
 */
export interface Gates {
  /** `local` reads the working tree; `github` asks the live `main` (src/github). */
  readonly mode: 'local' | 'github';
  /** A sentence for the run's first line: what is and is not checked. */
  readonly description: string;
  /** The CRISIS reason, or null. Throws when it cannot tell: callers treat that as a crisis (fail closed). */
  crisis(): Promise<string | null>;
  /** Files named like CRISIS that stop nothing (misspelled, or not at the root): asked once per run, for the summary. */
  nearMisses?(): Promise<CrisisNearMiss[]>;
}

export class LocalGates implements Gates {
  readonly mode = 'local' as const;
  readonly description =
    'local mode (no GITHUB_TOKEN): CRISIS is read from the working tree; approvals are not checked';
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  crisis(): Promise<string | null> {
    return readCrisisFile(this.root);
  }

  nearMisses(): Promise<CrisisNearMiss[]> {
    return readLocalNearMisses(this.root);
  }
}
