import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, FindRequest, PostRequest } from '../channels/channel.ts';
import { SOCIAL_RULES } from '../core/channels.ts';
import { machineTime } from '../core/clock.ts';
import type { AnnounceItem, PostItem } from '../core/item.ts';
import { LEDGER_FILE, type LedgerRecord, summarizeLedger } from '../core/ledger.ts';
import { planPublish, type PlanInputs } from '../core/plan.ts';
import { parseLedgerText } from '../repo/ledger-file.ts';
import { applyReleases, applySends, type ApplyDeps } from './apply-plan.ts';
import { LocalLedgerStore } from './ledger-store.ts';
import { THIS_RUNNER } from './this-runner.ts';

/**
 * The run's clock and the machine's clock are two clocks. A run planned for one moment (`--now`,
 * POSTGATE_NOW) must decide the same whatever the date on the machine: the blog post it releases
 * is live at the run's moment, so its announcement is due in the same run, and in every later one.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2030, 5, 3, 9, 0);

const post: PostItem = {
  id: 'posts/launch',
  kind: 'post',
  file: 'content/posts/launch.mdx',
  publishAt: NOW - HOUR,
  draft: false,
  staleAfterMs: null,
  slug: 'launch',
  title: 'We launched',
  description: 'All about the launch',
  tags: [],
  author: 'Ann',
  cover: null,
  bodyImages: [],
};
const announce: AnnounceItem = {
  id: 'posts/launch/announce',
  kind: 'announce',
  file: post.file,
  publishAt: post.publishAt,
  draft: false,
  staleAfterMs: 6 * HOUR,
  postId: post.id,
  channels: ['mastodon'],
  texts: { mastodon: { text: 'Read it: https://example.org/posts/launch/', at: { line: 3, col: 1 } } },
};

/** A network that records what it is asked: enough to see the clocks the publisher passes on. */
function recordingChannel(finds: FindRequest[], posts: PostRequest[]): Channel {
  return {
    id: 'mastodon',
    rules: SOCIAL_RULES.mastodon,
    publish: async (request) => {
      posts.push(request);
      return { id: `m-${posts.length}`, url: `https://social.example/@brand/${posts.length}` };
    },
    find: async (request) => {
      finds.push(request);
      return null;
    },
    lookUp: async () => null,
    retract: async () => {},
  };
}

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function deps(machineMs: number, finds: FindRequest[] = [], posts: PostRequest[] = []): ApplyDeps {
  return {
    channel: async () => ({ ok: true, channel: recordingChannel(finds, posts) }),
    siteUrl: 'https://example.org',
    dryRun: false,
    gates: { mode: 'local', description: '', crisis: async () => null },
    ledger: new LocalLedgerStore(root),
    now: NOW,
    clock: () => NOW + 1_500,
    machineClock: () => machineTime(machineMs),
    sleep: async () => {},
    readImages: async () => [],
    timeoutMs: 1_000,
    maxRateLimitWaitMs: 0,
    maxTries: 1,
    retryBaseMs: 0,
    log: () => {},
  };
}

const inputs = (ledgerText: string): PlanInputs => ({
  items: [post, announce],
  ledger: summarizeLedger(parseLedgerText(ledgerText).records),
  now: NOW,
  crisis: null,
  invalid: new Map(),
  compose: { siteUrl: 'https://example.org', utm: true },
  enabled: ['blog', 'mastodon'],
});

const ledgerText = () => readFileSync(join(root, LEDGER_FILE), 'utf8');

/** A claim on the first part of `item` on `channel`, made at `machineMs` by the machine's clock. */
const openAttempt = (item: string, channel: string, machineMs: number): LedgerRecord => ({
  v: 1,
  type: 'attempt',
  item,
  channel,
  part: 0,
  parts: 1,
  remoteId: '',
  url: '',
  at: new Date(NOW).toISOString(),
  machineAt: new Date(machineMs).toISOString(),
  hash: 'h',
});

