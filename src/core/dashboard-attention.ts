import { createHash } from 'node:crypto';
import { channelName, WINDOW_DAYS } from './dashboard-gantt.ts';
import type { DashboardInput } from './dashboard.ts';
import { formatDuration } from './duration.ts';
import { codeText, plainText } from './markdown-text.ts';
import { formatLocal } from './time-zone.ts';

/**
 * What needs the owner, each a line of the dashboard's first section (below CRISIS), most urgent first: missing
 * or refused credentials, failures, held items, missed items, then what was only deferred.
 *
 * Each thing the owner must act on also has a key that stays the same while it is the same thing
 * (a failure's message may differ from run to run; its item and account do not). The dashboard keeps
 * the keys, so the next run can tell what is new and comment to notify the owner (an edited issue
 * notifies nobody). Deferred items need no one: they have no key.
 */
export interface AttentionEntry {
  key: string | null;
  line: string;
}

const DAY_MS = 86_400_000;

export function attentionEntries(input: DashboardInput): AttentionEntry[] {
  const credentials: AttentionEntry[] = [];
  const failed: AttentionEntry[] = [];
  const held: AttentionEntry[] = [];
  const missed: AttentionEntry[] = [];
  const deferred: AttentionEntry[] = [];
  for (const { channel, account, variables } of input.missingCredentials)
    credentials.push({
      key: `missing:${channel}:${account ?? ''}`,
      line: `**Credentials missing** for ${channelName(channel)}${account ? ` (${codeText(account)})` : ''}: ${variables.map((v) => codeText(v)).join(', ')} not set in the publish environment; nothing is sent there.`,
    });
  for (const r of input.results) {
    const network = r.account ? `${channelName(r.channel)} (${codeText(r.account)})` : channelName(r.channel);
    const where = `${codeText(r.item)} on ${network}`;
    const why = r.message ? `: ${plainText(r.message)}` : '';
    if (r.failure === 'auth')
      credentials.push({
        key: `rejected:${r.channel}:${r.account ?? ''}`,
        line: `**Credentials rejected** by ${network} (${where})${why}`,
      });
    // Keyed by the item alone, as the held list keys it on the next run: one thing, told once.
    else if (r.outcome === 'failed' || r.outcome === 'not-configured')
      failed.push({ key: `failed:${r.item}`, line: `**Failed** ${where}${why}` });
    else if (r.outcome === 'held')
      held.push({ key: heldByCrisis(r.message) ? null : `held:${r.item}`, line: `**Held** ${where}${why}` });
    else if (r.outcome === 'deferred')
      deferred.push({ key: null, line: `**Deferred** to the next run: ${where}${why}` });
  }
  const items = new Map(input.items.map((i) => [i.id, i]));
  for (const h of input.held) {
    if (h.state !== 'stale') {
      const kind = h.state === 'failed' ? 'Failed' : 'Held';
      (h.state === 'failed' ? failed : held).push({
        key: h.state !== 'failed' && heldByCrisis(h.reason) ? null : `${kind.toLowerCase()}:${h.item}`,
        line: `**${kind}** ${codeText(h.item)}: ${plainText(h.reason)}`,
      });
      continue;
    }
    // Missed: said with its due time rather than "due 3h ago", which would change with every run.
    const dueAt = input.verdicts.get(h.item)?.dueAt ?? null;
    // Missed long ago: counted in one line (below), not listed, and not news.
    if (dueAt !== null && dueAt < input.now - WINDOW_DAYS * DAY_MS) continue;
    const window = items.get(h.item)?.staleAfterMs;
    const due = dueAt === null ? 'earlier' : formatLocal(dueAt, input.zone);
    missed.push({
      key: `missed:${h.item}`,
      line: `**Missed** ${codeText(h.item)}: due ${due}${window ? `, past its ${formatDuration(window)} window` : ''}; it is not sent late. Reschedule it in a pull request to send it.`,
    });
  }
  return [...credentials, ...failed, ...held, ...missed, ...deferred];
}

/**
 * Held because of a CRISIS (its own words, src/publish/apply-plan.ts and the planner): the CRISIS is
 * told once; every item it holds as it falls due is not news of its own.
 */
const heldByCrisis = (reason: string | undefined) => /^(CRISIS: |could not check for a CRISIS)/.test(reason ?? '');

/** CRISIS is news too (on, or not checkable): its key, or null when it is off. */
export function crisisKey(input: DashboardInput): string | null {
  if (input.crisis === null) return null;
  return input.crisis.unknown ? 'crisis:unknown' : 'crisis:on';
}

/** Items missed more than the chart's days ago: one line says how many, none is listed. */
export function olderMissedCount(input: DashboardInput): number {
  return input.held.filter((h) => {
    if (h.state !== 'stale') return false;
    const dueAt = input.verdicts.get(h.item)?.dueAt ?? null;
    return dueAt !== null && dueAt < input.now - WINDOW_DAYS * DAY_MS;
  }).length;
}

/**
 * A key as the dashboard keeps it: a short digest, so no writer's text (an item id is a file name)
 * sits inside the HTML comment that holds the keys, and each is the same length.
 */
export function attentionDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** " (since 2026-12-01 10:00 +01:00, by Amira)" for a CRISIS that is on, or "" when neither is known. */
export function crisisSince(input: DashboardInput): string {
  const { crisis } = input;
  const at = crisis?.at ? Date.parse(crisis.at) : Number.NaN;
  const since = [
    Number.isFinite(at) ? `since ${formatLocal(at, input.zone)}` : '',
    crisis?.author ? `by ${plainText(crisis.author, 60)}` : '',
  ].filter(Boolean);
  return since.length ? ` (${since.join(', ')})` : '';
}
