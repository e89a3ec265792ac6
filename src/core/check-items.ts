import {
  BLOG_IMAGE_TYPES,
  BLOG_MAX_IMAGE_BYTES,
  type ChannelLimits,
  measureFor,
  rulesFor,
  SOCIAL_RULES,
  type SocialChannelId,
} from './channels.ts';
import { compose, forAccount, type ComposeOptions } from './compose.ts';
import { graphemeCount } from './text-length.ts';
import { accountsOfItem, type AnnounceItem, type ImageRef, type Item, type PostItem, type SocialItem } from './item.ts';
import { describeBytes, type ImageType } from './media.ts';
import { problem, START, type Position, type Problem } from './problem.ts';

/**
 * Checks that need more than one file: the final text against each network's limits, images
 * against what each network accepts, and ids against each other.
 */
export type ImageFact =
  | { kind: 'file'; bytes: number; type: ImageType | null }
  | { kind: 'missing' }
  | { kind: 'not-a-file' }
  | { kind: 'outside' }
  | { kind: 'link' };

/** Why a symbolic link is refused, for content and images alike. */
export const LINK_REFUSED =
  'is a symbolic link: Postgate sends only files stored in the repository, because an approval binds their bytes and a link can point elsewhere without changing';

// An instance may allow more (or count links differently): the limit is the config's, to match it.
const MASTODON_LIMIT_NOTE =
  " (mastodon.maxCharacters in postgate.config.yaml: set it to your instance's limit if that differs)";
// LinkedIn counts the text it receives, escaped (src/channels/linkedin-text.ts).
const LINKEDIN_LIMIT_NOTE =
  ' (counted as LinkedIn receives it: each of \\ | { } @ [ ] ( ) < > # * _ ~ goes with a backslash before it and counts 2)';
const LIMIT_NOTES: Partial<Record<string, string>> = { mastodon: MASTODON_LIMIT_NOTE, linkedin: LINKEDIN_LIMIT_NOTE };

/** `limits`: the repository's Mastodon limits (config `mastodon:`); absent, the stock server's. */
export function checkLengths(item: Item, options: ComposeOptions, limits?: ChannelLimits): Problem[] {
  if (item.kind === 'post') return [];
  const problems: Problem[] = [];
  for (const channel of item.channels) {
    const rules = rulesFor(channel, limits);
    // The text as sent, links tagged: a tag can lengthen what X and Mastodon count when the
    // network does not take the tagged link as one link ("[https://example.org/a/]?utm_...").
    // Per account, utm_content=<id> lengthens the links: measure the longest id on this network.
    const { parts, untagged } = compose(item, channel, longestTagged(item, channel, options));
    // A network without threads (LinkedIn) takes an item as one post: its own text, or nothing.
    if (rules.maxParts !== undefined && parts.length > rules.maxParts) {
      const own = item.kind === 'social' && item.overrides[channel];
      problems.push(
        problem(
          item.file,
          parts[rules.maxParts]!.at,
          'error',
          `${rules.name} has no threads: an item goes there as one post, and this ${own ? `${channel} text` : 'one'} has ${parts.length} parts; ${own ? `make the ${channel} text one part (no "---")` : `give ${rules.name} its own single text with ${channel}: { text: ... }, or take ${channel} out of channels`}`,
        ),
      );
      continue;
    }
    for (const link of untagged)
      problems.push(
        problem(
          item.file,
          parts[link.part]!.at,
          'warning',
          `a link to the site stays untagged on ${rules.name}: ${link.reason}`,
        ),
      );
    parts.forEach((part, i) => {
      const v = measureFor(channel, part.text, limits);
      const which =
        parts.length > 1
          ? `part ${i + 1} of ${parts.length}`
          : item.kind === 'announce'
            ? 'the announcement'
            : 'the post';
      if (v.refusal !== undefined)
        problems.push(problem(item.file, part.at, 'error', `${which} cannot be sent to ${rules.name}: ${v.refusal}`));
      if (v.length > v.max) {
        problems.push(
          problem(
            item.file,
            part.at,
            'error',
            `${which} is too long for ${rules.name}: ${v.length} ${rules.unit}, the limit is ${v.max}${LIMIT_NOTES[channel] ?? ''}${item.kind !== 'social' ? '' : rules.maxParts === 1 ? (item.overrides[channel] ? '; shorten it' : `; shorten it, or set ${channel}: { text: ... }`) : item.overrides[channel] ? '; shorten it or split it into a thread with "---"' : `; shorten it, split it into a thread with "---", or set ${channel}: { text: ... }`}`,
          ),
        );
      } else if (v.bytes !== undefined && v.maxBytes !== undefined && v.bytes > v.maxBytes) {
        problems.push(
          problem(
            item.file,
            part.at,
            'error',
            `${which} is too long for ${rules.name}: ${v.bytes} bytes, the limit is ${v.maxBytes}`,
          ),
        );
      }
    });
  }
  return problems;
}

