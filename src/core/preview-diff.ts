import { SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { composeParts } from './compose.ts';
import { formatDuration } from './duration.ts';
import type { AnnounceItem, ImageRef, Item, PostItem, SocialItem } from './item.ts';
import { inlineCode, listed, localTime } from './preview-format.ts';

/**
 * What an edit changes, in a line a reviewer can read before the details: "time moved from … to …;
 * text changed on X; channels added: Bluesky". Texts are compared as written (before link tagging),
 * so a new id does not count as new text.
 */
export interface DiffContext {
  zone: string;
  siteUrl: string;
  previousFile?: string;
  /** True when a blog post's body (below the front matter) changed. */
  bodyChanged: boolean;
  /** Image files (repository paths) that changed in the pull request. */
  changedImages: readonly string[];
  /** True when the file itself is unchanged and only postgate.config.yaml changes what it sends. */
  byConfig?: boolean;
}

const names = (channels: readonly string[]) =>
  listed(channels.map((c) => (c === 'blog' ? 'the blog' : (SOCIAL_RULES[c as SocialChannelId]?.name ?? c))));

export function changeNotes(before: readonly Item[], after: readonly Item[], ctx: DiffContext): string[] {
  const notes = differences(before, after, ctx);
  if (notes.length === 0) notes.push('no change to what is published (formatting only)');
  else if (ctx.byConfig) notes.unshift('the file is unchanged; postgate.config.yaml changes what it publishes');
  return notes;
}

/** What an edit changes; empty when nothing that is published changed. */
export function differences(before: readonly Item[], after: readonly Item[], ctx: DiffContext): string[] {
  const notes: string[] = [];
  if (ctx.previousFile) notes.push(`renamed from ${inlineCode(ctx.previousFile)}`);
  const a = before.find((i) => i.kind !== 'announce');
  const b = after.find((i) => i.kind !== 'announce');
  if (a && b && a.id !== b.id) notes.push(`id changed from ${inlineCode(a.id)} to ${inlineCode(b.id)}`);
  if (a && b && a.kind !== b.kind) notes.push(`now a ${b.kind === 'post' ? 'blog post' : 'social draft'}`);
  else if (a && b) {
    notes.push(...timeNotes(a, b, ctx.zone));
    if (a.kind === 'social' && b.kind === 'social') notes.push(...socialNotes(a, b, ctx));
    if (a.kind === 'post' && b.kind === 'post') notes.push(...postNotes(a, b, ctx));
    if (a.staleAfterMs !== b.staleAfterMs)
      notes.push(`stale window ${duration(a.staleAfterMs)} → ${duration(b.staleAfterMs)}`);
  }
  notes.push(
    ...announceNotes(
      before.find((i): i is AnnounceItem => i.kind === 'announce'),
      after.find((i): i is AnnounceItem => i.kind === 'announce'),
      ctx,
    ),
  );
  return notes;
}

const duration = (ms: number | null) => (ms === null ? 'never' : formatDuration(ms));

function timeNotes(a: Item, b: Item, zone: string): string[] {
  const notes: string[] = [];
  if (a.publishAt !== b.publishAt) {
    if (a.publishAt !== null && b.publishAt !== null)
      notes.push(`time moved from ${localTime(a.publishAt, zone)} to ${localTime(b.publishAt, zone)}`);
    else if (b.publishAt !== null) notes.push(`now scheduled for ${localTime(b.publishAt, zone)}`);
    else notes.push('its publish time was removed');
  }
  if (!a.draft && b.draft) notes.push('now a draft: it will not go out');
  if (a.draft && !b.draft) notes.push('no longer a draft');
  return notes;
}

function channelNotes(a: readonly SocialChannelId[], b: readonly SocialChannelId[], prefix = ''): string[] {
  const added = b.filter((c) => !a.includes(c));
  const removed = a.filter((c) => !b.includes(c));
  return [
    ...(added.length ? [`${prefix}channels added: ${names(added)}`] : []),
    ...(removed.length ? [`${prefix}channels removed: ${names(removed)}`] : []),
  ];
}

function textsDiffer(
  a: SocialItem | AnnounceItem,
  b: SocialItem | AnnounceItem,
  channel: SocialChannelId,
  siteUrl: string,
): boolean {
  const texts = (item: SocialItem | AnnounceItem) =>
    composeParts(item, channel, { siteUrl, utm: false })
      .map((p) => p.text)
      .join('\n\u0000\n');
  return texts(a) !== texts(b);
}

function socialNotes(a: SocialItem, b: SocialItem, ctx: DiffContext): string[] {
  const notes = channelNotes(a.channels, b.channels);
  const changed = b.channels.filter((c) => a.channels.includes(c) && textsDiffer(a, b, c, ctx.siteUrl));
  if (changed.length) notes.push(`text changed on ${names(changed)}`);
  if (a.parts.length !== b.parts.length)
    notes.push(
      `now ${b.parts.length === 1 ? 'a single post' : `a thread of ${b.parts.length} parts`} (was ${a.parts.length === 1 ? 'a single post' : `${a.parts.length} parts`})`,
    );
  notes.push(...imageNotes(a.images, b.images, ctx.changedImages));
  return notes;
}

function imageNotes(a: readonly ImageRef[], b: readonly ImageRef[], changedFiles: readonly string[]): string[] {
  const notes: string[] = [];
  const added = b.filter((i) => !a.some((j) => j.src === i.src));
  const removed = a.filter((i) => !b.some((j) => j.src === i.src));
  const alt = b.filter((i) => a.some((j) => j.src === i.src && j.alt !== i.alt));
  const replaced = b.filter((i) => i.path !== null && changedFiles.includes(i.path) && !added.includes(i));
  if (added.length)
    notes.push(`image${added.length > 1 ? 's' : ''} added: ${added.map((i) => inlineCode(i.src)).join(', ')}`);
  if (removed.length)
    notes.push(`image${removed.length > 1 ? 's' : ''} removed: ${removed.map((i) => inlineCode(i.src)).join(', ')}`);
  if (alt.length) notes.push(`alt text changed for ${alt.map((i) => inlineCode(i.src)).join(', ')}`);
  if (replaced.length) notes.push(`image file changed: ${replaced.map((i) => inlineCode(i.src)).join(', ')}`);
  return notes;
}

function postNotes(a: PostItem, b: PostItem, ctx: DiffContext): string[] {
  const notes: string[] = [];
  if (a.slug !== b.slug)
    notes.push(`address changed from /posts/${inlineCode(a.slug)}/ to /posts/${inlineCode(b.slug)}/`);
  for (const key of ['title', 'description', 'author'] as const) if (a[key] !== b[key]) notes.push(`${key} changed`);
  if (a.tags.join('\n') !== b.tags.join('\n')) notes.push('tags changed');
  if (ctx.bodyChanged) notes.push('post text changed');
  notes.push(
    ...imageNotes(a.cover ? [a.cover] : [], b.cover ? [b.cover] : [], ctx.changedImages).map((n) =>
      n.replace(/^image/, 'cover image').replace(/^alt text/, 'cover alt text'),
    ),
  );
  // Images the text shows: added or removed ones are text changes; a file replaced under the same name is not.
  const replaced = b.bodyImages.filter(
    (i) => i.path !== null && ctx.changedImages.includes(i.path) && a.bodyImages.some((j) => j.path === i.path),
  );
  if (replaced.length)
    notes.push(`image file in the post text changed: ${replaced.map((i) => inlineCode(i.src)).join(', ')}`);
  return notes;
}

function announceNotes(a: AnnounceItem | undefined, b: AnnounceItem | undefined, ctx: DiffContext): string[] {
  if (!a && !b) return [];
  if (!a) return [`announcement added on ${names(b!.channels)}`];
  if (!b) return ['announcement removed'];
  const notes = channelNotes(a.channels, b.channels, 'announcement ');
  const changed = b.channels.filter((c) => a.channels.includes(c) && textsDiffer(a, b, c, ctx.siteUrl));
  if (changed.length) notes.push(`announcement text changed on ${names(changed)}`);
  return notes;
}
