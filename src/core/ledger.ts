import { z } from 'zod';
import type { OpenAttempt } from './attempt-in-flight.ts';
import { parseMachineTime, type MachineTime } from './clock.ts';

/**
 * The ledger: one JSON line per event, appended and committed, never rewritten. It is the only
 * answer to "is this live?", and the record of who said what, where and when.
 *
 * - `attempt`: about to send a part. Written before the request, so that if the process dies
 *   before the answer, the next run knows to look for the post instead of sending it again.
 * - `sent`: a part is live, with the network's id and address, and the exact text it went out with.
 * - `failed`: a part could not be sent, with the reason.
 * - `retracted`: an item was deleted from a channel.
 * - `live`: a released blog post answered at its address (HTTP 200, showing its title), so readers
 *   can open it: its announcements may go out. A fact about the site, not a send: it changes no
 *   item's progress.
 */
export const LEDGER_FILE = 'content/ledger.jsonl';

/**
 * On GitHub the ledger lives on a branch of its own, which only the publisher writes: `main` can then
 * require a reviewed pull request for every change, with no exception for the workflow's token.
 * The file keeps its path there (the branch starts as a copy of main, history and all).
 */
export const LEDGER_BRANCH = 'postgate/ledger';

export const ledgerRecordSchema = z.object({
  v: z.literal(1),
  type: z.enum(['attempt', 'sent', 'failed', 'retracted', 'live']),
  item: z.string().min(1),
  channel: z.string().min(1),
  /**
   * The account (src/core/accounts.ts) of a social record, when it is not the organisation's account
   * of `channel` with the standard variable names: records without it (all written before accounts
   * existed) belong to that one, so naming it in `accounts:` later resends nothing.
   */
  account: z.string().min(1).optional(),
  /** Which part of a thread (0-based) and how many parts it has; a blog post is part 0 of 1. */
  part: z.number().int().min(0),
  parts: z.number().int().min(1),
  remoteId: z.string().default(''),
  url: z.string().default(''),
  /** Bluesky's content id of the post, needed to reply to it. */
  cid: z.string().optional(),
  /** The run's clock (see clock.ts): what the planner compares, e.g. when a blog post went live. */
  at: z.string(),
  /**
   * On attempts: the machine's clock when the request was made. A post that may exist is no older,
   * whatever moment the run was planning for. Records written before it existed carry it in `at`.
   */
  machineAt: z.string().optional(),
  /** Hash of the part's source text and images: recognises the same post under a new file name. */
  hash: z.string().default(''),
  /**
   * On social `sent` records: the exact final text that went out. `retract` checks the post on the
   * network still says it before deleting it. Records written before it existed have none.
   */
  text: z.string().optional(),
  /**
   * On `sent` records written since runs keep lateness on record: when the item was due (its
   * publishAt, or for an announcement the moment its post went live), and when the network (or,
   * for a blog post, the ledger) took it, by the run's clock. Their difference is how late it went out.
   */
  due: z.string().optional(),
  sentAt: z.string().optional(),
  /**
   * On blog `sent` records: the post's file and the git blob ids of it and of its cover (null: none).
   * The published site shows a post only while its files still have these bytes; an approved edit
   * is released again, as a new record. Releases written before these existed have none.
   */
  file: z.string().optional(),
  blob: z.string().optional(),
  coverBlob: z.string().nullable().optional(),
  /**
   * On blog `sent` records: the git blob id of each file the post's body shows, by repository path
   * (null: not there), as src/core/post-body-images.ts finds them. Absent on records of posts that
   * show none, and on releases written before it existed: those bind no body images, so a post that
   * shows some is not on the site until it is released again.
   */
  images: z.record(z.string(), z.string().nullable()).optional(),
  error: z.string().optional(),
  /** On a `sent` record that `confirm` wrote: who looked and found the post (src/core/confirm.ts). */
  confirmedBy: z.string().optional(),
  /** For `failed`: the kind of failure (see src/channels/channel-error.ts), e.g. `rejected`. */
  failure: z.string().optional(),
  commit: z.string().optional(),
  /**
   * Which run wrote it. Besides telling runs apart in the record, it keeps two runs' records
   * distinct even when written in the same millisecond: the claim check compares whole lines.
   */
  run: z.string().optional(),
  /** On an attempt: the machine (a tag) and process that made it (src/core/attempt-in-flight.ts). */
  runner: z.string().optional(),
  /** On an attempt: the longest its run leaves it open, by that run's own settings. */
  leaseMs: z.number().optional(),
});

export type LedgerRecord = z.output<typeof ledgerRecordSchema>;
export type LedgerRecordType = LedgerRecord['type'];

export interface SentPart {
  remoteId: string;
  url: string;
  cid?: string;
  hash: string;
  at: number;
  /** The exact text sent, when the record has it. */
  text?: string;
  /** When it was due and when it went out (epoch ms), on records that keep them. */
  due?: number;
  sentAt?: number;
}

/** Where one item stands on one channel (one account of it: src/core/accounts.ts). */
export interface ChannelProgress {
  /** The network (or `blog`) the records name; the map's key names the account. */
  channel?: string;
  parts: number;
  sent: Map<number, SentPart>;
  /** Parts with an attempt and no outcome since, with the machine time of the first such attempt: they may be live; look before sending. */
  uncertain: Map<number, MachineTime | null>;
  /** The same parts' latest attempt and who made it: it may still be in flight (src/core/attempt-in-flight.ts). */
  openBy?: Map<number, OpenAttempt>;
  lastFailure?: { part: number; at: number; error: string; failure: string; hash: string };
}

