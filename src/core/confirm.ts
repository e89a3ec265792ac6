import { UsageError } from './errors.ts';
import { progressKey, recordKey, summarizeLedger, type LedgerRecord } from './ledger.ts';

/**
 * What a person found after a lost answer that Postgate cannot look up itself (LinkedIn lists no
 * person's posts back): the part stays held, never resent, until someone looks and says. This turns
 * what they say into the ledger record that closes the open attempt: `sent` with the post they
 * found, or `failed` (retried by the next run, if the item is still in its window) when it is not
 * there. Pure: the ledger's records, the run's clock and the answer go in; one record comes out.
 */
export type Finding = { found: string } | { notFound: true };

export interface ConfirmRequest {
  /** The item's id, or its last part when unique (as `retract` takes it). */
  item: string;
  /** The network, or the account (its id in `accounts:`), when the item waits on several. */
  channel?: string;
  /** 1-based, as the run's log names parts. */
  part?: number;
  finding: Finding;
  /** Who looked: the account that ran the workflow, or "by hand" locally. */
  by: string;
  /** The run's clock, epoch ms. */
  now: number;
  /**
   * Ledger keys (accounts) on a network of BY_HAND whose lost answers `publish` looks up itself: a
   * LinkedIn page lists its posts back. A person's word is not taken there: a wrong "not found"
   * would send the post twice where Postgate could have looked.
   */
  looksUpItself?: ReadonlySet<string>;
}

/** The channels whose lost answers a person settles; the others are looked for by `publish` itself. */
const BY_HAND: Record<string, (address: string) => { remoteId: string; url: string } | null> = {
  linkedin: linkedinPost,
};

/** An open attempt: a part that may have gone out, with the record that says so. */
export interface OpenAttempt {
  record: LedgerRecord;
}

export function openAttempts(records: readonly LedgerRecord[]): OpenAttempt[] {
  const summary = summarizeLedger(records);
  const open: OpenAttempt[] = [];
  for (const [key, progress] of summary.progress)
    for (const part of progress.uncertain.keys()) {
      const record = records.findLast(
        (r) => r.type === 'attempt' && r.part === part && progressKey(r.item, recordKey(r)) === key,
      );
      if (record) open.push({ record });
    }
  return open;
}

export function confirmRecord(records: readonly LedgerRecord[], request: ConfirmRequest): LedgerRecord {
  const open = openAttempts(records).filter(
    ({ record }) => BY_HAND[record.channel] !== undefined && !request.looksUpItself?.has(recordKey(record)),
  );
  const ofItem = open.filter(({ record }) => record.item === request.item || record.item.endsWith(`/${request.item}`));
  const ids = [...new Set(ofItem.map(({ record }) => record.item))];
  if (ids.length === 0) throw new UsageError(nothingOpen(request.item, open));
  if (ids.length > 1)
    throw new UsageError(`confirm: "${request.item}" names several items (${ids.join(', ')}); give the whole id`);
  const matching = ofItem.filter(
    ({ record }) =>
      (request.channel === undefined || record.channel === request.channel || recordKey(record) === request.channel) &&
      (request.part === undefined || record.part === request.part - 1),
  );
  if (matching.length !== 1) {
    const listed = ofItem.map(({ record }) => `${recordKey(record)} part ${record.part + 1}`).join(', ');
    throw new UsageError(
      matching.length === 0
        ? `confirm: ${ids[0]} has no open part there; open: ${listed}`
        : `confirm: ${ids[0]} has several open parts (${listed}); say which with --channel and --part`,
    );
  }
  const { record: attempt } = matching[0]!;
  // What only the attempt says (when and where it was made) is not the outcome's.
  const { machineAt: _machineAt, run: _run, runner: _runner, leaseMs: _leaseMs, ...base } = attempt;
  const at = new Date(request.now).toISOString();
  if ('notFound' in request.finding)
    return {
      ...base,
      type: 'failed',
      at,
      error: `not on ${attempt.channel}: ${request.by} looked and did not find it (postgate confirm --not-found)`,
      failure: 'not-found',
    };
  const post = BY_HAND[attempt.channel]!(request.finding.found);
  if (post === null)
    throw new UsageError(
      `confirm: "${request.finding.found}" does not name a LinkedIn post as its API does (urn:li:share:… or urn:li:ugcPost:…): in the post's menu choose "Embed this post" and give the embed code or the address in it (an "activity" link names the activity, which cannot be retracted)`,
    );
  return { ...base, type: 'sent', at, remoteId: post.remoteId, url: post.url, confirmedBy: request.by };
}

function nothingOpen(item: string, open: readonly OpenAttempt[]): string {
  if (open.length === 0) return `confirm: nothing is waiting for a person to look: no part is held after a lost answer`;
  const listed = [...new Set(open.map(({ record }) => `${record.item} (${recordKey(record)})`))].join(', ');
  return `confirm: nothing of "${item}" is waiting for a person to look; waiting: ${listed}`;
}

/**
 * The post a person found, as LinkedIn's API names it (urn:li:share:… or urn:li:ugcPost:…, which
 * `retract` can delete): the URN alone, the post's address in the feed, or the embed code ("Embed
 * this post" in the post's menu), which always carries it. An activity address (what "Copy link to
 * post" gives) names the activity, not the post: refused with where to find the right one.
 */
function linkedinPost(answer: string): { remoteId: string; url: string } | null {
  const text = answer.trim();
  const urn =
    /^urn:li:(?:share|ugcPost):[0-9]+$/.exec(text)?.[0] ??
    /^(?:<iframe [^>]*src=")?https:\/\/(?:www\.)?linkedin\.com\/(?:embed\/)?feed\/update\/(urn:li:(?:share|ugcPost):[0-9]+)[/?" ]/.exec(
      `${text} `.replace(/%3A/gi, ':'),
    )?.[1];
  return urn ? { remoteId: urn, url: `https://www.linkedin.com/feed/update/${urn}/` } : null;
}
