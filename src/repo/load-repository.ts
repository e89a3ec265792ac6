import { openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkDuplicateIds, checkImages, checkLengths, type ImageFact } from '../core/check-items.ts';
import { socialChannelsOf, type Config } from '../core/config-schema.ts';
import type { Item } from '../core/item.ts';
import { summarizeLedger, type LedgerSummary } from '../core/ledger.ts';
import { sniffImageType, SNIFF_BYTES } from '../core/media.ts';
import { byLocation, problem, type Position, type Problem } from '../core/problem.ts';
import { readItemText, type ItemContext } from '../core/read-item.ts';
import { listContentFiles, type ContentFile } from './content-files.ts';
import { readCrisisFile } from './crisis-file.ts';
import { loadConfig } from './load-config.ts';
import { readLedger } from './ledger-file.ts';
import { isOutside, readTextFile } from './read-text-file.ts';

/**
 * The read phase: everything Postgate knows about a repository, read once. Every file is read
 * even when others are broken, so one bad file never hides another's problems or blocks its
 * neighbours from publishing.
 */
export interface Repository {
  root: string;
  config: Config;
  files: ContentFile[];
  items: Item[];
  /** Sorted by file and position. */
  problems: Problem[];
  ledger: LedgerSummary;
  crisis: string | null;
}

export const MAX_BYTES = { post: 1024 * 1024, social: 64 * 1024 } as const;
const WHAT = { post: 'a blog post', social: 'a social draft' } as const;

export function itemContext(config: Config): ItemContext {
  return {
    timeZone: config.site.timeZone,
    siteUrl: config.site.url,
    socialChannels: socialChannelsOf(config),
    staleAfterMs: config.policies.staleAfter,
    defaultAuthor: config.site.author,
  };
}

export async function loadRepository(root: string): Promise<Repository> {
  const config = await loadConfig(root);
  const [listing, ledger, crisis] = await Promise.all([listContentFiles(root), readLedger(root), readCrisisFile(root)]);
  const ctx = itemContext(config);
  const problems: Problem[] = [...ledger.problems];
  const items: Item[] = [];
  const idAt = new Map<string, Position>();
  const realRoot = realpathSync.native(root);

  for (const file of listing.ignored) {
    problems.push(problem(file, { line: 1, col: 1 }, 'warning', 'ignored: posts end in .md or .mdx, social drafts in .md'));
  }
  for (const { file, kind, mayLink } of listing.files) {
    const decoded = readTextFile(join(root, file), realRoot, MAX_BYTES[kind], WHAT[kind], mayLink);
    if (!decoded.ok) {
      problems.push(problem(file, decoded.at, 'error', decoded.message));
      continue;
    }
    const read = readItemText(file, kind, decoded.text, ctx);
    items.push(...read.items);
    problems.push(...read.problems);
    if (read.idAt) idAt.set(file, read.idAt);
  }

  const facts = readImageFacts(root, realRoot, items);
  const composeOptions = { siteUrl: config.site.url, utm: config.policies.utm };
  for (const item of items) problems.push(...checkImages(item, facts), ...checkLengths(item, composeOptions));
  problems.push(...checkDuplicateIds(items, idAt));

  return { root, config, files: listing.files, items, problems: problems.sort(byLocation), ledger: summarizeLedger(ledger.records), crisis };
}

/** Size and type (by magic bytes) of every image the items name; only the first bytes are read. */
function readImageFacts(root: string, realRoot: string, items: readonly Item[]): Map<string, ImageFact> {
  const facts = new Map<string, ImageFact>();
  const paths = items.flatMap((item) => (item.kind === 'social' ? item.images : item.kind === 'post' && item.cover ? [item.cover] : []).map((i) => i.path));
  for (const path of paths) {
    if (path === null || facts.has(path)) continue;
    facts.set(path, imageFact(realRoot, join(root, path)));
  }
  return facts;
}

function imageFact(realRoot: string, path: string): ImageFact {
  let stat;
  let real;
  try {
    stat = statSync(path);
    real = realpathSync(path);
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
