import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliResult } from './helpers/cli.ts';

/**
 * The bad-input corpus: tests/corpus is a small repository whose content files are each broken in
 * one way, named for it, beside a few valid neighbours (valid-*). tests/corpus/expected.json lists
 * every problem `check` must report, located, and nothing else may be reported: a new message, a
 * moved position or a file that stops failing all show up here.
 *
 * Files too big to commit (a social draft over 64 KB, a post over 1 MB, an image over Bluesky's
 * 1,000,000 bytes), symbolic links out of the repository or to nowhere, and a folder named like a
 * draft are written into the scratch copy.
 */
interface Expected {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning';
  /** A distinctive part of the message. */
  message: string;
  /** How the test makes the file, for the cases that are not committed. */
  generated?: string;
}

interface Problem {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning';
  message: string;
}

const CORPUS = join(REPO_ROOT, 'tests/corpus');
const expected: Expected[] = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8'));
const NOW = '2026-11-30T12:00:00Z';
const WHEN = 'publishAt: 2026-12-01T09:30';
const STACK_TRACE =
  /^\s+at .+(:\d+:\d+\)?|\(native\))$|\b(TypeError|RangeError|ReferenceError|SyntaxError|Error):|node:internal/m;

/** Writes the generated cases; each must be listed in expected.json with `generated`. */
function addGeneratedCases(dir: string, outside: string): void {
  const png = readFileSync(join(CORPUS, 'content/social/fixtures/ok.png'));
  const social = (name: string, text: string) => writeFileSync(join(dir, 'content/social', name), text);
  social(
    'generated-oversized.md',
    `---\n${WHEN}\nchannels: [mastodon]\n---\n${'All work and no play. '.repeat(3300)}\n`,
  );
  writeFileSync(
    join(dir, 'content/posts/generated-oversized.mdx'),
    `---\ntitle: A very long post\ndescription: Over the limit\n${WHEN}\n---\n\n${'All work and no play. '.repeat(48_000)}\n`,
  );
  // A real PNG header, padded to one byte over Bluesky's limit: the type is sniffed, the size counted.
  const big = Buffer.alloc(1_000_001);
  png.copy(big);
  writeFileSync(join(dir, 'content/social/fixtures/generated-big.png'), big);
  social(
    'generated-image-over-bluesky-limit.md',
    `---\n${WHEN}\nchannels: [x, bluesky]\nimages:\n  - src: ./fixtures/generated-big.png\n    alt: A green pixel padded to just over a megabyte\n---\nOne byte too many for Bluesky.\n`,
  );
  writeFileSync(join(outside, 'outside.png'), png);
  symlinkSync(join(outside, 'outside.png'), join(dir, 'content/social/fixtures/generated-link-outside.png'));
  // Things git can hold (or a checkout can meet) that are not readable files inside the repository.
  mkdirSync(join(dir, 'content/social/generated-folder.md'));
  symlinkSync(join(outside, 'no-such-file.md'), join(dir, 'content/social/generated-broken-link.md'));
  writeFileSync(join(outside, 'outside.md'), `---\n${WHEN}\n---\nA draft that lives outside the repository.\n`);
  symlinkSync(join(outside, 'outside.md'), join(dir, 'content/social/generated-link-outside.md'));
  social(
    'generated-image-symlink-outside.md',
    `---\n${WHEN}\nchannels: [x]\nimages:\n  - src: ./fixtures/generated-link-outside.png\n    alt: A green pixel that lives outside the repository\n---\nA link that leads out of the repository.\n`,
  );
}

/** Every content file `check` reads, repository-relative. */
function contentFiles(dir: string): string[] {
  return (readdirSync(join(dir, 'content'), { recursive: true }) as string[])
    .map((entry) => `content/${entry.split('\\').join('/')}`)
    .filter((file) => /^content\/(posts\/.*\.mdx?|social\/.*\.md)$/.test(file))
    .sort();
}

const isValid = (file: string) => /\/valid-[^/]*$/.test(file);
const matches = (e: Expected, p: Problem) =>
  e.file === p.file &&
  e.line === p.line &&
  e.col === p.col &&
  e.severity === p.severity &&
  p.message.includes(e.message);
