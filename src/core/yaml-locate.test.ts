import { describe, expect, it } from 'vitest';
import { locateInYaml } from './yaml-locate.ts';

// As it sits in a file whose front matter starts on line 2 (after the opening ---).
const YAML = [
  'publishAt: 2026-12-01T09:30', // line 2
  'channels: [x, mastodon]', //     line 3
  'images:', //                     line 4
  '  - src: ./a.png', //            line 5
  '    alt: First', //              line 6
  '  - src: ./b.png', //            line 7
  '    alt: Second', //             line 8
  'x:', //                          line 9
  '  text: Hello X', //             line 10
].join('\n');

const at = (path: (string | number)[], want: 'key' | 'value' = 'value', firstLine = 2) =>
  locateInYaml(YAML, path, firstLine, want);

describe('locateInYaml', () => {
  it('points at a top-level value or its key', () => {
    expect(at(['publishAt'])).toEqual({ line: 2, col: 12 });
    expect(at(['publishAt'], 'key')).toEqual({ line: 2, col: 1 });
  });
  it('points at an item of a flow list', () => {
    expect(at(['channels', 0])).toEqual({ line: 3, col: 12 });
    expect(at(['channels', 1])).toEqual({ line: 3, col: 15 });
  });
  it('points into block lists of mappings', () => {
    expect(at(['images', 1, 'src'])).toEqual({ line: 7, col: 10 });
    expect(at(['images', 1, 'alt'], 'key')).toEqual({ line: 8, col: 5 });
    expect(at(['images', 0])).toEqual({ line: 5, col: 5 });
  });
  it('points at nested values and their keys', () => {
    expect(at(['x', 'text'])).toEqual({ line: 10, col: 9 });
    expect(at(['x', 'text'], 'key')).toEqual({ line: 10, col: 3 });
    expect(at(['x'], 'key')).toEqual({ line: 9, col: 1 });
  });
  it('adds the line on which the YAML starts in the file', () => {
    expect(at(['x', 'text'], 'value', 1)).toEqual({ line: 9, col: 9 });
    expect(at(['x', 'text'], 'value', 12)).toEqual({ line: 20, col: 9 });
  });
  it('falls back to the nearest place it found when the path goes further than the YAML', () => {
    expect(at(['missing'])).toEqual({ line: 2, col: 1 });
    expect(at(['images', 5, 'src'])).toEqual({ line: 5, col: 3 });
    expect(at(['images', 0, 'nope'])).toEqual({ line: 5, col: 5 });
    expect(at(['publishAt', 'deeper'])).toEqual({ line: 2, col: 12 });
  });
  it('finds keys written as numbers or quoted, and the first of duplicated keys', () => {
    expect(locateInYaml('"draft": true\n1: one', [1], 5)).toEqual({ line: 6, col: 4 });
    expect(locateInYaml('"draft": true', ['draft'], 5, 'key')).toEqual({ line: 5, col: 1 });
    expect(locateInYaml('a: 1\na: 2', ['a'], 1)).toEqual({ line: 1, col: 4 });
  });
  it('copes with empty YAML', () => {
    expect(locateInYaml('', ['publishAt'], 2)).toEqual({ line: 2, col: 1 });
  });
});