export function checkImages(item: Item, facts: ReadonlyMap<string, ImageFact>): Problem[] {
  const problems: Problem[] = [];
  const images = item.kind === 'social' ? item.images : item.kind === 'post' && item.cover ? [item.cover] : [];
  for (const image of images) problems.push(...checkImageFile(item.file, image, facts));
  if (item.kind !== 'social') {
    if (item.kind === 'post' && item.cover) {
      const fact = item.cover.path ? facts.get(item.cover.path) : undefined;
      if (fact?.kind === 'file' && fact.type && !BLOG_IMAGE_TYPES.includes(fact.type))
        problems.push(problem(item.file, item.cover.at, 'error', `cover is ${fact.type}, which browsers do not show`));
      if (fact?.kind === 'file' && fact.bytes > BLOG_MAX_IMAGE_BYTES)
        problems.push(
          problem(
            item.file,
            item.cover.at,
            'warning',
            `cover is ${describeBytes(fact.bytes)}; over ${describeBytes(BLOG_MAX_IMAGE_BYTES)} makes the page slow on a phone`,
          ),
        );
    }
    return problems;
  }
  for (const channel of item.channels) {
    const rules = SOCIAL_RULES[channel];
    if (item.images.length > rules.maxImages) {
      problems.push(
        problem(
          item.file,
          item.images[rules.maxImages]!.at,
          'error',
          `${rules.name} takes at most ${rules.maxImages} image${rules.maxImages === 1 ? '' : 's'} per post; this one has ${item.images.length}`,
        ),
      );
    }
    for (const image of item.images) {
      const fact = image.path ? facts.get(image.path) : undefined;
      if (graphemeCount(image.alt) > rules.maxAltLength) {
        problems.push(
          problem(
            item.file,
            image.at,
            'error',
            `alt text of ${image.src} is ${graphemeCount(image.alt)} characters; ${rules.name} takes at most ${rules.maxAltLength}`,
          ),
        );
      }
      if (fact?.kind !== 'file' || fact.type === null) continue;
      if (!rules.imageTypes.includes(fact.type)) {
        problems.push(
          problem(
            item.file,
            image.at,
            'error',
            `${image.src} is ${fact.type.toUpperCase()}, which ${rules.name} does not take; expected ${rules.imageTypes.map((t) => t.toUpperCase()).join(', ')}`,
          ),
        );
      } else if (fact.bytes > rules.maxImageBytes) {
        const [size, limit] = sizes(fact.bytes, rules.maxImageBytes);
        problems.push(
          problem(item.file, image.at, 'error', `${image.src} is ${size}; ${rules.name} takes images up to ${limit}`),
        );
      }
    }
  }
  return problems;
}

/** Two sizes for a message; in exact bytes when rounding would make them look the same. */
function sizes(bytes: number, limit: number): [string, string] {
  if (describeBytes(bytes) !== describeBytes(limit)) return [describeBytes(bytes), describeBytes(limit)];
  return [`${bytes.toLocaleString('en-US')} bytes`, `${limit.toLocaleString('en-US')} bytes`];
}

function checkImageFile(file: string, image: ImageRef, facts: ReadonlyMap<string, ImageFact>): Problem[] {
  const stored = storedFileProblems(file, image, facts);
  if (stored.length > 0 || image.path === null) return stored;
  const fact = facts.get(image.path);
  if (fact?.kind === 'file' && fact.type === null)
    return [
      problem(
        file,
        image.at,
        'error',
        `${image.src} is not an image Postgate can send: expected PNG, JPEG, GIF, WebP or AVIF (checked by its content, not its name)`,
      ),
    ];
  return [];
}

