import { SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { CONFIG_FILE, type Config } from './config-schema.ts';
import { isCrisisName } from './crisis-name.ts';
import { formatDuration } from './duration.ts';
import { LEDGER_FILE } from './ledger.ts';
import { inlineCode, listed, plural } from './preview-format.ts';

/**
 * The red flags at the top of a pull request's preview: every change that is not a post or a
 * social draft. The preview shows what posts say; a change to the code, the workflows, the
 * packages, the config, the code owners or the ledger changes what gets published, or whether an
 * approval is needed at all, and the list of posts cannot show that. Each kind says why it matters;
 * a config change that weakens a gate is named.
 */
export type FlagKind = 'workflows' | 'code' | 'dependencies' | 'config' | 'owners' | 'ledger' | 'crisis' | 'other';

export interface ChangedPath {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  /** A path outside the folder Postgate runs in (a site in a subfolder of a bigger repository). */
  outsideRoot?: boolean;
}

export interface RedFlag {
  kind: FlagKind;
  paths: readonly ChangedPath[];
  /** One line: why a reviewer should care. */
  why: string;
  /** Specifics, one per line: a config value that changed, what a ledger edit does. */
  details: readonly string[];
}

export interface FlagInputs {
  /** Every path the pull request changes (base...head), inside content/ or not. */
  paths: readonly ChangedPath[];
  /** The config at the base and in the pull request; null where it is missing or unreadable. */
  configBefore: FlagConfig | null;
  configAfter: FlagConfig | null;
  /** Ledger lines the pull request takes away and adds, when it changes the ledger. */
  ledger?: { removed: number; added: number };
}

export type FlagConfig = Pick<Config, 'site' | 'channels' | 'policies'> &
  Partial<Pick<Config, 'schedule' | 'theme' | 'mastodon' | 'linkedin'>>;

const WHY: Record<FlagKind, string> = {
  workflows:
    'changes the GitHub Actions workflows: what runs, when, and with which credentials (and the review that computes this preview)',
  code: 'changes the code that checks approvals and sends posts: review it as code, not as words',
  dependencies: 'changes the packages the publisher installs and runs with the network credentials',
  config: 'changes the publishing rules',
  owners: 'changes who must approve changes (the code owners)',
  ledger: 'edits the ledger: the record of what went out',
  crisis: 'starts or ends a CRISIS stop',
  other: 'is not a post or a social draft, so nothing below shows it: read it in the diff',
};

const LABEL: Record<FlagKind, string> = {
  workflows: 'Workflows',
  code: 'Code',
  dependencies: 'Dependencies',
  config: 'Config',
  owners: 'Code owners',
  ledger: 'Ledger',
  crisis: 'CRISIS',
  other: 'Other files',
};

const ORDER: readonly FlagKind[] = [
  'workflows',
  'code',
  'dependencies',
  'config',
  'owners',
  'ledger',
  'crisis',
  'other',
];

const CODE_FILE = /\.(?:[cm]?[jt]sx?|astro|svelte|vue|sh|bash|py|rb)$/i;
const DEPENDENCY_FILES = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  '.npmrc',
  '.nvmrc',
  '.node-version',
  '.yarnrc.yml',
]);

