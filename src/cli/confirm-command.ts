import { accountsOf, type Account } from '../core/accounts.ts';
import type { Config } from '../core/config-schema.ts';
import { confirmRecord, type Finding } from '../core/confirm.ts';
import { PERSON_AUTHOR } from '../core/linkedin-config.ts';
import { EnvironmentError, UsageError } from '../core/errors.ts';
import { readableLedgerRecords } from '../repo/ledger-file.ts';
import { loadConfig } from '../repo/load-config.ts';
import { modeFromEnv } from '../publish/mode.ts';
import { parseCommandArgs } from './args.ts';
import { resolveNow } from './clock.ts';
import { EXIT, type Command } from './command.ts';

export const confirmCommand: Command = {
  name: 'confirm',
  usage: `Usage: postgate confirm <id> (--found <address> | --not-found) [--channel C] [--part N]

Says what a person found after a lost answer that Postgate cannot look up itself (LinkedIn lists no
person's posts back). Until then such a part is held in every run and never sent again; publish
says where to look. Run it in the confirm workflow (Actions → confirm): an owner approves the run.

  <id>                 the item's id as queue shows it, or its last part when that is unique
  --found <address>    the post is there: its address (https://www.linkedin.com/feed/update/urn:li:share:…/),
                       its URN, or its embed code ("Embed this post" in the post's menu). It is
                       recorded as sent, and retract can delete it
  --not-found          it is not there: recorded as failed, so the next run sends it (if the item
                       is still within its window; otherwise it is reported stale)
  --channel C          which network or account (its id in accounts:), when the item waits on several
  --part N             which part (1-based), when several wait
  -h, --help           show this help

Exit status: 0 recorded, 2 wrong usage (nothing waits there, or the address names no post).`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      'confirm',
      args,
      {
        found: { type: 'string' },
        'not-found': { type: 'boolean' },
        channel: { type: 'string' },
        part: { type: 'string' },
      },
      true,
    );
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    if (positionals.length !== 1)
      throw new UsageError(
        'confirm: give exactly one item id, e.g. postgate confirm social/2026-12-01-thanks --not-found',
      );
    const finding = findingOf(values.found, values['not-found'] === true);
    const part = values.part === undefined ? undefined : Number(values.part);
    if (part !== undefined && !(Number.isInteger(part) && part >= 1))
      throw new UsageError(`confirm: --part expects a part number (1, 2, …), received "${values.part}"`);

    const config = await loadConfig(io.cwd);
    const mode = await modeFromEnv(io.cwd, io.env, config);
    const ledgerText = await mode.ledgerText();
    const record = confirmRecord(readableLedgerRecords(ledgerText), {
      item: positionals[0]!,
      ...(values.channel !== undefined ? { channel: values.channel } : {}),
      ...(part !== undefined ? { part } : {}),
      finding,
      by: whoLooked(io.env),
      now: resolveNow(undefined, io.env, config.site.timeZone),
      looksUpItself: pageAccounts(config),
    });
    // A claim, not a plain append: if a run has settled this part since the ledger was read, nothing is written.
    const written = await mode
      .store(ledgerText, (line) => io.out(`  ${line}`))
      .claim(record)
      .catch((error: unknown) => {
        // The store refuses to write (a missing sealing key, a rewritten ledger): say so, without a stack.
        throw new EnvironmentError(
          `confirm: nothing recorded: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    if (!written) {
      io.err(`confirm: ${record.item} on ${record.channel} changed while this ran; run queue and look again`);
      return EXIT.problems;
    }
    io.out(
      record.type === 'sent'
        ? `Recorded: ${record.item} part ${record.part + 1} is live on ${record.channel} at ${record.url} (found by ${record.confirmedBy}).`
        : `Recorded: ${record.item} part ${record.part + 1} is not on ${record.channel}; the next run sends it if it is still within its window.`,
    );
    return EXIT.ok;
  },
};

/** The LinkedIn accounts that post as a page, whose posts `publish` lists back and looks for itself. */
function pageAccounts(config: Config): Set<string> {
  const author = (account: Account) => account.linkedin?.author ?? config.linkedin?.author;
  return new Set(
    accountsOf(config)
      .filter((account) => account.network === 'linkedin' && author(account) !== PERSON_AUTHOR)
      .map((account) => account.key),
  );
}

function findingOf(found: string | undefined, notFound: boolean): Finding {
  if ((found === undefined) === !notFound)
    throw new UsageError('confirm: say what you found: --found <address> or --not-found (one of them)');
  return found !== undefined ? { found } : { notFound: true };
}

/** In Actions, the account that started the run (an owner approved it); locally, whoever runs it. */
function whoLooked(env: Readonly<Record<string, string | undefined>>): string {
  const login = env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR;
  return login ? `@${login}` : 'a person, by hand';
}
