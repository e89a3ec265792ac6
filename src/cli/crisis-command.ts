import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { CRISIS_FILE, readCrisisFile } from '../repo/crisis-file.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, type Command, type Io } from './command.ts';

export const crisisCommand: Command = {
  name: 'crisis',
  usage: `Usage: postgate crisis on "reason"
       postgate crisis off
       postgate crisis status

  on "reason"  writes the file CRISIS (its first line is the reason) and commits it. While it is on
               main, nothing is published anywhere, the blog included; the publisher checks before
               every single post. Items that fall due meanwhile wait for a new approval afterwards.
  off          removes CRISIS and commits that.
  status       says whether there is a crisis: in this checkout, and with GITHUB_TOKEN on the live main.

With GITHUB_TOKEN and GITHUB_REPOSITORY set, on and off commit straight to main through the GitHub
API, so they take effect at once; without, they commit here and you push. From a phone: in the
GitHub app, open the repository, add a file named CRISIS with the reason, and commit to main.

Options:
  -h, --help   show this help`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs('crisis', args, {}, true);
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const [action, ...rest] = positionals;
    const { githubFromEnv } = await import('../github/client.ts');
    const gh = githubFromEnv(io.env);
    if (action === 'status') return status(io, gh);
    if (action === 'on') {
      const reason = rest.join(' ').trim();
      if (!reason)
        throw new UsageError(
          'crisis on: say why in a few words, e.g. postgate crisis on "Flooding in the city: all posts paused"',
        );
      if (reason.includes('\n')) throw new UsageError('crisis on: the reason is one line');
      return turnOn(io, gh, reason);
    }
    if (action === 'off') {
      if (rest.length) throw new UsageError(`crisis off: unexpected "${rest.join(' ')}"`);
      return turnOff(io, gh);
    }
    throw new UsageError(
      `crisis: expected on "reason", off or status, received ${action === undefined ? 'nothing' : `"${action}"`}\n\n${this.usage}`,
    );
  },
};

type Gh = ReturnType<typeof import('../github/client.ts').githubFromEnv>;

async function status(io: Io, gh: Gh): Promise<number> {
  const local = await readCrisisFile(io.cwd);
  io.out(local === null ? 'This checkout: no CRISIS.' : `This checkout: CRISIS: ${local}`);
  if (gh) {
    const { readLiveCrisis } = await import('../github/live-crisis.ts');
    const live = await readLiveCrisis(gh);
    io.out(
      live === null
        ? `Live ${gh.branch} on GitHub: no CRISIS; publishing runs as scheduled.`
        : `Live ${gh.branch} on GitHub: CRISIS: ${live.reason}${live.author ? ` (${live.author}, ${live.at})` : ''}; nothing is published.`,
    );
  } else {
    io.out('Without GITHUB_TOKEN the live main on GitHub was not checked.');
  }
  return EXIT.ok;
}

async function turnOn(io: Io, gh: Gh, reason: string): Promise<number> {
  writeFileSync(join(io.cwd, CRISIS_FILE), `${reason}\n`);
  if (gh) {
    const { readRemoteFile, writeRemoteFile } = await import('../github/contents.ts');
    for (let tries = 0; tries < 5; tries++) {
      const current = await readRemoteFile(gh, CRISIS_FILE);
      const written = await writeRemoteFile(gh, CRISIS_FILE, `${reason}\n`, current?.sha ?? null, `CRISIS: ${reason}`);
      if (written.ok) {
        io.out(
          `CRISIS is on: committed to ${gh.owner}/${gh.repo} ${gh.branch} (${written.commit.slice(0, 7)}). Nothing will be published until it is removed.`,
        );
        return EXIT.ok;
      }
    }
    throw new UsageError('crisis on: main kept changing; try again');
  }
  io.out(`Wrote ${CRISIS_FILE}: "${reason}".`);
  if (gitCommit(io, ['add', CRISIS_FILE], `CRISIS: ${reason}`))
    io.out('Committed. Push it to main now to stop the scheduled publisher: git push');
  return EXIT.ok;
}

async function turnOff(io: Io, gh: Gh): Promise<number> {
  const had = existsSync(join(io.cwd, CRISIS_FILE));
  rmSync(join(io.cwd, CRISIS_FILE), { force: true });
  if (gh) {
    const { readRemoteFile, deleteRemoteFile } = await import('../github/contents.ts');
    const current = await readRemoteFile(gh, CRISIS_FILE);
    if (current === null) {
      io.out(`There is no CRISIS on ${gh.owner}/${gh.repo} ${gh.branch}.`);
      return EXIT.ok;
    }
    const removed = await deleteRemoteFile(gh, CRISIS_FILE, current.sha, 'End of CRISIS');
    if (!removed.ok) throw new UsageError('crisis off: CRISIS changed while removing it; try again');
    io.out(
      `CRISIS is off: removed from ${gh.owner}/${gh.repo} ${gh.branch}. Items that fell due during it wait for a new approval.`,
    );
    return EXIT.ok;
  }
  if (!had) {
    io.out('There is no CRISIS in this checkout.');
    return EXIT.ok;
  }
  io.out(`Removed ${CRISIS_FILE}.`);
  if (gitCommit(io, ['rm', '--cached', '--quiet', '--ignore-unmatch', CRISIS_FILE], 'End of CRISIS'))
    io.out('Committed. Push it to main to resume publishing: git push');
  return EXIT.ok;
}

/** Commits with git when this is a git checkout; says so (and returns false) when it cannot. */
function gitCommit(io: Io, stage: string[], message: string): boolean {
  try {
    execFileSync('git', stage, { cwd: io.cwd, stdio: 'pipe' });
    execFileSync('git', ['commit', '--quiet', '-m', message, '--', CRISIS_FILE], { cwd: io.cwd, stdio: 'pipe' });
    return true;
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] ?? '';
    io.out(
      `Not committed${detail ? ` (git: ${detail})` : ''}: commit ${CRISIS_FILE} to main yourself, or set GITHUB_TOKEN to commit it through the API.`,
    );
    return false;
  }
}
