import { accountsOf, accountsWithCredentials, secretNamesOf } from '../core/accounts.ts';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_VARIABLES } from '../channels/credentials.ts';
import { channelLoader } from '../channels/from-env.ts';
import { redactSecrets } from '../channels/channel-error.ts';
import { channelLimitsOf, socialChannelsOf } from '../core/config-schema.ts';
import { machineTime } from '../core/clock.ts';
import { assertSecureBaseUrls } from '../core/base-url.ts';
import { nearMissLine } from '../core/crisis-name.ts';
import { MainMovedError, UsageError } from '../core/errors.ts';
import { MIME, sniffImageType } from '../core/media.ts';
import { formatLocal } from '../core/time-zone.ts';
import { accountTokenNotices } from '../core/linkedin-token.ts';
import { LEDGER_FILE } from '../core/ledger.ts';
import { postFilesOf } from '../repo/post-files.ts';
import { loadConfig } from '../repo/load-config.ts';
import { loadRepository } from '../repo/load-repository.ts';
import { checkPostLive } from '../publish/live-check.ts';
import { publishPass, type LiveCheckContext, type PassContext } from '../publish/publish-pass.ts';
import { waitAndSend } from '../publish/waiting.ts';
import { publishScheduleOf, WORKFLOW_FILE, waitLimitNote } from '../core/publish-schedule.ts';
import { planWake, waitLimitMs } from '../core/wake-plan.ts';
import { modeFromEnv, type CrisisNotice } from '../publish/mode.ts';
import { summaryMarkdown, summaryText, type HeldItem } from '../publish/report.ts';
import { FAILING } from '../publish/results.ts';
import { parseCommandArgs } from './args.ts';
import { resolveNow } from './clock.ts';
import { EXIT, type Command } from './command.ts';
import { writeStepOutputs } from './github-output.ts';

