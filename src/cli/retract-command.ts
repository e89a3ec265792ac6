import { accountsOf, secretNamesOf } from '../core/accounts.ts';
import { channelLoader } from '../channels/from-env.ts';
import { SECRET_VARIABLES } from '../channels/credentials.ts';
import { redactSecrets } from '../channels/channel-error.ts';
import { assertSecureBaseUrls } from '../core/base-url.ts';
import { UsageError } from '../core/errors.ts';
import { summarizeLedger } from '../core/ledger.ts';
import { readableLedgerRecords } from '../repo/ledger-file.ts';
import { loadConfig } from '../repo/load-config.ts';
import { modeFromEnv } from '../publish/mode.ts';
import { summaryText } from '../publish/report.ts';
import { FAILING } from '../publish/results.ts';
import { idsToRetract, retractItem } from '../publish/retract.ts';
import { parseCommandArgs } from './args.ts';
import { resolveNow } from './clock.ts';
import { EXIT, type Command } from './command.ts';
import { writeStepOutputs } from './github-output.ts';

export const retractCommand: Command = {
  name: 'retract',
  usage: `Usage: postgate retract <id> [--dry-run]

Deletes every post the ledger records for the item, on every network (a thread's replies first),
and records the retraction, so it is never sent again. For a blog post, the next site build leaves
it out, and its announcement is retracted with it. Works from the ledger alone: the file may be
gone already. A CRISIS does not stop a retraction.

  <id>        the item's id as queue shows it (social/2026-12-01-launch, posts/launch), or its
              last part when that is unique (2026-12-01-launch)

Options:
  --dry-run   say what would be deleted, delete nothing
  -h, --help  show this help

Exit status: 0 everything was deleted, 1 something could not be (run it again), 2 wrong usage.`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs('retract', args, { 'dry-run': { type: 'boolean' } }, true);
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    if (positionals.length !== 1)
      throw new UsageError('retract: give exactly one item id, e.g. postgate retract social/2026-12-01-launch');
    // Before any request: no credential may travel in clear text.
    assertSecureBaseUrls(io.env);
    const secrets = SECRET_VARIABLES.map((name) => io.env[name]);
    const out = (line: string) => io.out(redactSecrets(line, secrets));
    const config = await loadConfig(io.cwd);
    // Every account's own secrets are as secret as the standard names.
    const accounts = accountsOf(config);
    secrets.push(...secretNamesOf(accounts).map((name) => io.env[name]));
    const mode = await modeFromEnv(io.cwd, io.env, config);
    const ledgerText = await mode.ledgerText();
    const summary = summarizeLedger(readableLedgerRecords(ledgerText));
    const ids = idsToRetract(summary, positionals[0]!);
    if (ids.length === 0)
      throw new UsageError(`retract: nothing in the ledger for "${positionals[0]}"; queue lists the ids`);

    const timeoutMs = 30_000;
    const deps = {
      ledger: mode.store(ledgerText, (line: string) => out(`  ${line}`)),
      // No runAt: a LinkedIn token past linkedin.tokenExpires is tried even so (deleting is urgent).
      channel: channelLoader(io.env, { timeoutMs, ...(config.linkedin ? { linkedin: config.linkedin } : {}) }),
      accounts,
      now: resolveNow(undefined, io.env, config.site.timeZone),
      timeoutMs,
      dryRun: values['dry-run'] === true,
      log: out,
    };
    out(`Retracting ${ids.join(' and ')}`);
    const results = [];
    for (const id of ids) results.push(...(await retractItem(id, summary, deps)));
    if (results.length === 0) out('Nothing of it is live: nothing to delete.');
    out('');
    for (const line of summaryText(results, [])) out(line);
    writeStepOutputs(io.env, results);
    return results.some((r) => FAILING.includes(r.outcome)) ? EXIT.problems : EXIT.ok;
  },
};
