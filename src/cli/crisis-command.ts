import { execFileSync } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError, UsageError } from '../core/errors.ts';
import { nearMissLine, showPath } from '../core/crisis-name.ts';
import { CRISIS_FILE, readLocalCrisis, readLocalNearMisses } from '../repo/crisis-file.ts';
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
  off          removes every CRISIS file at the root and commits that.
  status       says whether there is a crisis: in this checkout, and with GITHUB_TOKEN on the live main;
               warns about files that look like CRISIS but stop nothing (CRSIS, content/CRISIS).

With GITHUB_TOKEN and GITHUB_REPOSITORY set, on and off commit straight to main through the GitHub
API, so they take effect at once; without, they commit here and you push. From a phone: in the
GitHub app, open the repository, add a file named CRISIS with the reason, and commit to main.
Any file at the root named crisis in any case, with or without an extension (Crisis, crisis.md,
CRISIS.txt), counts; a CRISIS in a folder or a misspelled one does not, and is warned about.

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

/**
 * A rule of the branch refused the commit: no retry helps, and in an emergency the owner needs the
 * rule's own words and the way that works from a phone.
 */
async function blocked(error: unknown, gh: NonNullable<Gh>, action: 'on' | 'off'): Promise<never> {
  const { RuleViolation } = await import('../github/contents.ts');
  if (!(error instanceof RuleViolation)) throw error;
  const where = `${gh.owner}/${gh.repo} ${gh.branch}`;
  const rules = error.rules.length ? error.rules.map((r) => `"${r}"`).join(', ') : 'a rule of the branch';
  throw new EnvironmentError(
    `crisis ${action}: GitHub refused the commit to ${where}: ${rules}. Nothing was changed there.\n` +
      `From a phone: GitHub app, the repository, Code, "+", name the file CRISIS (${action === 'on' ? 'the reason as its text' : 'or open CRISIS and delete it'}), commit to ${gh.branch}; that works only for people the ruleset lets bypass it (Settings, Rules, the ruleset on ${gh.branch}, Bypass list: add the owners, e.g. the Repository admin role). Otherwise open a pull request with the change and merge it.`,
  );
}

const named = (path: string) => (path === CRISIS_FILE ? '' : ` (${showPath(path)})`);

async function status(io: Io, gh: Gh): Promise<number> {
  const [local, misses] = await Promise.all([readLocalCrisis(io.cwd), readLocalNearMisses(io.cwd)]);
  io.out(local === null ? 'This checkout: no CRISIS.' : `This checkout: CRISIS: ${local.reason}${named(local.path)}`);
  for (const miss of misses) io.out(`  warning: ${nearMissLine(miss)}`);
  if (gh) {
    const { readLiveCrisis, readLiveNearMisses } = await import('../github/live-crisis.ts');
    const [live, liveMisses] = await Promise.all([
      readLiveCrisis(gh),
      readLiveNearMisses(gh).catch((error: unknown) => (error as Error).message),
    ]);
    io.out(
      live === null
        ? `Live ${gh.branch} on GitHub: no CRISIS; publishing runs as scheduled.`
        : `Live ${gh.branch} on GitHub: CRISIS: ${live.reason}${named(live.path)}${live.author ? ` (${live.author}, ${live.at})` : ''}; nothing is published.`,
    );
    if (typeof liveMisses === 'string')
      io.out(`  warning: could not look for misplaced or misspelled CRISIS files on ${gh.branch} (${liveMisses})`);
    else for (const miss of liveMisses) io.out(`  warning: ${nearMissLine(miss)}`);
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
      const written = await writeRemoteFile(
        gh,
        CRISIS_FILE,
        `${reason}\n`,
        current?.sha ?? null,
        `CRISIS: ${reason}`,
      ).catch((error: unknown) => blocked(error, gh, 'on'));
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
  if (gitCommit(io, ['add', CRISIS_FILE], `CRISIS: ${reason}`, [CRISIS_FILE]))
    io.out('Committed. Push it to main now to stop the scheduled publisher: git push');
  return EXIT.ok;
}

/** Removes every CRISIS at the root (`CRISIS`, `crisis.md`, ...): the crisis lasts while any of them is there. */
async function turnOff(io: Io, gh: Gh): Promise<number> {
  const local = await readLocalCrisis(io.cwd);
  const localPaths = local?.paths ?? [];
  const localFolders = localPaths.filter((p) => statSync(join(io.cwd, p), { throwIfNoEntry: false })?.isDirectory());
  const localFiles = localPaths.filter((p) => !localFolders.includes(p));
  for (const path of localFiles) rmSync(join(io.cwd, path), { force: true });
  if (gh) {
    const { readRemoteFile, deleteRemoteFile } = await import('../github/contents.ts');
    const { liveCrisisEntries } = await import('../github/live-crisis.ts');
    const entries = await liveCrisisEntries(gh);
    if (entries.length === 0) {
      io.out(`There is no CRISIS on ${gh.owner}/${gh.repo} ${gh.branch}.`);
      return EXIT.ok;
    }
    const folders = entries.filter((e) => e.type === 'dir').map((e) => e.path);
    for (const entry of entries.filter((e) => e.type === 'file')) {
      const current = await readRemoteFile(gh, entry.path);
      if (current === null) continue;
      const removed = await deleteRemoteFile(gh, entry.path, current.sha, 'End of CRISIS').catch((error: unknown) =>
        blocked(error, gh, 'off'),
      );
      if (!removed.ok) throw new UsageError(`crisis off: ${showPath(entry.path)} changed while removing it; try again`);
    }
    if (folders.length) return foldersLeft(io, folders, `${gh.owner}/${gh.repo} ${gh.branch}`);
    io.out(
      `CRISIS is off: removed ${entries.map((e) => showPath(e.path)).join(', ')} from ${gh.owner}/${gh.repo} ${gh.branch}. Items that fell due during it wait for a new approval.`,
    );
    return EXIT.ok;
  }
  if (localPaths.length === 0) {
    io.out('There is no CRISIS in this checkout.');
    return EXIT.ok;
  }
  if (localFiles.length) {
    io.out(`Removed ${localFiles.map(showPath).join(', ')}.`);
    if (
      gitCommit(io, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...localFiles], 'End of CRISIS', localFiles)
    )
      io.out(localFolders.length ? 'Committed.' : 'Committed. Push it to main to resume publishing: git push');
  }
  if (localFolders.length) return foldersLeft(io, localFolders, 'this checkout');
  return EXIT.ok;
}

/** A folder named CRISIS is a crisis too, but removing a folder is for a person to do. */
function foldersLeft(io: Io, folders: string[], where: string): number {
  io.out(
    `The CRISIS is not over: ${folders.map((f) => `${showPath(f)}/`).join(', ')} in ${where} ${folders.length === 1 ? 'is a folder' : 'are folders'} named like CRISIS; remove ${folders.length === 1 ? 'it' : 'them'} yourself.`,
  );
  return EXIT.problems;
}

/** Commits `paths` with git when this is a git checkout; says so (and returns false) when it cannot. */
function gitCommit(io: Io, stage: string[], message: string, paths: string[]): boolean {
  try {
    execFileSync('git', stage, { cwd: io.cwd, stdio: 'pipe' });
    execFileSync('git', ['commit', '--quiet', '-m', message, '--', ...paths], { cwd: io.cwd, stdio: 'pipe' });
    return true;
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] ?? '';
    io.out(
      `Not committed${detail ? ` (git: ${detail})` : ''}: commit ${paths.map(showPath).join(', ')} to main yourself, or set GITHUB_TOKEN to commit it through the API.`,
    );
    return false;
  }
}
