import { REQUIRED_VARIABLES, SECRET_VARIABLES } from '../channels/credentials.ts';
import type { Finding } from '../core/repo-settings/finding.ts';
import type { AccountSecrets } from '../core/repo-settings/findings-secrets.ts';
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
postgate.config.yaml in this directory, each account whose secrets the publish job cannot read and
how long LinkedIn's access token has left.

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
    const config = await configBeside(io.cwd);
    const findings = doctorFindings(settings, {
      credentialNames: SECRET_VARIABLES.filter((name) => name !== 'GITHUB_TOKEN'),
      accounts: config ? await accountSecretsOf(config) : [],
    });
    if (config) findings.push(...(await linkedinFindings(config, io.env)));
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

type Config = Awaited<ReturnType<typeof import('../repo/load-config.ts').loadConfig>>;

/** postgate.config.yaml in this directory; none, or one check refuses: null (check says the rest). */
async function configBeside(cwd: string): Promise<Config | null> {
  const { loadConfig } = await import('../repo/load-config.ts');
  try {
    return await loadConfig(cwd);
  } catch {
    return null;
  }
}

/** Each account on an enabled network, with the secrets it reads (its own names, e.g. BLUESKY_APP_PASSWORD_JONAS). */
async function accountSecretsOf(config: Config): Promise<AccountSecrets[]> {
  const [{ accountsOf }, { socialChannelsOf }, { SOCIAL_RULES }] = await Promise.all([
    import('../core/accounts.ts'),
    import('../core/config-schema.ts'),
    import('../core/channels.ts'),
  ]);
  const enabled = socialChannelsOf(config);
  const secret = new Set<string>(SECRET_VARIABLES);
  return accountsOf(config)
    .filter((a) => enabled.includes(a.network))
    .map((a) => ({
      id: a.id,
      network: SOCIAL_RULES[a.network].name,
      secrets: Object.entries(a.credentials)
        .filter(([standard]) => secret.has(standard) && REQUIRED_VARIABLES[a.network].includes(standard))
        .map(([, variable]) => variable),
    }));
}

/** LinkedIn's token expiry (POSTGATE_NOW moves the clock, as for publish). */
async function linkedinFindings(config: Config, env: Readonly<Record<string, string | undefined>>): Promise<Finding[]> {
  const { linkedinTokenFindings } = await import('../core/repo-settings/findings-linkedin.ts');
  const zone = config.site.timeZone;
  return linkedinTokenFindings(config, resolveNow(undefined, env, zone), zone);
}
