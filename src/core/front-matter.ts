import { createRequire } from 'node:module';
import { shown, type Position } from './problem.ts';
import { readYamlMapping, type Result } from './yaml-mapping.ts';

export { readYamlMapping, type Result } from './yaml-mapping.ts';

/**
 * Splits a content file into its front matter and its body, and reads the front matter.
 *
 * gray-matter finds the front matter and hands it to Postgate's strict YAML engine
 * (yaml-mapping.ts). Around it, Postgate holds the file to the rules its messages promise and
 * the site's own reader (Astro's) agrees with, where gray-matter is more lenient:
 * - line 1 is exactly "---" (trailing blanks allowed). gray-matter would read the rest of that
 *   line as a language and pick an engine by that name; its default `javascript` engine runs the
 *   front matter with eval. So `---js`, `---yaml` and the like are refused before gray-matter
 *   sees the file, and the engines it is given refuse every language but YAML as well.
 * - the front matter ends at the first line starting with "---" (there gray-matter and Astro
 *   both cut), and that line must be exactly "---": `----` is a typo, not a fence, and would
 *   leave a stray "-" at the top of the published text.
 * - a front matter that is never closed is an error; gray-matter would read the whole file as YAML.
 * gray-matter is always given options, which keeps it from caching: called without, it shares
 * one result object per text between all its callers, mutable.
 */
export interface SplitFile {
  yaml: string;
  /** File line on which the YAML text starts (the line after the opening `---`). */
  yamlLine: number;
  body: string;
  /** File line on which the body starts. */
  bodyLine: number;
}

export interface FrontMatter extends SplitFile {
  /** The settings, as the strict YAML engine read them: a fresh object on every call. */
  data: Record<string, unknown>;
}

// Spaces may follow the fence, a tab may not: the site's MDX compiler takes no "---<tab>" for one.
const FENCE = /^--- *$/;

/** Text as people's editors save it: without a byte-order mark, with \n line ends. */
export function normalizeText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

/** Splits a normalised file (see normalizeText) and reads its front matter. */
export function readFrontMatter(text: string): Result<FrontMatter> {
  const cut = cutFrontMatter(text, READ);
  if (!cut.ok) return cut;
  const { split, parsed } = cut.value;
  const data = parsed as Result<Record<string, unknown>>;
  return data.ok ? { ok: true, value: { ...split, data: data.value } } : data;
}

/** Splits a normalised file (see normalizeText) without reading its YAML. */
export function splitFrontMatter(text: string): Result<SplitFile> {
  const cut = cutFrontMatter(text, SPLIT);
  return cut.ok ? { ok: true, value: cut.value.split } : cut;
}

type GrayMatter = typeof import('gray-matter');
let grayMatter: GrayMatter | undefined;
/** Loaded on first use: it brings js-yaml 3 and esprima along, which commands that read no content never need. */
function matter(): GrayMatter {
  if (!grayMatter) {
    // The package is CommonJS; an ES module bundle of it (src/cli/dependency-bundles.ts) arrives as a namespace.
    const loaded = createRequire(import.meta.url)('gray-matter') as GrayMatter | { default: GrayMatter };
    grayMatter = typeof loaded === 'function' ? loaded : loaded.default;
  }
  return grayMatter;
}

/** gray-matter's engine for a refused language: it throws without looking at the text. */
const refused = (language: string) => (): never => {
  throw new Error(`front matter in ${language} is not read: Postgate reads YAML front matter only`);
};
/** Every language gray-matter has an engine or an alias for, besides YAML. */
const NO_OTHER_LANGUAGE = {
  javascript: refused('JavaScript'),
  js: refused('JavaScript'),
  coffee: refused('CoffeeScript'),
  coffeescript: refused('CoffeeScript'),
  cson: refused('CSON'),
  json: refused('JSON'),
  toml: refused('TOML'),
};

/** The YAML text of gray-matter's front matter: it starts with the rest of line 1, blank (checked before). */
function yamlOf(block: string): string {
  const lineEnd = block.indexOf('\n');
  return lineEnd === -1 ? '' : block.slice(lineEnd + 1);
}

type Engine = (block: string) => object;
/** Postgate's strict YAML engine; the YAML starts on line 2, line 1 being the fence alone. */
const readEngine: Engine = (block) => readYamlMapping(yamlOf(block), 2);
const NOT_READ = Object.freeze({});
const notRead: Engine = () => NOT_READ;
const options = (yaml: Engine) =>
  // No custom delimiters, no excerpt, and options always (gray-matter caches calls without them).
  Object.freeze({ language: 'yaml', excerpt: false, engines: Object.freeze({ ...NO_OTHER_LANGUAGE, yaml }) });
