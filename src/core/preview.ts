import { SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { channelLimitsOf, type Config } from './config-schema.ts';
import { splitFrontMatter, normalizeText } from './front-matter.ts';
import { accountsOfItem, idFromPath, type AnnounceItem, type Item, type PostItem, type SocialItem } from './item.ts';
import type { LedgerSummary } from './ledger.ts';
import type { Problem } from './problem.ts';
import type { ItemFileKind } from './read-item.ts';
import { channelBlock, imageList, type ChannelContext } from './preview-channel.ts';
import { changeNotes } from './preview-diff.ts';
import { renderRedFlags, type RedFlag } from './preview-flags.ts';
import { shareWordsBlock } from './preview-share.ts';
import { escapeText, fenced, inlineCode, link, listed, localTime, plural, whenLine } from './preview-format.ts';
import {
  linkWarnings,
  postLinksInBody,
  postLinksInText,
  sitePostsOf,
  timingWarnings,
  type SitePost,
} from './preview-warnings.ts';

/**
 * The pull-request preview: for each post or social draft the pull request adds, edits or
 * removes, exactly what goes out, when and where, and what a reviewer should look at twice.
 * Pure: the changes, the config, the ledger and the clock go in; Markdown comes out.
 */
export type ChangeKind = 'added' | 'edited' | 'removed';

export interface ItemChange {
  change: ChangeKind;
  /** The file in the pull request's version; for a removed item, the deleted file. */
  file: string;
  /** For a renamed file, its path in the base version. */
  previousFile?: string;
  kind: ItemFileKind;
  /** The base version's items (a post brings its announcement); null when added. */
  before: readonly Item[] | null;
  /** The pull request's version; null when removed. */
  after: readonly Item[] | null;
  /** The raw texts of both versions, to tell a changed post body and find its links. */
  beforeText?: string | null;
  afterText?: string | null;
  /** What `check` reports for the pull request's version of the file. */
  problems: readonly Problem[];
  /** Image files (repository paths) the pull request changes that this item uses. */
  changedImages?: readonly string[];
  /** The file is unchanged; the pull request's config changes what it publishes (a new time zone, say). */
  byConfig?: boolean;
}

export interface PreviewInputs {
  changes: readonly ItemChange[];
  config: Pick<Config, 'site' | 'channels' | 'policies'> & Partial<Pick<Config, 'mastodon'>>;
  now: number;
  /** Every item of the pull request's version: the posts the site will have. */
  items: readonly Item[];
  ledger: LedgerSummary;
  /** What the changes are compared with, for the header, e.g. `origin/main`. */
  base?: string;
  /** Changes outside content/ and to the ledger, shown first, in red (see preview-flags.ts). */
  flags?: readonly RedFlag[];
}

const CHANGE_WORD: Record<ChangeKind, string> = { added: 'new', edited: 'edited', removed: 'removed' };

interface Section {
  at: number;
  order: number;
  markdown: string;
  warnings: number;
  errors: number;
}

export function renderPreview(inputs: PreviewInputs): string {
  const zone = inputs.config.site.timeZone;
  const posts = sitePostsOf(inputs.items, inputs.ledger);
  const postItems = new Map(inputs.items.filter((i): i is PostItem => i.kind === 'post').map((p) => [p.slug, p]));
  const ctx: SectionContext = {
    ...inputs,
    zone,
    posts,
    channel: {
      siteUrl: inputs.config.site.url,
      utm: inputs.config.policies.utm,
      posts: postItems,
      limits: channelLimitsOf(inputs.config),
    },
  };
  const sections = inputs.changes.map((change, order) =>
    change.change === 'removed' ? removedSection(change, order, ctx) : currentSection(change, order, ctx),
  );
  // In the order they go out; drafts, then removals, at the end.
  sections.sort((a, b) => a.at - b.at || a.order - b.order);

  const count = (kind: ChangeKind) => inputs.changes.filter((c) => c.change === kind).length;
  const [added, edited, removed] = [count('added'), count('edited'), count('removed')];
  const lines = ['## Postgate preview', ''];
  const flags = renderRedFlags(inputs.flags ?? []);
  if (flags.length) lines.push(...flags, '');
  if (inputs.changes.length === 0) {
    const compared = inputs.base ? ` (compared with ${inlineCode(inputs.base)})` : '';
    lines.push(
      flags.length
        ? `This pull request changes no blog post or social draft${compared}; what it changes instead is flagged above.`
        : `This pull request changes no blog post or social draft${compared}: it publishes nothing new.`,
    );
    return lines.join('\n');
  }
  const what = [
    added ? `adds ${plural(added, 'item')}` : '',
    edited ? `edits ${added ? edited : plural(edited, 'item')}` : '',
    removed ? `removes ${added || edited ? removed : plural(removed, 'item')}` : '',
  ].filter(Boolean);
  lines.push(
    `This pull request ${listed(what)}${inputs.base ? `, compared with ${inlineCode(inputs.base)}` : ''}. ` +
      `Times are in ${zone} (the site's time zone) and UTC, counted from ${localTime(inputs.now, zone)}. ` +
      'Each text is exactly what the network gets, links tagged.',
    '',
  );
  const warnings = sections.reduce((n, s) => n + s.warnings, 0);
  const errors = sections.reduce((n, s) => n + s.errors, 0);
  if (warnings || errors) {
    const found = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : '']
      .filter(Boolean)
      .join(' and ');
    lines.push(
      errors ? '> [!CAUTION]' : '> [!WARNING]',
      `> ${found} below: read them before approving.${errors ? ' A file with errors is held: nothing of it goes out until they are fixed.' : ''}`,
      '',
    );
  }
  for (const section of sections) lines.push(section.markdown, '');
  return lines.join('\n').trimEnd();
}

