import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, type Config } from '../core/config-schema.ts';
import { EnvironmentError, UsageError } from '../core/errors.ts';
import type { Item } from '../core/item.ts';
import { LEDGER_BRANCH, LEDGER_FILE, summarizeLedger, type LedgerSummary } from '../core/ledger.ts';
import type { ItemChange } from '../core/preview.ts';
import { differences } from '../core/preview-diff.ts';
import type { ChangedPath } from '../core/preview-flags.ts';
import { readItemText, type ItemFileKind } from '../core/read-item.ts';
import { readLedger, parseLedgerText } from './ledger-file.ts';
import { parseConfig } from './load-config.ts';
import { itemContext, loadRepository, type Repository } from './load-repository.ts';

/**
 * Which posts and social drafts a pull request adds, edits or removes, compared with its base
 * branch: the files that changed since the branch left the base (the merge base), each with its
 * base version (from git) and its pull-request version (from the working tree, checked as `check`
 * checks it). A renamed file is an edit of its new path.
 */
export interface ChangeSet {
  /** The base as named, e.g. `origin/main`. */
  base: string;
  mergeBase: string;
  changes: ItemChange[];
  /** The pull request's version of the repository. */
  repo: Repository;
  /** The ledger as the base branch and the pull request know it together. */
  ledger: LedgerSummary;
  /** Content files with changes not yet committed: the preview lists committed changes only. */
  uncommitted: string[];
  /** Every path the pull request changes, content or not: what the preview's red flags are made of. */
  paths: ChangedPath[];
  /** The config at the merge base (null when missing or unreadable there), to tell what the pull request changes in it. */
  baseConfig: Config | null;
  /** Ledger lines the pull request takes away and adds, when it changes the ledger. */
  ledgerEdit?: { removed: number; added: number };
}

type Env = Readonly<Record<string, string | undefined>>;

