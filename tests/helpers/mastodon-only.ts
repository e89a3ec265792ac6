import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './cli.ts';
import { startNetworks, type Networks } from './networks.ts';

/**
 * A copy of the example repository that publishes to Mastodon only, with no content but the
 * drafts a test writes, and the fake networks the CLI talks to: nothing else is in the way.
 */
export interface MastodonOnly {
  n: Networks;
  dir: string;
  /** Rewrites postgate.config.yaml: the example's, `channels: [mastodon]`, then `extra`. */
  config(extra: string): void;
  /** Writes content/social/<name>.md, for Mastodon only. */
  draft(name: string, body: string, publishAt?: string): void;
  publish(now: string, env?: Record<string, string>): ReturnType<typeof runCliAsync>;
  check(): ReturnType<typeof runCliAsync>;
  /** The ledger's Mastodon records, in order. */
  ledger(): { type: string; channel: string; text?: string }[];
  /** Every POST /api/v1/statuses the fake received. */
  creations(): Networks['mastodon']['server']['requests'];
}

export async function startMastodonOnly(): Promise<MastodonOnly> {
  const n = await startNetworks();
  const dir = exampleRepoCopy();
  rmSync(join(dir, 'content/posts'), { recursive: true });
  rmSync(join(dir, 'content/social'), { recursive: true });
  mkdirSync(join(dir, 'content/social'));
  const ledgerFile = join(dir, 'content/ledger.jsonl');
  const repo: MastodonOnly = {
    n,
    dir,
    config(extra) {
      const text = readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8');
      writeFileSync(
        join(dir, 'postgate.config.yaml'),
        `${text.replace(/^channels: .*$/m, 'channels: [mastodon]')}\n${extra}`,
      );
    },
    draft(name, body, publishAt = '2026-12-01T09:30') {
      const front = `---\npublishAt: ${publishAt}\nchannels: [mastodon]\n---\n`;
      writeFileSync(join(dir, `content/social/${name}.md`), `${front}${body}\n`);
    },
    publish: (now, env = {}) => runCliAsync(['publish', '--now', now], { cwd: dir, env: { ...n.env, ...env } }),
    check: () => runCliAsync(['check'], { cwd: dir }),
    ledger: () =>
      existsSync(ledgerFile)
        ? readFileSync(ledgerFile, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as { type: string; channel: string; text?: string })
            .filter((r) => r.channel === 'mastodon')
        : [],
    creations: () => n.mastodon.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses'),
  };
  repo.config('');
  return repo;
}