interface SectionContext extends PreviewInputs {
  zone: string;
  posts: ReadonlyMap<string, SitePost>;
  channel: ChannelContext;
}

const mainOf = (items: readonly Item[]) => items.find((i): i is SocialItem | PostItem => i.kind !== 'announce');
const announceOf = (items: readonly Item[]) => items.find((i): i is AnnounceItem => i.kind === 'announce');
const bodyOf = (text: string | null | undefined) => {
  if (text === null || text === undefined) return null;
  const split = splitFrontMatter(normalizeText(text));
  return split.ok ? split.value.body : null;
};

function kindLabel(item: SocialItem | PostItem | undefined, kind: ItemFileKind): string {
  if (!item) return kind === 'post' ? 'blog post' : 'social draft';
  if (item.kind === 'post') return 'blog post';
  return item.parts.length > 1 ? `thread of ${item.parts.length}` : 'social post';
}

function heading(change: ItemChange, item: SocialItem | PostItem | undefined): string {
  return `### ${inlineCode(item?.id ?? idFromPath(change.file))} · ${kindLabel(item, change.kind)} · ${CHANGE_WORD[change.change]}`;
}

// A channel the ledger names is text: shown as code unless it is a network's id.
const channelName = (c: string) =>
  c === 'blog' ? 'the blog' : (SOCIAL_RULES[c as SocialChannelId]?.name ?? inlineCode(c));

/** Channels on which the ledger records anything of the item as live. */
function liveOn(id: string, ledger: LedgerSummary): string[] {
  const channels = new Set<string>();
  for (const [key, progress] of ledger.progress) {
    const [item, channel] = key.split('\u0000') as [string, string];
    if (item === id && progress.sent.size > 0) channels.add(channel);
  }
  if (ledger.releasedAt.has(id)) channels.add('blog');
  return [...channels];
}

