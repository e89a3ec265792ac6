import { SECRET_VARIABLES } from '../channels/credentials.ts';
import type { Finding } from '../core/repo-settings/finding.ts';
import type { Severity } from '../core/repo-settings/findings.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, type Command } from './command.ts';
import { resolveNow } from './clock.ts';
import { settingsRepo } from './repo-settings-access.ts';

const MARK: Record<Severity, string> = { important: '✗', warning: '!', limit: '–', ok: '✓' };

export const doctorCommand: Command = {
  name: 'doctor',
  usage: `Usage: postgate doctor [--repo owner/name]

Reads the repository's settings on GitHub and says, one line each, what Postgate's promise depends
on and what is missing: whether main can be force-pushed, deleted or pushed to without a pull request,
the ruleset on the ledger's branch, the publish and retract environments (main only; reviewers for
retract), code owners for content/ and for the gate's own files, GitHub Pages, network
credentials kept as repository secrets (which a workflow on any branch can read), and, from
postgate.config.yaml in this directory, how long LinkedIn's access token has left.

  ✗ important: missing, and it weakens a guarantee ("postgate setup" fixes most)
  ! worth knowing
  – not available on this repository's GitHub plan; what Postgate can and cannot guarantee there
    is said at the end
  ✓ in place

Options:
  --repo owner/name   the repository (default: GITHUB_REPOSITORY)
  -h, --help          show this help

Environment:
  GITHUB_TOKEN        a token that can read the settings (never printed): a repository admin's, e.g.
                      GITHUB_TOKEN=$(gh auth token); what it cannot read is said, not guessed
  GITHUB_REPOSITORY   owner/name, unless --repo
  GITHUB_API_URL      default https://api.github.com

Exit status: 0 nothing important is missing (limits of the plan are said, not counted), 1 something
important is missing or could not be read, 2 wrong usage.`,

  async run(args, io) {
    const { values } = parseCommandArgs('doctor', args, { repo: { type: 'string' } });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const gh = await settingsRepo('doctor', io, values.repo);
    const { readRepoSettings } = await import('../github/repo-settings.ts');
    const { doctorFindings, planStatement } = await import('../core/repo-settings/findings.ts');
    const settings = await readRepoSettings(gh);
    const findings = doctorFindings(settings, {
      credentialNames: SECRET_VARIABLES.filter((name) => name !== 'GITHUB_TOKEN'),
    });
    findings.push(...(await linkedinFindings(io.cwd, io.env)));
    io.out(`Postgate doctor: ${settings.repo.fullName} (${settings.repo.private ? 'private' : 'public'})`);
    io.out('');
    for (const f of findings) io.out(`${MARK[f.severity]} ${f.message}`);
    const statement = planStatement(settings);
    if (statement.length) {
      io.out('');
      io.out('What Postgate can and cannot guarantee on this plan:');
      for (const line of statement) io.out(`  ${line}`);
    }
    const important = findings.filter((f) => f.severity === 'important').length;
    io.out('');
    io.out(
      important === 0
        ? 'Nothing important is missing.'
        : `${important} important problem${important === 1 ? '' : 's'}. "postgate setup" fixes what it can; "postgate setup --dry-run" shows how.`,
    );
    return important ? EXIT.problems : EXIT.ok;
  },
};

/**
 * LinkedIn's token expiry, from the config beside doctor (POSTGATE_NOW moves the clock, as for
 * publish). No config here, or one check refuses: nothing to say (check says the rest).
 */
async function linkedinFindings(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<Finding[]> {
  const { loadConfig } = await import('../repo/load-config.ts');
  const { linkedinTokenFindings } = await import('../core/repo-settings/findings-linkedin.ts');
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig(cwd);
  } catch {
    return [];
  }
  const zone = config.site.timeZone;
  return linkedinTokenFindings(config, resolveNow(undefined, env, zone), zone);
}
