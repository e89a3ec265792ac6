import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDuplicateIds } from '../core/check-items.ts';
import { CONFIG_FILE, type Config } from '../core/config-schema.ts';
import { accountEnvIssues, SENDING_JOBS } from '../core/workflow-env.ts';
import { locateInYaml } from '../core/yaml-locate.ts';
import { byLocation, problem, START, type Problem } from '../core/problem.ts';
import { readLocalCrisis, readLocalNearMisses } from './crisis-file.ts';
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
  const [basics, crisis] = await Promise.all([readBasics(root), crisisProblems(root)]);
  const content = readContent(root, basics.realRoot, basics.files, basics.config, ({ id, file, draft }) => ({
    id,
    file,
    draft,
  }));
  const problems = [
    ...basics.problems,
    ...workflowEnvProblems(root, basics.config),
    ...crisis,
    ...content.problems,
    ...checkDuplicateIds(content.items, content.idAt),
  ];
  return { files: basics.files.length, problems: problems.sort(byLocation) };
}

/** Warnings about CRISIS: the files that are one (so nobody is surprised), and those that look like one but are not. */
async function crisisProblems(root: string): Promise<Problem[]> {
  const [crisis, misses] = await Promise.all([readLocalCrisis(root), readLocalNearMisses(root)]);
  return [
    ...(crisis?.paths ?? []).map((path) =>
      problem(
        path,
        START,
        'warning',
        `this is a CRISIS ("${crisis!.reason}"): on main it stops every post and the blog until it is removed`,
      ),
    ),
    ...misses.map((m) => problem(m.path, START, 'warning', m.message)),
  ];
}

/** Account variables the sending workflows do not pass (src/core/workflow-env.ts), as warnings at the account. */
function workflowEnvProblems(root: string, config: Config | null | undefined): Problem[] {
  if (!config?.accounts?.length) return [];
  const workflows = new Map<string, string>();
  for (const [file] of SENDING_JOBS)
    if (existsSync(join(root, file))) workflows.set(file, readFileSync(join(root, file), 'utf8'));
  const issues = accountEnvIssues(config, workflows);
  if (issues.length === 0) return [];
  const text = readFileSync(join(root, CONFIG_FILE), 'utf8');
  return issues.map((i) => problem(CONFIG_FILE, locateInYaml(text, i.path, 1, 'value'), 'warning', i.message));
}
