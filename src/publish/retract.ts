import type { Channel, ChannelFromEnv, RemotePost } from '../channels/channel.ts';
import { isSocialChannel, type SocialChannelId } from '../core/channels.ts';
import type { LedgerSummary } from '../core/ledger.ts';
import type { LedgerStore } from './ledger-store.ts';
import type { ActionResult } from './results.ts';

/**
 * Retracting an item: every post the ledger has for it, on every channel, deleted (a thread's
 * replies before the post they reply to), then a `retracted` record per channel, written only once
 * that channel is clean, so a rerun finishes what a failure left.
 */
export interface RetractDeps {
  ledger: LedgerStore;
  channel: (id: SocialChannelId) => Promise<ChannelFromEnv>;
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
    const [item, channelId] = key.split('\u0000') as [string, string];
    if (item !== id || progress.sent.size === 0) continue;
    const parts = [...progress.sent].sort(([a], [b]) => b - a);
    const base = { item, channel: channelId as ActionResult['channel'], parts: progress.parts };
    const done = async () => {
      await deps.ledger.append({
        v: 1,
        type: 'retracted',
        item,
        channel: channelId,
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
        `  ${channelId.padEnd(8)} ${item}  warning: ${progress.uncertain.size} part(s) were being sent when a run stopped; if they exist, delete them by hand`,
      );
    if (deps.dryRun) {
      deps.log(`  ${channelId.padEnd(8)} ${item}  would delete ${parts.length} post${parts.length === 1 ? '' : 's'}`);
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
    const built = await deps.channel(channelId);
    if (!built.ok) {
      results.push({
        ...base,
        outcome: 'failed',
        partsLive: parts.length,
        message: `cannot delete: ${built.missing.join(', ')} not set`,
      });
      continue;
    }
    const failure = await deleteAll(
      built.channel,
      parts.map(([, p]) => ({ id: p.remoteId, url: p.url, ...(p.cid ? { cid: p.cid } : {}) })),
      deps,
    );
    if (failure) {
      results.push({ ...base, outcome: 'failed', partsLive: parts.length, message: failure });
      continue;
    }
    await done();
    deps.log(`  ${channelId.padEnd(8)} ${item}  retracted ${parts.length} post${parts.length === 1 ? '' : 's'}`);
    results.push({ ...base, outcome: 'retracted', partsLive: 0 });
  }
  return results;
}

async function deleteAll(channel: Channel, posts: RemotePost[], deps: RetractDeps): Promise<string | null> {
  for (const post of posts) {
    try {
      await channel.retract(post, AbortSignal.timeout(deps.timeoutMs));
    } catch (error) {
      return `could not delete ${post.url}: ${(error as Error).message}; run retract again`;
    }
  }
  return null;
}
