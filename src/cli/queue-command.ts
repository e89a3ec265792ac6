import { accountsOf } from '../core/accounts.ts';
import { idFromPath, channelsOf } from '../core/item.ts';
import { type ApprovalVerdict, approvalKey, type ItemState } from '../core/item-state.ts';
import { LEDGER_FILE, type LedgerSummary, summarizeLedger } from '../core/ledger.ts';
import { postFilesOf } from '../repo/post-files.ts';
import { formatDuration } from '../core/duration.ts';
import { wentOutLate } from '../core/lateness.ts';
import { planPublish } from '../core/plan.ts';
import { formatLocal, formatUtc } from '../core/time-zone.ts';
import { readableLedgerRecords } from '../repo/ledger-file.ts';
import { loadRepository, type Repository } from '../repo/load-repository.ts';
import { modeFromEnv } from '../publish/mode.ts';
import type { Env } from '../channels/channel.ts';
import { parseCommandArgs } from './args.ts';
import { resolveNow } from './clock.ts';
import { EXIT, type Command } from './command.ts';
import { problemLine } from './problem-format.ts';

export interface QueueRow {
  id: string;
  kind: 'post' | 'social' | 'announce';
  publishAt: string | null;
  channels: string[];
  state: ItemState;
  reason?: string;
  /** Published items: how late they went out (the latest channel), when the ledger keeps it. */
  lateMs?: number;
  file: string;
}

function wentOutLine(late: { lateMs: number; channel: string }): string {
  return late.lateMs < 1_000 ? 'went out on time' : `went out ${formatDuration(late.lateMs)} late (${late.channel})`;
}

const LOCAL_VIEW_IN_ACTIONS =
  'Local view: GITHUB_TOKEN is not set in this GitHub Actions step, so this is the queue of this checkout (its CRISIS and ledger), not of the live main, and approvals are not checked.';

