import { htmlToHast, markdownToMdast, mdxToMdast } from 'satteri';
import type { ImageRef } from './item.ts';
import type { Position } from './problem.ts';
import { resolveRepoPath } from './repo-path.ts';
import { servedFile } from './served-file.ts';

/**
 * The files of the repository a blog post's body shows: what an approval and a release must bind
 * besides the post's own file and its cover, or a writer could swap a picture after approval and the
 * live page would change. They reach the page in two ways, as the site's build (Astro 7 with Sätteri)
 * does it:
 *
 * - imported: a Markdown image `![alt](./chart.png)` (or `chart.png`, `../img/chart.png`) whose address
 *   is neither a URL nor a path from the site's root is imported by the build, relative to the post's
 *   file, and published under `/_astro/`. Its path is the repository path beside the post (null when
 *   it leads out of the repository).
 * - served: every other address the page loads is left in the HTML as written and fetched by the
 *   reader's browser from the page's address, `/posts/<slug>/`: Markdown images from the site's root
 *   (`![alt](/images/x.png)`) or its full address, images by reference (`![alt][chart]`, which the
 *   build does not import), and `src`, `srcset`, `poster` and `style="...url(...)"` of HTML elements
 *   (`<img>`, `<picture><source>`, `<video>`). The site serves those from `public/`, so
 *   `/images/x.png` is `public/images/x.png` and `<img src="./x.png">` is
 *   `public/posts/<slug>/x.png`. Addresses on other sites, or outside the site's base path, are not
 *   the repository's and are left out.
 *
 * One entry per repository path (the first place it is used), in the order of the text.
 */
export interface BodyImagesInput {
  /** The post's repository path, e.g. `content/posts/welcome.mdx`: `.mdx` is read as MDX, the rest as Markdown. */
  file: string;
  /** The post's address on the site is `/posts/<slug>/`. */
  slug: string;
  /** The text below the front matter, and the file line it starts on. */
  body: string;
  bodyLine: number;
  /** `site.url` from the config, e.g. `https://you.github.io/repo`. */
  siteUrl: string;
}

interface Node {
  type: string;
  name?: string | null;
  tagName?: string;
  url?: unknown;
  alt?: unknown;
  value?: unknown;
  identifier?: unknown;
  attributes?: { type: string; name?: string; value?: unknown }[];
  properties?: Record<string, unknown>;
  children?: Node[];
  position?: { start: { line: number; column: number } };
}

// What the site's Markdown and MDX processors turn on (as src/core/mdx-policy.ts parses MDX).
const FEATURES = { gfm: true, smartPunctuation: true };

// An HTML attribute that makes the browser load a file into the page; `style` may hold url(...).
const LOADING_ATTRIBUTES = new Set(['src', 'srcset', 'poster', 'style']);

