import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.ts';
import { configDetails, flagKindOf, redFlags, renderRedFlags, type ChangedPath } from './preview-flags.ts';
import { renderPreview } from './preview.ts';
import { summarizeLedger } from './ledger.ts';

const config = (extra: Record<string, unknown> = {}) =>
  configSchema.parse({
    site: { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin' },
    channels: ['blog', 'x', 'mastodon', 'bluesky'],
    ...extra,
  });
const modified = (path: string): ChangedPath => ({ path, status: 'modified' });

describe('flagKindOf: which changes a reviewer must read as more than words', () => {
  it('sorts each path outside content/ into its kind, and leaves posts, drafts and images alone', () => {
    const kinds = Object.fromEntries(
      [
        'content/posts/launch.mdx',
        'content/social/2026-12-01-thanks.md',
        'content/social/chart.png',
        'content/ledger.jsonl',
        'src/github/approvals.ts',
        'src/core/preview.ts',
        'scripts/postgate.mjs',
        'astro.config.mjs',
        'tsconfig.json',
        'package.json',
        'package-lock.json',
        '.npmrc',
        'node_modules/zod/index.js',
        '.github/workflows/publish.yml',
        '.github/actions/setup/action.yml',
        '.github/CODEOWNERS',
        'CODEOWNERS',
        'postgate.config.yaml',
        'CRISIS',
        'crisis.md',
        'README.md',
        'tests/preview.test.ts',
        'public/favicon.svg',
      ].map((path) => [path, flagKindOf({ path })]),
    );
    expect(kinds).toEqual({
      'content/posts/launch.mdx': null,
      'content/social/2026-12-01-thanks.md': null,
      'content/social/chart.png': null,
      'content/ledger.jsonl': 'ledger',
      'src/github/approvals.ts': 'code',
      'src/core/preview.ts': 'code',
      'scripts/postgate.mjs': 'code',
      'astro.config.mjs': 'code',
      'tsconfig.json': 'code',
      'package.json': 'dependencies',
      'package-lock.json': 'dependencies',
      '.npmrc': 'dependencies',
      'node_modules/zod/index.js': 'dependencies',
      '.github/workflows/publish.yml': 'workflows',
      '.github/actions/setup/action.yml': 'workflows',
      '.github/CODEOWNERS': 'owners',
      CODEOWNERS: 'owners',
      'postgate.config.yaml': 'config',
      CRISIS: 'crisis',
      'crisis.md': 'crisis',
      'README.md': 'other',
      'tests/preview.test.ts': 'other',
      'public/favicon.svg': 'other',
    });
  });

  it('never takes a path outside the folder Postgate runs in for content, and still finds workflows there', () => {
    expect(flagKindOf({ path: 'content/social/x.md', outsideRoot: true })).toBe('other');
    expect(flagKindOf({ path: '.github/workflows/review.yml', outsideRoot: true })).toBe('workflows');
    expect(flagKindOf({ path: 'tools/release.ts', outsideRoot: true })).toBe('code');
  });
});

describe('configDetails: what a config change does, a weakened gate named', () => {
  it('names approvals lowered to 0, UTM turned off, a network added and one removed, and a longer stale window', () => {
    const before = config({ channels: ['blog', 'x', 'mastodon'] });
    const after = config({
      channels: ['blog', 'mastodon', 'bluesky'],
      policies: { approvals: 0, utm: false, staleAfter: '3d' },
    });
    expect(configDetails(before, after)).toEqual([
      '**weakens a gate:** `policies.approvals` lowered from 1 to 0: a post needs no approving review at all',
      '**weakens a gate:** `policies.staleAfter` changed from 6h to 3d: a late post still goes out up to 3d after its time',
      '**changes what goes out:** `policies.utm` turned off: links to the site go out untagged, so no click can be traced to a post',
      '**changes what goes out:** `channels` adds Bluesky and removes X: items that name an added network are sent there; nothing more goes to a removed one',
    ]);
  });

  it('tells a stricter change from a weaker one, and says when nothing that matters changed', () => {
    const strict = config({ policies: { approvals: 2, staleAfter: '1h' } });
    expect(configDetails(config(), strict)).toEqual([
      '`policies.approvals` raised from 1 to 2',
      '`policies.staleAfter` changed from 6h to 1h',
    ]);
    expect(configDetails(strict, config({ policies: { approvals: 1, staleAfter: 'never' } }))).toEqual([
      '**weakens a gate:** `policies.approvals` lowered from 2 to 1: a post needs 1 approving review instead of 2',
      '**weakens a gate:** `policies.staleAfter` changed from 1h to never: a late post goes out however late it is',
    ]);
    expect(configDetails(config(), config())).toEqual(['no setting changes (comments or layout only)']);
  });

  it('names a new site address and time zone, and other settings in one line', () => {
    const moved = config({
      site: { title: 'Riverside', url: 'https://evil.example', timeZone: 'UTC' },
      theme: { accent: '#ff0000' },
    });
    expect(configDetails(config(), moved)).toEqual([
      '**changes what goes out:** `site.url` changed from `https://example.org` to `https://evil.example`: every link to the site and every announcement points there',
      '**changes what goes out:** `site.timeZone` changed from `Europe/Berlin` to `UTC`: every publish time written without an offset moves',
      'other settings changed (site details, schedule, theme or Mastodon limits)',
    ]);
    const page = { author: 'urn:li:organization:2414183', version: '202511', tokenExpires: '2027-01-31' };
    expect(configDetails(config({ linkedin: page }), config({ linkedin: { ...page, author: 'person' } }))).toEqual([
      '**changes what goes out:** `linkedin.author` changed from `urn:li:organization:2414183` to `person`: LinkedIn posts go out in that voice',
    ]);
    expect(
      configDetails(config({ linkedin: page }), config({ linkedin: { ...page, tokenExpires: '2027-03-31' } })),
    ).toEqual(['LinkedIn settings changed (`linkedin.version` or `linkedin.tokenExpires`)']);
    expect(configDetails(null, config())).toEqual([
      '`postgate.config.yaml` is new or was unreadable at the base: every rule in it is new',
    ]);
  });
});

describe('redFlags and the red block at the top of the preview', () => {
  it('lists every kind once, in a fixed order, each with why it matters, and the ledger edit counted', () => {
    const flags = redFlags({
      paths: [
        modified('content/social/2026-12-01-thanks.md'),
        modified('postgate.config.yaml'),
        { path: 'content/ledger.jsonl', status: 'modified' },
        modified('src/github/approvals.ts'),
        modified('package-lock.json'),
        { path: '.github/workflows/publish.yml', status: 'modified' },
        { path: 'CRISIS', status: 'deleted' },
      ],
      configBefore: config(),
      configAfter: config({ policies: { approvals: 0 } }),
      ledger: { removed: 3, added: 0 },
    });
    expect(flags.map((f) => [f.kind, f.paths.map((p) => p.path)])).toEqual([
      ['workflows', ['.github/workflows/publish.yml']],
      ['code', ['src/github/approvals.ts']],
      ['dependencies', ['package-lock.json']],
      ['config', ['postgate.config.yaml']],
      ['ledger', ['content/ledger.jsonl']],
      ['crisis', ['CRISIS']],
    ]);
    expect(renderRedFlags(flags)).toEqual([
      '> [!CAUTION]',
      '> **This pull request changes more than posts: 6 files outside `content/` or in the ledger.** The posts below cannot show what these changes do: read each in the diff before approving.',
      '>',
      '> - **Workflows** (`.github/workflows/publish.yml`): changes the GitHub Actions workflows: what runs, when, and with which credentials (and the review that computes this preview).',
      '> - **Code** (`src/github/approvals.ts`): changes the code that checks approvals and sends posts: review it as code, not as words.',
      '> - **Dependencies** (`package-lock.json`): changes the packages the publisher installs and runs with the network credentials.',
      '> - **Config** (`postgate.config.yaml`): changes the publishing rules.',
      '>   - **weakens a gate:** `policies.approvals` lowered from 1 to 0: a post needs no approving review at all',
      '> - **Ledger** (`content/ledger.jsonl`): edits the ledger: the record of what went out.',
      '>   - **removes 3 records** of what went out',
      '> - **CRISIS** (`CRISIS` deleted): starts or ends a CRISIS stop.',
      '>   - `CRISIS` deleted: ends the stop once merged; items that fell due during it still wait for a new approval',
    ]);
  });

  it('has nothing to say about a pull request of posts only, and cuts a long list of paths', () => {
    expect(
      redFlags({ paths: [modified('content/posts/a.mdx')], configBefore: config(), configAfter: config() }),
    ).toEqual([]);
    expect(renderRedFlags([])).toEqual([]);
    const many = Array.from({ length: 15 }, (_, i): ChangedPath => ({ path: `src/f${i}.ts`, status: 'added' }));
    const [line] = renderRedFlags(redFlags({ paths: many, configBefore: config(), configAfter: config() })).slice(3);
    expect(line).toBe(
      `> - **Code** (${Array.from({ length: 12 }, (_, i) => `\`src/f${i}.ts\` new`).join(', ')} and 3 more): changes the code that checks approvals and sends posts: review it as code, not as words.`,
    );
  });

  it('keeps a path that holds Markdown or a backtick inside its code span', () => {
    const [, , , line] = renderRedFlags(
      redFlags({ paths: [modified('docs/`x` <b>\n> [!NOTE].md')], configBefore: config(), configAfter: config() }),
    );
    expect(line).toBe(
      '> - **Other files** (``docs/`x` <b> > [!NOTE].md``): is not a post or a social draft, so nothing below shows it: read it in the diff.',
    );
  });

  it('puts the flags first, and no longer says "publishes nothing new" for a pull request that changes only the rules', () => {
    const base = {
      changes: [],
      config: config({ policies: { approvals: 0 } }),
      now: Date.parse('2026-11-28T09:00:00Z'),
      items: [],
      ledger: summarizeLedger([]),
      base: 'main',
    };
    expect(renderPreview(base)).toBe(
      '## Postgate preview\n\nThis pull request changes no blog post or social draft (compared with `main`): it publishes nothing new.',
    );
    const flagged = renderPreview({
      ...base,
      flags: redFlags({
        paths: [modified('postgate.config.yaml'), modified('content/ledger.jsonl')],
        configBefore: config(),
        configAfter: config({ policies: { approvals: 0 } }),
        ledger: { removed: 2, added: 0 },
      }),
    });
    expect(
      flagged.startsWith('## Postgate preview\n\n> [!CAUTION]\n> **This pull request changes more than posts'),
    ).toBe(true);
    expect(flagged).toContain('`policies.approvals` lowered from 1 to 0');
    expect(flagged).not.toContain('publishes nothing new');
    expect(
      flagged.endsWith(
        'This pull request changes no blog post or social draft (compared with `main`); what it changes instead is flagged above.',
      ),
    ).toBe(true);
  });
});
