import type { Channel, ChannelFromEnv, RemotePost } from '../channels/channel.ts';
import type { Account } from '../core/accounts.ts';
import { isSocialChannel, SOCIAL_RULES, type SocialChannelId } from '../core/channels.ts';
import { LEDGER_FILE, type LedgerSummary, type SentPart } from '../core/ledger.ts';
import type { LedgerStore } from './ledger-store.ts';
import type { ActionResult } from './results.ts';

/**
 * Retracting an item: every post the ledger has for it, on every channel, deleted (a thread's
 * replies before the post they reply to), then a `retracted` record per channel, written only once
 * that channel is clean, so a rerun finishes what a failure left.
 *
 * The ledger's remote ids are not taken on trust: before anything is deleted on a channel, each
 * post is read back and must still say the text its `sent` record kept, by the rule `find` uses
 * to recognise a post. One that says something else (a forged or mistaken line naming another
 * item's post), or that the ledger also records for another item, stops the channel with nothing
 * deleted; one that is gone counts as deleted.
 */
export interface RetractDeps {
  ledger: LedgerStore;
  channel: (id: SocialChannelId, account?: Account) => Promise<ChannelFromEnv>;
  /** The config's accounts (accountsOf): whose credentials delete an account's posts. */
  accounts?: readonly Account[];
  /** The run's clock (epoch ms): the record's `at`. */
  now: number;
  timeoutMs: number;
  dryRun: boolean;
  log: (line: string) => void;
}

/** Ids in the ledger that `wanted` names: itself, and the announcement of a blog post. */
export function idsToRetract(summary: LedgerSummary, wanted: string): string[] {
  const known = new Set([...summary.progress.keys()].map((key) => key.split('\u0000')[0]!));
  let base = wanted;
  if (!known.has(base)) {
    const bySuffix = [...known].filter((id) => id.endsWith(`/${wanted}`));
    if (bySuffix.length === 1) base = bySuffix[0]!;
  }
  return [...known].filter((id) => id === base || id === `${base}/announce`).sort();
}

export async function retractItem(id: string, summary: LedgerSummary, deps: RetractDeps): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  for (const [key, progress] of summary.progress) {
    // The key names the account; the records name its network (src/core/accounts.ts).
    const [item, where] = key.split('\u0000') as [string, string];
    if (item !== id || progress.sent.size === 0) continue;
    const channelId = progress.channel ?? where;
    const ofAccount = where === channelId ? {} : { account: where };
    const parts = [...progress.sent].sort(([a], [b]) => b - a);
    const base = { item, channel: channelId as ActionResult['channel'], ...ofAccount, parts: progress.parts };
    const done = async () => {
      await deps.ledger.append({
        v: 1,
        type: 'retracted',
        item,
        channel: channelId,
        ...ofAccount,
        part: 0,
        parts: progress.parts,
        remoteId: '',
        url: '',
        at: new Date(deps.now).toISOString(),
        hash: '',
      });
    };
    if (progress.uncertain.size)
      deps.log(
        `  ${where.padEnd(8)} ${item}  warning: ${progress.uncertain.size} part(s) were being sent when a run stopped; if they exist, delete them by hand`,
      );
    if (deps.dryRun) {
      deps.log(`  ${where.padEnd(8)} ${item}  would delete ${parts.length} post${parts.length === 1 ? '' : 's'}`);
      results.push({ ...base, outcome: 'would-send', partsLive: parts.length, message: 'would be retracted' });
      continue;
    }
    if (channelId === 'blog') {
      await done();
      deps.log(`  blog     ${item}  retracted: the next site build leaves it out`);
      results.push({ ...base, outcome: 'retracted', partsLive: 0 });
      continue;
    }
    if (!isSocialChannel(channelId)) continue;
    const account = deps.accounts?.find((a) => a.key === where);
    if (where !== channelId && !account) {
      results.push({
        ...base,
        outcome: 'failed',
        partsLive: parts.length,
        message: `cannot delete: the account ${where} is not in postgate.config.yaml any more, so its credentials are unknown; add it back to accounts: and retract again`,
      });
      continue;
    }
    const built = await deps.channel(channelId, account);
    if (!built.ok) {
      results.push({
        ...base,
        outcome: 'failed',
        partsLive: parts.length,
        message: built.reason ?? `cannot delete: ${built.missing.join(', ')} not set`,
      });
      continue;
    }
    const failure = await deleteAll(
      built.channel,
      item,
      parts.map(([index, p]) => ({ index, part: p })),
      recordedElsewhere(summary, item, where),
      deps,
    );
    if (failure) {
      results.push({ ...base, outcome: 'failed', partsLive: parts.length, message: failure });
      continue;
    }
    await done();
    deps.log(`  ${where.padEnd(8)} ${item}  retracted ${parts.length} post${parts.length === 1 ? '' : 's'}`);
    results.push({ ...base, outcome: 'retracted', partsLive: 0 });
  }
  return results;
}

