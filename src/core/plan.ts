import { type ChannelId, type ChannelLimits, measureFor, type SocialChannelId } from './channels.ts';
import type { Account } from './accounts.ts';
import { composeParts, forAccount, type ComposeOptions } from './compose.ts';
import { partHash, partKey } from './content-hash.ts';
import { accountsOfItem, type AnnounceItem, type ImageRef, type Item, type PostItem, type SocialItem } from './item.ts';
import { approvalKey, isActionable, itemState, type ApprovalVerdict, type StateVerdict } from './item-state.ts';
import { progressKey, type ChannelProgress, type LedgerSummary, type ReleasedFiles, type SentPart } from './ledger.ts';
import type { MachineTime } from './clock.ts';
import type { OpenAttempt } from './attempt-in-flight.ts';
import { linkCardFor, linkedPosts, type LinkCardData } from './link-card.ts';
import { postUrl } from './post-slug.ts';
import { releaseChange, releaseChangeText } from './release-change.ts';

/**
 * The plan: what `publish` would do now, and why nothing else. Pure: the items, the ledger, the
 * clock and the gates' verdicts go in; the actions come out, each knowing exactly which parts are
 * already live (never sent again), which may be (look first), and what text each network gets.
 */
export interface PlanInputs {
  items: readonly Item[];
  ledger: LedgerSummary;
  now: number;
  crisis: string | null;
  /** file → its first error: such items are held. */
  invalid: ReadonlyMap<string, string>;
  /** The approval gate's verdicts by item id; items not in it are not gated (local mode). */
  approvals?: ReadonlyMap<string, ApprovalVerdict>;
  compose: ComposeOptions;
  /** Channels the config enables; nothing is sent elsewhere. */
  enabled: readonly ChannelId[];
  /** The config's Mastodon limits, for the lengths a dry run shows; absent, the stock server's. */
  limits?: ChannelLimits;
  /**
   * Blog post id → its files' bytes now (git blob ids): a release binds them, and a released post
   * whose bytes changed is released again once approved. Absent: releases bind nothing.
   */
  postFiles?: ReadonlyMap<string, ReleasedFiles>;
  /**
   * The key of every account in the config. Given, an item that went out on a network under a key
   * none of them has (an id renamed, its records left under the old one) is held on that network's
   * accounts that have no record of it: a renamed account is a new key, and would post it twice
   * (insider review 7). It stays held until it is stale.
   */
  accountKeys?: ReadonlySet<string>;
  /**
   * Turns the live check on (see StateInputs.liveAt): normally `ledger.liveAt`. A post's
   * announcements then wait until its address answers with it, and the plan lists the posts to ask
   * (`checkLive`). Absent (local mode): announcements are due from the release.
   */
  liveAt?: ReadonlyMap<string, number>;
  /** `policies.liveWithin`: how long after a release its address is asked before the announcements are held. */
  liveWithinMs?: number;
}

export interface PlannedPart {
  index: number;
  /** The exact text the network gets. */
  text: string;
  hash: string;
  /** Idempotency key for this part on this channel. */
  key: string;
  length: number;
  max: number;
  /** Already live, from the ledger: never sent again. */
  sent: SentPart | null;
  /** An attempt with no outcome recorded: it may be live, so the network is asked first. */
  uncertain: boolean;
  /** When that attempt was made, by the machine's clock: the post, if it exists, is no older. */
  attemptedAt: MachineTime | null;
  /** The latest open attempt and who made it: another run may be sending it now (attempt-in-flight.ts). */
  openBy?: OpenAttempt;
}

export type PublishAction =
  | {
      kind: 'release';
      item: PostItem;
      dueAt: number;
      hash: string;
      /** The bytes this release binds; null when they are not known (see PlanInputs.postFiles). */
      files: ReleasedFiles | null;
      /** True for an approved edit of a post already released: the site shows the new bytes. */
      again: boolean;
      /** An attempt to release it with no outcome yet: another run may be releasing it now. */
      openBy?: OpenAttempt;
    }
  | {
      kind: 'send';
      item: SocialItem | AnnounceItem;
      /** The network. */
      channel: SocialChannelId;
      /** Whose account on it: its key names it in the ledger (src/core/accounts.ts). */
      account: Account;
      dueAt: number;
      parts: PlannedPart[];
      /** Go with the first part. */
      images: ImageRef[];
      /** For networks that show one (Bluesky), when the first part links to one of the site's posts and has no image. */
      linkCard: PlannedCard | null;
    };

