import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { IMAGE_FILE, type ImportedImage, mdxProblems } from '../core/mdx-policy.ts';

/**
 * The build's own guard: every MDX file under content/ is checked by the rules `check` applies
 * (src/core/mdx-policy.ts) before Vite compiles it, and the build stops at the first file that
 * holds code (import, export, {expressions}, components). A post that `check` would hold must never
 * run in the build job, released or not: compiling it is enough to reach its code.
 */
type Resolved = { id: string; external?: unknown } | null;
interface ResolveContext {
  resolve(source: string, importer?: string, options?: { skipSelf?: boolean }): Promise<Resolved>;
}

export interface MdxGuardPlugin {
  name: string;
  enforce: 'pre';
  transform: (code: string, id: string) => null;
  resolveId: (this: ResolveContext, source: string, importer?: string) => Promise<Resolved>;
}

export function mdxGuardPlugin(root: string): MdxGuardPlugin {
  // Vite names a module by its real path: a content folder that is a link (or a root reached
  // through one) leads elsewhere, and its posts must not slip past the guard for that.
  const folders = ['content', 'content/posts', 'content/social'].flatMap((dir) => {
    const path = join(root, dir);
    let real = path;
    try {
      real = realpathSync(path);
    } catch {}
    return [`${path}${sep}`, `${real}${sep}`];
  });
  return {
    name: 'postgate:mdx-guard',
    enforce: 'pre',
    // An import named like an image must be an image: Vite loads the real file a link leads to, so
    // `chart.png` linked to a script (a post's image, in .md or .mdx) would run that script.
    async resolveId(source, importer) {
      if (!IMAGE_FILE.test(source.split('?', 1)[0]!)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      const path = resolved && !resolved.external ? resolved.id.split('?', 1)[0]! : null;
      if (path && !path.startsWith('\0') && !IMAGE_FILE.test(path)) {
        const message = `${source} is an image's name, but it leads to ${relative(root, path)}, which is not an image file: the build would run it as code (a post's image must be an image file, not a link to one)`;
        console.error(`[postgate] ${message}`); // a resolver's error can reach the log only as "Errored while resolving"
        throw new Error(message);
      }
      return resolved;
    },
    transform(_code, id) {
      const path = id.split('?', 1)[0]!;
      if (!path.endsWith('.mdx') || !folders.some((folder) => path.startsWith(folder))) return null;
      const file = relative(root, path).split(sep).join('/');
      // The file itself (the code handed to this hook may already be a module made from it), as
      // @astrojs/mdx hands it to the compiler: its front matter, found Astro's way, blanked. Where
      // Astro and Postgate cut the front matter differently (a lone CR, a "---<tab>" fence, a
      // "---" block at the top of the text), what is checked is still exactly what is compiled.
      let compiled: string;
      try {
        compiled = parseFrontmatter(readFileSync(path, 'utf8'), { frontmatter: 'empty-with-spaces' }).content;
      } catch {
        return null; // Astro cannot read the front matter: @astrojs/mdx stops the build with the same error
      }
      const imports: ImportedImage[] = [];
      const problems = mdxProblems(compiled, 1, { wholeFile: true, imports });
      // Vite imports the file an image's link leads to, by its real path: `chart.png` linked to a script is that script.
      for (const image of imports) {
        let real: string;
        try {
          real = realpathSync(resolve(dirname(path), image.address));
        } catch {
          continue; // nothing there: the build stops, unable to resolve it
        }
        if (!IMAGE_FILE.test(real))
          problems.push({
            at: image.at,
            message: `the image "${image.address}" leads to ${relative(root, real)}, which is not an image file: the build would import it as a module and run it`,
          });
      }
      if (problems.length > 0)
        throw new Error(
          `${problems.map((p) => `${file}:${p.at.line}:${p.at.col}: ${p.message}`).join('\n')}\n(run npm run check: a post may hold Markdown and plain HTML, no code)`,
        );
      return null;
    },
  };
}
