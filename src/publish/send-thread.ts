import type { Channel, ImageUpload, LinkCard, RemotePost } from '../channels/channel.ts';
import { ChannelError } from '../channels/channel-error.ts';
import type { MachineTime } from '../core/clock.ts';
import type { ImageRef } from '../core/item.ts';
import type { LedgerRecord, LedgerRecordType } from '../core/ledger.ts';
import type { PlannedPart, PublishAction } from '../core/plan.ts';
import type { Gates } from './gates.ts';
import type { LedgerStore } from './ledger-store.ts';
import type { ActionResult } from './results.ts';
import { crashPoint } from './crash-points.ts';
import { attemptInFlight, attemptLeaseMs, type ThisRunner } from '../core/attempt-in-flight.ts';
import { THIS_RUNNER } from './this-runner.ts';

/**
 * Sends what is left of one item on one channel, part by part, each a reply to the one before.
 * The rules that make it exactly-once:
 * - an `attempt` record is durable before each request, a `sent` record right after its answer;
 * - a part whose attempt has no outcome, or whose request failed in a way that may have posted it
 *   (timeout, lost answer, 5xx: the channel says `maybeSent`), is looked for (`find`) before it is
 *   sent again; a failure that proves nothing went out (a refused connection, a failed log in) is
 *   retried or recorded as `failed` without looking;
 * - when the network cannot say, nothing is resent and the attempt stays open for the next run;
 *   when it never can (LinkedIn, a person's posts), the part is held, saying what a person should check;
 * - CRISIS is asked before every single request.
 */
export interface SendDeps {
  gates: Gates;
  ledger: LedgerStore;
  /** The run's clock (epoch ms) at the plan: every record's `at`, what the planner compares. */
  now: number;
  /**
   * The run's clock as it runs on (epoch ms): `now` plus the time elapsed since. A `sent` record
   * keeps it as `sentAt`, beside `due`, so that how late each post went out is on record.
   */
  clock: () => number;
  /** The machine's clock, read at each request: only for finding a post that may have been made. */
  machineClock: () => MachineTime;
  sleep: (ms: number) => Promise<void>;
  /** The files of these images (an item's images, a link card's cover), as they will be sent. */
  readImages: (images: readonly ImageRef[]) => Promise<ImageUpload[]>;
  /** Per request. */
  timeoutMs: number;
  /** Longest wait for a rate limit to reset within a run; longer ones leave the item for the next run. */
  maxRateLimitWaitMs: number;
  /** Tries per part, including the first. */
  maxTries: number;
  retryBaseMs: number;
  log: (line: string) => void;
  /** Who this run is, to tell another run's attempt in flight from a crashed one's (default: this process). */
  runner?: ThisRunner;
}

type SendAction = Extract<PublishAction, { kind: 'send' }>;

class Stop extends Error {
  readonly result: Omit<ActionResult, 'item' | 'channel' | 'parts' | 'partsLive'>;
  constructor(result: Stop['result']) {
    super(result.message ?? result.outcome);
    this.result = result;
  }
}