/** A link card, and the linked post's cover for its thumbnail (bound by the item's approval). */
export type PlannedCard = LinkCardData & { cover: ImageRef | null };

export interface Plan {
  actions: PublishAction[];
  verdicts: Map<string, StateVerdict>;
  /** item id → channels (account keys) recognised as already sent under another id (a renamed file). */
  sentAs: Map<string, Map<string, string>>;
  /**
   * Released posts whose announcements wait for the post to answer at `url` (its public address),
   * still within `policies.liveWithin` of the release: ask each, record `live` for those that show
   * the post, and plan again. Empty when the live check is off.
   */
  checkLive: LiveCheck[];
  /** Accounts of due items that wait for their owner's own approval (ApprovalVerdict.held); the item's other accounts go. */
  held: HeldAccount[];
}

export interface HeldAccount {
  item: SocialItem | AnnounceItem;
  account: Account;
  reason: string;
}

export interface LiveCheck {
  item: PostItem;
  url: string;
  releasedAt: number;
}

type Social = SocialItem | AnnounceItem;

/** A key the item has records under on `network` that is no account's any more (PlanInputs.accountKeys). */
function formerKey(
  ledger: LedgerSummary,
  item: string,
  network: string,
  keys: ReadonlySet<string> | undefined,
): string | undefined {
  if (!keys) return undefined;
  for (const [key, progress] of ledger.progress) {
    const [id, accountKey] = key.split('\u0000');
    if (id === item && accountKey && !keys.has(accountKey) && (progress.channel ?? accountKey) === network)
      return accountKey;
  }
  return undefined;
}

function sourceParts(item: Social, account: Account, compose: ComposeOptions) {
  const channel = account.network;
  const source = composeParts(item, channel, { ...compose, utm: false });
  const final = compose.utm ? composeParts(item, channel, forAccount(compose, account)) : source;
  const images = item.kind === 'social' ? item.images : [];
  return source.map((part, i) => ({
    source: part.text,
    text: final[i]!.text,
    hash: partHash(part.text, i === 0 ? images : []),
  }));
}

