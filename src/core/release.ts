/**
 * The blog's release rule, shared by the site build and the publisher: a post is on the published
 * site exactly when the ledger records its release. Time alone never adds a post: a post that
 * fell due during a crisis (or that the publisher has not reached yet) stays off the site until a
 * release is recorded, and a retracted post is gone because the ledger summary drops its release.
 *
 * The preview (`astro dev`) shows every post, each unreleased one with a notice saying why it is
 * not on the published site. Pure: the clock, the ledger summary and the crisis are passed in.
 */
export type SiteMode = 'production' | 'preview';

export interface ReleasablePost {
  /** The post's id: `posts/<slug>`, or the front matter's `id`. */
  id: string;
  draft: boolean;
  /** Epoch milliseconds; null for a draft without a time. */
  publishAt: number | null;
}

export interface ReleaseInputs {
  mode: SiteMode;
  now: number;
  /** From the ledger summary: post id → when its blog release was recorded (absent once retracted). */
  releasedAt: ReadonlyMap<string, number>;
  /**
   * The reason in the CRISIS file, or null. Here it only explains a preview notice; the published
   * build does not run at all during a crisis (src/site/release-select.ts).
   */
  crisis: string | null;
}

/** Why an unreleased post is not on the published site, as the preview shows it. */
export type PreviewNotice =
  | { kind: 'draft' }
  | { kind: 'scheduled'; at: number }
  | { kind: 'unreleased'; dueAt: number; crisis: string | null };

export type Release =
  | { shown: true; releasedAt: number; notice: null }
  | { shown: true; releasedAt: null; notice: PreviewNotice }
  | { shown: false; releasedAt: null; notice: PreviewNotice };

export function isReleased(id: string, releasedAt: ReadonlyMap<string, number>): boolean {
  return releasedAt.has(id);
}

export function releaseOf(post: ReleasablePost, inputs: ReleaseInputs): Release {
  const at = inputs.releasedAt.get(post.id);
  // The ledger is the only answer to "is this live?": a released post stays even if its file
  // was later marked draft or rescheduled, until it is retracted.
  if (at !== undefined) return { shown: true, releasedAt: at, notice: null };
  const notice = noticeFor(post, inputs);
  return inputs.mode === 'preview'
    ? { shown: true, releasedAt: null, notice }
    : { shown: false, releasedAt: null, notice };
}

function noticeFor(post: ReleasablePost, inputs: ReleaseInputs): PreviewNotice {
  if (post.draft || post.publishAt === null) return { kind: 'draft' };
  if (post.publishAt > inputs.now) return { kind: 'scheduled', at: post.publishAt };
  return { kind: 'unreleased', dueAt: post.publishAt, crisis: inputs.crisis };
}

/** Newest first: by release time, then (in the preview) by publish time, drafts without a time on top. */
export function releaseOrder(a: { sortAt: number; title: string }, b: { sortAt: number; title: string }): number {
  if (a.sortAt !== b.sortAt) return b.sortAt - a.sortAt;
  return a.title.localeCompare(b.title);
}

export function sortTime(post: ReleasablePost, release: Release): number {
  return release.releasedAt ?? post.publishAt ?? Number.POSITIVE_INFINITY;
}
