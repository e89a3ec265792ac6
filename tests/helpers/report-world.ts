import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakePlausible } from '../fakes/fake-plausible.ts';
import { exampleRepoCopy, runCliAsync } from './cli.ts';
import { startNetworks, type Networks } from './networks.ts';

/**
 * The example repository after two publish runs against the fake networks (the volunteer thanks on
 * 1 December, the sign-ups thread on 2 December, Berlin time), with Plausible chosen in its config
 * and a fake Plausible seeded with the readers those posts brought in: what `report` reads.
 */
export const THANKS = 'social/2026-12-01-volunteer-thanks';
export const THREAD = 'social/2026-12-02-signups-thread';
/** The Monday after: the default period is the week of 2026-11-30 to 2026-12-06. */
export const REPORT_NOW = '2026-12-07T08:00:00Z';

export interface ReportWorld {
  dir: string;
  networks: Networks;
  plausible: FakePlausible;
  env: Record<string, string>;
  report(args: string[], env?: Record<string, string>): ReturnType<typeof runCliAsync>;
  stop(): Promise<void>;
}

export async function startReportWorld(analytics = 'analytics:\n  tool: plausible\n'): Promise<ReportWorld> {
  const networks = await startNetworks();
  const plausible = new FakePlausible();
  plausible.timeZone = 'Europe/Berlin';
  await plausible.start();
  const dir = exampleRepoCopy();
  for (const now of ['2026-12-01T09:00:00Z', '2026-12-02T12:30:00Z']) {
    const run = await runCliAsync(['publish', '--now', now], { cwd: dir, env: networks.env });
    if (run.status !== 0) throw new Error(`publish at ${now} failed: ${run.stdout}${run.stderr}`);
  }
  appendFileSync(join(dir, 'postgate.config.yaml'), `\n${analytics}`);
  // Every Mastodon status: 1 reply, 2 boosts, 3 favourites; Bluesky's first post 4 likes.
  for (const s of networks.mastodon.live)
    networks.mastodon.counts.set(s.id, { replies_count: 1, reblogs_count: 2, favourites_count: 3 });
  networks.bluesky.counts.set(networks.bluesky.livePosts[0]!.uri, {
    likeCount: 4,
    repostCount: 0,
    replyCount: 0,
    quoteCount: 1,
  });
  const visit = (n: number, campaign: string, source: string, day: string, goals?: string[]) => ({
    at: `2026-12-0${day}T1${n % 10}:00:00+01:00`,
    visitor: `${source}-${campaign}-${n}`,
    campaign,
    source,
    medium: 'social',
    ...(goals ? { goals } : {}),
  });
  for (let i = 0; i < 12; i++) plausible.seed(visit(i, THANKS, 'mastodon', '1', i < 2 ? ['Signup'] : undefined));
  for (let i = 0; i < 5; i++) plausible.seed(visit(i, THANKS, 'x', '2'));
  for (let i = 0; i < 7; i++) plausible.seed(visit(i, THREAD, 'bluesky', '3'));
  // Not from a post: never counted for one.
  plausible.seed({ at: '2026-12-02T10:00:00+01:00', visitor: 'news', campaign: 'newsletter', source: 'email' });
  const env = { ...networks.env, PLAUSIBLE_URL: plausible.url, PLAUSIBLE_API_KEY: plausible.key };
  return {
    dir,
    networks,
    plausible,
    env,
    report: (args, extra = {}) =>
      runCliAsync(['report', '--now', REPORT_NOW, ...args], { cwd: dir, env: { ...env, ...extra } }),
    stop: async () => void (await Promise.all([networks.stop(), plausible.stop()])),
  };
}