export const publishCommand: Command = {
  name: 'publish',
  usage: `Usage: postgate publish [--now ISO] [--dry-run] [--wait]

Sends every due item that passes the gates (not a draft, no CRISIS, not stale, no errors in its
file) to its channels, exactly once, and records each post in content/ledger.jsonl as it goes.
Blog posts are released first; their announcements go out once they are live. Networks are
served in parallel, the parts of a thread in order.

With no credentials for any enabled network it is a dry run, and says so.

Options:
  --now ISO    the moment to publish for (default: POSTGATE_NOW, or the clock)
  --dry-run    show exactly what would be sent (final text, lengths), send and record nothing
  --wait       then stay for what falls due before the next scheduled run is expected (at most
               policies.waitUpTo, default 30m) and send each item at its minute, reading CRISIS,
               the ledger and the approvals again first; with --now or --dry-run it only says when
  -h, --help   show this help

Environment (credentials are read here only, and never printed):
  X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET, X_API_URL (default https://api.x.com)
  MASTODON_URL, MASTODON_TOKEN
  BLUESKY_HANDLE, BLUESKY_APP_PASSWORD, BLUESKY_SERVICE (default https://bsky.social)
  LINKEDIN_ACCESS_TOKEN, LINKEDIN_API_URL (default https://api.linkedin.com); the rest is
                        linkedin: in postgate.config.yaml (whose voice, API version, token expiry)
  GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL   the gates on the live main (required in GitHub Actions)
  The URLs must be https://; http:// is accepted only for this machine (127.0.0.1, ::1, localhost).
  GITHUB_STEP_SUMMARY   when set (GitHub Actions), the summary is appended there as Markdown
  POSTGATE_TIMEOUT_MS   per request (default 30000)
  POSTGATE_SITE_URL     where to ask whether a released post is live (default: site.url); a post's
                        announcements wait until its address answers with its title (on GitHub, or
                        whenever this is set)
  POSTGATE_LIVE_RETRY_MS   pause between the tries of a just-released post's address (default 15000)

Exit status: 0 nothing failed, 1 something failed, 2 wrong usage.`,

  async run(args, io) {
    const { values } = parseCommandArgs('publish', args, {
      now: { type: 'string' },
      'dry-run': { type: 'boolean' },
      wait: { type: 'boolean' },
    });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    // Before any request: no credential may travel in clear text.
    assertSecureBaseUrls(io.env);
    const secrets = SECRET_VARIABLES.map((name) => io.env[name]);
    const out = (line: string) => io.out(redactSecrets(line, secrets));
    const timeoutMs = positiveInt(io.env.POSTGATE_TIMEOUT_MS, 'POSTGATE_TIMEOUT_MS', 30_000);

    // The time zone comes from the config, and "now" may be written in it: read the config first.
    const config = await loadConfig(io.cwd);
    // Every account's own secrets are as secret as the standard names.
    const accounts = accountsOf(config);
    secrets.push(...secretNamesOf(accounts).map((name) => io.env[name]));
    const zone = config.site.timeZone;
    const now = resolveNow(values.now, io.env, zone);
    // A waiting run may send what falls due during its wait: those items get the full checks too.
    // The schedule the wait bridges: publish.yml's cron and the job's timeout, as on main.
    const schedule = publishScheduleOf(readWorkflow(io.cwd), io.env.GITHUB_JOB || undefined);
    const wakePolicy = { ...schedule, waitUpToMs: config.policies.waitUpTo };
    const dueBy = now + (values.wait ? waitLimitMs(wakePolicy) : 0);
    const repo = await loadRepository(io.cwd, { dueBy, config });
    const mode = await modeFromEnv(io.cwd, io.env, config);
    // The files on disk are what goes out: they must be the commit the gates read.
    if (!values['dry-run'])
      try {
        await mode.verifyCheckout();
      } catch (error) {
        // The job after the site build checks out the commit its workflow run started from: a merge
        // in between leaves it nothing to send safely, and the next scheduled run sends the rest.
        if (!(values.wait && error instanceof MainMovedError)) throw error;
        out(`This job sends nothing: ${error.message.replace(/; rerun the workflow.*$/, '')}.`);
        out('The next scheduled run checks out main as it is and sends what is left.');
        return EXIT.ok;
      }
    const enabledSocial = socialChannelsOf(config);
    const automaticDryRun =
      !values['dry-run'] &&
      enabledSocial.length > 0 &&
      accountsWithCredentials(accounts, enabledSocial, io.env).length === 0;
    const dryRun = values['dry-run'] === true || automaticDryRun;

    const notes = [mode.gates.description];
    if (automaticDryRun)
      notes.unshift(
        'No credentials for any network are set: this is a dry run. Nothing is sent and nothing is recorded.',
      );
    else if (dryRun) notes.unshift('Dry run: nothing is sent and nothing is recorded.');
    // The ledger is not an item to hold: it is read whole below, or the run stops.
    const itemProblems = repo.problems.filter((p) => p.file !== LEDGER_FILE);
    const errorFiles = new Set(itemProblems.filter((p) => p.severity === 'error').map((p) => p.file));
    if (errorFiles.size)
      notes.push(
        `${errorFiles.size} file${errorFiles.size === 1 ? ' has' : 's have'} errors and ${errorFiles.size === 1 ? 'is' : 'are'} held; run check for details.`,
      );

    // Files named like CRISIS that stop nothing: said in the log and the job summary, never silently.
    try {
      for (const miss of (await mode.gates.nearMisses?.()) ?? []) notes.push(`Warning: ${nearMissLine(miss)}.`);
    } catch (error) {
      notes.push(`Warning: could not look for misspelled or misplaced CRISIS files (${(error as Error).message}).`);
    }
    // What main's rules leave open (doctor's findings a run can afford: two requests; none locally).
    const { settingsNotes } = await import('../github/settings-notes.ts');
    for (const note of await settingsNotes(io.env)) notes.push(`Warning: ${note}.`);
    if (io.env.GITHUB_TOKEN && !io.env.POSTGATE_LEDGER_PUBLIC_KEY?.trim())
      notes.push(
        "Warning: ledger records are not sealed: a workflow someone adds on a branch could write records that pass for the publisher's; postgate ledger --new-key sets seals up (README: Sealed records).",
      );
    // LinkedIn's token lives 60 days: said 14, 7 and 1 days ahead, and once it has run out; each
    // account's on its own day (its linkedin.tokenExpires), named by its id and variable.
    for (const line of accountTokenNotices(config, now, zone)) notes.push(`Warning: ${line}.`);

    out(`Publishing at ${formatLocal(now, zone)} (${zone})`);
    for (const note of notes) out(`  ${note}`);

    const firstError = new Map<string, string>();
    for (const p of itemProblems)
      if (p.severity === 'error' && !firstError.has(p.file)) firstError.set(p.file, `${p.line}:${p.col} ${p.message}`);

    // Said in the log as it happens, and with the run's notes in the job summary.
    const tell = (line: string) => {
      out(`  ${line}`);
      notes.push(line);
    };
    // One clock per run: it starts at the run's moment (--now, POSTGATE_NOW or the machine's) and
    // runs on with the machine, so a waiting run and the lateness it records never mix two clocks.
    const started = performance.now();
    const clock = () => now + Math.round(performance.now() - started);
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    // Announcements wait for their post's address to answer with it: on GitHub, where the site is
    // deployed by the workflow, or wherever POSTGATE_SITE_URL says where the site answers.
    const siteOverride = io.env.POSTGATE_SITE_URL?.trim() || undefined;
    const live: LiveCheckContext | null =
      mode.gates.mode === 'github' || siteOverride
        ? {
            withinMs: config.policies.liveWithin,
            ask: (check) =>
              checkPostLive(check.url, check.item.title, {
                timeoutMs: Math.min(timeoutMs, 15_000),
                siteUrl: config.site.url,
                baseOverride: siteOverride,
              }),
            releasedByThisRun: new Set(),
            tries: 4,
            pauseMs: positiveInt(io.env.POSTGATE_LIVE_RETRY_MS, 'POSTGATE_LIVE_RETRY_MS', 15_000),
            sleep,
            log: tell,
          }
        : null;
    const pass: PassContext = {
      mode,
      dryRun,
      tell,
      live,
      paused: (notice) => out(`  Paused by CRISIS: ${crisisLine(notice)}`),
      plan: {
        items: repo.items,
        invalid: firstError,
        compose: { siteUrl: config.site.url, utm: config.policies.utm },
        enabled: config.channels,
        limits: channelLimitsOf(config),
        postFiles: postFilesOf(io.cwd, repo.items),
        accountKeys: new Set(accounts.map((a) => a.key)),
      },
      deps: (passNow, ledger) => ({
        // A network's client library loads when its queue first needs it, and only then.
        // The same per-request limit for every network as for the run's own deadline on each request.
        channel: channels,
        siteUrl: config.site.url,
        dryRun,
        gates: mode.gates,
        ledger,
        now: passNow,
        clock,
        machineClock: () => machineTime(Date.now()),
        sleep,
        readImages: async (images) =>
          images.map((image) => {
            const bytes = new Uint8Array(readFileSync(join(io.cwd, image.path!)));
            const type = sniffImageType(bytes.subarray(0, 256));
            return { path: image.path!, alt: image.alt, mime: type ? MIME[type] : 'application/octet-stream', bytes };
          }),
        timeoutMs,
        maxRateLimitWaitMs: 60_000,
        maxTries: 3,
        retryBaseMs: 500,
        log: out,
      }),
    };
    const channels = channelLoader(io.env, {
      timeoutMs,
      language: config.site.language,
      limits: channelLimitsOf(config),
      notice: tell,
      // LinkedIn: whose voice, the API version, and the token's expiry against the run's clock.
      ...(config.linkedin ? { linkedin: config.linkedin } : {}),
      runAt: now,
      timeZone: zone,
    });

    const first = await publishPass(pass, now).catch(async (error: unknown) => {
      // Nothing is published until someone acts: the dashboard says so, and the owner is told.
      const { reportStoppedRun } = await import('../publish/dashboard.ts');
      const reason = error instanceof Error ? error.message : String(error);
      await reportStoppedRun({ config, now: clock(), reason, dryRun: values['dry-run'] === true, env: io.env, out });
      throw error;
    });
    const passes = [first];
    // Wakes this run leaves: all of them without --wait; with it, those after a release (the site
    // is built first) or after main moved on.
    let remaining = planWake(now, first.plan, wakePolicy).wakeAt;
    let waitError: string | null = null;
    if (values.wait) {
      for (const note of [schedule.note, waitLimitNote(wakePolicy, io.env.GITHUB_JOB || undefined)])
        if (note !== null) {
          out(`Note: ${note}.`);
          notes.push(note);
        }
      const waited = await waitAndSend(now, first, {
        policy: wakePolicy,
        clock,
        sleep,
        zone,
        log: out,
        verifyCheckout: () => mode.verifyCheckout(),
        pass: (at) => publishPass(pass, at),
        sayOnly: dryRun || values.now !== undefined,
      });
      passes.push(...waited.passes);
      remaining = waited.remaining;
      waitError = waited.error;
      if (waitError) notes.push(`Stopped waiting: ${waitError}`);
    }
    const results = passes.flatMap((p) => p.results);
    const { plan, crisis } = passes.at(-1)!;

    const acted = new Set(results.map((r) => r.item));
    const held: HeldItem[] = [...plan.verdicts]
      .filter(([id, v]) => !acted.has(id) && (v.state === 'held' || v.state === 'stale' || v.state === 'failed'))
      .map(([id, v]) => ({ item: id, state: v.state, reason: v.reason ?? '' }));

    out('');
    for (const line of summaryText(results, held)) out(line);
    if (io.env.GITHUB_STEP_SUMMARY) {
      const title = crisis !== null ? `Postgate: paused by CRISIS` : dryRun ? 'Postgate: dry run' : 'Postgate: publish';
      const crisisNote = crisis !== null ? [`Paused by CRISIS: ${crisisLine(crisis)}`] : [];
      appendFileSync(
        io.env.GITHUB_STEP_SUMMARY,
        `${redactSecrets(summaryMarkdown(title, [...crisisNote, ...notes], results, held), secrets)}\n`,
      );
    }
    // The dashboard issue on GitHub (README: Publishing dashboard); it never fails the run.
    const { updateDashboard } = await import('../publish/dashboard.ts');
    await updateDashboard({
      config,
      now: clock(),
      crisis,
      results,
      held,
      verdicts: plan.verdicts,
      items: repo.items,
      // The ledger as the run's last pass checked it, with what that pass wrote: read once, checked once.
      ledgerText: async () => {
        const { text, written } = passes.at(-1)!.ledger;
        return `${text}${text && !text.endsWith('\n') ? '\n' : ''}${written.map((r) => `${JSON.stringify(r)}\n`).join('')}`;
      },
      dryRun: values['dry-run'] === true,
      env: io.env,
      out,
    });
    // Share kits for staff (README: Share kits for staff); like the dashboard, they never fail the run.
    const { deliverShareKits } = await import('../publish/share-kits.ts');
    await deliverShareKits({ config, results, items: repo.items, dryRun, env: io.env, out });
    // For the workflow: whether its job after the site build has anything to do (wakes this run left,
    // or announcements of a post it released, which wait for the deploy), so most runs are one job.
    const waitNeeded =
      remaining.length > 0 || plan.checkLive.some((check) => live?.releasedByThisRun.has(check.item.id));
    writeStepOutputs(io.env, results, { waitNeeded });
    return waitError !== null ||
      passes.some((p) => p.crisis?.unknown) ||
      results.some((r) => FAILING.includes(r.outcome))
      ? EXIT.problems
      : EXIT.ok;
  },
};

/** publish.yml as checked out, or null (a local run, or a repository without it). */
function readWorkflow(cwd: string): string | null {
  try {
    return readFileSync(join(cwd, WORKFLOW_FILE), 'utf8');
  } catch {
    return null;
  }
}

function crisisLine(crisis: CrisisNotice): string {
  const who = [crisis.author, crisis.at].filter(Boolean).join(', ');
  return who ? `${crisis.reason} (${who})` : crisis.reason;
}

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${name} must be a whole number of milliseconds, received "${raw}"`);
  return n;
}
