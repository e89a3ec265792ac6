import { createRequire } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';
import type { Position } from './problem.ts';

/**
 * Finds where a key or value sits in YAML text, so that a message can point at it.
 * Only used once something is wrong: it builds a full syntax tree, which is ten times slower
 * than reading the values.
 */
export type PathSegment = string | number;

/**
 * The position is worked out when `line` or `col` is first read, which is only when a problem is
 * reported: items keep positions for every image and override, and valid files never pay for them.
 */
export function locateInYaml(
  text: string,
  path: readonly PathSegment[],
  firstLine: number,
  want: 'key' | 'value' = 'value',
): Position {
  let found: Position | undefined;
  const resolve = () => (found ??= findInYaml(text, path, firstLine, want));
  return {
    get line() {
      return resolve().line;
    },
    get col() {
      return resolve().col;
    },
  };
}

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
/** Loaded on first use: most runs find nothing wrong and never need it. */
function yamlLib(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}

/** The last text parsed: one file's problems are located one after another. */
let lastParsed: { text: string; doc: Document.Parsed; lines: LineCounter } | undefined;

function parsed(text: string) {
  if (lastParsed?.text !== text) {
    const { LineCounter, parseDocument } = yamlLib();
    const lines = new LineCounter();
    lastParsed = { text, doc: parseDocument(text, { lineCounter: lines, schema: 'core', uniqueKeys: false }), lines };
  }
  return lastParsed;
}

function findInYaml(text: string, path: readonly PathSegment[], firstLine: number, want: 'key' | 'value'): Position {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  const { doc, lines } = parsed(text);
  const at = (offset: number): Position => {
    const pos = lines.linePos(offset);
    return { line: pos.line + firstLine - 1, col: pos.col };
  };
  let node: unknown = doc.contents;
  let best: Position = { line: firstLine, col: 1 };
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return best;
      const keyNode = pair.key as Node;
      if (keyNode.range) best = at(keyNode.range[0]);
      if (last && want === 'key') return best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return best;
    }
    const range = (node as Node | null)?.range;
    if (range) best = at(range[0]);
  }
  return best;
}