export const queueCommand: Command = {
  name: 'queue',
  usage: `Usage: postgate queue [--now ISO] [--json]

Lists every post, social draft and announcement with when it goes out, where, and its state:
  draft      not ready (draft: true, or no publishAt)
  scheduled  approved for a time still to come
  due        its time has come; the next publish run sends it
  published  the ledger records it as sent on all its channels
  held       due but stopped, with the reason (CRISIS, errors in the file)
  stale      due longer ago than its staleAfter window; reschedule it to send it
  failed     the last attempt failed, with the error
  retracted  deleted from the networks with retract; never sent again

Options:
  --now ISO   the moment to evaluate, e.g. 2026-12-01T09:00:00Z (default: POSTGATE_NOW, or the clock)
  --json      an array of {id, kind, publishAt, channels, state, reason?, file}
  -h, --help  show this help`,

  async run(args, io) {
    const { values } = parseCommandArgs('queue', args, { now: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const repo = await loadRepository(io.cwd);
    const zone = repo.config.site.timeZone;
    const now = resolveNow(values.now, io.env, zone);

    // A ledger line that cannot be read stops publish and retract; here it is an error, and the
    // states below may be wrong (a retraction or a sent record may be the line that is lost).
    const ledgerErrors = repo.problems.filter((p) => p.file === LEDGER_FILE && p.severity === 'error');
    const ledgerNote = ledgerErrors.length
      ? [
          ...ledgerErrors.map(problemLine),
          `error: the ledger cannot be read, so the states below may be wrong; publish and retract stop until it is restored`,
        ]
      : [];

    const firstError = new Map<string, string>();
    for (const p of repo.problems)
      if (p.severity === 'error' && !firstError.has(p.file)) firstError.set(p.file, `${p.line}:${p.col} ${p.message}`);
    const live = io.env.GITHUB_TOKEN ? await liveGates(io.cwd, io.env, repo, now) : null;
    if (live?.ledgerError)
      ledgerNote.push(`error: ${live.ledgerError}; the states below follow this checkout's ledger, and nothing is due`);
    const crisis = live ? live.crisis : repo.crisis;
    const ledger = live?.ledger ?? repo.ledger;
    // The publisher's own plan, so the queue shows exactly what a publish run would do.
    const plan = planPublish({
      items: repo.items,
      ledger,
      now,
      crisis,
      ...(live ? { approvals: live.approvals } : {}),
      invalid: firstError,
      // As publish plans: on GitHub (or with POSTGATE_SITE_URL) announcements wait for their post's address.
      ...(live || io.env.POSTGATE_SITE_URL?.trim()
        ? { liveAt: ledger.liveAt, liveWithinMs: repo.config.policies.liveWithin }
        : {}),
      compose: { siteUrl: repo.config.site.url, utm: repo.config.policies.utm },
      enabled: repo.config.channels,
      postFiles: postFilesOf(io.cwd, repo.items),
      accountKeys: new Set(accountsOf(repo.config).map((a) => a.key)),
    });
    const releasedAgain = new Set(plan.actions.flatMap((a) => (a.kind === 'release' && a.again ? [a.item.id] : [])));

    const rows: (QueueRow & { sortAt: number; lateOn?: string })[] = repo.items.map((item) => {
      const verdict = plan.verdicts.get(item.id)!;
      const late = verdict.state === 'published' ? wentOutLate(ledger, item.id, channelsOf(item)) : null;
      return {
        id: item.id,
        kind: item.kind,
        publishAt:
          verdict.dueAt === null
            ? item.publishAt === null
              ? null
              : formatUtc(item.publishAt)
            : formatUtc(verdict.dueAt),
        channels: [...channelsOf(item)],
        state: verdict.state,
        ...(verdict.reason ? { reason: verdict.reason } : {}),
        ...(late ? { lateMs: late.lateMs, lateOn: late.channel } : {}),
        ...(releasedAgain.has(item.id)
          ? { reason: 'edited since its release: the next run releases the approved edit' }
          : {}),
        file: item.file,
        sortAt: verdict.dueAt ?? item.publishAt ?? Infinity,
      };
    });
    // A file too broken to read still belongs in the queue: its author needs to see it is held.
    const listed = new Set(repo.items.map((i) => i.file));
    for (const { file, kind } of repo.files) {
      if (listed.has(file)) continue;
      rows.push({
        id: idFromPath(file),
        kind,
        publishAt: null,
        channels: [],
        state: 'held',
        reason: `the file has errors: ${firstError.get(file) ?? 'unreadable'}`,
        file,
        sortAt: -Infinity,
      });
    }
    rows.sort((a, b) => a.sortAt - b.sortAt || a.id.localeCompare(b.id));
    const status = ledgerNote.length ? EXIT.problems : EXIT.ok;

    // In GitHub Actions without a token, say plainly what this is (on stderr with --json, to keep it parseable).
    const localViewInActions = io.env.GITHUB_ACTIONS === 'true' && !io.env.GITHUB_TOKEN;
    if (values.json) {
      if (localViewInActions) io.err(LOCAL_VIEW_IN_ACTIONS);
      io.out(
        JSON.stringify(
          rows.map(({ sortAt: _, lateOn: __, ...row }) => row),
          null,
          2,
        ),
      );
      for (const line of ledgerNote) io.err(line);
      return status;
    }
    const where = live ? ` on the live ${live.branch}` : '';
    io.out(`Queue at ${formatLocal(now, zone)} (${zone})${where}${crisis !== null ? ` — CRISIS: ${crisis}` : ''}`);
    if (localViewInActions) io.out(LOCAL_VIEW_IN_ACTIONS);
    io.out('');
    if (rows.length === 0) io.out('Nothing yet. Write one with: npm run postgate -- new post "Title"  or  new social');
    const table = rows.map((r) => [
      r.state,
      r.publishAt ? formatLocal(Date.parse(r.publishAt), zone) : '-',
      r.channels.join(',') || '-',
      r.id,
    ]);
    const widths = [0, 1, 2].map((c) =>
      Math.max(
        ...['STATE', 'WHEN', 'CHANNELS'].map((h, i) => (i === c ? h.length : 0)),
        ...table.map((t) => t[c]!.length),
      ),
    );
    const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ');
    if (rows.length) io.out(line(['STATE', 'WHEN', 'CHANNELS', 'ID']));
    rows.forEach((r, i) => {
      io.out(line(table[i]!));
      if (r.reason) io.out(`${' '.repeat(widths[0]! + 2)}↳ ${r.reason}`);
      if (r.lateMs !== undefined)
        io.out(`${' '.repeat(widths[0]! + 2)}↳ ${wentOutLine({ lateMs: r.lateMs, channel: r.lateOn ?? '' })}`);
    });
    for (const line of ledgerNote) io.out(line);
    return status;
  },
};

/**
 * In GitHub mode the queue asks what publish asks, so the screen a user trusts agrees with what
 * will happen: CRISIS on the live main (fail closed), the ledger there, and the approval gate.
 */
async function liveGates(root: string, env: Env, repo: Repository, now: number) {
  const mode = await modeFromEnv(root, env, repo.config);
  if (mode.gates.mode !== 'github') return null;
  let crisis: string | null;
  try {
    crisis = (await mode.crisisAtStart())?.reason ?? null;
  } catch (error) {
    crisis = `could not check for a CRISIS (${(error as Error).message}); nothing is published until it can`;
  }
  let ledger: LedgerSummary | undefined;
  let ledgerError: string | undefined;
  try {
    ledger = summarizeLedger(readableLedgerRecords(await mode.ledgerText()));
  } catch (error) {
    ledgerError = `the ledger on GitHub cannot be used (${(error as Error).message})`;
  }
  const approvals = crisis === null ? await mode.approvals(repo.items, now) : new Map<string, ApprovalVerdict>();
  // publish stops on a ledger it cannot trust: nothing is due while that is so.
  if (ledgerError)
    for (const item of repo.items)
      approvals.set(approvalKey(item), {
        ok: false,
        reason: `${ledgerError}; publish sends nothing until it is resolved`,
      });
  return { crisis, ledger, ledgerError, approvals, branch: 'main' };
}
