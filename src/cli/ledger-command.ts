import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { mkdirSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { LEDGER_BRANCH, LEDGER_FILE } from '../core/ledger.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, type Command } from './command.ts';

export const ledgerCommand: Command = {
  name: 'ledger',
  usage: `Usage: postgate ledger [--out <file>]

Reads the ledger (the record of what went out) from GitHub, checks its history exactly as publish
does (only the publisher, or a pull request an approver reviewed on those bytes, wrote it; nothing
was force-pushed away), and writes it to ${LEDGER_FILE} in this checkout. The site build runs it
first, so the blog shows exactly the posts the ledger records as released.

The ledger lives on the branch ${LEDGER_BRANCH}, which only the publisher writes; until a run has
moved it there, it is main's.

Options:
  --out <file>   where to write it (default: ${LEDGER_FILE})
  -h, --help     show this help

Environment:
  GITHUB_TOKEN        a token that can read the repository and its pull requests (never printed);
                      in a workflow, \${{ github.token }} with contents: read, pull-requests: read
  GITHUB_REPOSITORY   owner/name
  GITHUB_API_URL      default https://api.github.com
  POSTGATE_APPROVERS  whose reviews count, as for publish

Without a token, read it with git instead (unchecked):
  git fetch origin ${LEDGER_BRANCH} && git show FETCH_HEAD:${LEDGER_FILE} > ${LEDGER_FILE}

Exit status: 0 written, 1 the ledger cannot be trusted or read (nothing written), 2 wrong usage.`,

  async run(args, io) {
    const { values } = parseCommandArgs('ledger', args, { out: { type: 'string' } });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const { githubFromEnv } = await import('../github/client.ts');
    const { readLedgerOnGitHub } = await import('../github/ledger-branch.ts');
    const gh = githubFromEnv(io.env);
    if (!gh)
      throw new UsageError(
        `ledger reads the ledger from GitHub and needs GITHUB_TOKEN; without one, read it with git (unchecked): git fetch origin ${LEDGER_BRANCH} && git show FETCH_HEAD:${LEDGER_FILE} > ${LEDGER_FILE}`,
      );
    const ledger = await readLedgerOnGitHub(gh, io.env.POSTGATE_APPROVERS);
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