function currentSection(change: ItemChange, order: number, ctx: SectionContext): Section {
  const items = change.after ?? [];
  const item = mainOf(items);
  const announce = announceOf(items);
  const out = [heading(change, item), '', `${inlineCode(change.file)}`, ''];
  const facts: string[] = [];
  const warnings: string[] = [];
  const errorLines: string[] = [];
  for (const p of change.problems) {
    const line = `${p.severity === 'error' ? '❌ **error**' : '⚠️ **warning**'} at line ${p.line}, col ${p.col}: ${escapeText(p.message)}`;
    (p.severity === 'error' ? errorLines : warnings).push(line);
  }

  if (!item) {
    out.push('This version of the file cannot be read, so nothing of it goes out until it is fixed.', '');
  } else {
    const live = [...liveOn(item.id, ctx.ledger), ...(announce ? liveOn(announce.id, ctx.ledger) : [])];
    const channels: readonly string[] = item.kind === 'post' ? ['blog'] : item.channels;
    const pending = channels.some((c) => !live.includes(c));
    const scheduled = !item.draft && item.publishAt !== null;
    if (item.kind === 'post') {
      facts.push(
        `**Title:** ${escapeText(item.title)}`,
        `**Description:** ${escapeText(item.description)}`,
        `**Address:** ${link(`${ctx.config.site.url}/posts/${item.slug}/`)}`,
      );
    }
    facts.push(`**When:** ${scheduled ? whenLine(item.publishAt!, ctx.zone, ctx.now) : draftLine(item, ctx.zone)}`);
    facts.push(`**Where:** ${whereLine(channels, ctx.config.channels)}`);
    if (item.kind === 'post' && item.cover)
      facts.push(`**Cover:** ${inlineCode(item.cover.src)}, alt text: “${escapeText(item.cover.alt)}”`);
    if (item.kind === 'post')
      facts.push(
        `**Author:** ${escapeText(item.author)}${item.tags.length ? ` · **Tags:** ${item.tags.map((t) => escapeText(t)).join(', ')}` : ''}`,
      );
    if (change.change === 'edited') {
      const notes = changeNotes(change.before ?? [], items, {
        zone: ctx.zone,
        siteUrl: ctx.config.site.url,
        ...(change.previousFile ? { previousFile: change.previousFile } : {}),
        bodyChanged: bodyOf(change.beforeText) !== bodyOf(change.afterText),
        changedImages: change.changedImages ?? [],
        ...(change.byConfig ? { byConfig: true } : {}),
      });
      facts.push(`**Changed:** ${notes.join('; ')}`);
    }
    if (live.length) {
      facts.push(
        `**Already published** on ${listed([...new Set(live)].map(channelName))} (per the ledger): editing the file neither changes nor resends ${item.kind === 'post' ? 'what is live' : 'those posts'}.`,
      );
    }
    // Published under its old id (a renamed file without `id`): the ledger knows it by that id only.
    const previous = mainOf(change.before ?? []);
    const liveBefore = previous && previous.id !== item.id ? liveOn(previous.id, ctx.ledger) : [];
    if (previous && liveBefore.length) {
      warnings.push(
        `it is already published on ${listed(liveBefore.map(channelName))} as ${inlineCode(previous.id)}, and its id changes to ${inlineCode(item.id)}: the publisher recognises it only while its text and images stay exactly the same, otherwise it sends it again; add ${inlineCode(`id: ${previous.id}`)} to its front matter to keep it`,
      );
    }
    if (scheduled && pending)
      warnings.push(
        ...timingWarnings(
          item.publishAt!,
          ctx.now,
          ctx.zone,
          item.staleAfterMs,
          item.kind === 'post' ? 'post' : 'social',
        ),
      );
    if (pending || (announce && !live.some((c) => announce.channels.includes(c as SocialChannelId))))
      warnings.push(...linkWarningsFor(item, announce, change, ctx));
  }

  if (facts.length) out.push(...facts.map((f) => `- ${f}`), '');
  const shown = [...errorLines, ...warnings];
  if (shown.length)
    out.push(
      '**Warnings**',
      '',
      ...shown.map((w) => `- ${w.startsWith('❌') || w.startsWith('⚠️') ? w : `⚠️ ${w}`}`),
      '',
    );
  if (item?.kind === 'social') {
    if (item.images.length) out.push(...imageList(item.images), '');
    for (const account of accountsOfItem(item)) out.push(channelBlock(item, account.network, ctx.channel, account), '');
    out.push(...shareWordsBlock(item));
  }
  if (announce) {
    const when =
      item && !item.draft && item.publishAt !== null ? ` (not before ${localTime(item.publishAt, ctx.zone)})` : '';
    out.push(
      `**Announcement** on ${listed(announce.channels.map(channelName))}: goes out once the post is live${when}.`,
      '',
    );
    for (const account of accountsOfItem(announce))
      out.push(channelBlock(announce, account.network, ctx.channel, account), '');
  }
  const at = item && !item.draft && item.publishAt !== null ? item.publishAt : Number.MAX_SAFE_INTEGER - 1;
  return { at, order, markdown: out.join('\n').trimEnd(), warnings: warnings.length, errors: errorLines.length };
}

