import type { Result } from './yaml-mapping.ts';

export { readYamlMapping, type Result } from './yaml-mapping.ts';

/**
 * Splits a content file into its YAML front matter and its body; yaml-mapping.ts reads the YAML.
 */
export interface SplitFile {
  yaml: string;
  /** File line on which the YAML text starts (the line after the opening `---`). */
  yamlLine: number;
  body: string;
  /** File line on which the body starts. */
  bodyLine: number;
}

const FENCE = /^---[ \t]*$/;

/** Text as people's editors save it: without a byte-order mark, with \n line ends. */
export function normalizeText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

export function splitFrontMatter(text: string): Result<SplitFile> {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) {
    // Blank lines before the fence are easy to miss in an editor: say where the fence was found.
    const late = lines.findIndex((line) => FENCE.test(line));
    if (late > 0 && lines.slice(0, late).every((line) => line.trim() === '')) {
      return {
        ok: false,
        at: { line: 1, col: 1 },
        message: `expected front matter on line 1: the file must start with a line "---", found it on line ${late + 1} after blank lines; remove them`,
      };
    }
    return {
      ok: false,
      at: { line: 1, col: 1 },
      message:
        'expected front matter: the file must start with a line "---", then its settings (publishAt: ...), then another "---"',
    };
  }
  for (let i = 1; i < lines.length; i++) {
    if (FENCE.test(lines[i]!)) {
      return {
        ok: true,
        value: {
          yaml: lines.slice(1, i).join('\n'),
          yamlLine: 2,
          body: lines.slice(i + 1).join('\n'),
          bodyLine: i + 2,
        },
      };
    }
  }
  return {
    ok: false,
    at: { line: 1, col: 1 },
    message: 'the front matter opened with "---" on line 1 is never closed; add a line "---" after the last setting',
  };
}
