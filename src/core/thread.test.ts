import { describe, expect, it } from 'vitest';
import { splitThread } from './thread.ts';

describe('splitThread', () => {
  it('keeps a body without separators as one part, trimmed', () => {
    expect(splitThread('\nHello world.\n\n', 6)).toEqual([{ text: 'Hello world.', at: { line: 7, col: 1 } }]);
  });
  it('splits on lines holding only ---, with each part located at its first text line', () => {
    const body = 'First part\nstill first\n\n---\n\nSecond part\n---   \nThird';
    const parts = splitThread(body, 5);
    expect(parts.map((p) => p.text)).toEqual(['First part\nstill first', 'Second part', 'Third']);
    expect(parts.map((p) => p.at.line)).toEqual([5, 10, 12]);
  });
  it('does not split on dashes that share the line with text or are more than three', () => {
    const parts = splitThread('a --- b\n----\n --- \nc', 1);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.text).toBe('a --- b\n----\n --- \nc');
  });
  it('keeps empty parts, located at the separator that closes them, so they can be reported', () => {
    const parts = splitThread('One\n---\n---\nThree\n---\n', 10);
    expect(parts.map((p) => p.text)).toEqual(['One', '', 'Three', '']);
    expect(parts[1]!.at.line).toBe(12);
    expect(parts[3]!.at.line).toBe(15);
  });
  it('returns one empty part for an empty body', () => {
    expect(splitThread('', 3)).toEqual([{ text: '', at: { line: 3, col: 1 } }]);
  });
});