interface RecordedPart {
  /** 0-based. */
  index: number;
  part: SentPart;
}

/** What another item's live record on the same channel says about a post. */
interface OtherRecord {
  item: string;
  text?: string;
}

/** The other items whose live records on `channel` name a post: remote id → that record. */
function recordedElsewhere(summary: LedgerSummary, item: string, channel: string): Map<string, OtherRecord> {
  const owners = new Map<string, OtherRecord>();
  for (const [key, progress] of summary.progress) {
    const [other, otherChannel] = key.split('\u0000') as [string, string];
    if (other === item || otherChannel !== channel) continue;
    for (const part of progress.sent.values())
      if (part.remoteId)
        owners.set(part.remoteId, { item: other, ...(part.text !== undefined ? { text: part.text } : {}) });
  }
  return owners;
}

/**
 * Reads every post back first, then deletes those still there (in the order given, replies first).
 * Returns why it stopped, or null when the channel is clean. Nothing is deleted unless every post
 * that can be checked says what the ledger recorded, and no other item's record may rightly claim it.
 */
async function deleteAll(
  channel: Channel,
  item: string,
  parts: readonly RecordedPart[],
  elsewhere: ReadonlyMap<string, OtherRecord>,
  deps: RetractDeps,
): Promise<string | null> {
  const network = SOCIAL_RULES[channel.id].name;
  const checkLedger = `check the ledger (git log -p ${LEDGER_FILE})`;
  const toDelete: RemotePost[] = [];
  for (const { index, part } of parts) {
    const post: RemotePost = { id: part.remoteId, url: part.url, ...(part.cid ? { cid: part.cid } : {}) };
    let remote: Awaited<ReturnType<Channel['lookUp']>> = null;
    if (part.text !== undefined) {
      try {
        remote = await channel.lookUp(post, AbortSignal.timeout(deps.timeoutMs));
      } catch (error) {
        return `could not read ${post.url} to check it before deleting: ${(error as Error).message}; nothing deleted on ${network}, run retract again`;
      }
      if (remote === null) {
        deps.log(`  ${channel.id.padEnd(8)} ${item}  part ${index + 1} already gone: ${post.url}`);
        continue;
      }
      if (!remote.says(part.text))
        return `the post at ${post.url} does not say what the ledger recorded for ${item} part ${index + 1}; nothing deleted on ${network}: ${checkLedger}`;
    }
    // Another item's record naming the same post: unless the post shows that record to be wrong
    // (it says our text, not that record's), there is no telling whose post it is.
    const other = elsewhere.get(post.id);
    if (other !== undefined && (remote === null || other.text === undefined || remote.says(other.text)))
      return `the post at ${post.url}, recorded for ${item} part ${index + 1}, is recorded for ${other.item} too; nothing deleted on ${network}: ${checkLedger}`;
    if (part.text === undefined)
      deps.log(
        `  ${channel.id.padEnd(8)} ${item}  warning: part ${index + 1} not verified: recorded before Postgate kept the text (${post.url})`,
      );
    toDelete.push(post);
  }
  for (const post of toDelete) {
    try {
      await channel.retract(post, AbortSignal.timeout(deps.timeoutMs));
    } catch (error) {
      return `could not delete ${post.url}: ${(error as Error).message}; run retract again`;
    }
  }
  return null;
}
