/**
 * CODEOWNERS: who must review a change to each path, once main's ruleset requires a code owner's
 * review. Postgate needs owners for what goes out (content/) and for the gate's own files (the config,
 * the workflows, the code and its dependencies): otherwise any writer's approval merges a change to
 * the code that decides what is published.
 *
 * GitHub's rules, as implemented here: the last matching line wins; a line without owners leaves its
 * paths unowned; a pattern with a slash at the start or in the middle is anchored at the root, one
 * without matches at any depth; a trailing slash (or a match on a folder) takes in everything below,
 * except `folder/*`, which owns the files directly in it; `*` stays within a segment, `**` crosses
 * them.
 */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;
/** Where setup writes the file when there is none. */
export const CODEOWNERS_FILE = '.github/CODEOWNERS';

/** What must have an owner, with example files that show whether it does. */
export interface OwnedArea {
  /** The line setup writes for it (pattern only). */
  pattern: string;
  /** As a person names it. */
  label: string;
  /** Files that must each have an owner for the area to count as owned. */
  probes: string[];
}

export const CONTENT_AREA: OwnedArea = {
  pattern: '/content/',
  label: 'content/',
  probes: ['content/posts/example.mdx', 'content/social/example.md', 'content/social/example.png'],
};

/** The gate's own files: what decides what is published, and with which credentials. */
export const GATE_AREAS: OwnedArea[] = [
  { pattern: '/postgate.config.yaml', label: 'postgate.config.yaml', probes: ['postgate.config.yaml'] },
  {
    pattern: '/.github/',
    label: '.github/',
    probes: ['.github/workflows/publish.yml', '.github/workflows/retract.yml', '.github/CODEOWNERS'],
  },
  { pattern: '/src/', label: 'src/', probes: ['src/github/approvals.ts', 'src/cli/main.ts', 'src/content.config.ts'] },
  { pattern: '/scripts/', label: 'scripts/', probes: ['scripts/postgate.mjs'] },
  { pattern: '/package.json', label: 'package.json', probes: ['package.json'] },
  { pattern: '/package-lock.json', label: 'package-lock.json', probes: ['package-lock.json'] },
  { pattern: '/astro.config.mjs', label: 'astro.config.mjs', probes: ['astro.config.mjs'] },
  // publish.yml installs the Node version this file names.
  { pattern: '/.nvmrc', label: '.nvmrc', probes: ['.nvmrc'] },
];

export const OWNED_AREAS: OwnedArea[] = [CONTENT_AREA, ...GATE_AREAS];

interface OwnerLine {
  matches: (path: string) => boolean;
  owners: string[];
}

function patternRegExp(raw: string): RegExp {
  const anchored = raw.startsWith('/') || raw.replace(/\/+$/, '').includes('/');
  const folderOnly = raw.endsWith('/');
  const body = raw.replace(/^\/+/, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '*' && body[i + 1] === '*') {
      // `**/` is any number of folders (none included); a final `/**` everything below.
      if (body[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i++;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\' && i + 1 < body.length) source += body[++i]!.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const start = anchored ? '^' : '^(?:.*/)?';
  // A folder takes in everything below it; a pattern ending in a slash matches folders only; but
  // `docs/*` owns the files directly in docs/, not its subfolders (GitHub's documented exception).
  const end = folderOnly ? '/.+$' : anchored && body.endsWith('/*') ? '$' : '(?:/.+)?$';
  return new RegExp(start + source + end);
}

export function parseCodeOwners(text: string): OwnerLine[] {
  const lines: OwnerLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // An inline comment starts at a `#` after whitespace.
    const [pattern, ...rest] = line.replace(/\s+#.*$/, '').split(/\s+/);
    if (!pattern) continue;
    const regexp = patternRegExp(pattern);
    lines.push({ matches: (path) => regexp.test(path), owners: rest.filter((o) => o.includes('@')) });
  }
  return lines;
}

/** The owners of one file: the last matching line's (none when no line matches, or it names nobody). */
export function ownersOf(lines: readonly OwnerLine[], path: string): string[] {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.matches(path)) return lines[i]!.owners;
  return [];
}

/** The areas some of whose files have no owner in this CODEOWNERS text (all of them without a file). */
export function unownedAreas(text: string | null, areas: readonly OwnedArea[] = OWNED_AREAS): OwnedArea[] {
  if (text === null) return [...areas];
  const lines = parseCodeOwners(text);
  return areas.filter((area) => area.probes.some((probe) => ownersOf(lines, probe).length === 0));
}

const HEADER = `# Who must review a change, once main's ruleset requires a code owner's review (postgate setup).
# GitHub uses the last line that matches a file.
`;

function block(areas: readonly OwnedArea[], owners: readonly string[]): string {
  const width = Math.max(...areas.map((a) => a.pattern.length));
  const line = (a: OwnedArea) => `${a.pattern.padEnd(width)} ${owners.join(' ')}`;
  const content = areas.filter((a) => a === CONTENT_AREA);
  const gate = areas.filter((a) => a !== CONTENT_AREA);
  const parts: string[] = [];
  if (content.length)
    parts.push(`# What goes out: posts, social drafts and their images.\n${content.map(line).join('\n')}`);
  if (gate.length)
    parts.push(
      `# The gate itself: what decides what is published, and with which credentials.\n${gate.map(line).join('\n')}`,
    );
  return `${parts.join('\n\n')}\n`;
}

/**
 * The CODEOWNERS text that gives every area an owner: a new file, or the current one with a block
 * for the areas it leaves partly unowned appended (the last match wins: the block decides for those
 * areas, and every other line stays as it was). null when nothing is missing.
 */
export function codeOwnersWithAreas(current: string | null, owners: readonly string[]): string | null {
  const missing = unownedAreas(current);
  if (missing.length === 0) return null;
  if (current === null) return `${HEADER}\n${block(missing, owners)}`;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  return `${current}${separator}\n# Added by postgate setup: areas in which some files had no owner (these lines decide for the whole area).\n${block(missing, owners)}`;
}

/** `@login` for each owner. */
export function ownerHandles(logins: readonly string[]): string[] {
  return logins.map((login) => `@${login}`);
}