/** Which kind of change a path is; null for a post, a draft or an image under content/ (the preview shows those). */
export function flagKindOf(change: Pick<ChangedPath, 'path' | 'outsideRoot'>): FlagKind | null {
  const { path } = change;
  const name = path.split('/').at(-1) ?? path;
  if (/(^|\/)\.github\/(workflows|actions)\//.test(path)) return 'workflows';
  if (name === 'CODEOWNERS') return 'owners';
  if (change.outsideRoot) return CODE_FILE.test(path) ? 'code' : 'other';
  if (path === LEDGER_FILE) return 'ledger';
  // Inside content/ too: a script is code (a post's image can import it, see mdx-policy.ts), and a
  // .gitattributes file can fold or hide the diffs of the posts beside it.
  if (path.startsWith('content/')) return CODE_FILE.test(path) ? 'code' : name === '.gitattributes' ? 'other' : null;
  if (path === CONFIG_FILE) return 'config';
  if (!path.includes('/') && isCrisisName(path)) return 'crisis';
  if (DEPENDENCY_FILES.has(path) || path.startsWith('node_modules/')) return 'dependencies';
  if (path.startsWith('tests/')) return 'other';
  if (/^(src|scripts|\.husky|\.githooks)\//.test(path) || CODE_FILE.test(path) || /^tsconfig[\w.-]*\.json$/.test(path))
    return 'code';
  return 'other';
}

export function redFlags(inputs: FlagInputs): RedFlag[] {
  const byKind = new Map<FlagKind, ChangedPath[]>();
  for (const change of inputs.paths) {
    const kind = flagKindOf(change);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), change]);
  }
  return ORDER.filter((kind) => byKind.has(kind)).map((kind) => {
    const paths = byKind.get(kind)!;
    const details =
      kind === 'config'
        ? configDetails(inputs.configBefore, inputs.configAfter)
        : kind === 'ledger'
          ? ledgerDetails(inputs.ledger)
          : kind === 'crisis'
            ? paths.map((p) =>
                p.status === 'deleted'
                  ? `${inlineCode(p.path)} deleted: ends the stop once merged; items that fell due during it still wait for a new approval`
                  : `${inlineCode(p.path)} ${p.status === 'added' ? 'added' : 'changed'}: once merged, nothing is published anywhere until it is removed`,
              )
            : [];
    return { kind, paths, why: WHY[kind], details };
  });
}

const channelName = (c: string) =>
  c === 'blog' ? 'the blog' : (SOCIAL_RULES[c as SocialChannelId]?.name ?? inlineCode(c));
const staleText = (ms: number | null) => (ms === null ? 'never' : formatDuration(ms));

