import { accountsOf, networksOf, targetAccounts, type Account } from './accounts.ts';
import type { SocialChannelId } from './channels.ts';
import type { Position } from './problem.ts';
import { closest } from './suggest.ts';
import type { PathSegment } from './yaml-locate.ts';

type Report = (at: Position, message: string, severity?: 'error' | 'warning') => void;
type Locate = (path: PathSegment[], want?: 'key' | 'value') => Position;

/**
 * The accounts a file's `as:` names, each checked against the config's (src/core/accounts.ts); an id
 * the config does not list, or one listed twice, is an error at that id. Without `as:`, the
 * organisation's accounts of `channels`.
 */
export function readAccounts(
  as: readonly string[] | undefined,
  channels: readonly SocialChannelId[],
  ctx: { accounts?: readonly Account[]; socialChannels: readonly SocialChannelId[] },
  report: Report,
  locate: Locate,
): { accounts: Account[]; channels: SocialChannelId[] } {
  const known = ctx.accounts ?? accountsOf({ channels: ctx.socialChannels });
  if (as === undefined) return { accounts: targetAccounts(undefined, channels, known), channels: [...channels] };
  const ids = known.map((a) => a.id);
  as.forEach((id, i) => {
    if (as.indexOf(id) !== i) report(locate(['as', i]), `"${id}" is listed twice`);
    else if (!ids.includes(id)) {
      const guess = closest(id, ids);
      report(
        locate(['as', i]),
        `as names "${id}", which is not an account in postgate.config.yaml (${ids.join(', ') || 'none'})${guess ? `; did you mean ${guess}?` : ''}`,
      );
    }
  });
  const accounts = targetAccounts([...new Set(as)], [], known);
  return { accounts, channels: networksOf(accounts) };
}