/**
 * The file a path names must be a file stored in the repository: there, not a folder, not a symbolic
 * link (an approval binds bytes; a link's target can change while the link does not).
 */
function storedFileProblems(
  file: string,
  image: ImageRef,
  facts: ReadonlyMap<string, ImageFact>,
  missingHint = '',
): Problem[] {
  if (image.path === null) return []; // already reported as outside the repository
  const fact = facts.get(image.path);
  const name = `image ${JSON.stringify(image.src)}`;
  if (!fact || fact.kind === 'missing')
    return [problem(file, image.at, 'error', `${name} not found (looked for ${image.path}${missingHint})`)];
  if (fact.kind === 'not-a-file') return [problem(file, image.at, 'error', `${name} is a folder, not a file`)];
  if (fact.kind === 'link') return [problem(file, image.at, 'error', `${name} ${LINK_REFUSED}`)];
  if (fact.kind === 'outside')
    return [
      problem(
        file,
        image.at,
        'error',
        `${name} is a link to a file outside the repository; copy the image itself into the repository`,
      ),
    ];
  return [];
}

/**
 * The files a post's body shows (src/core/post-body-images.ts) must be stored in the repository, as
 * its cover must: the build cannot import a missing one, and a page loading a missing one shows a
 * hole where a later push could put any picture. Their type is the site's business (an SVG or a
 * video is fine on a page), not a network's.
 */
// HTML, image references and addresses from the site's root are loaded from the site, never from beside the post.
const SERVED_HINT =
  ', the folder the site serves; a file beside the post is shown only by a Markdown image, ![alt](./picture.png)';

export function checkBodyImages(post: PostItem, facts: ReadonlyMap<string, ImageFact>): Problem[] {
  return post.bodyImages.flatMap((image) =>
    storedFileProblems(post.file, image, facts, image.path?.startsWith('public/') ? SERVED_HINT : ''),
  );
}

/**
 * Two items with one id would share one ledger history. Each held file is told at its `id:` line
 * when it sets one (`idAt`, by file). Only the newcomer is held, so that a new file cannot take a
 * published or approved item hostage by declaring its id. The file that keeps the id is the only
 * one that is not a draft, else the only one whose id comes from its own path (the others declare
 * it with `id:`); when neither tells them apart, every one of them is held.
 */
export function checkDuplicateIds(
  items: readonly Pick<Item, 'id' | 'file' | 'draft'>[],
  idAt: ReadonlyMap<string, Position> = new Map(),
): Problem[] {
  const byId = new Map<string, Map<string, boolean>>(); // id → file → is a draft
  for (const item of items) {
    const files = byId.get(item.id) ?? new Map<string, boolean>();
    files.set(item.file, (files.get(item.file) ?? true) && item.draft);
    byId.set(item.id, files);
  }
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const [id, drafts] of byId) {
    if (drafts.size < 2) continue;
    const files = [...drafts.keys()];
    const keeper = onlyOne(files.filter((f) => !drafts.get(f))) ?? onlyOne(files.filter((f) => !idAt.has(f)));
    for (const file of files) {
      if (file === keeper || reported.has(file)) continue; // a post's announcement shares its fate
      reported.add(file);
      const at = idAt.get(file);
      const message = keeper
        ? `duplicate id "${id}": ${keeper} has it already and keeps it; give this file another id`
        : `duplicate id "${id}": ${files.filter((f) => f !== file).join(', ')} ${files.length > 2 ? 'have' : 'has'} it too; ${
            at
              ? 'give one of them another id'
              : 'its id comes from its path; rename or remove one of them, or give one its own id (id: ...)'
          }`;
      problems.push(problem(file, at ?? START, 'error', message));
    }
  }
  return problems;
}

const onlyOne = <T>(list: readonly T[]): T | undefined => (list.length === 1 ? list[0] : undefined);

/** The compose options of the item's account on `channel` whose links come out longest (src/core/accounts.ts). */
function longestTagged(item: SocialItem | AnnounceItem, channel: SocialChannelId, options: ComposeOptions) {
  const declared = accountsOfItem(item).filter((a) => a.network === channel && a.declared);
  const longest = declared.sort((a, b) => b.id.length - a.id.length)[0];
  return longest ? forAccount(options, longest) : options;
}
