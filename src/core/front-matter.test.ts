import matter from 'gray-matter';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GRAY_MATTER_OPTIONS,
  normalizeText,
  readFrontMatter,
  readYamlMapping,
  splitFrontMatter,
} from './front-matter.ts';

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
    expect(splitFrontMatter('---  \n---  \nbody')).toEqual({
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

describe('readFrontMatter', () => {
  it('splits and reads in one step, as splitFrontMatter and readYamlMapping do', () => {
    const text = '---\npublishAt: 2026-12-01T09:30\nchannels: [x]\n---\nHello\n';
    expect(readFrontMatter(text)).toEqual({
      ok: true,
      value: {
        yaml: 'publishAt: 2026-12-01T09:30\nchannels: [x]',
        yamlLine: 2,
        body: 'Hello\n',
        bodyLine: 5,
        data: { publishAt: '2026-12-01T09:30', channels: ['x'] },
      },
    });
  });
  it('reports YAML problems at their line and column in the file', () => {
    expect(readFrontMatter('---\ndraft: true\ntitle: Launch\n  author: Ann\n---\nBody')).toMatchObject({
      ok: false,
      at: { line: 4, col: 9 },
      message: expect.stringMatching(/^the front matter is not valid YAML: /),
    });
    expect(readFrontMatter('---  \na: 1\na: 2\n---\n')).toMatchObject({ ok: false, at: { line: 3, col: 1 } });
  });
  it('keeps dates as the text written, through gray-matter', () => {
    const r = readFrontMatter('---\nwhen: 2030-02-30\nat: 2026-12-01T09:30:00\n---\n');
    expect(r.ok && r.value.data).toEqual({ when: '2030-02-30', at: '2026-12-01T09:30:00' });
  });
  it('starts the body after a closing fence with trailing blanks, not with the blanks', () => {
    // gray-matter alone would leave "  " at the top of the body.
    expect(readFrontMatter('---\na: 1\n---  \n   \nText')).toMatchObject({
      ok: true,
      value: { body: '   \nText', bodyLine: 4 },
    });
    expect(readFrontMatter('---\na: 1\n---  ')).toMatchObject({ ok: true, value: { body: '', bodyLine: 4 } });
  });
  it('reads a front matter of comments and blanks as no settings, and no-break spaces as a value', () => {
    expect(readFrontMatter('---\n# only a note\n\n---\nBody')).toMatchObject({ ok: true, value: { data: {} } });
    expect(readFrontMatter('---\n---\nBody')).toMatchObject({ ok: true, value: { data: {}, body: 'Body' } });
    // gray-matter trims U+00A0 away and would call this empty; YAML reads it as a lone value.
    expect(readFrontMatter('---\n\u00a0\n---\nBody')).toMatchObject({
      ok: false,
      at: { line: 2, col: 1 },
      message: expect.stringContaining('received a single value'),
    });
  });
  it('reports front matter that is never closed (gray-matter would take the whole file for settings)', () => {
    for (const text of ['---', '---\n', '---\na: 1\nHello']) {
      expect(readFrontMatter(text), JSON.stringify(text)).toEqual({
        ok: false,
        at: { line: 1, col: 1 },
        message: expect.stringContaining('is never closed'),
      });
    }
  });
  it('refuses a closing line that starts with "---" but is not exactly "---", pointing at it', () => {
    // gray-matter (and the site's reader) end the front matter there: "----" would leave "-" in the body.
    for (const [text, line] of [
      ['---\na: 1\n----\nbody', 3],
      ['---\na: 1\n--- # end\none\n---\ntwo', 3],
      ['---\ntitle: "one\n---two"\n---\nbody', 3],
      ['---\n\n\na: 1\n---x', 5],
    ] as const) {
      const r = readFrontMatter(text);
      expect(r, text).toMatchObject({ ok: false, at: { line, col: 1 } });
      expect(!r.ok && r.message).toContain(
        `the front matter ends on line ${line}, the first line that starts with "---"`,
      );
      expect(!r.ok && r.message).toContain('make it exactly "---"');
      expect(splitFrontMatter(text)).toEqual(r);
    }
    // Indented, such a line is part of a setting's text.
    expect(readFrontMatter('---\ntitle: "one\n  ---two"\n---\nbody')).toMatchObject({
      ok: true,
      value: { data: { title: 'one ---two' } },
    });
  });
  it('finds the end of a long front matter wherever it falls, and reads it whole', () => {
    // The closing "\n---" at every offset around 1,024 and 4,096 characters, and far beyond.
    const ends = [...Array.from({ length: 12 }, (_, i) => 1016 + i), 4090, 4093, 4096, 70_000];
    for (const end of ends) {
      const value = 'x'.repeat(end - '---\nnote: '.length);
      const text = `---\nnote: ${value}\n---\nBody\n----\nmore`;
      expect(text.indexOf('\n---', 3)).toBe(end);
      const r = readFrontMatter(text);
      expect(r, String(end)).toEqual({
        ok: true,
        value: { yaml: `note: ${value}`, yamlLine: 2, body: 'Body\n----\nmore', bodyLine: 4, data: { note: value } },
      });
      expect(readFrontMatter(`---\nnote: ${value}\nBody`), String(end)).toMatchObject({
        ok: false,
        message: expect.stringContaining('is never closed'),
      });
    }
  });
  it('gives the same messages as before for a missing or late opening fence', () => {
    expect(readFrontMatter('\n\n---\na: 1\n---\n')).toEqual({
      ok: false,
      at: { line: 1, col: 1 },
      message: expect.stringContaining('found it on line 3 after blank lines'),
    });
    for (const text of ['', 'a: 1', '----\na: 1\n----', '+++\na = 1\n+++\nbody', '--- title: Hi\n---\n']) {
      expect(readFrontMatter(text), text).toEqual({
        ok: false,
        at: { line: 1, col: 1 },
        message: expect.stringContaining('the file must start with a line "---", then its settings'),
      });
    }
  });
});

describe('front matter attacks (gray-matter used naively would fall for each)', () => {
  const PWN = "---js\n({ publishAt: (globalThis.__pwned = 1, '2026-12-01') })\n---\nHello";
  const g = globalThis as { __pwned?: number; __naive?: number };
  afterEach(() => {
    delete g.__pwned;
    delete g.__naive;
    // Not in gray-matter's types; empties the cache the naive calls below fill.
    (matter as unknown as { clearCache(): void }).clearCache();
  });

  it('gray-matter on its own runs JavaScript front matter (what the tests below guard against)', () => {
    expect(matter(PWN.replace('__pwned', '__naive'), { language: 'yaml' }).data).toEqual({ publishAt: '2026-12-01' });
    expect(g.__naive).toBe(1);
  });
  it('refuses ---js front matter at line 1 and never runs it', () => {
    for (const read of [readFrontMatter, splitFrontMatter]) {
      const r = read(PWN);
      expect(r).toEqual({
        ok: false,
        at: { line: 1, col: 4 },
        message: expect.stringMatching(/^line 1 marks the front matter as "js"; .*never runs code/),
      });
      expect(g.__pwned).toBeUndefined();
    }
  });
  it('refuses every other language named on line 1, with or without a space, in any case', () => {
    const body = '\n(globalThis.__pwned = 1, { draft: true })\n---\nHello';
    for (const [first, col] of [
      ['---javascript', 4],
      ['--- js', 5],
      ['---  JS', 6],
      ['---coffee', 4],
      ['---json', 4],
      ['---toml', 4],
      ['---constructor', 4],
    ] as const) {
      const r = readFrontMatter(first + body);
      expect(r, first).toMatchObject({ ok: false, at: { line: 1, col } });
      expect(!r.ok && r.message).toContain(`marks the front matter as "${first.slice(3).trim()}"`);
    }
    expect(g.__pwned).toBeUndefined();
  });
  it('refuses ---yaml too: the site cannot read it, so line 1 must be exactly "---"', () => {
    for (const first of ['---yaml', '---yml', '--- YAML']) {
      const text = `${first}\npublishAt: 2026-12-01T09:30\n---\nHello`;
      expect(matter(text, { language: 'yaml' }).data, 'gray-matter accepts it').toEqual({
        publishAt: expect.anything(),
      });
      const r = readFrontMatter(text);
      expect(r, first).toMatchObject({ ok: false, at: { line: 1 } });
      expect(!r.ok && r.message).toContain(`line 1 names the front matter's language ("${first}")`);
      expect(!r.ok && r.message).toContain('make line 1 exactly "---"');
    }
  });
  it('gives gray-matter engines that refuse every language but YAML, should a language tag ever reach it', () => {
    for (const first of ['---js', '---javascript', '---coffee', '---cson', '---json', '---toml']) {
      expect(() => matter(PWN.replace('---js', first), GRAY_MATTER_OPTIONS), first).toThrow(
        /front matter in \w+ is not read/,
      );
    }
    expect(g.__pwned).toBeUndefined();
  });
  it("is not affected by mutation of an earlier result for the same text, or by gray-matter's shared cache", () => {
    const text = '---\nchannels: [x]\nx: { text: Hi }\n---\nHello';
    // A naive caller elsewhere in the process: gray-matter caches by text and shares the result.
    const naive = matter(text);
    (naive.data.channels as string[]).push('mastodon');
    expect(matter(text).data.channels, 'gray-matter shares its cached result').toEqual(['x', 'mastodon']);

    const first = readFrontMatter(text);
    if (!first.ok) throw new Error(first.message);
    (first.value.data.channels as string[]).push('bluesky');
    (first.value.data.x as { text: string }).text = 'changed';
    first.value.data.draft = true;
    expect(readFrontMatter(text)).toMatchObject({
      ok: true,
      value: { data: { channels: ['x'], x: { text: 'Hi' } }, body: 'Hello' },
    });
    const second = readFrontMatter(text);
    expect(second.ok && second.value.data).not.toHaveProperty('draft');
  });
  it('keeps excerpts off: an excerpt_separator setting is only a setting, and the body is whole', () => {
    const r = readFrontMatter('---\nexcerpt_separator: <!-- more -->\ntitle: T\n---\nIntro\n<!-- more -->\nRest\n');
    expect(r).toMatchObject({
      ok: true,
      value: { data: { excerpt_separator: '<!-- more -->', title: 'T' }, body: 'Intro\n<!-- more -->\nRest\n' },
    });
  });
});