const where = (p: Problem | Expected) => `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;

describe('the bad-input corpus', () => {
  let dir: string;
  let outside: string;
  let json: CliResult;
  let problems: Problem[];
  let github: CliResult;
  let text: CliResult;
  let queue: CliResult;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'postgate-corpus-'));
    outside = mkdtempSync(join(tmpdir(), 'postgate-outside-'));
    cpSync(CORPUS, dir, { recursive: true });
    addGeneratedCases(dir, outside);
    json = runCli(['check', '--format', 'json'], { cwd: dir });
    problems = JSON.parse(json.stdout).problems;
    github = runCli(['check', '--format', 'github'], { cwd: dir });
    text = runCli(['check'], { cwd: dir });
    queue = runCli(['queue', '--json', '--now', NOW], { cwd: dir });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('has at least 60 bad files, each named in expected.json, and commits none of the generated ones', () => {
    const committed = contentFiles(CORPUS);
    const bad = committed.filter((f) => !isValid(f));
    expect(bad.length).toBeGreaterThanOrEqual(60);
    const listed = new Set(expected.filter((e) => e.severity === 'error').map((e) => e.file));
    expect(
      bad.filter((f) => !listed.has(f)),
      'bad files without an expected error',
    ).toEqual([]);
    for (const e of expected.filter((x) => x.generated)) expect(existsSync(join(CORPUS, e.file)), e.file).toBe(false);
    for (const e of expected.filter((x) => !x.generated))
      expect(existsSync(join(CORPUS, e.file)), `${e.file} (listed, not generated)`).toBe(true);
    expect(expected.filter((e) => e.generated).length).toBeGreaterThanOrEqual(3);
  });

  it('exits 1 and never prints a stack trace', () => {
    expect(json.status).toBe(1);
    expect(json.stderr).toBe('');
    for (const r of [json, github, text, queue]) {
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toMatch(STACK_TRACE);
    }
  });

  it('reports every expected problem at its file, line and column, with its message', () => {
    const missing = expected.filter((e) => !problems.some((p) => matches(e, p)));
    const near = missing.map(
      (e) =>
        `expected ${where(e)}\n  got ${
          problems
            .filter((p) => p.file === e.file)
            .map(where)
            .join('\n      ') || 'nothing'
        }`,
    );
    expect(near).toEqual([]);
  });

  it('reports nothing that expected.json does not list, so the corpus stays honest', () => {
    const unexpected = problems.filter((p) => !expected.some((e) => matches(e, p)));
    expect(unexpected.map(where)).toEqual([]);
  });

  it('finds at least one error in every bad file, one bad file never hiding another', () => {
    const files = contentFiles(dir).filter((f) => !isValid(f));
    const withErrors = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.file));
    expect(files.filter((f) => !withErrors.has(f))).toEqual([]);
  });

  it('finds nothing wrong with the valid neighbours, including a BOM + CRLF file', () => {
    const valid = contentFiles(dir).filter(isValid);
    expect(valid).toEqual(
      expect.arrayContaining([
        'content/social/valid-bom-crlf.md',
        'content/social/valid-neighbour.md',
        'content/posts/valid-neighbour.mdx',
      ]),
    );
    expect(problems.filter((p) => isValid(p.file)).map(where)).toEqual([]);
    const bom = readFileSync(join(dir, 'content/social/valid-bom-crlf.md'));
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bom.includes('\r\n')).toBe(true);
  });

  it('prints a GitHub annotation for every problem', () => {
    expect(github.status).toBe(1);
    const lines = github.stdout.split('\n');
    for (const e of expected) {
      const head = `::${e.severity} file=${e.file},line=${e.line},col=${e.col},title=Postgate::`;
      expect(
        lines.some((l) => l.startsWith(head) && l.includes(e.message)),
        head + e.message,
      ).toBe(true);
    }
  });

  it('prints path:line:col: severity: message lines and a count', () => {
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(
      'content/social/date-feb-30.md:2:12: error: 2026-02-30 is not a date: February 2026 has 28 days\n',
    );
    expect(text.stdout).toContain(
      'content/social/key-publishedAt.md:2:1: error: unknown key "publishedAt"; did you mean "publishAt"?\n',
    );
    expect(text.stdout).toContain(
      'content/posts/cover-without-alt.mdx:6:3: error: missing cover.alt: alt text is required',
    );
    const errors = expected.filter((e) => e.severity === 'error').length;
    const warnings = expected.length - errors;
    expect(text.stdout).toMatch(new RegExp(`^checked \\d+ files: ${errors} errors, ${warnings} warnings?$`, 'm'));
  });

  it('still queues the valid neighbours while every bad file is held', () => {
    expect(queue.status).toBe(0);
    const rows: { id: string; file: string; state: string; reason?: string }[] = JSON.parse(queue.stdout);
    const state = (id: string) => rows.find((r) => r.id === id)?.state;
    expect(state('social/valid-neighbour')).toBe('scheduled');
    expect(state('social/valid-bom-crlf')).toBe('due'); // 2026-11-30T10:00 in Berlin is 09:00Z, three hours before NOW
    expect(state('social/valid-draft-without-publishAt')).toBe('draft');
    expect(state('posts/valid-neighbour')).toBe('scheduled');
    expect(state('posts/valid-neighbour/announce')).toBe('scheduled');

    const bad = new Set(expected.filter((e) => e.severity === 'error').map((e) => e.file));
    const badRows = rows.filter((r) => bad.has(r.file));
    expect(new Set(badRows.map((r) => r.file)).size).toBe(bad.size);
    expect(badRows.filter((r) => r.state !== 'held').map((r) => `${r.file}: ${r.state}`)).toEqual([]);
    for (const r of badRows) expect(r.reason, r.file).toMatch(/^the file has errors: /);
  });
});
