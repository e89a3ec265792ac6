import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE, configSchema, type Config } from '../core/config-schema.ts';
import { ContentError } from '../core/errors.ts';
import { readYamlMapping } from '../core/front-matter.ts';
import { linkedinSectionIssue } from '../core/linkedin-config.ts';
import { problem } from '../core/problem.ts';
import { describeIssues } from '../core/schema-issues.ts';
import { locateInYaml } from '../core/yaml-locate.ts';

/** Reads and validates `postgate.config.yaml`; a broken config stops everything with located errors. */
export async function loadConfig(root: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(join(root, CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ContentError(`${CONFIG_FILE} not found`, [
      problem(
        CONFIG_FILE,
        { line: 1, col: 1 },
        'error',
        `${CONFIG_FILE} not found in ${root}: run Postgate at the root of your repository`,
      ),
    ]);
  }
  return parseConfig(text);
}

export function parseConfig(text: string): Config {
  const yaml = readYamlMapping(text.replace(/\r\n?/g, '\n'), 1);
  if (!yaml.ok)
    throw new ContentError(`${CONFIG_FILE} is not valid`, [problem(CONFIG_FILE, yaml.at, 'error', yaml.message)]);
  const parsed = configSchema.safeParse(yaml.value);
  if (parsed.success) {
    // Across keys, so after the schema: a LinkedIn channel needs its settings.
    const linkedin = linkedinSectionIssue(parsed.data);
    if (linkedin === null) return parsed.data;
    throw new ContentError(`${CONFIG_FILE} is not valid`, [
      problem(CONFIG_FILE, locateInYaml(text, linkedin.path, 1, 'value'), 'error', linkedin.message),
    ]);
  }
  const problems = describeIssues(parsed.error.issues, yaml.value, configSchema).map((issue) =>
    problem(CONFIG_FILE, locateInYaml(text, issue.path, 1, issue.want), 'error', issue.message),
  );
  throw new ContentError(`${CONFIG_FILE} is not valid`, problems);
}