describe('one clock per run', () => {
  for (const [name, machineMs] of [
    ['the machine 400 days ahead of the run', NOW + 400 * DAY],
    ['the machine 400 days behind the run', NOW - 400 * DAY],
  ] as const) {
    it(`releases a post and sends its announcement in the same run, ${name}`, async () => {
      root = mkdtempSync(join(tmpdir(), 'postgate-clock-'));
      const posts: PostRequest[] = [];
      const run = deps(machineMs, [], posts);
      const released = await applyReleases(planPublish(inputs('')).actions, run);
      expect(released.map((r) => r.outcome)).toEqual(['released']);

      const after = planPublish(inputs(ledgerText()));
      expect(after.verdicts.get(announce.id)).toMatchObject({ state: 'due', dueAt: NOW });
      const sent = await applySends(after.actions, run);
      expect(sent.map((r) => [r.item, r.outcome])).toEqual([[announce.id, 'sent']]);
      expect(posts).toHaveLength(1);

      // Every record carries the run's moment; attempts also carry the machine's, apart.
      const records = parseLedgerText(ledgerText()).records;
      expect(new Set(records.map((r) => r.at))).toEqual(new Set([new Date(NOW).toISOString()]));
      const attempts = records.filter((r) => r.type === 'attempt');
      expect(attempts.map((r) => r.machineAt)).toEqual([
        new Date(machineMs).toISOString(),
        new Date(machineMs).toISOString(),
      ]);
      expect(planPublish(inputs(ledgerText())).verdicts.get(announce.id)?.state).toBe('published');

      // Lateness is on record by the run's clock as it ran on, never the machine's date.
      const iso = (ms: number) => new Date(ms).toISOString();
      const sentRecords = records.filter((r) => r.type === 'sent');
      expect(sentRecords.map((r) => [r.channel, r.due, r.sentAt])).toEqual([
        ['blog', iso(NOW - HOUR), iso(NOW + 1_500)],
        ['mastodon', iso(NOW), iso(NOW + 1_500)],
      ]);
      expect([released[0]?.lateMs, sent[0]?.lateMs]).toEqual([HOUR + 1_500, 1_500]);
    });
  }

  it('looks for an unfinished attempt from the machine time it was made, not the run time', async () => {
    root = mkdtempSync(join(tmpdir(), 'postgate-clock-'));
    const machineMs = NOW + 400 * DAY;
    const first = deps(machineMs);
    await applyReleases(planPublish(inputs('')).actions, first);
    // A run that died after claiming the announcement, before the request's answer.
    await first.ledger.claim(openAttempt(announce.id, 'mastodon', machineMs));

    const finds: FindRequest[] = [];
    const plan = planPublish(inputs(ledgerText()));
    expect(plan.actions[0]).toMatchObject({ kind: 'send', parts: [{ uncertain: true, attemptedAt: { machineMs } }] });
    await applySends(plan.actions, deps(machineMs + HOUR, finds));
    expect(finds.map((f) => f.notBefore)).toEqual([machineMs - 60_000]);
  });

  it('reads the machine time of an attempt written before records carried it from its `at`', () => {
    const legacy = JSON.stringify({
      v: 1,
      type: 'attempt',
      item: 'social/a',
      channel: 'x',
      part: 0,
      parts: 1,
      at: '2026-11-20T10:00:00.000Z',
    });
    const summary = summarizeLedger(parseLedgerText(legacy).records);
    expect(summary.progress.get('social/a\u0000x')?.uncertain.get(0)).toEqual({
      machineMs: Date.parse('2026-11-20T10:00:00.000Z'),
    });
  });

  it('leaves a release or a part another live run claimed to it, and takes them up once it has ended or its lease is over', async () => {
    root = mkdtempSync(join(tmpdir(), 'postgate-clock-'));
    const machineMs = NOW + 400 * DAY;
    const claimBy = (item: string, channel: string) =>
      new LocalLedgerStore(root).claim(openAttempt(item, channel, machineMs));
    // The claims carry this process as their runner; the runs below are other runs on this machine.
    let running = true;
    const other = { run: 'another-run', machine: THIS_RUNNER.machine, pid: -1, alive: () => running };
    const as = (ms: number, finds: FindRequest[] = [], posts: PostRequest[] = []) => ({
      ...deps(ms, finds, posts),
      runner: other,
    });

    await claimBy(post.id, 'blog');
    const held = await applyReleases(planPublish(inputs(ledgerText())).actions, as(machineMs + 1_000));
    expect(held.map((r) => [r.outcome, r.message])).toEqual([['held', 'another run is releasing it right now']]);
    running = false;
    const released = await applyReleases(planPublish(inputs(ledgerText())).actions, as(machineMs + 1_000));
    expect(released.map((r) => r.outcome)).toEqual(['released']);

    running = true;
    await claimBy(announce.id, 'mastodon');
    const finds: FindRequest[] = [];
    const posts: PostRequest[] = [];
    const waiting = await applySends(planPublish(inputs(ledgerText())).actions, as(machineMs + 1_000, finds, posts));
    expect(waiting.map((r) => r.outcome)).toEqual(['held']);
    expect(waiting[0]?.message).toMatch(/^another run is sending part 1 right now; left to it/);
    expect([finds, posts]).toEqual([[], []]);
    // Still running, but past any send this run's settings allow (1 s per request: 3 min 3 s): looked for, then sent.
    const late = await applySends(planPublish(inputs(ledgerText())).actions, as(machineMs + 10 * 60_000, finds, posts));
    expect(late.map((r) => r.outcome)).toEqual(['sent']);
    expect([finds.length, posts.length]).toEqual([1, 1]);
  });
});
