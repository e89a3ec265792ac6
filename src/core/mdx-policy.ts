import { mdxToMdast } from 'satteri';
import type { Position } from './problem.ts';

/**
 * What a blog post's MDX may hold. MDX is code: `import`, `export` and `{expressions}` run when the
 * site is built, in the build job, with whatever that job can reach; a review of the words does not
 * show what code does. So a post is Markdown plus plain HTML elements with plain attribute values,
 * and comments (`{/* ... *\/}`). The template gives posts no components, so `<Chart />` is refused
 * here rather than failing the build. The parser is the site's own (satteri, as Astro's MDX uses),
 * so what `check` accepts is exactly what the build reads.
 */
export interface MdxProblem {
  at: Position;
  message: string;
}

interface Node {
  type: string;
  name?: string | null;
  value?: unknown;
  url?: unknown;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: Node[];
  position?: { start: { line: number; column: number } };
}

const ESM = 'import and export are not allowed in a post: they run as code when the site is built. Remove the line';
const EXPRESSION =
  '{...} is code in MDX and is not allowed in a post (it runs when the site is built); write the text itself, or escape the brace as \\{';

const SPREAD = 'spreads {...} into its attributes, which is code; write each attribute as name="value"';

const FRONT_MATTER =
  'the text starts with a block between "---" (or "+++") lines, which reads as a second front matter here but is compiled as MDX by the site (code in it would run); remove it, or write a line of text before it';

// What Astro imports as an image module (a Markdown image that is neither a URL nor a path from the site's root).
export const IMAGE_FILE = /^[^?#]*\.(?:png|jpe?g|gif|webp|avif|svg|tiff?)$/i;

/** A Markdown image the build imports: its address as Astro imports it (decoded, relative to the post). */
export interface ImportedImage {
  address: string;
  at: Position;
}

// What Astro's MDX integration turns on by default (@astrojs/markdown-satteri's mdx processor).
const ASTRO_FEATURES = { gfm: true, smartPunctuation: true };

/**
 * Problems in a post's body; `bodyLine` is the file line the body starts on. `wholeFile`: the text
 * is the whole file as the MDX compiler gets it (src/site/mdx-guard.ts), so a front matter at its
 * top is the compiler's own, not code.
 */
export function mdxProblems(
  body: string,
  bodyLine: number,
  options: { wholeFile?: boolean; imports?: ImportedImage[] } = {},
): MdxProblem[] {
  // Markdown without braces, angle brackets, images or ESM keywords has nothing MDX could run.
  if (!/[{<]|!\[|^\s*(?:import|export)\b/m.test(body)) return [];
  let tree: Node;
  try {
    tree = mdxToMdast(body, { features: ASTRO_FEATURES }) as Node;
  } catch (error) {
    return [syntaxProblem((error as Error).message, bodyLine)];
  }
  const problems: MdxProblem[] = [];
  const at = (node: Node): Position => ({
    line: bodyLine + (node.position?.start.line ?? 1) - 1,
    col: node.position?.start.column ?? 1,
  });
  const visit = (node: Node) => {
    if (node.type === 'mdxjsEsm') problems.push({ at: at(node), message: ESM });
    if ((node.type === 'yaml' || node.type === 'toml') && !options.wholeFile)
      problems.push({ at: at(node), message: FRONT_MATTER });
    if (node.type === 'image') {
      const why = importedImageProblem(node.url);
      const address = importedAddress(node.url);
      if (why) problems.push({ at: at(node), message: why });
      else if (address) options.imports?.push({ address, at: at(node) });
    }
    if ((node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') && !onlyComments(node.value))
      problems.push({ at: at(node), message: EXPRESSION });
    if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement')
      problems.push(...elementProblems(node, at));
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);
  return problems;
}

function elementProblems(node: Node, at: (node: Node) => Position): MdxProblem[] {
  const name = node.name ?? '';
  const tag = name ? `<${name}>` : 'a fragment <>';
  const problems: MdxProblem[] = [];
  // HTML elements are lower case; anything else is a component, and posts are given none.
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    problems.push({
      at: at(node),
      message: `${tag} is not an HTML element, and posts can use no components; write Markdown or plain HTML`,
    });
  // The pages carry no JavaScript: no script element, no event handler, no Astro directive
  // (set:html writes raw HTML, client:* ships a component's code to the reader).
  if (name === 'script' || name === 'iframe' || name === 'object' || name === 'embed')
    problems.push({
      at: at(node),
      message: `${tag} is not allowed in a post: the site's pages carry no scripts or embedded pages; link to it instead`,
    });
  for (const attribute of node.attributes ?? []) {
    const attributeName = attribute.name ?? '';
    if (attribute.type === 'mdxJsxExpressionAttribute') problems.push({ at: at(node), message: `${tag} ${SPREAD}` });
    else if (typeof attribute.value === 'object' && attribute.value !== null)
      problems.push({
        at: at(node),
        message: `${tag} uses {...} in its attribute ${attributeName}, which is code; write a plain value in quotes`,
      });
    else if (/^on/i.test(attributeName) || /^[a-z]+:/i.test(attributeName))
      problems.push({
        at: at(node),
        message: `${tag} has the attribute ${attributeName}, which runs code or writes raw HTML; posts may not use it`,
      });
  }
  return problems;
}

/**
 * The site's build imports a Markdown image with a relative address as a module (Astro's image
 * pipeline), so `![chart](./chart.mjs)` would run that script: only image files are allowed there.
 */
function importedImageProblem(url: unknown): string | null {
  const address = importedAddress(url);
  if (address === undefined)
    return `the image address ${JSON.stringify(url)} is not a valid address; the site cannot build it`;
  if (address === null || IMAGE_FILE.test(address)) return null;
  return `the image ${JSON.stringify(url)} is not an image file (.png, .jpg, .gif, .webp, .avif, .svg): the site's build imports it as a module, so a script there would run; link an image file, with no ? or #`;
}

/** What Astro imports for an image: its decoded address; null for a URL or a path from the site's root; undefined when undecodable. */
function importedAddress(url: unknown): string | null | undefined {
  if (typeof url !== 'string' || url === '') return null;
  let address: string;
  try {
    address = decodeURI(url);
  } catch {
    return undefined;
  }
  return URL.canParse(address) || address.startsWith('/') ? null : address;
}

/** `{/* a note *\/}` is MDX's comment: nothing but comments and spaces runs nothing. */
function onlyComments(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return value.replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}

/** satteri says `3:1: Expected a closing tag for <div> (3:1) (mdx-jsx:...)`: moved to the file's lines. */
function syntaxProblem(message: string, bodyLine: number): MdxProblem {
  const m = /^(\d+):(\d+): (.*?)(?: \(\d+:\d+\))?(?: \([\w:-]+\))?$/s.exec(message);
  if (!m) return { at: { line: bodyLine, col: 1 }, message: `the post is not valid MDX: ${message}` };
  return {
    at: { line: bodyLine + Number(m[1]) - 1, col: Number(m[2]) },
    message: `the post is not valid MDX: ${m[3]}`,
  };
}
