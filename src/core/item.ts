import { targetAccounts, type Account } from './accounts.ts';
import type { SocialChannelId } from './channels.ts';
import type { Position } from './problem.ts';
import type { Part } from './thread.ts';

/**
 * Items: what Postgate publishes. Each comes from one file under `content/` (an announcement comes
 * from its blog post's `announce`), and has an id that stays the same when the file is edited.
 */
export type ItemKind = 'post' | 'social' | 'announce';

export interface ImageRef {
  /** As written in the file. */
  src: string;
  /** Repository-relative path it resolves to, or null when it points outside the repository. */
  path: string | null;
  alt: string;
  at: Position;
}

interface ItemBase {
  id: string;
  kind: ItemKind;
  /** Repository-relative path of the file it comes from. */
  file: string;
  /** Epoch milliseconds; null only for drafts without a time. */
  publishAt: number | null;
  draft: boolean;
  /** How long after its time an item may still go out; null: no limit. */
  staleAfterMs: number | null;
}

export interface SocialItem extends ItemBase {
  kind: 'social';
  channels: SocialChannelId[];
  parts: Part[];
  /** Per-channel replacement text (itself possibly a thread). */
  overrides: Partial<Record<SocialChannelId, Part[]>>;
  images: ImageRef[];
  /** The accounts it goes out on (`as:`, or the organisation's of its channels); absent: the implicit ones. */
  accounts?: readonly Account[];
  /** Per staff id, the words of their share kit instead of the item's (`share:`; src/core/share-kit.ts). */
  share?: Readonly<Record<string, Part>>;
}

export interface PostItem extends ItemBase {
  kind: 'post';
  /** The post's path on the site: `/posts/<slug>/`. */
  slug: string;
  title: string;
  description: string;
  tags: string[];
  author: string;
  cover: ImageRef | null;
  /**
   * The repository files the body shows (images, and what else its HTML loads), one per path, found
   * by src/core/post-body-images.ts: an approval and a release bind their bytes too.
   */
  bodyImages: ImageRef[];
}

/** A blog post's `announce` texts: social posts that go out once the post itself is live. */
export interface AnnounceItem extends ItemBase {
  kind: 'announce';
  postId: string;
  channels: SocialChannelId[];
  texts: Partial<Record<SocialChannelId, Part>>;
  /** The accounts it goes out on (the post's `as:`, or the organisation's); absent: the implicit ones. */
  accounts?: readonly Account[];
}

export type Item = SocialItem | PostItem | AnnounceItem;

/** `content/social/2026-12-01-launch.md` → `social/2026-12-01-launch`. */
export function idFromPath(file: string): string {
  return file.replace(/^content\//, '').replace(/\.(mdx?|markdown)$/i, '');
}

/** `content/posts/launch.mdx` → `launch`. */
export function slugFromPath(file: string): string {
  return file.replace(/^content\/posts\//, '').replace(/\.(mdx?)$/i, '');
}

export function announceId(postId: string): string {
  return `${postId}/announce`;
}

/**
 * Where an item goes, by ledger key: `blog`, or per account its key (the network's id for the
 * organisation's standard account, the account's id otherwise; src/core/accounts.ts).
 */
export function channelsOf(item: Item): readonly string[] {
  return item.kind === 'post' ? ['blog'] : accountsOfItem(item).map((a) => a.key);
}

/** The accounts a social item or announcement goes out on. */
export function accountsOfItem(item: SocialItem | AnnounceItem): readonly Account[] {
  return item.accounts ?? targetAccounts(undefined, item.channels, []);
}
