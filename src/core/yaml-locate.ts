import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Position } from './problem.ts';

/**
 * Finds where a key or value sits in YAML text, so that a message can point at it.
 * Only used once something is wrong: it builds a full syntax tree, which is ten times slower
 * than reading the values.
 */
export type PathSegment = string | number;

export function locateInYaml(text: string, path: readonly PathSegment[], firstLine: number, want: 'key' | 'value' = 'value'): Position {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, schema: 'core', uniqueKeys: false });
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