export function planPublish(inputs: PlanInputs): Plan {
  const { ledger, compose } = inputs;
  const sent = new Map<string, Set<string>>([...ledger.sent].map(([id, channels]) => [id, new Set(channels)]));
  const started = new Set<string>();
  const failures = new Map<string, { error: string; retry: boolean }>();
  const sentAs = new Map<string, Map<string, string>>();
  const postsBySlug = new Map(inputs.items.filter((i): i is PostItem => i.kind === 'post').map((p) => [p.slug, p]));

  for (const item of inputs.items) {
    if (item.kind === 'post' || item.draft || item.publishAt === null || item.publishAt > inputs.now) continue;
    for (const account of accountsOfItem(item)) {
      // The account's key: the network's id for the organisation's standard account, as before accounts.
      const channel = account.key;
      const progress = ledger.progress.get(progressKey(item.id, channel));
      if (progress?.sent.size && progress.sent.size < progress.parts) started.add(item.id);
      if (progress?.lastFailure && progress.sent.size < progress.parts) {
        // A network that refused this exact text will refuse it again; an edit (new hash) or a
        // passing fault is worth another try.
        const parts = sourceParts(item, account, compose);
        const failedHash = parts[progress.lastFailure.part]?.hash;
        const retry = progress.lastFailure.failure !== 'rejected' || failedHash !== progress.lastFailure.hash;
        failures.set(item.id, { error: `${channel}: ${progress.lastFailure.error}`, retry });
      }
      if (progress || sent.get(item.id)?.has(channel)) continue;
      // Nothing under this id: the same content sent under another id is a renamed file.
      const hashes = sourceParts(item, account, compose).map((p) => ledger.byHash.get(`${channel}\u0000${p.hash}`));
      const previousId = hashes[0];
      if (previousId && hashes.every((id) => id === previousId)) {
        let channels = sent.get(item.id);
        if (!channels) sent.set(item.id, (channels = new Set()));
        channels.add(channel);
        let as = sentAs.get(item.id);
        if (!as) sentAs.set(item.id, (as = new Map()));
        as.set(channel, previousId);
      }
    }
  }

  const stateInputs = {
    now: inputs.now,
    sent,
    retracted: ledger.retracted,
    releasedAt: ledger.releasedAt,
    crisis: inputs.crisis,
    invalid: inputs.invalid,
    started,
    approvals: inputs.approvals,
    failures,
    ...(inputs.liveAt
      ? {
          liveAt: inputs.liveAt,
          liveWithinMs: inputs.liveWithinMs,
          postUrls: new Map([...postsBySlug.values()].map((p) => [p.id, postUrl(compose.siteUrl, p.slug)])),
        }
      : {}),
  };
  const verdicts = new Map<string, StateVerdict>();
  const actions: PublishAction[] = [];
  const held: HeldAccount[] = [];
  for (const item of inputs.items) {
    const verdict = itemState(item, stateInputs);
    verdicts.set(item.id, verdict);
    if (item.kind === 'post' && verdict.state === 'published') {
      const again = releaseAgain(item, inputs);
      if (again) actions.push(again);
      else {
        // Live, but the site leaves it out until it can be released again: the owner must hear why.
        const outdated = outdatedRelease(item, inputs);
        if (outdated) verdicts.set(item.id, { state: 'held', reason: outdated, dueAt: verdict.dueAt });
      }
      continue;
    }
    if (!isActionable(verdict, failures, item.id) || verdict.dueAt === null) continue;
    if (item.kind === 'post') {
      if (inputs.enabled.includes('blog') && !sent.get(item.id)?.has('blog'))
        actions.push({
          kind: 'release',
          item,
          dueAt: verdict.dueAt,
          hash: partHash(`${item.slug}\n${item.title}`),
          files: inputs.postFiles?.get(item.id) ?? null,
          again: false,
          ...openByOf(inputs.ledger.progress.get(progressKey(item.id, 'blog')), 0),
        });
      continue;
    }
    for (const account of accountsOfItem(item)) {
      const channel = account.network;
      if (!inputs.enabled.includes(channel) || sent.get(item.id)?.has(account.key)) continue;
      const approval = inputs.approvals?.get(approvalKey(item));
      const hold = approval?.ok ? approval.held?.[account.key] : undefined;
      if (hold !== undefined) {
        held.push({ item, account, reason: hold });
        continue;
      }
      const progress = ledger.progress.get(progressKey(item.id, account.key));
      const gone = progress ? undefined : formerKey(ledger, item.id, channel, inputs.accountKeys);
      if (gone !== undefined) {
        held.push({
          item,
          account,
          reason: `it went out on ${gone}, which is no longer an account in postgate.config.yaml; if ${account.id} is that account renamed, sending would post it twice (name it ${gone} again to go on)`,
        });
        continue;
      }
      const parts: PlannedPart[] = sourceParts(item, account, compose).map((p, index) => {
        const measured = measureFor(channel, p.text, inputs.limits);
        return {
          index,
          text: p.text,
          hash: p.hash,
          key: partKey(item.id, account.key, index, p.hash),
          length: measured.length,
          max: measured.max,
          sent: progress?.sent.get(index) ?? null,
          uncertain: progress?.uncertain.has(index) ?? false,
          attemptedAt: progress?.uncertain.get(index) ?? null,
          ...openByOf(progress, index),
        };
      });
      const images = item.kind === 'social' ? item.images : [];
      const card = images.length === 0 && parts[0] ? linkCardFor(parts[0].text, compose.siteUrl, postsBySlug) : null;
      const linkCard = card && {
        ...card,
        cover: linkedPosts(parts[0]!.text, compose.siteUrl, postsBySlug)[0]?.post.cover ?? null,
      };
      actions.push({ kind: 'send', item, channel, account, dueAt: verdict.dueAt, parts, images, linkCard });
    }
  }
  // An item whose only accounts left wait for their owner's approval is held, and says for whom.
  for (const { item } of held) {
    const verdict = verdicts.get(item.id);
    if (verdict?.state !== 'due' || actions.some((a) => a.item === item)) continue;
    const reasons = held.filter((h) => h.item === item).map((h) => `${h.account.id}: ${h.reason}`);
    verdicts.set(item.id, { state: 'held', reason: reasons.join('; '), dueAt: verdict.dueAt });
  }
  actions.sort((a, b) => a.dueAt - b.dueAt || a.item.id.localeCompare(b.item.id));
  return { actions, verdicts, sentAs, checkLive: postsToAsk(inputs, verdicts), held };
}

