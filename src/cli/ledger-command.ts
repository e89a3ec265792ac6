import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { LEDGER_BRANCH, LEDGER_FILE } from '../core/ledger.ts';
import { newSealKeys } from '../core/ledger-seal.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, type Command } from './command.ts';

export const ledgerCommand: Command = {
  name: 'ledger',
  usage: `Usage: postgate ledger [--out <file>]
       postgate ledger --new-key <file>

Reads the ledger (the record of what went out) from GitHub, checks its history exactly as publish
does (only the publisher, or a pull request an approver reviewed on those bytes, wrote it; nothing
was force-pushed away), and writes it to ${LEDGER_FILE} in this checkout. The site build runs it
first, so the blog shows exactly the posts the ledger records as released.

The ledger lives on the branch ${LEDGER_BRANCH}, which only the publisher writes; until a run has
moved it there, it is main's.

--new-key <file> makes a key pair for sealed records (README: "Sealed records"): it writes the
private key to <file> (a new file, readable by you alone; never printed) and prints the public key
and the commands that store both on GitHub. Keep <file> out of the repository, and delete it after.

Options:
  --out <file>       where to write it (default: ${LEDGER_FILE})
  --new-key <file>   make a sealing key pair; the private key goes to <file>
  -h, --help         show this help

Environment:
  GITHUB_TOKEN        a token that can read the repository and its pull requests (never printed);
                      in a workflow, \${{ github.token }} with contents: read, pull-requests: read
  GITHUB_REPOSITORY   owner/name
  GITHUB_API_URL      default https://api.github.com
  POSTGATE_APPROVERS  whose reviews count, as for publish
  POSTGATE_LEDGER_PUBLIC_KEY, POSTGATE_LEDGER_UNSEALED_UNTIL
                      check each record's seal, as publish does (README: "Sealed records")

Without a token, read it with git instead (unchecked):
  git fetch origin ${LEDGER_BRANCH} && git show FETCH_HEAD:${LEDGER_FILE} > ${LEDGER_FILE}

Exit status: 0 written, 1 the ledger cannot be trusted or read (nothing written), 2 wrong usage.`,

  async run(args, io) {
    const { values } = parseCommandArgs('ledger', args, {
      out: { type: 'string' },
      'new-key': { type: 'string' },
    });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    if (values['new-key'] !== undefined) {
      if (values.out !== undefined) throw new UsageError('ledger: --new-key and --out do different things; give one');
      return newKey(resolve(io.cwd, values['new-key']), io.out);
    }
    const { githubFromEnv } = await import('../github/client.ts');
    const { readLedgerOnGitHub } = await import('../github/ledger-branch.ts');
    const gh = githubFromEnv(io.env);
    if (!gh)
      throw new UsageError(
        `ledger reads the ledger from GitHub and needs GITHUB_TOKEN; without one, read it with git (unchecked): git fetch origin ${LEDGER_BRANCH} && git show FETCH_HEAD:${LEDGER_FILE} > ${LEDGER_FILE}`,
      );
    const { sealingFromEnv } = await import('../github/ledger-sealing.ts');
    const ledger = await readLedgerOnGitHub(gh, io.env.POSTGATE_APPROVERS, sealingFromEnv(io.env).check);
    const out = join(io.cwd, values.out ?? LEDGER_FILE);
    // Whole or not at all: a build must never read half a ledger.
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(`${out}.tmp`, ledger.text);
    renameSync(`${out}.tmp`, out);
    const records = ledger.text.split('\n').filter((line) => line.trim() !== '').length;
    const from =
      ledger.moveFrom === null ? LEDGER_BRANCH : `${gh.branch} (the ledger has not moved to ${LEDGER_BRANCH} yet)`;
    io.out(
      `Wrote the ledger from ${from} to ${relative(io.cwd, out)}: ${records} record${records === 1 ? '' : 's'}, history checked.`,
    );
    return EXIT.ok;
  },
};

/** A key pair for sealed records: the private half to a new file only its owner can read. */
function newKey(path: string, out: (line: string) => void): number {
  const keys = newSealKeys();
  try {
    writeFileSync(path, `${keys.privateKey}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UsageError(`ledger --new-key: ${path} exists; it is never overwritten (it may hold a key in use)`);
    throw error;
  }
  out(`Wrote a new private key to ${path} (readable by you alone). Public key: ${keys.publicKey}`);
  out('');
  out('Store them on GitHub (with the GitHub CLI, in this repository):');
  out(`  gh secret set POSTGATE_LEDGER_KEY --env publish < ${path}`);
  out(`  gh variable set POSTGATE_LEDGER_PUBLIC_KEY --body ${keys.publicKey}`);
  out(
    `If ${LEDGER_BRANCH} exists already, its records so far have no seal: name its last commit as the last unsealed one:`,
  );
  out(
    `  gh variable set POSTGATE_LEDGER_UNSEALED_UNTIL --body "$(git ls-remote origin refs/heads/${LEDGER_BRANCH} | cut -f1)"`,
  );
  out(`Then delete the file: shred -u ${path}`);
  return EXIT.ok;
}
