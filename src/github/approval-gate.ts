import type { Env } from '../channels/channel.ts';
import { boundFiles } from '../core/approval-binding.ts';
import { CONFIG_FILE, type Config } from '../core/config-schema.ts';
import { missedInCrisis } from '../core/crisis-window.ts';
import { accountsOfItem, type Item, type PostItem } from '../core/item.ts';
import { linkedPosts } from '../core/link-card.ts';
import { type ApprovalVerdict, approvalKey } from '../core/item-state.ts';
import { formatLocal } from '../core/time-zone.ts';
import { localBlobIds } from '../repo/local-blobs.ts';
import { isPersonal } from '../core/accounts.ts';
import { ApprovalChecker } from './approvals.ts';
import { resolveApprovers } from './approvers.ts';
import type { GitHubRepo } from './client.ts';
import { readCrisisHistory } from './live-crisis.ts';

/**
 * The approval gate's verdict for every item that could go out now, as publish and queue both
 * decide it: the config's own approval first (an unapproved config holds everything, since it
 * changes what every item says), then each item's bytes, then "due during a past crisis".
 * Fails closed: what cannot be shown to be approved does not go out.
 */
export async function approvalVerdicts(
  gh: GitHubRepo,
  root: string,
  env: Env,
  config: Config,
  items: readonly Item[],
  now: number,
): Promise<Map<string, ApprovalVerdict>> {
  const verdicts = new Map<string, ApprovalVerdict>();
  const candidates = items.filter((i) => !i.draft && i.publishAt !== null && i.publishAt <= now);
  if (candidates.length === 0) return verdicts;
  const holdAll = (reason: string) => {
    for (const item of candidates) verdicts.set(approvalKey(item), { ok: false, reason });
    return verdicts;
  };
  if (config.policies.approvals < 1)
    return holdAll(
      `${CONFIG_FILE} sets policies.approvals to 0; on GitHub every item needs at least 1 approval, so nothing is sent`,
    );
  try {
    const approvers = await resolveApprovers(gh, env.POSTGATE_APPROVERS);
    const checker = new ApprovalChecker(gh, {
      required: config.policies.approvals,
      approvers,
      ref: env.GITHUB_SHA || gh.branch,
    });
    const configVerdict = await checker.checkConfig(localBlobIds(root, [CONFIG_FILE]).get(CONFIG_FILE) ?? '');
    if (!configVerdict.ok) return holdAll(configVerdict.reason);
    // Crises matter back to the oldest due time that could still go out: a stale item does not.
    const since = Math.min(
      ...candidates.map((i) => (i.staleAfterMs === null ? i.publishAt! : Math.max(i.publishAt!, now - i.staleAfterMs))),
    );
    const periods = await readCrisisHistory(gh, { since });
    const postsBySlug = new Map(items.filter((i): i is PostItem => i.kind === 'post').map((p) => [p.slug, p]));
    const cardFrom = (text: string) => linkedPosts(text, config.site.url, postsBySlug)[0]?.post;
    await Promise.all(
      candidates.map(async (item) => {
        const files = localBlobIds(root, boundFiles(item, cardFrom));
        const { verdict, changedAt } = await checker.check(item.file, { files });
        const missed = verdict.ok ? missedInCrisis(item.publishAt!, changedAt, periods) : null;
        if (verdict.ok && !missed) {
          const held = await personalHolds(checker, item, files);
          if (held) {
            verdicts.set(approvalKey(item), { ok: true, held });
            return;
          }
        }
        verdicts.set(
          approvalKey(item),
          missed
            ? {
                ok: false,
                reason: `due during the CRISIS of ${formatLocal(missed.start, config.site.timeZone)} ("${missed.reason}"); its moment has passed: reschedule or re-approve it in a pull request`,
              }
            : verdict,
        );
      }),
    );
  } catch (error) {
    return holdAll(`could not check approvals on GitHub (${(error as Error).message}); nothing is sent until it can`);
  }
  return verdicts;
}

/** The person's accounts of an item whose owner has not approved its bytes, by key, with why; null when none. */
async function personalHolds(
  checker: ApprovalChecker,
  item: Item,
  files: ReadonlyMap<string, string | null>,
): Promise<Record<string, string> | null> {
  if (item.kind === 'post') return null;
  const held: Record<string, string> = {};
  for (const account of accountsOfItem(item).filter(isPersonal)) {
    const consent = await checker.consent(item.file, { files }, account.owner);
    if (!consent.ok) held[account.key] = consent.reason;
  }
  return Object.keys(held).length ? held : null;
}
