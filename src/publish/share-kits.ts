import { appendFileSync } from 'node:fs';
import type { Env } from '../channels/channel.ts';
import { redactSecrets } from '../channels/channel-error.ts';
import { SECRET_VARIABLES } from '../channels/credentials.ts';
import { channelLimitsOf, type Config } from '../core/config-schema.ts';
import type { Item } from '../core/item.ts';
import { codeText } from '../core/markdown-text.ts';
import { shareKitComment, shareKitLines, shareKitMarker, shareKitMarkdown } from '../core/share-kit-markdown.ts';
import { type PersonKit, type SharedItem, shareKits } from '../core/share-kit.ts';
import type { ActionResult, Outcome } from './results.ts';

/**
 * The end of a publish run: a share kit for every social item and announcement that went out in it,
 * when the config lists staff (README: Share kits for staff). In the job summary, and on GitHub as a
 * comment on the pull request that brought the item, mentioning the staff's GitHub logins from the
 * config; in a dry run or locally (no GITHUB_TOKEN), in the log only, and nothing is written to
 * GitHub. It never fails the run: a token without `pull-requests: write` is said, as is any error.
 */
export interface ShareKitRun {
  config: Config;
  results: readonly ActionResult[];
  items: readonly Item[];
  /** Nothing was sent (--dry-run, or no network has credentials): the kits are those it would make. */
  dryRun: boolean;
  env: Env;
  /** The run's log (already redacting secrets). */
  out: (line: string) => void;
}

interface ItemKits {
  item: SharedItem;
  kits: PersonKit[];
}

export async function deliverShareKits(run: ShareKitRun): Promise<void> {
  const { config, env } = run;
  if (config.staff.length === 0) return;
  const outcomes: readonly Outcome[] = run.dryRun ? ['sent', 'would-send'] : ['sent'];
  const wentOut = new Set(run.results.filter((r) => outcomes.includes(r.outcome)).map((r) => r.item));
  const options = { siteUrl: config.site.url, utm: config.policies.utm, limits: channelLimitsOf(config) };
  const all: ItemKits[] = run.items
    .filter((item): item is SharedItem => item.kind !== 'post' && wentOut.has(item.id))
    .map((item) => ({ item, kits: shareKits(item, config.staff, options) }));
  if (all.length === 0) return;

  const notes: Note[] = [];
  if (env.GITHUB_TOKEN && !run.dryRun) {
    for (const { item, kits } of all) notes.push(await comment(env, item, kits));
    for (const note of notes) run.out(`  ${note(asIs)}`);
  } else {
    run.out('');
    if (env.GITHUB_TOKEN) notes.push(() => 'Dry run: the share kits are not commented on pull requests.');
    for (const note of notes) run.out(`  ${note(asIs)}`);
    for (const { item, kits } of all) for (const line of shareKitLines(item, kits)) run.out(line);
  }
  if (!env.GITHUB_STEP_SUMMARY) return;
  const title = run.dryRun ? '## Share kits (dry run: what staff would get)' : '## Share kits';
  const markdown = [
    title,
    '',
    ...notes.map((note) => `> ${note(asCode)}\n`),
    ...all.map((k) => shareKitMarkdown(k.item, k.kits)),
  ];
  const secrets = SECRET_VARIABLES.map((name) => env[name]);
  appendFileSync(env.GITHUB_STEP_SUMMARY, `${redactSecrets(markdown.join('\n'), secrets)}\n`);
}

/**
 * A line for the log and for the job summary, given how to show a writer's text in it (an item's id,
 * its file). The summary is Markdown the owner reads: a file named www.sign-in.example.md, or in a
 * folder "[Sign in again](https:", would be a link there, so it shows them as code spans.
 */
type Note = (show: (writerText: string) => string) => string;
const asIs = (text: string) => text;
const asCode = (text: string) => codeText(text, 300);

/** The item's comment on its pull request, created or edited; what happened, in one line. */
async function comment(env: Env, item: SharedItem, kits: readonly PersonKit[]): Promise<Note> {
  const [id, file] = [item.id, item.file];
  try {
    const [{ githubFromEnv }, { commentShareKit }] = await Promise.all([
      import('../github/client.ts'),
      import('../github/share-kit-comment.ts'),
    ]);
    const gh = githubFromEnv(env, { timeoutMs: 10_000 });
    if (!gh) return (show) => `Share kit for ${show(id)}: not commented (no GitHub repository).`;
    const result = await commentShareKit(gh, {
      file: item.file,
      ref: env.GITHUB_SHA || gh.branch,
      marker: shareKitMarker(item.id),
      body: shareKitComment(item, kits, null),
    });
    if (result.kind === 'no-pull-request')
      return (show) =>
        `Share kit for ${show(id)}: no merged pull request brought ${show(file)}, so it is in this summary only.`;
    if (result.kind === 'read-only')
      return (show) =>
        `Note: the share kit for ${show(id)} was not commented on pull request #${result.pull} (${result.status}: ${result.message}). Give the publish job \`pull-requests: write\` (README: Share kits for staff).`;
    return (show) => `Share kit for ${show(id)}: comment on pull request #${result.pull} ${result.kind}: ${result.url}`;
  } catch (error) {
    return (show) =>
      `Warning: could not comment the share kit for ${show(id)} (${(error as Error).message.split('\n')[0]}); it is in this summary.`;
  }
}
