import { realpathSync } from 'node:fs';
import { checkDuplicateIds } from '../core/check-items.ts';
import type { Config } from '../core/config-schema.ts';
import type { Item } from '../core/item.ts';
import { summarizeLedger, type LedgerSummary } from '../core/ledger.ts';
import { byLocation, problem, type Problem } from '../core/problem.ts';
import { listContentFiles, type ContentFile } from './content-files.ts';
import { readCrisisFile } from './crisis-file.ts';
import { loadConfig } from './load-config.ts';
import { readLedger } from './ledger-file.ts';
import { readContent } from './read-content.ts';

export { itemContext } from './read-content.ts';

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

/** What is read before any content file: the config, the list of files, the ledger, CRISIS. */
export interface RepositoryBasics {
  root: string;
  realRoot: string;
  config: Config;
  files: ContentFile[];
  /** Problems found so far: the ledger's, and files that will be ignored. */
  problems: Problem[];
  ledger: LedgerSummary;
  crisis: string | null;
}

export async function readBasics(root: string, loaded?: Config): Promise<RepositoryBasics> {
  const config = loaded ?? (await loadConfig(root));
  const [listing, ledger, crisis] = await Promise.all([listContentFiles(root), readLedger(root), readCrisisFile(root)]);
  const problems = [
    ...ledger.problems,
    ...listing.ignored.map((file) =>
      problem(file, { line: 1, col: 1 }, 'warning', 'ignored: posts end in .md or .mdx, social drafts in .md'),
    ),
  ];
  return {
    root,
    realRoot: realpathSync.native(root),
    config,
    files: listing.files,
    problems,
    ledger: summarizeLedger(ledger.records),
    crisis,
  };
}

/**
 * @param options.config the config, when the caller has read it already
 * @param options.dueBy  when set, only items due by then get the checks of images and lengths:
 *   what `publish` needs, since nothing else can be sent in this run. `check` and `queue` check all.
 */
export async function loadRepository(
  root: string,
  options: { dueBy?: number; config?: Config } = {},
): Promise<Repository> {
  const basics = await readBasics(root, options.config);
  const { dueBy } = options;
  const fullCheck =
    dueBy === undefined ? undefined : (item: Item) => item.publishAt !== null && item.publishAt <= dueBy;
  const content = readContent(root, basics.realRoot, basics.files, basics.config, undefined, fullCheck);
  const problems = [...basics.problems, ...content.problems, ...checkDuplicateIds(content.items, content.idAt)];
  return {
    root,
    config: basics.config,
    files: basics.files,
    items: content.items,
    problems: problems.sort(byLocation),
    ledger: basics.ledger,
    crisis: basics.crisis,
  };
}
