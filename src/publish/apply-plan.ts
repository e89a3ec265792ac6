import type { ChannelFromEnv } from '../channels/channel.ts';
import { ChannelError } from '../channels/channel-error.ts';
import type { Account } from '../core/accounts.ts';
import { attemptInFlight, attemptLeaseMs } from '../core/attempt-in-flight.ts';
import type { SocialChannelId } from '../core/channels.ts';
import type { PublishAction } from '../core/plan.ts';
import type { ActionResult } from './results.ts';
import { sendThread, type SendDeps } from './send-thread.ts';
import { THIS_RUNNER } from './this-runner.ts';

/**
 * The apply phase: carries out a plan. Blog posts are released first (a ledger record is all it
 * takes); then every network works through its own queue, all networks at once, so one slow or
 * broken network never holds up the others.
 */
export interface ApplyDeps extends SendDeps {
  /**
   * Builds a network's channel (loading its library) the first time its queue needs it: for an
   * account, from its own credentials (src/core/accounts.ts); without one, the standard variables.
   */
  channel: (id: SocialChannelId, account?: Account) => Promise<ChannelFromEnv>;
  siteUrl: string;
  dryRun: boolean;
}

/** A release's claim and record are two ledger commits with nothing between: the lease's margin alone. */
const RELEASE_LEASE_MS = attemptLeaseMs({ sendMs: 0, findMs: 0, waitMs: 0 });

type Send = Extract<PublishAction, { kind: 'send' }>;
type Release = Extract<PublishAction, { kind: 'release' }>;

export async function applyReleases(actions: readonly PublishAction[], deps: ApplyDeps): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  for (const action of actions.filter((a): a is Release => a.kind === 'release')) {
    const url = `${deps.siteUrl}/posts/${action.item.slug}/`;
    const base = { item: action.item.id, channel: 'blog' as const, parts: 1, url };
    if (deps.dryRun) {
      deps.log(
        `  blog     ${action.item.id}  would be ${action.again ? 'released again (edited and approved)' : 'released'} at ${url}`,
      );
      results.push({ ...base, outcome: 'would-release', partsLive: 0 });
      continue;
    }
    let crisis: string | null;
    try {
      crisis = await deps.gates.crisis();
    } catch (error) {
      crisis = `could not check for a CRISIS (${(error as Error).message})`;
    }
    if (crisis !== null) {
      results.push({
        ...base,
        outcome: 'held',
        partsLive: 0,
        message: crisis.startsWith('could not') ? crisis : `CRISIS: ${crisis}`,
      });
      continue;
    }
    // Another run's open claim may be one it is recording right now (nothing else happens in between).
    const open = action.openBy;
    if (open && attemptInFlight(open, deps.runner ?? THIS_RUNNER, deps.machineClock(), RELEASE_LEASE_MS).inFlight) {
      results.push({ ...base, outcome: 'held', partsLive: 0, message: 'another run is releasing it right now' });
      continue;
    }
    // A release is its record. Claimed first, like every part, so two runs never both release it.
    const record = {
      v: 1 as const,
      item: action.item.id,
      channel: 'blog',
      part: 0,
      parts: 1,
      remoteId: action.item.slug,
      url,
      hash: action.hash,
      ...(action.files ?? {}),
    };
    const at = new Date(deps.now).toISOString();
    const machineAt = new Date(deps.machineClock().machineMs).toISOString();
    if (!(await deps.ledger.claim({ ...record, type: 'attempt', at, machineAt, leaseMs: RELEASE_LEASE_MS }))) {
      results.push({ ...base, outcome: 'held', partsLive: 0, message: 'another run is releasing it right now' });
      continue;
    }
    // A first release keeps lateness on record; an approved edit released again is not late for anything.
    const sentAt = deps.clock();
    const lateness = action.again
      ? {}
      : { due: new Date(action.dueAt).toISOString(), sentAt: new Date(sentAt).toISOString() };
    await deps.ledger.append({ ...record, type: 'sent', at, ...lateness });
    deps.log(
      `  blog     ${action.item.id}  ${action.again ? 'released again (edited and approved)' : 'released'}  ${url}`,
    );
    results.push({
      ...base,
      outcome: 'released',
      partsLive: 1,
      ...(action.again ? {} : { lateMs: Math.max(0, sentAt - action.dueAt) }),
    });
  }
  return results;
}