/** What a config change does: a weakened gate first, each change named with its old and new value. */
export function configDetails(before: FlagConfig | null, after: FlagConfig | null): string[] {
  if (!after)
    return [`${inlineCode(CONFIG_FILE)} cannot be read in this version: nothing is published until it is fixed`];
  if (!before) return [`${inlineCode(CONFIG_FILE)} is new or was unreadable at the base: every rule in it is new`];
  const weakens = '**weakens a gate:**';
  const changes = '**changes what goes out:**';
  const lines: string[] = [];
  const [a, b] = [before.policies.approvals, after.policies.approvals];
  if (b < a)
    lines.push(
      `${weakens} ${inlineCode('policies.approvals')} lowered from ${a} to ${b}: ${b === 0 ? 'a post needs no approving review at all' : `a post needs ${plural(b, 'approving review')} instead of ${a}`}`,
    );
  else if (b > a) lines.push(`${inlineCode('policies.approvals')} raised from ${a} to ${b}`);
  const [s, t] = [before.policies.staleAfter, after.policies.staleAfter];
  if (s !== t) {
    const later = t === null || (s !== null && t > s);
    lines.push(
      later
        ? `${weakens} ${inlineCode('policies.staleAfter')} changed from ${staleText(s)} to ${staleText(t)}: ${t === null ? 'a late post goes out however late it is' : `a late post still goes out up to ${staleText(t)} after its time`}`
        : `${inlineCode('policies.staleAfter')} changed from ${staleText(s)} to ${staleText(t)}`,
    );
  }
  if (before.policies.utm !== after.policies.utm)
    lines.push(
      after.policies.utm
        ? `${changes} ${inlineCode('policies.utm')} turned on: links to the site get UTM tags`
        : `${changes} ${inlineCode('policies.utm')} turned off: links to the site go out untagged, so no click can be traced to a post`,
    );
  const addedChannels = after.channels.filter((c) => !before.channels.includes(c));
  const removedChannels = before.channels.filter((c) => !after.channels.includes(c));
  if (addedChannels.length || removedChannels.length) {
    const parts = [
      addedChannels.length ? `adds ${listed(addedChannels.map(channelName))}` : '',
      removedChannels.length ? `removes ${listed(removedChannels.map(channelName))}` : '',
    ].filter(Boolean);
    const effect = [
      addedChannels.length ? 'items that name an added network are sent there' : '',
      removedChannels.length ? 'nothing more goes to a removed one' : '',
    ].filter(Boolean);
    lines.push(`${changes} ${inlineCode('channels')} ${parts.join(' and ')}: ${effect.join('; ')}`);
  }
  if (before.site.url !== after.site.url)
    lines.push(
      `${changes} ${inlineCode('site.url')} changed from ${inlineCode(before.site.url)} to ${inlineCode(after.site.url)}: every link to the site and every announcement points there`,
    );
  if (before.site.timeZone !== after.site.timeZone)
    lines.push(
      `${changes} ${inlineCode('site.timeZone')} changed from ${inlineCode(before.site.timeZone)} to ${inlineCode(after.site.timeZone)}: every publish time written without an offset moves`,
    );
  // LinkedIn's author is whose voice its posts carry: a page, or the person whose token it is.
  const author = (c: FlagConfig) => c.linkedin?.author ?? null;
  if (author(before) !== author(after))
    lines.push(
      `${changes} ${inlineCode('linkedin.author')} changed from ${author(before) === null ? 'nothing' : inlineCode(author(before)!)} to ${author(after) === null ? 'nothing' : inlineCode(author(after)!)}: LinkedIn posts go out in that voice`,
    );
  const linkedinRest = (c: FlagConfig) =>
    JSON.stringify([c.linkedin?.version ?? null, c.linkedin?.tokenExpires ?? null]);
  if (linkedinRest(before) !== linkedinRest(after))
    lines.push('LinkedIn settings changed (`linkedin.version` or `linkedin.tokenExpires`)');
  const rest = (c: FlagConfig) =>
    JSON.stringify([{ ...c.site, url: '', timeZone: '' }, c.schedule ?? null, c.theme ?? null, c.mastodon ?? null]);
  if (rest(before) !== rest(after))
    lines.push('other settings changed (site details, schedule, theme or Mastodon limits)');
  if (!lines.length) lines.push('no setting changes (comments or layout only)');
  return lines;
}

function ledgerDetails(ledger: FlagInputs['ledger']): string[] {
  if (!ledger) return [];
  const lines: string[] = [];
  if (ledger.removed) lines.push(`**removes ${plural(ledger.removed, 'record')}** of what went out`);
  if (ledger.added) lines.push(`adds ${plural(ledger.added, 'record')}, which only the publisher writes`);
  return lines;
}

/** How many paths each flag lists before "and N more". */
const SHOWN = 12;

/** The red block at the top of the preview, as Markdown lines; none without flags. */
export function renderRedFlags(flags: readonly RedFlag[]): string[] {
  if (!flags.length) return [];
  const count = flags.reduce((n, f) => n + f.paths.length, 0);
  const lines = [
    '> [!CAUTION]',
    `> **This pull request changes more than posts: ${plural(count, 'file')} outside \`content/\` or in the ledger.** ` +
      'The posts below cannot show what these changes do: read each in the diff before approving.',
    '>',
  ];
  for (const flag of flags) {
    const shown = flag.paths.slice(0, SHOWN).map((p) => `${inlineCode(p.path)}${STATUS_NOTE[p.status]}`);
    const more = flag.paths.length > SHOWN ? ` and ${flag.paths.length - SHOWN} more` : '';
    lines.push(`> - **${LABEL[flag.kind]}** (${shown.join(', ')}${more}): ${flag.why}.`);
    for (const detail of flag.details) lines.push(`>   - ${detail}`);
  }
  return lines;
}

const STATUS_NOTE: Record<ChangedPath['status'], string> = { added: ' new', modified: '', deleted: ' deleted' };
