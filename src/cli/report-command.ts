import { redactSecrets } from '../channels/channel-error.ts';
import { SECRET_VARIABLES } from '../channels/credentials.ts';
import { accountsOf, secretNamesOf } from '../core/accounts.ts';
import { assertSecureBaseUrls } from '../core/base-url.ts';
import { UsageError } from '../core/errors.ts';
import { buildReport } from '../core/report.ts';
import { renderReportJson } from '../core/report-json.ts';
import { renderReportMarkdown } from '../core/report-markdown.ts';
import { reportPath } from '../core/report-file.ts';
import { reportPeriod } from '../core/report-period.ts';
import { renderReportText } from '../core/report-text.ts';
import { readableLedgerRecords } from '../repo/ledger-file.ts';
import { loadConfig } from '../repo/load-config.ts';
import { oneOf, parseCommandArgs } from './args.ts';
import { resolveNow } from './clock.ts';
import { EXIT, type Command } from './command.ts';

const FORMATS = ['text', 'markdown', 'json'] as const;

export const reportCommand: Command = {
  name: 'report',
  usage: `Usage: postgate report [--since DAY] [--until DAY] [--format text|markdown|json] [--save] [--strict] [--now ISO]

What each social post brought in: the visitors that came to the site through its links (by
utm_campaign and utm_source, from the analytics tool in postgate.config.yaml), then the likes,
reposts and replies the networks count. Totals per network and per ISO week; the best and worst
items by visitors per post. Days are the site's (its time zone).

Options:
  --since DAY   first day, e.g. 2026-11-02 (default: the Monday of the last complete ISO week)
  --until DAY   last day, included (default: that week's Sunday; with --since alone, yesterday)
  --format F    text (default), markdown (with a Mermaid chart, as the weekly workflow commits it), json
  --save        keep the week's Markdown as reports/YYYY-Www.md on the branch postgate/reports through
                GitHub's API (needs GITHUB_TOKEN; only when changed; the weekly workflow uses it)
  --strict      exit 1 when a part is missing (the tool or a network did not answer, no tool set up)
  --now ISO     the run's clock (default: POSTGATE_NOW, or the clock)
  -h, --help    show this help

Credentials come from the environment only (README: Outcomes). A part that cannot be read is named
in the report and shown as ? (unknown), never as 0.`,

  async run(args, io) {
    const { values } = parseCommandArgs('report', args, {
      since: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string' },
      strict: { type: 'boolean' },
      save: { type: 'boolean' },
      now: { type: 'string' },
    });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const format = oneOf('report', 'format', values.format, FORMATS, 'text');
    // Before any request: no credential may travel in clear text.
    assertSecureBaseUrls(io.env);
    const config = await loadConfig(io.cwd);
    // Every account's own secrets too (MASTODON_TOKEN_ALICE), not only the organisation's.
    const accounts = accountsOf(config);
    const secrets = [...SECRET_VARIABLES, ...secretNamesOf(accounts)].map((name) => io.env[name]);
    const zone = config.site.timeZone;
    const now = resolveNow(values.now, io.env, zone);
    const period = reportPeriod(values, now, zone);
    const savePath = values.save ? reportPath(period) : null;
    if (savePath && !io.env.GITHUB_TOKEN)
      throw new UsageError(
        'report: --save writes to the branch postgate/reports through GitHub; GITHUB_TOKEN is not set',
      );

    // The ledger publish and queue read: on GitHub the checked one on its branch, else this checkout's.
    const { modeFromEnv } = await import('../publish/mode.ts');
    const mode = await modeFromEnv(io.cwd, io.env, config);
    const records = readableLedgerRecords(await mode.ledgerText());

    const { siteVisits } = await import('../analytics/site-visits.ts');
    const { networkEngagement } = await import('../analytics/network-engagement.ts');
    const byContent = accounts.some((a) => a.declared);
    const analytics = await siteVisits(config.analytics, io.env, config.site, period, undefined, byContent);
    const input = { now, timeZone: zone, ...period, records, analytics, accounts };
    // Engagement only for the posts the report lists (X bills each read): those of the period,
    // and earlier ones that still brought readers, which only the analytics can tell.
    const listed = buildReport(input).posts;
    const engagement = await networkEngagement(records, listed, config, io.env);
    const report = buildReport({ ...input, engagement: engagement.outcomes });
    report.notes.push(...engagement.notes);
    const render = { text: renderReportText, markdown: renderReportMarkdown, json: renderReportJson }[format];
    const rendered = redactSecrets(render(report), secrets);
    // io.out ends the line itself: the renderers' final newline would make a second one.
    io.out(rendered.replace(/\n$/, ''));
    if (savePath) {
      const { saveReport } = await import('../github/report-branch.ts');
      const { githubFromEnv } = await import('../github/client.ts');
      const markdown = format === 'markdown' ? rendered : redactSecrets(renderReportMarkdown(report), secrets);
      const saved = await saveReport(githubFromEnv(io.env)!, savePath, markdown, {
        missing: report.missing.length,
        ...(io.env.GITHUB_SERVER_URL ? { serverUrl: io.env.GITHUB_SERVER_URL } : {}),
      });
      io.err(
        `postgate report: ${savePath} ${'why' in saved ? `not written: ${saved.why}` : saved.saved}: ${saved.url}`,
      );
    }
    if (!values.strict || report.missing.length === 0) return EXIT.ok;
    for (const m of report.missing) io.err(redactSecrets(`postgate report: missing ${m.what}: ${m.reason}`, secrets));
    return EXIT.problems;
  },
};