/** An action's account key: the network's id for the organisation's standard account. */
const keyOf = (action: Send): string => action.account?.key ?? action.channel;

export async function applySends(actions: readonly PublishAction[], deps: ApplyDeps): Promise<ActionResult[]> {
  // One queue per account: each has its own credentials, and its own failures stay its own.
  const byAccount = new Map<string, Send[]>();
  for (const action of actions) {
    if (action.kind !== 'send') continue;
    const queue = byAccount.get(keyOf(action)) ?? [];
    queue.push(action);
    byAccount.set(keyOf(action), queue);
  }
  const perAccount = await Promise.all([...byAccount.values()].map((queue) => runAccountQueue(queue, deps)));
  return perAccount.flat();
}

async function runAccountQueue(queue: Send[], deps: ApplyDeps): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  const { channel: channelId, account } = queue[0]!;
  const where = keyOf(queue[0]!);
  const built = deps.dryRun ? null : await deps.channel(channelId, account);
  const channel = built?.ok ? built.channel : undefined;
  let refused: string | null = null;
  for (const action of queue) {
    const base = {
      item: action.item.id,
      channel: channelId,
      ...(where === channelId ? {} : { account: where }),
      parts: action.parts.length,
      partsLive: action.parts.filter((p) => p.sent).length,
    };
    if (deps.dryRun) {
      logDryRun(action, deps.log);
      results.push({ ...base, outcome: 'would-send' });
      continue;
    }
    if (!channel) {
      // The account's own variable names: the loader saw them under the standard ones.
      const vars = (built && !built.ok ? built.missing : []).map((v) =>
        v.replace(/^[A-Z0-9_]+/, (name) => account?.credentials[name] ?? name),
      );
      const reason = built && !built.ok ? built.reason : undefined;
      results.push({
        ...base,
        outcome: 'not-configured',
        message:
          reason ??
          `${where === channelId ? channelId : `${where} (${channelId})`} is enabled in postgate.config.yaml but ${vars.join(', ')} ${vars.length === 1 ? 'is' : 'are'} not set`,
      });
      continue;
    }
    if (refused) {
      results.push({ ...base, outcome: 'failed', message: `not tried: ${refused}` });
      continue;
    }
    try {
      const result = await sendThread(action, channel, deps);
      results.push(result);
      // Credentials refused once will be refused for every item: do not hammer the network.
      if (result.failure === 'auth') refused = `${where} refused the credentials earlier in this run`;
    } catch (error) {
      // A bug or an unexpected error in one item must not stop the others.
      const message = error instanceof ChannelError ? error.message : `unexpected error: ${(error as Error).message}`;
      deps.log(`  ${where.padEnd(8)} ${action.item.id}  failed: ${message}`);
      results.push({ ...base, outcome: 'failed', message });
    }
  }
  return results;
}

function logDryRun(action: Send, log: (line: string) => void): void {
  const todo = action.parts.filter((p) => !p.sent);
  log(
    `  ${keyOf(action).padEnd(8)} ${action.item.id}  would send ${todo.length === action.parts.length ? '' : `the remaining `}${todo.length} part${todo.length === 1 ? '' : 's'}${action.images.length ? ` with ${action.images.length} image${action.images.length === 1 ? '' : 's'}` : ''}:`,
  );
  for (const part of todo) {
    log(`    part ${part.index + 1}/${action.parts.length}  ${part.length}/${part.max}`);
    for (const line of part.text.split('\n')) log(`      | ${line}`);
  }
  for (const image of action.images) log(`    image ${image.src}  alt: ${image.alt}`);
  const card = action.linkCard;
  if (card) log(`    link card: ${card.title}${card.cover?.path ? `  thumbnail: ${card.cover.path}` : ''}`);
}