export interface LedgerSummary {
  /** item id → channels on which every part is sent and not retracted. */
  sent: Map<string, Set<string>>;
  /** blog post id → when it went live. */
  releasedAt: Map<string, number>;
  /**
   * Released blog post id → when its address first answered with the post (its first `live` record
   * since it was released; a retraction forgets it, as it does the release).
   */
  liveAt: Map<string, number>;
  /** blog post id → the bytes its latest release bound (absent for releases recorded without them). */
  releasedFiles: Map<string, ReleasedFiles>;
  /**
   * item id → channels it was retracted from (and not sent to again since). Kept apart from
   * "not sent": the file of a retracted item is usually still there, and must not go out again.
   */
  retracted: Map<string, Set<string>>;
  /** `item\0channel` → progress, for items with any record on that channel since a retraction. */
  progress: Map<string, ChannelProgress>;
  /** `channel\0hash` → the item id a sent part with that content was recorded under. */
  byHash: Map<string, string>;
}

export interface ReleasedFiles {
  file: string;
  blob: string;
  coverBlob: string | null;
  /** Repository path → git blob id (null: missing) of each file the body shows; absent when it shows none, or the record predates it. */
  images?: Record<string, string | null>;
}

export const progressKey = (item: string, channel: string) => `${item}\u0000${channel}`;

/** Where a record counts: its account's key (src/core/accounts.ts), or for records without one, its channel. */
export const recordKey = (r: Pick<LedgerRecord, 'channel' | 'account'>): string => r.account ?? r.channel;

export function summarizeLedger(records: readonly LedgerRecord[]): LedgerSummary {
  const progress = new Map<string, ChannelProgress>();
  const releasedAt = new Map<string, number>();
  const liveAt = new Map<string, number>();
  const releasedFiles = new Map<string, ReleasedFiles>();
  const retracted = new Map<string, Set<string>>();
  const byHash = new Map<string, string>();
  for (const r of records) {
    const target = recordKey(r);
    const key = progressKey(r.item, target);
    if (r.type === 'retracted') {
      progress.delete(key);
      if (r.channel === 'blog') {
        releasedAt.delete(r.item);
        liveAt.delete(r.item);
        releasedFiles.delete(r.item);
      }
      let channels = retracted.get(r.item);
      if (!channels) retracted.set(r.item, (channels = new Set()));
      channels.add(target);
      continue;
    }
    if (r.type === 'live') {
      // Only after a release: a page seen at the address before it says nothing about this release.
      if (r.channel === 'blog' && releasedAt.has(r.item) && !liveAt.has(r.item)) liveAt.set(r.item, Date.parse(r.at));
      continue;
    }
    retracted.get(r.item)?.delete(target);
    let p = progress.get(key);
    if (!p)
      progress.set(
        key,
        (p = { channel: r.channel, parts: r.parts, sent: new Map(), uncertain: new Map(), openBy: new Map() }),
      );
    p.parts = r.parts;
    if (r.type === 'attempt') {
      if (!p.sent.has(r.part) && !p.uncertain.has(r.part))
        p.uncertain.set(r.part, parseMachineTime(r.machineAt ?? r.at));
      if (!p.sent.has(r.part))
        p.openBy?.set(r.part, {
          // The machine's time only: `at` is the run's clock, which says nothing about when it ran.
          at: parseMachineTime(r.machineAt),
          ...(r.run !== undefined ? { run: r.run } : {}),
          ...(r.runner !== undefined ? { runner: r.runner } : {}),
          ...(r.leaseMs !== undefined ? { leaseMs: r.leaseMs } : {}),
        });
    } else if (r.type === 'sent') {
      p.uncertain.delete(r.part);
      p.openBy?.delete(r.part);
      p.sent.set(r.part, {
        remoteId: r.remoteId,
        url: r.url,
        hash: r.hash,
        at: Date.parse(r.at),
        ...(r.cid ? { cid: r.cid } : {}),
        ...(r.text !== undefined ? { text: r.text } : {}),
        ...(r.due !== undefined && r.sentAt !== undefined
          ? { due: Date.parse(r.due), sentAt: Date.parse(r.sentAt) }
          : {}),
      });
      if (r.hash) byHash.set(`${target}\u0000${r.hash}`, r.item);
      if (r.channel === 'blog' && !releasedAt.has(r.item)) releasedAt.set(r.item, Date.parse(r.at));
      if (r.channel === 'blog') {
        if (r.file !== undefined && r.blob !== undefined)
          releasedFiles.set(r.item, {
            file: r.file,
            blob: r.blob,
            coverBlob: r.coverBlob ?? null,
            ...(r.images ? { images: r.images } : {}),
          });
        else releasedFiles.delete(r.item);
      }
    } else {
      p.uncertain.delete(r.part);
      p.openBy?.delete(r.part);
      p.lastFailure = {
        part: r.part,
        at: Date.parse(r.at),
        error: r.error ?? 'unknown error',
        failure: r.failure ?? 'unknown',
        hash: r.hash,
      };
    }
  }
  const sent = new Map<string, Set<string>>();
  for (const [key, p] of progress) {
    if (p.sent.size < p.parts) continue;
    const [item, channel] = key.split('\u0000') as [string, string];
    let channels = sent.get(item);
    if (!channels) sent.set(item, (channels = new Set()));
    channels.add(channel);
  }
  for (const [item, channels] of retracted) if (channels.size === 0) retracted.delete(item);
  return { sent, releasedAt, liveAt, releasedFiles, retracted, progress, byHash };
}