/**
 * The released posts an announcement waits for: those itemState found released, not live, and
 * still within the window (scheduled with no time yet), and not retracted. One check per post.
 */
function postsToAsk(inputs: PlanInputs, verdicts: ReadonlyMap<string, StateVerdict>): LiveCheck[] {
  if (!inputs.liveAt) return [];
  const { ledger } = inputs;
  const posts = new Map(inputs.items.filter((i): i is PostItem => i.kind === 'post').map((p) => [p.id, p]));
  const checks = new Map<string, LiveCheck>();
  for (const item of inputs.items) {
    if (item.kind !== 'announce') continue;
    const verdict = verdicts.get(item.id);
    const post = posts.get(item.postId);
    const releasedAt = ledger.releasedAt.get(item.postId);
    if (!post || releasedAt === undefined || inputs.liveAt.has(post.id) || ledger.retracted.has(post.id)) continue;
    if (verdict?.state !== 'scheduled' || verdict.dueAt !== null) continue;
    checks.set(post.id, { item: post, url: postUrl(inputs.compose.siteUrl, post.slug), releasedAt });
  }
  return [...checks.values()];
}

/**
 * Why a released post whose bytes changed is not released again now (so the published site leaves
 * it out), or null when nothing changed, or while a CRISIS holds everything anyway.
 */
function outdatedRelease(item: PostItem, inputs: PlanInputs): string | null {
  const now = inputs.postFiles?.get(item.id);
  if (!now || !inputs.enabled.includes('blog') || inputs.crisis !== null) return null;
  const bound = inputs.ledger.releasedFiles.get(item.id);
  const change = bound ? releaseChange(bound, now) : null;
  if (bound && change === null) return null;
  const what = change ? releaseChangeText(change) : 'its release was recorded before releases named their bytes';
  const approval = inputs.approvals?.get(approvalKey(item));
  const why = inputs.invalid.has(item.file)
    ? `the file has errors: ${inputs.invalid.get(item.file)}`
    : item.draft
      ? 'it is marked draft'
      : item.publishAt === null || item.publishAt > inputs.now
        ? 'its publishAt is not due'
        : approval && !approval.ok
          ? approval.reason
          : 'it is not released again yet';
  return `released, but ${what}, and ${why}: the published site leaves it out until it is released again`;
}

/**
 * A released post whose files (its own, its cover, those its body shows) no longer have the bytes its
 * release bound (or whose release bound none, from before releases did) is released again, with the new bytes, when it could be released
 * now: due, not a draft, no crisis, and (on GitHub) approved as it is. Until then the published
 * site leaves it out rather than show words nobody approved.
 */
function releaseAgain(item: PostItem, inputs: PlanInputs): Extract<PublishAction, { kind: 'release' }> | null {
  const now = inputs.postFiles?.get(item.id);
  if (!now || !inputs.enabled.includes('blog') || inputs.crisis !== null) return null;
  const bound = inputs.ledger.releasedFiles.get(item.id);
  if (bound && releaseChange(bound, now) === null) return null;
  if (item.draft || item.publishAt === null || item.publishAt > inputs.now || inputs.invalid.has(item.file))
    return null;
  if (inputs.approvals?.get(approvalKey(item))?.ok === false) return null;
  const at = inputs.ledger.releasedAt.get(item.id) ?? inputs.now;
  return { kind: 'release', item, dueAt: at, hash: partHash(`${item.slug}\n${item.title}`), files: now, again: true };
}

/** A part's open attempt, as an optional field: `{ openBy }` when there is one. */
function openByOf(progress: ChannelProgress | undefined, part: number): { openBy?: OpenAttempt } {
  const open = progress?.uncertain.has(part) ? progress.openBy?.get(part) : undefined;
  return open ? { openBy: open } : {};
}
