import type { Gates } from '../publish/gates.ts';
import type { GitHubRepo } from './client.ts';
import { readLiveCrisisReason } from './live-crisis.ts';

/** The gates in a GitHub Actions run: CRISIS on the live branch, asked before every post. */
export class GitHubGates implements Gates {
  readonly mode = 'github' as const;
  readonly description: string;
  private readonly gh: GitHubRepo;

  constructor(gh: GitHubRepo, requiredApprovals: number) {
    this.gh = gh;
    this.description =
      `GitHub mode (${gh.owner}/${gh.repo}): CRISIS is checked on the live ${gh.branch} before every post; ` +
      (requiredApprovals > 0
        ? `each item needs ${requiredApprovals} approving review${requiredApprovals === 1 ? '' : 's'} from someone other than its author`
        : 'approvals are not required (policies.approvals: 0)');
  }

  crisis(): Promise<string | null> {
    return readLiveCrisisReason(this.gh);
  }
}