const READ = { engine: readEngine, options: options(readEngine) };
const SPLIT = { engine: notRead, options: options(notRead) };
/** The gray-matter options Postgate reads front matter with (exported for the tests that attack them). */
export const GRAY_MATTER_OPTIONS = READ.options;

type GrayMatterFile = ReturnType<GrayMatter> & { isEmpty?: boolean };

/**
 * gray-matter looks every text up in its cache (even with options, when it then ignores what it
 * finds) and copies it into a Buffer: ~20 ns a character in a `check` of 10,000 files, the body
 * included. Its block and data depend only on the text up to the first "\n---", so it is given
 * the start of the file, four times longer each time the front matter does not close inside it
 * (a front matter over 1,024 characters is cut, and read, more than once).
 */
function grayMatterOf(text: string, opts: typeof READ.options): GrayMatterFile {
  for (let size = 1024; ; size *= 4) {
    const start = size < text.length ? text.slice(0, size) : text;
    const file = matter()(start, opts) as GrayMatterFile;
    if (start === text || file.matter.length < start.length - 3) return file;
  }
}

function cutFrontMatter(text: string, how: typeof READ): Result<{ split: SplitFile; parsed: object }> {
  const opening = openingProblem(text);
  if (opening) return { ok: false, ...opening };
  const file = grayMatterOf(text, how.options);
  // gray-matter's block is everything between "---" on line 1 and the next "\n---", or to the
  // end of the file when there is none.
  const closeAt = 3 + file.matter.length + 1;
  if (closeAt > text.length) {
    return {
      ok: false,
      at: { line: 1, col: 1 },
      message: 'the front matter opened with "---" on line 1 is never closed; add a line "---" after the last setting',
    };
  }
  if (!text.startsWith('\n---', closeAt - 1)) throw new Error('gray-matter cut the front matter where no "---" starts');
  const lineEnd = text.indexOf('\n', closeAt);
  const closing = lineEnd === -1 ? text.slice(closeAt) : text.slice(closeAt, lineEnd);
  const closeLine = lineOf(text, closeAt);
  if (!FENCE.test(closing)) {
    return {
      ok: false,
      at: { line: closeLine, col: 1 },
      message: `the front matter ends on line ${closeLine}, the first line that starts with "---", but that line is ${shown(closing)}: make it exactly "---" (to start a line of a setting's text with "---", indent it)`,
    };
  }
  // gray-matter leaves a block of blanks and comments unread; the engine decides about it too
  // (a line of no-break spaces, say, is a value, not nothing).
  const parsed = file.isEmpty ? how.engine(file.matter) : (file.data as object);
  return {
    ok: true,
    value: {
      split: {
        yaml: yamlOf(file.matter),
        yamlLine: 2,
        body: lineEnd === -1 ? '' : text.slice(lineEnd + 1),
        bodyLine: closeLine + 1,
      },
      parsed,
    },
  };
}

/** The 1-based line of a position in the text. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Why line 1 does not open the front matter, or null when it does. */
function openingProblem(text: string): { at: Position; message: string } | null {
  const lineEnd = text.indexOf('\n');
  const first = lineEnd === -1 ? text : text.slice(0, lineEnd);
  if (FENCE.test(first)) return null;
  // What gray-matter would take for a language: the rest of a line 1 that starts with "---" but not "----".
  const tag = /^---(?!-)(\s*)(\S.*?)\s*$/.exec(first);
  if (tag && /^[a-z][\w.+-]*$/i.test(tag[2]!)) {
    const at = { line: 1, col: 4 + tag[1]!.length };
    const name = tag[2]!;
    return /^ya?ml$/i.test(name)
      ? {
          at,
          message: `line 1 names the front matter's language (${shown(first)}); Postgate reads front matter as YAML without it, and the site's build does not accept it: make line 1 exactly "---"`,
        }
      : {
          at,
          message: `line 1 marks the front matter as ${shown(name)}; Postgate reads front matter only as YAML and never runs code from a file: make line 1 exactly "---" and write the settings below it as YAML (publishAt: ...)`,
        };
  }
  // Blank lines before the fence are easy to miss in an editor: say where the fence was found.
  const lines = text.split('\n');
  const late = lines.findIndex((line) => FENCE.test(line));
  if (late > 0 && lines.slice(0, late).every((line) => line.trim() === '')) {
    return {
      at: { line: 1, col: 1 },
      message: `expected front matter on line 1: the file must start with a line "---", found it on line ${late + 1} after blank lines; remove them`,
    };
  }
  return {
    at: { line: 1, col: 1 },
    message:
      'expected front matter: the file must start with a line "---", then its settings (publishAt: ...), then another "---"',
  };
}