export async function changedItems(root: string, env: Env, baseFlag?: string): Promise<ChangeSet> {
  const run = (args: string[]) => git(root, env, args);
  if (!run(['rev-parse', '--is-inside-work-tree']).ok)
    throw new EnvironmentError(`preview compares with git, and ${root} is not in a git repository`);
  if (!run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).ok)
    throw new EnvironmentError('preview compares commits, and this repository has no commit checked out yet');
  const base = resolveBase(run, env, baseFlag);
  const mb = run(['merge-base', base, 'HEAD']);
  if (!mb.ok) {
    if (mb.status === 1)
      throw new EnvironmentError(
        `${base} and HEAD have no commit in common, so the pull request's changes cannot be told apart; the clone is probably shallow: git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)`,
      );
    throw gitFailed('git merge-base', mb);
  }
  const mergeBase = mb.stdout.trim();
  const diff = run([
    'diff',
    '--name-status',
    '-M',
    '-z',
    '--relative',
    '--no-color',
    mergeBase,
    'HEAD',
    '--',
    'content/',
    // What the site serves: a post's HTML can show a file from there (src/core/post-body-images.ts).
    'public/',
  ]);
  if (!diff.ok) throw gitFailed('git diff', diff);

  const repo = await loadRepository(root);
  const ctx = itemContext(repo.config);
  // Base versions are read as the base branch reads them: with its config (its time zone, say).
  const baseConfig = configAt(run, mergeBase);
  const baseCtx = itemContext(baseConfig ?? repo.config);
  const baseText = (path: string): string | null => {
    const shown = run(['show', `${mergeBase}:./${path}`]);
    return shown.ok ? shown.stdout : null;
  };
  const baseItems = (path: string, kind: ItemFileKind): Item[] | null => {
    const text = baseText(path);
    return text === null ? null : readItemText(path, kind, text, baseCtx).items;
  };
  const headText = (path: string): string | null => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch {
      return null;
    }
  };
  // Grouped once: the loops below ask for a file's items and problems, file by file.
  const itemsByFile = Map.groupBy(repo.items, (i) => i.file);
  const problemsByFile = Map.groupBy(repo.problems, (p) => p.file);
  const itemsOf = (path: string) => itemsByFile.get(path) ?? [];
  const current = (path: string, afterText = headText(path)) => ({
    after: itemsOf(path),
    afterText,
    problems: problemsByFile.get(path) ?? [],
  });

  const changes: ItemChange[] = [];
  const assets = new Set<string>();
  for (const entry of parseNameStatus(diff.stdout)) {
    const [kindOld, kindNew] = [contentKind(entry.from), contentKind(entry.to)];
    const status = entry.status[0];
    if (status === 'D') {
      if (kindOld)
        changes.push({
          change: 'removed',
          file: entry.from,
          kind: kindOld,
          before: baseItems(entry.from, kindOld),
          after: null,
          beforeText: baseText(entry.from),
          problems: [],
        });
      continue;
    }
    if (!kindNew) {
      assets.add(entry.to);
      if (status === 'R' && kindOld)
        changes.push({
          change: 'removed',
          file: entry.from,
          kind: kindOld,
          before: baseItems(entry.from, kindOld),
          after: null,
          beforeText: baseText(entry.from),
          problems: [],
        });
      continue;
    }
    if (status === 'A' || status === 'C' || (status === 'R' && !kindOld)) {
      changes.push({ change: 'added', file: entry.to, kind: kindNew, before: null, ...current(entry.to) });
    } else {
      const previous = status === 'R' ? entry.from : entry.to;
      changes.push({
        change: 'edited',
        file: entry.to,
        ...(status === 'R' ? { previousFile: entry.from } : {}),
        kind: kindNew,
        before: baseItems(previous, kindNew) ?? [],
        beforeText: baseText(previous),
        ...current(entry.to),
      });
    }
  }

  // An image replaced in place changes what its items send (or a post shows), though their files did not change.
  const imagesOf = (items: readonly Item[]) =>
    items
      .flatMap((i) =>
        i.kind === 'social' ? i.images : i.kind === 'post' ? [...(i.cover ? [i.cover] : []), ...i.bodyImages] : [],
      )
      .flatMap((img) => (img.path ? [img.path] : []));
  const listed = new Set(changes.map((c) => c.file));
  for (const { file, kind } of repo.files) {
    if (listed.has(file) || !imagesOf(itemsOf(file)).some((p) => assets.has(p))) continue;
    changes.push({
      change: 'edited',
      file,
      kind,
      before: baseItems(file, kind) ?? [],
      beforeText: baseText(file),
      ...current(file),
    });
  }
  // A changed config can change what unchanged files publish: a new time zone moves every local
  // time, a new site address changes every announcement's link. Those files are edits too.
  if (JSON.stringify(baseCtx) !== JSON.stringify(ctx)) {
    const noted = new Set(changes.map((c) => c.file));
    for (const { file, kind } of repo.files) {
      const text = noted.has(file) ? null : headText(file);
      if (text === null) continue;
      const before = readItemText(file, kind, text, baseCtx).items;
      if (
        differences(before, itemsOf(file), {
          zone: ctx.timeZone,
          siteUrl: ctx.siteUrl,
          bodyChanged: false,
          changedImages: [],
        }).length === 0
      )
        continue;
      changes.push({ change: 'edited', file, kind, before, beforeText: text, byConfig: true, ...current(file, text) });
    }
  }
  for (const change of changes) {
    const used = imagesOf(change.after ?? []).filter((p) => assets.has(p));
    if (used.length) change.changedImages = used;
  }
  changes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const status = run(['status', '--porcelain', '-z', '--untracked-files=all', '--', 'content/']);
  const uncommitted = status.ok
    ? status.stdout
        .split('\0')
        .filter((entry) => /^.. /.test(entry))
        .map((entry) => entry.slice(3))
    : [];
  const paths = changedPaths(run, mergeBase);
  return {
    base,
    mergeBase,
    changes,
    repo,
    ledger: await mergedLedger(root, run, base),
    uncommitted,
    paths,
    baseConfig,
    ...(paths.some((p) => p.path === LEDGER_FILE && !p.outsideRoot)
      ? {
          ledgerEdit: ledgerEdit(
            run(['show', `${mergeBase}:./${LEDGER_FILE}`]),
            run(['show', `HEAD:./${LEDGER_FILE}`]),
          ),
        }
      : {}),
  };
}

const STATUS: Record<string, ChangedPath['status']> = { A: 'added', D: 'deleted' };

/**
 * Every path the commits since the merge base change, in the whole repository: a workflow or the
 * code owners live at the top of the repository even when Postgate runs in a folder of it. Paths
 * in that folder are given relative to it, as everything else in the preview is.
 */
function changedPaths(run: (args: string[]) => GitResult, mergeBase: string): ChangedPath[] {
  const prefix = run(['rev-parse', '--show-prefix']);
  if (!prefix.ok) throw gitFailed('git rev-parse', prefix);
  const folder = prefix.stdout.trim();
  const diff = run(['diff', '--name-status', '--no-renames', '-z', '--no-color', '--no-ext-diff', mergeBase, 'HEAD']);
  if (!diff.ok) throw gitFailed('git diff', diff);
  return parseNameStatus(diff.stdout).map(({ status, to }) => ({
    path: to.startsWith(folder) ? to.slice(folder.length) : to,
    status: STATUS[status[0]!] ?? 'modified',
    ...(to.startsWith(folder) ? {} : { outsideRoot: true }),
  }));
}

