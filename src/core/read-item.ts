import type { z } from 'zod';
import { SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { postSchema, socialSchema, type PostFrontMatter, type SocialFrontMatter } from './content-schema.ts';
import { normalizeText, readFrontMatter, type SplitFile } from './front-matter.ts';
import {
  announceId,
  idFromPath,
  slugFromPath,
  type AnnounceItem,
  type ImageRef,
  type Item,
  type PostItem,
  type SocialItem,
} from './item.ts';
import { problem, shown, START, type Position, type Problem } from './problem.ts';
import { describeIssues } from './schema-issues.ts';
import { splitThread, type Part } from './thread.ts';
import { locateInYaml, type PathSegment } from './yaml-locate.ts';
import { mdxProblems } from './mdx-policy.ts';
import { postBodyImages } from './post-body-images.ts';
import { postUrl } from './post-slug.ts';
import { resolveRepoPath } from './repo-path.ts';
import { closest } from './suggest.ts';
import type { Account } from './accounts.ts';
import { readAccounts } from './read-accounts.ts';

/**
 * Reads one content file's text into items (a post brings its announcement along) and the
 * problems found on the way. Pure: the caller reads the file; checks that need other files
 * (images, duplicate ids) come after.
 */
export interface ItemContext {
  timeZone: string;
  siteUrl: string;
  /** Social channels the site publishes to, in config order. */
  socialChannels: SocialChannelId[];
  staleAfterMs: number | null;
  defaultAuthor: string;
  /** The ids of `staff:` in the config: the people a file's `share:` may name (none when absent). */
  staffIds?: readonly string[];
  /** Every account of the config (accountsOf): what `as:` may name. Absent: the implicit ones of socialChannels. */
  accounts?: readonly Account[];
}

export type ItemFileKind = 'post' | 'social';

export interface ReadResult {
  items: Item[];
  problems: Problem[];
  /** Where the file sets its `id`, if it does: a duplicate id is reported there. */
  idAt?: Position;
}

const schemaCache = new Map<string, { post: ReturnType<typeof postSchema>; social: ReturnType<typeof socialSchema> }>();

function schemasFor(timeZone: string) {
  let schemas = schemaCache.get(timeZone);
  if (!schemas) {
    schemas = { post: postSchema({ timeZone }), social: socialSchema({ timeZone }) };
    schemaCache.set(timeZone, schemas);
  }
  return schemas;
}

export function readItemText(file: string, kind: ItemFileKind, rawText: string, ctx: ItemContext): ReadResult {
  const problems: Problem[] = [];
  const report = (at: Position, message: string, severity: 'error' | 'warning' = 'error') => {
    // One alias (*name) used in several places yields the same message at the same spot: say it once.
    if (!problems.some((p) => p.line === at.line && p.col === at.col && p.message === message))
      problems.push(problem(file, at, severity, message));
  };

  // The site's build reads lines only at "\n": a file with old Mac line ends (a lone CR) is one
  // line to it, its front matter unseen and all of it compiled as the post.
  const loneCr = rawText.search(/\r(?!\n)/);
  if (loneCr >= 0) {
    const line = rawText.slice(0, loneCr).split(/\r\n?|\n/).length;
    report(
      { line, col: 1 },
      'this file ends its lines with a lone CR (old Mac line ends), which the site cannot read: save it with LF (or CRLF) line ends',
    );
    return { items: [], problems };
  }
  // An upper-case extension is listed but never built by the site: name it .md or .mdx.
  const extension = file.slice(file.lastIndexOf('.'));
  if (extension !== extension.toLowerCase()) {
    report(
      { line: 1, col: 1 },
      `rename the file to end in ${extension.toLowerCase()}: the site builds only lower-case names`,
    );
    return { items: [], problems };
  }
  const front = readFrontMatter(normalizeText(rawText));
  if (!front.ok) {
    report(front.at, front.message);
    return { items: [], problems };
  }
  const locate = (path: PathSegment[], want: 'key' | 'value' = 'value') =>
    locateInYaml(front.value.yaml, path, front.value.yamlLine, want);

  const schema = schemasFor(ctx.timeZone)[kind] as z.ZodType;
  const parsed = schema.safeParse(front.value.data);
  if (!parsed.success) {
    for (const issue of describeIssues(parsed.error.issues, front.value.data, schema))
      report(locate(issue.path, issue.want), issue.message);
    return { items: [], problems };
  }

  const items =
    kind === 'social'
      ? buildSocial(file, parsed.data as SocialFrontMatter, front.value, ctx, report, locate)
      : buildPost(file, parsed.data as PostFrontMatter, front.value, ctx, report, locate);
  return (parsed.data as { id?: string }).id === undefined
    ? { items, problems }
    : { items, problems, idAt: locate(['id']) };
}

type Report = (at: Position, message: string, severity?: 'error' | 'warning') => void;
type Locate = (path: PathSegment[], want?: 'key' | 'value') => Position;

function buildSocial(
  file: string,
  data: SocialFrontMatter,
  split: SplitFile,
  ctx: ItemContext,
  report: Report,
  locate: Locate,
): Item[] {
  if (data.as && data.channels)
    report(
      locate(['channels'], 'key'),
      'as: names the accounts this goes out on, so channels is not used: remove it',
      'warning',
    );
  const { accounts, channels } = readAccounts(data.as, data.channels ?? ctx.socialChannels, ctx, report, locate);
  if (!data.as)
    warnDisabled(channels, ctx, report, (i) =>
      locate(data.channels ? ['channels', i] : ['channels'], data.channels ? 'value' : 'key'),
    );

  const parts = checkedParts(
    splitThread(split.body, split.bodyLine),
    report,
    { line: split.bodyLine, col: 1 },
    'the post',
  );
  const overrides: SocialItem['overrides'] = {};
  for (const channel of ['x', 'mastodon', 'bluesky', 'linkedin'] as const) {
    const override = data[channel];
    if (!override) continue;
    const at = locate([channel, 'text']);
    if (!channels.includes(channel))
      report(
        locate([channel], 'key'),
        `${channel} text is set but ${channel} is not in channels, so it will not be used`,
        'warning',
      );
    // Every part of an override points at its `text:` key; reading `at` is left until a problem needs it.
    const overrideParts = splitThread(override.text, 1).map((p) => ({ ...p, at }));
    overrides[channel] = checkedParts(overrideParts, report, at, `the ${channel} text`);
  }

  const images = (data.images ?? []).map(
    (image, i): ImageRef => imageRef(file, image, locate(['images', i, 'src']), report),
  );
  const item: SocialItem = {
    id: data.id ?? idFromPath(file),
    kind: 'social',
    file,
    publishAt: data.publishAt?.getTime() ?? null,
    draft: data.draft,
    staleAfterMs: data.staleAfter === undefined ? ctx.staleAfterMs : data.staleAfter,
    channels,
    parts,
    overrides,
    images,
    ...declaredOnly(accounts),
  };
  if (data.share) item.share = knownStaff(data.share, ctx.staffIds ?? [], report, locate);
  return [item];
}

/** The `share:` texts of people the config lists; a name it does not list is an error at that name. */
function knownStaff(
  share: Readonly<Record<string, string>>,
  staffIds: readonly string[],
  report: Report,
  locate: Locate,
): Record<string, Part> {
  const known: Record<string, Part> = {};
  for (const [id, text] of Object.entries(share)) {
    if (staffIds.includes(id)) {
      known[id] = { text, at: locate(['share', id]) };
      continue;
    }
    const guess = closest(id, staffIds);
    report(
      locate(['share', id], 'key'),
      staffIds.length === 0
        ? `share names "${id}", but postgate.config.yaml lists no staff: add them under staff: (README: Share kits for staff), or remove share`
        : `share names "${id}", who is not among the staff in postgate.config.yaml (${staffIds.join(', ')})${guess ? `; did you mean ${guess}?` : ''}`,
    );
  }
  return known;
}

function buildPost(
  file: string,
  data: PostFrontMatter,
  split: SplitFile,
  ctx: ItemContext,
  report: Report,
  locate: Locate,
): Item[] {
  if (split.body.trim() === '')
    report({ line: split.bodyLine, col: 1 }, 'the post has no text: write it below the closing "---"');
  // MDX is code: a post holds Markdown and plain HTML only, as the site build enforces too.
  if (file.endsWith('.mdx')) for (const p of mdxProblems(split.body, split.bodyLine)) report(p.at, p.message);
  const slug = slugFromPath(file);
  const bodyImages = postBodyImages({ file, slug, body: split.body, bodyLine: split.bodyLine, siteUrl: ctx.siteUrl });
  for (const image of bodyImages) if (image.path === null) report(image.at, outsideMessage(image.src));
  const post: PostItem = {
    id: data.id ?? idFromPath(file),
    kind: 'post',
    file,
    publishAt: data.publishAt?.getTime() ?? null,
    draft: data.draft,
    // A late article is still worth reading: posts never go stale unless they say so.
    staleAfterMs: data.staleAfter ?? null,
    slug,
    title: data.title,
    description: data.description,
    tags: data.tags,
    author: data.author ?? ctx.defaultAuthor,
    cover: data.cover ? imageRef(file, data.cover, locate(['cover', 'src']), report) : null,
    bodyImages,
  };
  if (data.announce === undefined) return [post];

  const url = postUrl(ctx.siteUrl, slug);
  const texts: AnnounceItem['texts'] = {};
  const chosen = data.as ? readAccounts(data.as, [], ctx, report, locate) : null;
  const written =
    typeof data.announce === 'string'
      ? Object.fromEntries((chosen?.channels ?? ctx.socialChannels).map((c) => [c, data.announce as string]))
      : data.announce;
  for (const [channel, text] of Object.entries(written) as [SocialChannelId, string | undefined][]) {
    if (!text) continue;
    const at = locate(typeof data.announce === 'string' ? ['announce'] : ['announce', channel]);
    // The announcement exists to bring readers to the post, so it always carries its link.
    const withUrl = text.includes('{url}') ? text.replaceAll('{url}', url) : `${text}\n\n${url}`;
    texts[channel] = { text: withUrl, at };
  }
  const channels = chosen ? chosen.channels : (Object.keys(texts) as SocialChannelId[]);
  chosen?.accounts.forEach((account) => {
    if (!texts[account.network])
      report(
        locate(['as', data.as!.indexOf(account.id)]),
        `${account.id} is a ${SOCIAL_RULES[account.network].name} account, but announce has no ${account.network} text`,
      );
  });
  if (!chosen)
    warnDisabled(channels, ctx, report, (i) =>
      locate(typeof data.announce === 'string' ? ['announce'] : ['announce', channels[i]!], 'key'),
    );
  const announce: AnnounceItem = {
    id: announceId(post.id),
    kind: 'announce',
    file,
    publishAt: post.publishAt,
    draft: post.draft,
    staleAfterMs: ctx.staleAfterMs,
    postId: post.id,
    channels,
    texts,
    ...declaredOnly(chosen?.accounts ?? readAccounts(undefined, channels, ctx, report, locate).accounts),
  };
  return [post, announce];
}

/**
 * Items keep their accounts only when one is listed in `accounts:`: the implicit ones follow from the
 * channels (accountsOfItem), so a repository without `accounts:` reads into the very items it did.
 */
function declaredOnly(accounts: readonly Account[]): { accounts?: readonly Account[] } {
  return accounts.some((a) => a.declared) ? { accounts } : {};
}

function warnDisabled(
  channels: readonly SocialChannelId[],
  ctx: ItemContext,
  report: Report,
  at: (index: number) => Position,
) {
  channels.forEach((channel, i) => {
    if (!ctx.socialChannels.includes(channel)) {
      report(
        at(i),
        `${SOCIAL_RULES[channel].name} is not among the channels in postgate.config.yaml, so nothing will be sent there`,
        'warning',
      );
    }
  });
}

function checkedParts(parts: Part[], report: Report, emptyAt: Position, what: string): Part[] {
  if (parts.length === 1 && parts[0]!.text === '') {
    report(emptyAt, `${what} is empty: write its text below the front matter`);
    return [];
  }
  parts.forEach((part, i) => {
    if (part.text === '')
      report(
        part.at,
        `part ${i + 1} of ${parts.length} of ${what} is empty: remove the extra "---" line or write the part`,
      );
  });
  return parts.filter((p) => p.text !== '');
}

function imageRef(file: string, image: { src: string; alt: string }, at: Position, report: Report): ImageRef {
  const resolved = resolveRepoPath(file, image.src);
  if (resolved === null) report(at, outsideMessage(image.src));
  return { src: image.src, path: resolved, alt: image.alt, at: at ?? START };
}

/** Why a path is not a place in the repository, and what to write instead. */
function outsideMessage(src: string): string {
  const drive = /^[a-z]:[\\/]/i.test(src);
  if (!drive && /^[a-z][a-z0-9+.-]*:/i.test(src)) {
    return `image ${shown(src)} is an address, not a file in the repository; download the image and save it in the repository, e.g. beside this file`;
  }
  if (!drive && src.includes('\\'))
    return `image "${src}" uses "\\" in its path; write paths with "/", e.g. "${src.replaceAll('\\', '/')}"`;
  return `image ${shown(src)} is outside the repository; images must live in the repository, e.g. beside this file`;
}
