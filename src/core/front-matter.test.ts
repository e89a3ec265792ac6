import { describe, expect, it } from 'vitest';
import { normalizeText, readYamlMapping, splitFrontMatter } from './front-matter.ts';

describe('normalizeText', () => {
  it('drops a byte-order mark and turns CRLF and CR into LF', () => {
    expect(normalizeText('\uFEFF---\r\na: 1\r\n---\rbody')).toBe('---\na: 1\n---\nbody');
    expect(normalizeText('keep \uFEFF inside')).toBe('keep \uFEFF inside');
  });
});

describe('splitFrontMatter', () => {
  it('splits YAML from body and says on which lines each starts', () => {
    const r = splitFrontMatter('---\npublishAt: 2026-12-01T09:30\nchannels: [x]\n---\nHello\nworld\n');
    expect(r).toEqual({
      ok: true,
      value: { yaml: 'publishAt: 2026-12-01T09:30\nchannels: [x]', yamlLine: 2, body: 'Hello\nworld\n', bodyLine: 5 },
    });
  });
  it('accepts fences with trailing spaces and an empty front matter', () => {
    expect(splitFrontMatter('---  \n---\t\nbody')).toEqual({
      ok: true,
      value: { yaml: '', yamlLine: 2, body: 'body', bodyLine: 3 },
    });
  });
  it('splits at the first closing fence, leaving later --- lines in the body', () => {
    const r = splitFrontMatter('---\na: 1\n---\none\n---\ntwo');
    expect(r.ok && r.value.body).toBe('one\n---\ntwo');
  });
  it('works on a normalised CRLF file with a BOM', () => {
    const r = splitFrontMatter(normalizeText('\uFEFF---\r\ndraft: true\r\n---\r\nText\r\n'));
    expect(r).toMatchObject({ ok: true, value: { yaml: 'draft: true', body: 'Text\n', bodyLine: 4 } });
  });
  it('reports a missing opening fence at 1:1, explaining the format', () => {
    for (const text of ['publishAt: 2026-12-01\n---\nbody', '', ' ---\na: 1\n---', '----\na: 1\n----']) {
      const r = splitFrontMatter(text);
      expect(r.ok, JSON.stringify(text)).toBe(false);
      expect(!r.ok && r.at).toEqual({ line: 1, col: 1 });
      expect(!r.ok && r.message).toContain('the file must start with a line "---"');
    }
  });
  it('reports front matter that is never closed', () => {
    const r = splitFrontMatter('---\npublishAt: 2026-12-01\nHello');
    expect(r).toEqual({ ok: false, at: { line: 1, col: 1 }, message: expect.stringContaining('is never closed') });
  });
});

describe('readYamlMapping', () => {
  const read = (yaml: string, firstLine = 2) => readYamlMapping(yaml, firstLine);

  it('reads settings, keeping dates and times as the strings written', () => {
    expect(read('publishAt: 2026-12-01T09:30\nwhen: 2030-02-30\nday: 2026-12-01\nn: 3\ndraft: true\nempty: ~')).toEqual(
      {
        ok: true,
        value: { publishAt: '2026-12-01T09:30', when: '2030-02-30', day: '2026-12-01', n: 3, draft: true, empty: null },
      },
    );
  });
  it('keeps YAML 1.1 words such as yes and no as text', () => {
    expect(read('a: yes\nb: no\nc: on')).toEqual({ ok: true, value: { a: 'yes', b: 'no', c: 'on' } });
  });
  it('reads an empty or comment-only front matter as no settings', () => {
    expect(read('')).toEqual({ ok: true, value: {} });
    expect(read('# just a comment')).toEqual({ ok: true, value: {} });
  });
  it('refuses a list or a lone value instead of settings', () => {
    expect(read('- a\n- b', 7)).toEqual({
      ok: false,
      at: { line: 7, col: 1 },
      message: expect.stringContaining('received a list'),
    });
    expect(read('just text')).toMatchObject({ ok: false, message: expect.stringContaining('received a single value') });
  });
  it('reports a syntax error at its line in the file and its column', () => {
    const r = read('draft: true\ntitle: Launch\n  author: Ann', 2);
    expect(r).toMatchObject({ ok: false, at: { line: 4, col: 9 } });
    expect(!r.ok && r.message).toMatch(/^the front matter is not valid YAML: /);
  });
  it('reports a duplicated key', () => {
    expect(read('a: 1\na: 2')).toMatchObject({
      ok: false,
      at: { line: 3, col: 1 },
      message: expect.stringContaining('duplicated mapping key'),
    });
  });
  it('explains that tabs cannot indent', () => {
    const r = read('cover:\n\tsrc: ./a.png', 2);
    expect(r).toMatchObject({ ok: false, at: { line: 3, col: 1 } });
    expect(!r.ok && r.message).toContain('(YAML does not allow tabs for indentation; use spaces)');
  });
  it('explains that a value containing ": " must be quoted', () => {
    const r = read('draft: true\ntitle: Launch: the sequel', 2);
    expect(r).toMatchObject({ ok: false, at: { line: 3, col: 14 } });
    expect(!r.ok && r.message).toContain('(a value that contains ": " must be put in quotes)');
    expect(read('title: "Launch: the sequel"')).toEqual({ ok: true, value: { title: 'Launch: the sequel' } });
  });
  it('gives no hint when neither mistake is the cause', () => {
    const r = read('a: [1, 2\nb: 3');
    expect(!r.ok && r.message).not.toContain('(');
  });
  it('accepts nothing beyond JSON types: custom tags are errors', () => {
    expect(read('x: !!binary aGVsbG8=')).toMatchObject({ ok: false, message: expect.stringContaining('unknown tag') });
    expect(read('x: !!timestamp 2026-12-01')).toMatchObject({ ok: false });
  });
});