/** How many ledger lines the pull request's version lacks, and how many it has that the base's lacks. */
function ledgerEdit(before: GitResult, after: GitResult): { removed: number; added: number } {
  const lines = (r: GitResult) => (r.ok ? r.stdout.split('\n').filter((l) => l.trim() !== '') : []);
  const left = new Map<string, number>();
  for (const line of lines(before)) left.set(line, (left.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of lines(after)) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else added++;
  }
  const removed = [...left.values()].reduce((sum, n) => sum + n, 0);
  return { removed, added };
}

/** The config at a commit; null when it is missing or broken there (the pull request's is used). */
function configAt(run: (args: string[]) => GitResult, commit: string): Config | null {
  const shown = run(['show', `${commit}:./${CONFIG_FILE}`]);
  if (!shown.ok) return null;
  try {
    return parseConfig(shown.stdout);
  } catch {
    return null;
  }
}

/** The base named by --base; on GitHub Actions the pull request's base branch; else origin/main, then main. */
function resolveBase(run: (args: string[]) => GitResult, env: Env, flag: string | undefined): string {
  if (flag !== undefined && (flag === '' || flag.startsWith('-')))
    throw new UsageError(`preview: --base expects a branch, tag or commit, e.g. origin/main; received "${flag}"`);
  const exists = (ref: string) => run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok;
  const named = flag ?? (env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : undefined);
  if (named !== undefined) {
    if (exists(named)) return named;
    const branch = named.replace(/^origin\//, '');
    const how = named.startsWith('origin/')
      ? `fetch it first: git fetch origin ${branch}`
      : `name an existing branch, tag or commit, or fetch it: git fetch origin ${branch}`;
    const actions = env.GITHUB_ACTIONS ? ' (in GitHub Actions: actions/checkout with fetch-depth: 0)' : '';
    throw new EnvironmentError(`the base to compare with, ${named}, is not in this clone; ${how}${actions}`);
  }
  for (const candidate of ['origin/main', 'main']) if (exists(candidate)) return candidate;
  throw new EnvironmentError(
    'found neither origin/main nor main to compare with; fetch the base branch (git fetch origin main) or name the base with --base REF',
  );
}

/**
 * The ledger is append-only. On GitHub the newest copy is on the ledger's own branch (fetched as
 * origin/postgate/ledger; a clone made with fetch-depth 0 has it), which begins with main's copy as
 * it was when the ledger moved; before the move, the base branch's copy is the newest. Their
 * records, in that order, then any the pull request's copy has on top.
 */
async function mergedLedger(root: string, run: (args: string[]) => GitResult, base: string): Promise<LedgerSummary> {
  const linesAt = (rev: string) => {
    const shown = run(['show', `${rev}:./${LEDGER_FILE}`]);
    return shown.ok ? shown.stdout.split('\n').filter((l) => l.trim() !== '') : [];
  };
  // A Set keeps the first of equal lines, in order.
  const lines = new Set([
    ...linesAt(`refs/remotes/origin/${LEDGER_BRANCH}`),
    ...linesAt(base),
    ...(await readLedger(root)).text.split('\n').filter((l) => l.trim() !== ''),
  ]);
  return summarizeLedger(parseLedgerText([...lines].join('\n')).records);
}

/** What `listContentFiles` would list: posts (`.md`, `.mdx`) and social drafts (`.md`), no hidden or `_` paths. */
function contentKind(path: string): ItemFileKind | null {
  if (path.split('/').some((segment) => segment.startsWith('.') || segment.startsWith('_'))) return null;
  if (/^content\/posts\/.+\.mdx?$/i.test(path)) return 'post';
  if (/^content\/social\/.+\.md$/i.test(path)) return 'social';
  return null;
}

interface NameStatus {
  status: string;
  from: string;
  to: string;
}

/** `git diff --name-status -z`: `M\0path\0`, or `R087\0old\0new\0` for renames and copies. */
export function parseNameStatus(output: string): NameStatus[] {
  const tokens = output.split('\0');
  const entries: NameStatus[] = [];
  for (let i = 0; i < tokens.length && tokens[i] !== ''; ) {
    const status = tokens[i]!;
    if (status.startsWith('R') || status.startsWith('C')) {
      entries.push({ status, from: tokens[i + 1]!, to: tokens[i + 2]! });
      i += 3;
    } else {
      entries.push({ status, from: tokens[i + 1]!, to: tokens[i + 1]! });
      i += 2;
    }
  }
  return entries;
}

interface GitResult {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
}

function git(root: string, env: Env, args: string[]): GitResult {
  // Read-only: no index refresh, no prompts, messages in English for the errors we pass on.
  const result = spawnSync('git', args, {
    cwd: root,
    env: { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.error)
    throw new EnvironmentError(`could not run git (${result.error.message}); preview needs git on the PATH`);
  return { ok: result.status === 0, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function gitFailed(what: string, result: GitResult): EnvironmentError {
  return new EnvironmentError(`${what} failed (exit ${result.status}): ${result.stderr.trim() || 'no message'}`);
}