export function postBodyImages(input: BodyImagesInput): ImageRef[] {
  // Text without an image, an element or a reference definition shows no file.
  if (!/!\[|<|\]:/.test(input.body)) return [];
  let tree: Node;
  try {
    tree = (input.file.endsWith('.mdx') ? mdxToMdast : markdownToMdast)(input.body, { features: FEATURES }) as Node;
  } catch {
    return []; // not valid MDX: `check` reports it, and the site cannot build it
  }
  const definitions = new Map<unknown, unknown>();
  collect(tree, (node) => {
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
  });
  const pageUrl = `${input.siteUrl}/posts/${input.slug}/`;
  const found = new Map<string, ImageRef>();
  const outside: ImageRef[] = [];
  const add = (src: string, path: string | null, alt: unknown, node: Node) => {
    const at: Position = {
      line: input.bodyLine + (node.position?.start.line ?? 1) - 1,
      col: node.position?.start.column ?? 1,
    };
    const ref: ImageRef = { src, path, alt: typeof alt === 'string' ? alt : '', at };
    if (path === null) outside.push(ref);
    else if (!found.has(path)) found.set(path, ref);
  };
  const served = (src: string, alt: unknown, node: Node) => {
    const path = servedFile(src, pageUrl, input.siteUrl);
    if (path !== undefined) add(src, path, alt, node);
  };
  collect(tree, (node) => {
    if (node.type === 'image' && typeof node.url === 'string' && node.url !== '') {
      const imported = importedAddress(node.url);
      if (imported === undefined) served(node.url, node.alt, node);
      else if (imported !== null) add(node.url, resolveRepoPath(input.file, imported), node.alt, node);
    } else if (node.type === 'imageReference') {
      const url = definitions.get(node.identifier);
      if (typeof url === 'string' && url !== '') served(url, node.alt, node);
    } else if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
      const attributes = textAttributes(
        (node.attributes ?? []).flatMap((a) =>
          a.type === 'mdxJsxAttribute' ? [[a.name ?? '', a.value] as const] : [],
        ),
      );
      for (const src of loadedAddresses(attributes)) served(src, attributes.alt, node);
    } else if (node.type === 'html' && typeof node.value === 'string') {
      collect(htmlToHast(node.value, { fragment: true }) as Node, (element) => {
        if (element.type !== 'element') return;
        const attributes = textAttributes(Object.entries(element.properties ?? {}));
        for (const src of loadedAddresses(attributes)) served(src, attributes.alt, node);
      });
    }
  });
  return [...found.values(), ...outside];
}

/**
 * How the build treats a Markdown image's address (Astro's collect-images, as src/core/mdx-policy.ts
 * reads it): the decoded path it imports; null for no image; undefined when it is not imported but
 * left in the page as written (a URL, a path from the site's root, an address it cannot decode).
 */
function importedAddress(url: string): string | null | undefined {
  let address: string;
  try {
    address = decodeURI(url);
  } catch {
    return undefined;
  }
  if (URL.canParse(address) || address.startsWith('/')) return undefined;
  // Vite imports the file before a query or fragment (`x.png?v=2` is x.png).
  const path = address.replace(/[?#].*$/s, '');
  return path === '' ? null : path;
}

/** An element's attributes with text values, by lower-case name (`srcSet` in JSX is `srcset`). */
function textAttributes(pairs: readonly (readonly [string, unknown])[]): Record<string, string> {
  return Object.fromEntries(
    pairs.flatMap(([name, value]) => (typeof value === 'string' ? [[name.toLowerCase(), value]] : [])),
  );
}

/** The addresses an element's attributes load: src, poster, each candidate of srcset, url(...) in style. */
function loadedAddresses(attributes: Record<string, string>): string[] {
  const addresses: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (!LOADING_ATTRIBUTES.has(name)) continue;
    if (name === 'srcset') addresses.push(...srcsetAddresses(value));
    else if (name === 'style') for (const m of value.matchAll(/url\(\s*(["']?)(.*?)\1\s*\)/gi)) addresses.push(m[2]!);
    else addresses.push(value.trim());
  }
  return addresses.filter((a) => a !== '');
}

/**
 * The addresses of a srcset, as the HTML standard splits it: an address runs to the next space (a
 * comma at its end ends the candidate), then descriptors run to the next comma outside parentheses.
 * `a.png 1x,b.png 2x` is a.png and b.png; a comma inside an address is part of it.
 */
function srcsetAddresses(value: string): string[] {
  const addresses: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    const start = i;
    while (i < value.length && !/\s/.test(value[i]!)) i++;
    let address = value.slice(start, i);
    if (address.endsWith(',')) address = address.replace(/,+$/, '');
    else
      for (let depth = 0; i < value.length && (value[i] !== ',' || depth > 0); i++)
        depth += value[i] === '(' ? 1 : value[i] === ')' ? -1 : 0;
    if (address !== '') addresses.push(address);
  }
  return addresses;
}

function collect(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const child of node.children ?? []) collect(child, visit);
}
