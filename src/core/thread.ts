import type { Position } from './problem.ts';

/**
 * A social draft's body is one post, or a thread: parts separated by a line holding only `---`.
 */
export interface Part {
  text: string;
  /** Where the part starts in the file, for messages. */
  at: Position;
}

const SEPARATOR = /^---[ \t]*$/;

/** Splits a body into parts; empty parts are kept (with their position) so they can be reported. */
export function splitThread(body: string, firstLine: number): Part[] {
  const parts: Part[] = [];
  let lines: string[] = [];
  let start = firstLine;
  const flush = (separatorLine: number) => {
    const skipped = lines.findIndex((l) => l.trim() !== '');
    const line = skipped === -1 ? separatorLine : start + skipped;
    parts.push({ text: lines.join('\n').trim(), at: { line, col: 1 } });
  };
  body.split('\n').forEach((line, i) => {
    if (SEPARATOR.test(line)) {
      flush(firstLine + i);
      lines = [];
      start = firstLine + i + 1;
    } else {
      lines.push(line);
    }
  });
  flush(firstLine + body.split('\n').length - 1);
  return parts;
}
