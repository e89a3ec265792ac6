import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { normalizeText, splitFrontMatter } from '../core/front-matter.ts';
import { mdxProblems } from '../core/mdx-policy.ts';

/**
 * The build's own guard: every MDX file under content/ is checked by the rules `check` applies
 * (src/core/mdx-policy.ts) before Vite compiles it, and the build stops at the first file that
 * holds code (import, export, {expressions}, components). A post that `check` would hold must never
 * run in the build job, released or not: compiling it is enough to reach its code.
 */
export interface MdxGuardPlugin {
  name: string;
  enforce: 'pre';
  transform: (code: string, id: string) => null;
}

export function mdxGuardPlugin(root: string): MdxGuardPlugin {
  const content = `${root.replace(/[\\/]+$/, '')}${sep}content${sep}`;
  return {
    name: 'postgate:mdx-guard',
    enforce: 'pre',
    transform(_code, id) {
      const path = id.split('?', 1)[0]!;
      if (!path.endsWith('.mdx') || !path.startsWith(content)) return null;
      const file = relative(root, path).split(sep).join('/');
      // The file itself: the code handed to this hook may already be a module made from it.
      const text = normalizeText(readFileSync(path, 'utf8'));
      const split = splitFrontMatter(text);
      const body = split.ok ? split.value.body : text;
      const bodyLine = split.ok ? split.value.bodyLine : 1;
      const problems = mdxProblems(body, bodyLine);
      if (problems.length > 0)
        throw new Error(
          `${problems.map((p) => `${file}:${p.at.line}:${p.at.col}: ${p.message}`).join('\n')}\n(run npm run check: a post may hold Markdown and plain HTML, no code)`,
        );
      return null;
    },
  };
}