function draftLine(item: Item, zone: string): string {
  if (item.publishAt === null) return 'draft: not scheduled (set `publishAt` to schedule it)';
  return `draft: not scheduled (\`publishAt\` says ${localTime(item.publishAt, zone)}, but \`draft: true\` keeps it back)`;
}

function whereLine(channels: readonly string[], enabled: readonly string[]): string {
  const off = channels.filter((c) => !enabled.includes(c));
  const on = channels.filter((c) => enabled.includes(c));
  const list = on.length ? listed(on.map(channelName)) : 'nowhere';
  return off.length
    ? `${list} (not ${listed(off.map(channelName))}: not among the channels in postgate.config.yaml)`
    : list;
}

function linkWarningsFor(
  item: SocialItem | PostItem,
  announce: AnnounceItem | undefined,
  change: ItemChange,
  ctx: SectionContext,
): string[] {
  const siteUrl = ctx.config.site.url;
  const at = item.draft ? null : item.publishAt;
  const links =
    item.kind === 'social'
      ? item.channels.flatMap((c) => (item.overrides[c] ?? item.parts).flatMap((p) => postLinksInText(p.text, siteUrl)))
      : [
          ...postLinksInBody(bodyOf(change.afterText) ?? '', siteUrl),
          ...Object.values(announce?.texts ?? {}).flatMap((p) => postLinksInText(p.text, siteUrl)),
        ];
  return linkWarnings(links, at, ctx.posts, ctx.zone);
}

function removedSection(change: ItemChange, order: number, ctx: SectionContext): Section {
  const items = change.before ?? [];
  const item = mainOf(items);
  const announce = announceOf(items);
  const out = [heading(change, item), '', `${inlineCode(change.file)} is deleted.`, ''];
  const warnings: string[] = [];
  if (!item) {
    out.push('Its previous version could not be read.');
  } else {
    const channels = item.kind === 'post' ? ['blog', ...(announce?.channels ?? [])] : item.channels;
    const when =
      !item.draft && item.publishAt !== null
        ? `scheduled for ${localTime(item.publishAt, ctx.zone)} (${ctx.zone})`
        : 'a draft';
    out.push(
      `It was ${item.kind === 'post' ? `the post “${escapeText(item.title)}”, ` : ''}${when}, for ${listed(channels.map(channelName))}.`,
    );
    if (item.kind === 'social' && item.parts[0])
      out.push(
        '',
        item.parts.length > 1 ? `Its first part (of ${item.parts.length}):` : 'Its text:',
        '',
        fenced(item.parts[0].text),
      );
    const live = [...new Set([...liveOn(item.id, ctx.ledger), ...(announce ? liveOn(announce.id, ctx.ledger) : [])])];
    out.push('');
    if (live.length) {
      const line = `**Already published** on ${listed(live.map(channelName))} (per the ledger) — deleting the file does not delete the posts; use \`postgate retract ${item.id}\`.`;
      out.push(`> [!IMPORTANT]\n> ${line}`);
      warnings.push(line);
    } else {
      out.push('It was never published: nothing of it goes out now.');
    }
  }
  return {
    at: Number.MAX_SAFE_INTEGER,
    order,
    markdown: out.join('\n').trimEnd(),
    warnings: warnings.length,
    errors: 0,
  };
}
