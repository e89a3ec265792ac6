import { accountsOf } from '../core/accounts.ts';
import { closeSync, lstatSync, openSync, readSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkBodyImages, checkImages, checkLengths, type ImageFact } from '../core/check-items.ts';
import { channelLimitsOf, socialChannelsOf, type Config } from '../core/config-schema.ts';
import type { Item } from '../core/item.ts';
import { sniffImageType, SNIFF_BYTES } from '../core/media.ts';
import { problem, type Position, type Problem } from '../core/problem.ts';
import { readItemText, type ItemContext } from '../core/read-item.ts';
import { shareProblems } from '../core/share-kit.ts';
import type { ContentFile } from './content-files.ts';
import { isOutside, readTextFile } from './read-text-file.ts';

/**
 * Reads content files into items and checks each on its own: its text, its images, its lengths
 * on every network. Files do not depend on each other here (duplicate ids are checked across all
 * files afterwards), so any set of files can be read by itself: one thread or several.
 */
export const MAX_BYTES = { post: 1024 * 1024, social: 64 * 1024 } as const;
const WHAT = { post: 'a blog post', social: 'a social draft' } as const;

export function itemContext(config: Config): ItemContext {
  return {
    timeZone: config.site.timeZone,
    siteUrl: config.site.url,
    socialChannels: socialChannelsOf(config),
    staleAfterMs: config.policies.staleAfter,
    defaultAuthor: config.site.author,
    staffIds: config.staff.map((person) => person.id),
    accounts: accountsOf(config),
  };
}

/**
 * Each file is read and checked completely before the next, and `keep` decides what of its items
 * outlives that: `check` keeps only ids, so a large repository is checked in little memory.
 */
export function readContent<T extends Pick<Item, 'id' | 'file'> = Item>(
  root: string,
  realRoot: string,
  files: readonly ContentFile[],
  config: Config,
  keep: (item: Item) => T = (item) => item as unknown as T,
  /** Which items get the checks that need other files and every network's rules (default: all). */
  fullCheck: (item: Item) => boolean = () => true,
): { items: T[]; problems: Problem[]; idAt: Map<string, Position> } {
  const ctx = itemContext(config);
  const composeOptions = { siteUrl: config.site.url, utm: config.policies.utm };
  const limits = channelLimitsOf(config);
  const facts = new Map<string, ImageFact>();
  const problems: Problem[] = [];
  const items: T[] = [];
  const idAt = new Map<string, Position>();
  for (const { file, kind, mayLink } of files) {
    const decoded = readTextFile(join(root, file), realRoot, MAX_BYTES[kind], WHAT[kind], mayLink);
    if (!decoded.ok) {
      problems.push(problem(file, decoded.at, 'error', decoded.message));
      continue;
    }
    const read = readItemText(file, kind, decoded.text, ctx);
    problems.push(...read.problems);
    if (read.idAt) idAt.set(file, read.idAt);
    for (const item of read.items) {
      if (fullCheck(item)) {
        addImageFacts(facts, root, realRoot, item);
        problems.push(...checkImages(item, facts), ...checkLengths(item, composeOptions, limits));
        if (item.kind === 'social') problems.push(...shareProblems(item, config.staff, { ...composeOptions, limits }));
        if (item.kind === 'post') problems.push(...checkBodyImages(item, facts));
      }
      items.push(keep(item));
    }
  }
  return { items, problems, idAt };
}

/** Size and type (by magic bytes) of each image an item names, read once per image; only the first bytes are read. */
function addImageFacts(facts: Map<string, ImageFact>, root: string, realRoot: string, item: Item) {
  const images =
    item.kind === 'social'
      ? item.images
      : item.kind === 'post'
        ? [...(item.cover ? [item.cover] : []), ...item.bodyImages]
        : [];
  for (const { path } of images) {
    if (path !== null && !facts.has(path)) facts.set(path, imageFact(realRoot, join(root, path)));
  }
}

function imageFact(realRoot: string, path: string): ImageFact {
  let stat: Stats;
  let real: string;
  try {
    if (lstatSync(path).isSymbolicLink()) {
      // Outside the repository is the worse news, and says where to look.
      return isOutside(realRoot, realpathSync.native(path)) ? { kind: 'outside' } : { kind: 'link' };
    }
    stat = statSync(path);
    real = realpathSync.native(path);
  } catch {
    return { kind: 'missing' };
  }
  // A symbolic link in the repository can point anywhere on the machine that runs the workflow.
  if (isOutside(realRoot, real)) return { kind: 'outside' };
  if (!stat.isFile()) return { kind: 'not-a-file' };
  const head = new Uint8Array(SNIFF_BYTES);
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, head, 0, SNIFF_BYTES, 0);
    return { kind: 'file', bytes: stat.size, type: sniffImageType(head.subarray(0, n)) };
  } finally {
    closeSync(fd);
  }
}
