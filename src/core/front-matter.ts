import yaml from 'js-yaml';
import type { Position } from './problem.ts';

/**
 * Splits a content file into its YAML front matter and its body, and reads the YAML.
 * YAML is read with the core schema: dates stay strings (see publish-time.ts) and nothing
 * beyond JSON's types (no binary, no merge keys, no custom tags) is accepted.
 */
export interface SplitFile {
  yaml: string;
  /** File line on which the YAML text starts (the line after the opening `---`). */
  yamlLine: number;
  body: string;
  /** File line on which the body starts. */
  bodyLine: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; at: Position; message: string };

const FENCE = /^---[ \t]*$/;

/** Text as people's editors save it: without a byte-order mark, with \n line ends. */
export function normalizeText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

export function splitFrontMatter(text: string): Result<SplitFile> {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) {
    return {
      ok: false,
      at: { line: 1, col: 1 },
      message: 'expected front matter: the file must start with a line "---", then its settings (publishAt: ...), then another "---"',
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

export function readYamlMapping(text: string, firstLine: number): Result<Record<string, unknown>> {
  let data: unknown;
  try {
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA, json: false });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    const line = (error.mark?.line ?? 0) + firstLine;
    const col = (error.mark?.column ?? 0) + 1;
    return { ok: false, at: { line, col }, message: `the front matter is not valid YAML: ${error.reason}${yamlHint(text, error.mark?.line)}` };
  }
  if (data === undefined || data === null) return { ok: true, value: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      at: { line: firstLine, col: 1 },
      message: `expected the front matter to be settings of the form "key: value", received ${Array.isArray(data) ? 'a list' : 'a single value'}`,
    };
  }
  return { ok: true, value: data as Record<string, unknown> };
}

/** The mistakes people make most with YAML, explained. */
function yamlHint(text: string, zeroBasedLine: number | undefined): string {
  const line = zeroBasedLine === undefined ? '' : (text.split('\n')[zeroBasedLine] ?? '');
  const previous = zeroBasedLine ? (text.split('\n')[zeroBasedLine - 1] ?? '') : '';
  if (/^\t|\n\t/.test(`${previous}\n${line}`)) return ' (YAML does not allow tabs for indentation; use spaces)';
  for (const candidate of [line, previous]) {
    if (/^\s*[\w-]+:\s+[^'"\s][^#]*:\s/.test(candidate)) return ' (a value that contains ": " must be put in quotes)';
  }
  return '';
}
