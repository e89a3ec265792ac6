import { checkDuplicateIds } from '../core/check-items.ts';
import { byLocation, type Problem } from '../core/problem.ts';
import { readBasics } from './load-repository.ts';
import { readContent } from './read-content.ts';

/**
 * `check`: every problem in the repository, and how many files were read.
 * (Worker threads were measured for large repositories and lost: on a 2-core runner a worker's
 * start-up, loading the modules again, costs more than its share of 10,000 files saves.)
 */
export interface CheckResult {
  files: number;
  /** Sorted by file and position. */
  problems: Problem[];
}

export async function checkRepository(root: string): Promise<CheckResult> {
  const basics = await readBasics(root);
  const content = readContent(root, basics.realRoot, basics.files, basics.config, ({ id, file }) => ({ id, file }));
  const problems = [...basics.problems, ...content.problems, ...checkDuplicateIds(content.items, content.idAt)];
  return { files: basics.files.length, problems: problems.sort(byLocation) };
}
