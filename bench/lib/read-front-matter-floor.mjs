/**
 * The floor for `check`: list the content files, read each, split off the front matter and
 * parse its YAML with the same parser, nothing else. No program that validates every file can
 * do less work than this. Plain JavaScript, as the least a program can be.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

let parsed = 0;
for (const dir of ['content/posts', 'content/social']) {
  for (const entry of readdirSync(dir, { recursive: true })) {
    const name = String(entry);
    if (!/\.mdx?$/.test(name)) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    const end = text.indexOf('\n---', 3);
    yaml.load(text.slice(4, end), { schema: yaml.CORE_SCHEMA });
    parsed++;
  }
}
process.stdout.write(`${parsed}\n`);
