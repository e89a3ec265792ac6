import yaml from 'js-yaml';
import type { Position } from './problem.ts';

/**
 * Postgate's strict YAML engine, for front matter (through gray-matter, see front-matter.ts) and
 * for postgate.config.yaml. YAML is read with the core schema: dates stay strings (see
 * publish-time.ts) and nothing beyond JSON's types (no binary, no merge keys, no custom tags) is
 * accepted. Errors point at the cause, in file lines (`firstLine` is the file line of the text's
 * first line).
 */
export type Result<T> = { ok: true; value: T } | { ok: false; at: Position; message: string };

export function readYamlMapping(text: string, firstLine: number): Result<Record<string, unknown>> {
  let data: unknown;
  try {
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA, json: false });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    const line = (error.mark?.line ?? 0) + firstLine;
    const col = (error.mark?.column ?? 0) + 1;
    const better = betterSyntaxError(text, error.reason);
    if (better)
      return {
        ok: false,
        at: { line: better.line + firstLine, col: better.col + 1 },
        message: `the front matter is not valid YAML: ${better.message}`,
      };
    return {
      ok: false,
      at: { line, col },
      message: `the front matter is not valid YAML: ${error.reason}${yamlHint(text, error.mark?.line, error.reason)}`,
    };
  }
  if (expandedSize(data, new Map()) > MAX_EXPANDED_NODES) {
    const alias = findToken(text, /(?:^|[\s[{,:])(\*[^\s,\]}]+)/);
    return {
      ok: false,
      at: alias ? { line: alias.line + firstLine, col: alias.col + 1 } : { line: firstLine, col: 1 },
      message: `the front matter's aliases (*name) expand to more than ${MAX_EXPANDED_NODES} values; write the settings out instead of repeating them through aliases`,
    };
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

/**
 * Aliases let a few lines of YAML stand for millions of values (a "billion laughs"); front matter
 * never needs that many, and checking or quoting such a value would hang the run.
 */
const MAX_EXPANDED_NODES = 10_000;

function expandedSize(value: unknown, seen: Map<object, number>): number {
  if (value === null || typeof value !== 'object') return 1;
  const known = seen.get(value);
  if (known !== undefined) return known;
  seen.set(value, 1); // js-yaml builds no cycles, but never loop if one appears
  let size = 1;
  for (const child of Object.values(value)) {
    size += expandedSize(child, seen);
    if (size > MAX_EXPANDED_NODES) break;
  }
  seen.set(value, size);
  return size;
}

/** Zero-based line and column of the first match's first group (or the whole match). */
function findToken(text: string, pattern: RegExp): { line: number; col: number } | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = pattern.exec(lines[i]!);
    if (m) return { line: i, col: m.index + m[0].length - (m[1] ?? m[0]).length };
  }
  return null;
}

/**
 * Some of js-yaml's errors point where the parser gave up (the end of the front matter, the end of
 * a line) rather than at the cause; find the cause and say what it is.
 */
function betterSyntaxError(text: string, reason: string): { line: number; col: number; message: string } | null {
  const lines = text.split('\n');
  if (/end of the stream within a flow collection/.test(reason)) {
    const open = unclosedBracket(lines);
    if (open)
      return {
        ...open,
        message: `${reason} (the "${open.char}" here is never closed; add "${open.char === '[' ? ']' : '}'}")`,
      };
  }
  const quote = /end of the stream within a (double|single) quoted scalar/.exec(reason);
  if (quote) {
    const char = quote[1] === 'double' ? '"' : "'";
    const open = lines
      .map((l, i) => ({ line: i, col: l.lastIndexOf(char), count: l.split(char).length - 1 }))
      .find((l) => l.count % 2 === 1);
    if (open) return { line: open.line, col: open.col, message: `${reason} (the ${char} here is never closed)` };
  }
  const alias = /^unidentified alias "(.*)"$/.exec(reason);
  if (alias) {
    const at = findToken(text, new RegExp(`(?:^|[\\s[{,:])(\\*${alias[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`));
    if (at)
      return {
        ...at,
        message: `${reason}: a value starting with "*" refers to an anchor (&name) that this front matter does not define; put the value in quotes if you meant the text`,
      };
  }
  if (reason.startsWith('unknown tag')) {
    const at = findToken(text, /(?:^|:\s+|-\s+|[[{,]\s*)(!\S*)/);
    if (at) {
      const tag = /!\S*/.exec(lines[at.line]!.slice(at.col))![0];
      return {
        ...at,
        message: `unknown tag ${tag}: Postgate reads plain YAML values (text, numbers, true/false, lists, mappings); remove the tag`,
      };
    }
  }
  return null;
}

/** The first "[" or "{" that no bracket closes, outside quotes and comments. */
function unclosedBracket(lines: readonly string[]): { line: number; col: number; char: string } | null {
  const stack: { line: number; col: number; char: string }[] = [];
  lines.forEach((text, line) => {
    let quote: string | null = null;
    for (let col = 0; col < text.length; col++) {
      const ch = text[col]!;
      if (quote) {
        if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '#' && (col === 0 || /\s/.test(text[col - 1]!))) break;
      else if (ch === '[' || ch === '{') stack.push({ line, col, char: ch });
      else if (ch === ']' || ch === '}') stack.pop();
    }
  });
  return stack[0] ?? null;
}

/** The mistakes people make most with YAML, explained. */
function yamlHint(text: string, zeroBasedLine: number | undefined, reason: string): string {
  const line = zeroBasedLine === undefined ? '' : (text.split('\n')[zeroBasedLine] ?? '');
  const previous = zeroBasedLine ? (text.split('\n')[zeroBasedLine - 1] ?? '') : '';
  const duplicate = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^\s:#][^:#]*?)\s*:(?:\s|$)/.exec(line);
  if (reason === 'duplicated mapping key' && duplicate)
    return ` (${JSON.stringify(duplicate[1]!.replace(/^(["'])(.*)\1$/, '$2'))} is set twice; keep one)`;
  if (/^\t|\n\t/.test(`${previous}\n${line}`)) return ' (YAML does not allow tabs for indentation; use spaces)';
  for (const candidate of [line, previous]) {
    if (/^\s*[\w-]+:\s+[^'"\s[{][^#]*:\s/.test(candidate)) return ' (a value that contains ": " must be put in quotes)';
  }
  if (reason === 'bad indentation of a mapping entry')
    return ' (indent this line with spaces exactly like the setting above it)';
  return '';
}