export async function sendThread(action: SendAction, channel: Channel, deps: SendDeps): Promise<ActionResult> {
  const { item, parts } = action;
  // The account's key (src/core/accounts.ts): the network's id for the organisation's standard account.
  const where = action.account?.key ?? action.channel;
  const ofAccount = where === action.channel ? {} : { account: where };
  const base = { item: item.id, channel: action.channel, ...ofAccount, parts: parts.length };
  let previous: RemotePost | null = null;
  let root: RemotePost | null = null;
  let live = 0;
  let images: ImageUpload[] | null = null;
  const linkCard = cardOf(action, deps);
  // Said once per item and channel, however many tries it takes.
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    deps.log(`  ${where.padEnd(8)} ${item.id}  warning: ${message}`);
  };

  const at = new Date(deps.now).toISOString();
  const record = (type: LedgerRecordType, part: PlannedPart, extra: Partial<LedgerRecord> = {}) =>
    deps.ledger.append({
      v: 1,
      type,
      item: item.id,
      channel: action.channel,
      ...ofAccount,
      part: part.index,
      parts: parts.length,
      remoteId: '',
      url: '',
      at,
      hash: part.hash,
      ...extra,
    });
  const claim = (part: PlannedPart) =>
    deps.ledger.claim({
      v: 1,
      type: 'attempt',
      item: item.id,
      channel: action.channel,
      ...ofAccount,
      part: part.index,
      parts: parts.length,
      remoteId: '',
      url: '',
      at,
      machineAt: new Date(deps.machineClock().machineMs).toISOString(),
      leaseMs: leaseOf(part),
      hash: part.hash,
      // The exact text on the attempt too: when its answer is lost and a person settles it by hand
      // (confirm), the `sent` record made from it keeps the text, so retract reads the post named
      // back and deletes nothing that says otherwise (a wrong address given there, by mistake or not).
      text: part.text,
    });
  let lateMs: number | undefined;
  const recordSent = async (part: PlannedPart, post: RemotePost) => {
    const sentAt = deps.clock();
    if (part.index === 0) lateMs = Math.max(0, sentAt - action.dueAt);
    // The exact text, sent now or found: the ledger says what was said, and retract checks it.
    await record('sent', part, {
      remoteId: post.id,
      url: post.url,
      ...(post.cid ? { cid: post.cid } : {}),
      text: part.text,
      due: new Date(action.dueAt).toISOString(),
      sentAt: new Date(sentAt).toISOString(),
    });
    deps.log(`  ${where.padEnd(8)} ${item.id}  part ${part.index + 1}/${parts.length}  sent  ${post.url}`);
  };
  // A post that may exist is no older than the first attempt to send it, by the machine's clock
  // (never the run's clock: --now and catch-up runs send long after it). A minute allows for skew;
  // an attempt of unknown time is looked for without a bound.
  const findPart = async (part: PlannedPart, attemptedAt: MachineTime | null): Promise<RemotePost | null> => {
    const notBefore = attemptedAt === null ? 0 : attemptedAt.machineMs - 60_000;
    try {
      crashPoint(`before ${where} find for ${item.id} part ${part.index + 1}`);
      return await channel.find({
        itemId: item.id,
        part: part.index,
        text: part.text,
        key: part.key,
        dueAt: action.dueAt,
        notBefore,
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (error) {
      // Cannot tell whether it is live: sending could post it twice. Leave the attempt open.
      if (error instanceof ChannelError && error.confirmByHand)
        throw new Stop({
          outcome: 'held',
          message: `part ${part.index + 1} may have gone out: ${error.message}. It is not sent again: held until a person has looked and said what they found (Actions → confirm, or: npm run postgate -- confirm ${item.id} --found <address> | --not-found)`,
        });
      throw new Stop({
        outcome: 'failed',
        message: `could not confirm whether part ${part.index + 1} went out (${describe(error)}); not sending it again until the network answers`,
      });
    }
  };

  try {
    for (const part of parts) {
      if (part.sent) {
        previous = { id: part.sent.remoteId, url: part.sent.url, ...(part.sent.cid ? { cid: part.sent.cid } : {}) };
        root ??= previous;
        live++;
        continue;
      }
      await stopIfCrisis(deps.gates);
      if (part.uncertain) {
        leaveToItsRun(part);
        const found = await findPart(part, part.attemptedAt);
        if (found) {
          await recordSent(part, found);
          previous = found;
          root ??= found;
          live++;
          continue;
        }
      }
      if (part.index === 0 && images === null) images = await deps.readImages(action.images);
      const post = await sendPart(part);
      previous = post;
      root ??= post;
      live++;
    }
    return {
      ...base,
      outcome: 'sent',
      partsLive: live,
      url: root?.url ?? '',
      ...(lateMs !== undefined ? { lateMs } : {}),
    };
  } catch (error) {
    if (error instanceof Stop) {
      deps.log(`  ${where.padEnd(8)} ${item.id}  ${error.result.outcome}: ${error.result.message}`);
      return { ...base, partsLive: live, ...error.result, ...(root ? { url: root.url } : {}) };
    }
    throw error;
  }

  /** The wait before trying again after try `attempt` (1-based) failed: tripled each time. */
  function retryWaitMs(attempt: number): number {
    return deps.retryBaseMs * 3 ** (attempt - 1);
  }

  /** The longest this run leaves a claim on `part` open (src/core/attempt-in-flight.ts); its claims record it. */
  function leaseOf(part: PlannedPart): number {
    // The first part carries the images, and a link card's cover counts as one more.
    const images = part.index === 0 ? action.images.length + (linkCard ? 1 : 0) : 0;
    return attemptLeaseMs({
      sendMs: postTimeLimit(deps.timeoutMs, images, channel),
      findMs: deps.timeoutMs,
      // The longest retry wait is the one after the last try but one.
      waitMs: Math.max(deps.maxRateLimitWaitMs, retryWaitMs(Math.max(1, deps.maxTries - 1))),
    });
  }

  /** An attempt another run may be sending right now is left to it: looking too early, then sending, would post it twice. */
  function leaveToItsRun(part: PlannedPart): void {
    if (!part.openBy) return;
    const verdict = attemptInFlight(part.openBy, deps.runner ?? THIS_RUNNER, deps.machineClock(), leaseOf(part));
    if (!verdict.inFlight) return;
    throw new Stop({
      outcome: 'held',
      message: `another run is sending part ${part.index + 1} right now; left to it (if that run stopped, a run from ${new Date(verdict.until.machineMs).toISOString().slice(0, 19)}Z on looks for the post and sends it only if it is not there)`,
    });
  }

  async function sendPart(part: PlannedPart): Promise<RemotePost> {
    const firstAttemptAt = part.attemptedAt ?? deps.machineClock();
    for (let attempt = 1; ; attempt++) {
      // Claiming the part is what keeps two runs from both sending it.
      if (!(await claim(part))) {
        throw new Stop({
          outcome: 'held',
          message: `another run is sending part ${part.index + 1} right now; left to it`,
        });
      }
      try {
        crashPoint(`before ${where} request for ${item.id} part ${part.index + 1}`);
        const post = await channel.publish({
          itemId: item.id,
          part: part.index,
          parts: parts.length,
          text: part.text,
          images: part.index === 0 ? (images ?? []) : [],
          replyTo: previous,
          threadRoot: root,
          key: part.key,
          dueAt: action.dueAt,
          linkCard: part.index === 0 ? linkCard : null,
          signal: AbortSignal.timeout(
            postTimeLimit(deps.timeoutMs, part.index === 0 ? (images ?? []).length : 0, channel),
          ),
          warn,
        });
        crashPoint(`after ${where} request for ${item.id} part ${part.index + 1}`);
        await recordSent(part, post);
        return post;
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        const last = attempt >= deps.maxTries;
        if (error.kind === 'rate-limited') {
          const wait = error.retryAfterMs ?? Infinity;
          if (wait <= deps.maxRateLimitWaitMs && !last) {
            deps.log(`  ${where.padEnd(8)} ${item.id}  rate limited; waiting ${Math.ceil(wait / 1000)} s`);
            await deps.sleep(wait);
            await stopIfCrisis(deps.gates);
            continue;
          }
          await record('failed', part, { error: error.message, failure: 'rate-limited' });
          throw new Stop({
            outcome: 'deferred',
            message: `${error.message}; rate limited for ${Number.isFinite(wait) ? `${Math.ceil(wait / 1000)} s` : 'an unknown time'}, left for the next run`,
          });
        }
        // Only a failure that may have posted it calls for a look; one that proves nothing went
        // out (the log in failed, the connection was refused) is a plain failure: looking would
        // fail the same way and leave the attempt open as if the post might exist.
        if (error.maybeSent) {
          const found = await findPart(part, firstAttemptAt);
          if (found) {
            await recordSent(part, found);
            return found;
          }
        }
        if ((error.maybeSent || error.kind === 'unavailable') && !last) {
          await deps.sleep(retryWaitMs(attempt));
          await stopIfCrisis(deps.gates);
          continue;
        }
        // The outcome that closes this attempt: known not to be live, so the next run sends it.
        await record('failed', part, { error: error.message, failure: error.kind });
        throw new Stop({ outcome: 'failed', message: error.message, failure: error.kind });
      }
    }
  }
}

/** The card as a network gets it: the linked post's cover is read only if the network shows it. */
function cardOf(action: SendAction, deps: SendDeps): LinkCard | null {
  const card = action.linkCard;
  if (!card) return null;
  const cover = card.cover?.path ? card.cover : null;
  return {
    url: card.url,
    title: card.title,
    description: card.description,
    image: cover && {
      path: cover.path!,
      read: async () => {
        const [upload] = await deps.readImages([cover]);
        if (!upload) throw new Error(`${cover.path} could not be read`);
        return upload;
      },
    },
  };
}

async function stopIfCrisis(gates: Gates): Promise<void> {
  let reason: string | null;
  try {
    reason = await gates.crisis();
  } catch (error) {
    // Fail closed: if we cannot tell whether there is a crisis, we do not post.
    throw new Stop({
      outcome: 'held',
      message: `could not check for a CRISIS (${describe(error)}); nothing more is sent`,
    });
  }
  if (reason !== null) throw new Stop({ outcome: 'held', message: `CRISIS: ${reason}` });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The time one post may take in all: each request has `timeoutMs` of its own (the clients enforce
 * it); the post as a whole, a login, one upload per image and the post itself, plus the time the
 * network may take to process images (X's GIFs: up to its limit), so a slow GIF is not cut short.
 */
export function postTimeLimit(timeoutMs: number, images: number, channel: Pick<Channel, 'mediaProcessingMs'>): number {
  return timeoutMs * (2 + images) + (images > 0 ? (channel.mediaProcessingMs ?? 0) : 0);
}
