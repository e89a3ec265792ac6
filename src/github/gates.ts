import type { CrisisNearMiss } from '../core/crisis-name.ts';
import type { Gates } from '../publish/gates.ts';
import type { GitHubRepo } from './client.ts';
import { readLiveCrisisReason, readLiveNearMisses } from './live-crisis.ts';

/** The gates in a GitHub Actions run: CRISIS on the live branch, asked before every post. */
export class GitHubGates implements Gates {
  readonly mode = 'github' as const;
  readonly description: string;
  private readonly gh: GitHubRepo;

  constructor(gh: GitHubRepo, requiredApprovals: number) {
    this.gh = gh;
    this.description =
      `GitHub mode (${gh.owner}/${gh.repo}): CRISIS is checked on the live ${gh.branch} before every post; ` +
      `each item needs ${Math.max(1, requiredApprovals)} approver${requiredApprovals > 1 ? 's' : ''}' approval of the exact bytes that go out`;
  }

  crisis(): Promise<string | null> {
    return readLiveCrisisReason(this.gh);
  }

  nearMisses(): Promise<CrisisNearMiss[]> {
    return readLiveNearMisses(this.gh);
  }
}
