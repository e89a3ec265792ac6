import { BLOG_IMAGE_TYPES, BLOG_MAX_IMAGE_BYTES, measureFor, SOCIAL_RULES } from './channels.ts';
import { composeParts, type ComposeOptions } from './compose.ts';
import { graphemeCount } from './text-length.ts';
import type { ImageRef, Item } from './item.ts';
import { describeBytes, type ImageType } from './media.ts';
import { problem, type Problem } from './problem.ts';

/**
 * Checks that need more than one file: the final text against each network's limits, images
 * against what each network accepts, and ids against each other.
 */
export type ImageFact = { kind: 'file'; bytes: number; type: ImageType | null } | { kind: 'missing' } | { kind: 'not-a-file' };

export function checkLengths(item: Item, options: ComposeOptions): Problem[] {
  if (item.kind === 'post') return [];
  const problems: Problem[] = [];
  for (const channel of item.channels) {
    const rules = SOCIAL_RULES[channel];
    const parts = composeParts(item, channel, options);
    parts.forEach((part, i) => {
      const v = measureFor(channel, part.text);
      const which = parts.length > 1 ? `part ${i + 1} of ${parts.length}` : 'the post';
      if (v.length > v.max) {
        problems.push(problem(item.file, part.at, 'error', `${which} is too long for ${rules.name}: ${v.length} ${rules.unit}, the limit is ${v.max}${item.kind === 'social' ? `; shorten it, split it into a thread with "---", or set ${channel}: { text: ... }` : ''}`));
      } else if (v.bytes !== undefined && v.maxBytes !== undefined && v.bytes > v.maxBytes) {
        problems.push(problem(item.file, part.at, 'error', `${which} is too long for ${rules.name}: ${v.bytes} bytes, the limit is ${v.maxBytes}`));
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
      if (fact?.kind === 'file' && fact.type && !BLOG_IMAGE_TYPES.includes(fact.type)) problems.push(problem(item.file, item.cover.at, 'error', `cover is ${fact.type}, which browsers do not show`));
      if (fact?.kind === 'file' && fact.bytes > BLOG_MAX_IMAGE_BYTES) problems.push(problem(item.file, item.cover.at, 'warning', `cover is ${describeBytes(fact.bytes)}; over ${describeBytes(BLOG_MAX_IMAGE_BYTES)} makes the page slow on a phone`));
    }
    return problems;
  }
  for (const channel of item.channels) {
    const rules = SOCIAL_RULES[channel];
    if (item.images.length > rules.maxImages) {
      problems.push(problem(item.file, item.images[rules.maxImages]!.at, 'error', `${rules.name} takes at most ${rules.maxImages} images per post; this one has ${item.images.length}`));
    }
    for (const image of item.images) {
      const fact = image.path ? facts.get(image.path) : undefined;
      if (graphemeCount(image.alt) > rules.maxAltLength) {
        problems.push(problem(item.file, image.at, 'error', `alt text of ${image.src} is ${graphemeCount(image.alt)} characters; ${rules.name} takes at most ${rules.maxAltLength}`));
      }
      if (fact?.kind !== 'file' || fact.type === null) continue;
      if (!rules.imageTypes.includes(fact.type)) {
        problems.push(problem(item.file, image.at, 'error', `${image.src} is ${fact.type.toUpperCase()}, which ${rules.name} does not take; expected ${rules.imageTypes.join(', ')}`));
      } else if (fact.bytes > rules.maxImageBytes) {
        problems.push(problem(item.file, image.at, 'error', `${image.src} is ${describeBytes(fact.bytes)}; ${rules.name} takes images up to ${describeBytes(rules.maxImageBytes)}`));
      }
    }
  }
  return problems;
}

function checkImageFile(file: string, image: ImageRef, facts: ReadonlyMap<string, ImageFact>): Problem[] {
  if (image.path === null) return []; // already reported as outside the repository
  const fact = facts.get(image.path);
  if (!fact || fact.kind === 'missing') return [problem(file, image.at, 'error', `image ${JSON.stringify(image.src)} not found (looked for ${image.path})`)];
  if (fact.kind === 'not-a-file') return [problem(file, image.at, 'error', `image ${JSON.stringify(image.src)} is a folder, not a file`)];
  if (fact.type === null) return [problem(file, image.at, 'error', `${image.src} is not an image Postgate can send: expected PNG, JPEG, GIF, WebP or AVIF (checked by its content, not its name)`)];
  return [];
}

/** Two items with one id would share one ledger history; both files are named so either can be fixed. */
export function checkDuplicateIds(items: readonly Item[]): Problem[] {
  const seen = new Map<string, Item>();
  const problems: Problem[] = [];
  for (const item of items) {
    const first = seen.get(item.id);
    if (!first) {
      seen.set(item.id, item);
      continue;
    }
    if (first.file === item.file) continue;
    problems.push(problem(item.file, { line: 1, col: 1 }, 'error', `duplicate id "${item.id}": ${first.file} has it too; give one of them its own id (id: ...)`));
  }
  return problems;
}
