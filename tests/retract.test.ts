import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRepoCopy, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * `retract` does not take the ledger's remote ids on trust: each post is read back from the
 * network and must say what the ledger recorded before anything is deleted. The real CLI in local
 * mode, the three fake networks, and a ledger changed by hand the way a mistake or a forgery would.
 */
let n: Networks;
let dir: string;
beforeEach(async () => {
  n = await startNetworks();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await n.stop();
});

const LEDGER = 'content/ledger.jsonl';
const THANKS = 'social/2026-12-01-volunteer-thanks';
const THREAD = 'social/2026-12-02-signups-thread';
const CHANNELS = ['x', 'mastodon', 'bluesky'] as const;
const NAMES = { x: 'X', mastodon: 'Mastodon', bluesky: 'Bluesky' } as const;

interface Rec {
  type: string;
  item: string;
  channel: string;
  part: number;
  remoteId: string;
  url: string;
  cid?: string;
  text?: string;
  run?: string;
}

const run = (args: string[]) => runCliAsync(args, { cwd: dir, env: n.env });
const ledger = (): Rec[] =>
  readFileSync(join(dir, LEDGER), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);
const sent = (item: string, channel: string, part = 0) =>
  ledger().find((r) => r.type === 'sent' && r.item === item && r.channel === channel && r.part === part)!;
const appendLine = (record: Rec) => appendFileSync(join(dir, LEDGER), `${JSON.stringify(record)}\n`);
const deletes = () =>
  [n.x.server, n.mastodon.server, n.bluesky.server].flatMap((s) =>
    s.requests.filter((q) => q.method === 'DELETE' || q.path.endsWith('com.atproto.repo.deleteRecord')),
  );
/** Is the post with this remote id live on its network? */
const live = (channel: (typeof CHANNELS)[number], remoteId: string) =>
  channel === 'x'
    ? n.x.livePosts().some((p) => p.id === remoteId)
    : channel === 'mastodon'
      ? n.mastodon.live.some((s) => s.id === remoteId)
      : n.bluesky.livePosts.some((r) => r.uri === remoteId);

/** The thanks (one post a network), then the sign-ups thread (4 parts; Mastodon's own text has 3). */
async function bothSent() {
  for (const now of ['2026-12-01T09:00:00Z', '2026-12-02T12:30:00Z']) {
    const r = await run(['publish', '--now', now]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  }
  expect(liveCounts(n)).toEqual({ x: 5, mastodon: 4, bluesky: 5 });
}

describe('retract checks each post against the ledger before deleting it', () => {
  it('keeps the exact text that went out in every sent record', async () => {
    await bothSent();
    expect(sent(THANKS, 'x').text).toBe(n.x.livePosts()[0]!.text);
    expect(sent(THANKS, 'mastodon').text).toBe(n.mastodon.live[0]!.text);
    expect(sent(THANKS, 'bluesky').text).toBe(n.bluesky.livePosts[0]!.record.text);
    for (const channel of CHANNELS) {
      const parts = ledger().filter((r) => r.type === 'sent' && r.item === THREAD && r.channel === channel);
      expect(parts.length).toBeGreaterThan(2);
      for (const part of parts) expect(part.text).toMatch(/\S/);
    }
  });

  it("refuses a record that names another item's post: deletes nothing, on any network, and says why", async () => {
    await bothSent();
    // A's record for its one part, mistaken (or forged) to name the first post of B's thread.
    const victims = CHANNELS.map((channel) => {
      const b = sent(THREAD, channel);
      const { cid: _cid, ...a } = sent(THANKS, channel);
      appendLine({ ...a, remoteId: b.remoteId, url: b.url, ...(b.cid ? { cid: b.cid } : {}), run: 'by-hand' });
      return { channel, b };
    });

    const r = await run(['retract', THANKS]);
    expect(r.status).toBe(1);
    for (const { channel, b } of victims) {
      expect(live(channel, b.remoteId)).toBe(true);
      expect(r.stdout).toContain(
        `the post at ${b.url} does not say what the ledger recorded for ${THANKS} part 1; nothing deleted on ${NAMES[channel]}: check the ledger (git log -p content/ledger.jsonl)`,
      );
    }
    expect(liveCounts(n)).toEqual({ x: 5, mastodon: 4, bluesky: 5 });
    expect(deletes()).toHaveLength(0);
    expect(ledger().filter((rec) => rec.type === 'retracted')).toHaveLength(0);

    // The wrong line does not hold up B's own retraction: its posts say what B's records say.
    const b = await run(['retract', THREAD]);
    expect({ status: b.status, stderr: b.stderr }).toEqual({ status: 0, stderr: '' });
    for (const { channel, b: first } of victims) expect(live(channel, first.remoteId)).toBe(false);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });

  it("refuses a copy of another item's record, text and all: that post is recorded for the other item", async () => {
    await bothSent();
    for (const channel of CHANNELS) appendLine({ ...sent(THREAD, channel), item: THANKS, run: 'by-hand' });
    const r = await run(['retract', THANKS]);
    expect(r.status).toBe(1);
    for (const channel of CHANNELS) {
      const b = sent(THREAD, channel);
      expect(live(channel, b.remoteId)).toBe(true);
      expect(r.stdout).toContain(
        `the post at ${b.url}, recorded for ${THANKS} part 1, is recorded for ${THREAD} too; nothing deleted on ${NAMES[channel]}`,
      );
    }
    expect(deletes()).toHaveLength(0);
  });

  it('counts a post deleted by hand on the network as gone, and deletes the rest', async () => {
    const first = await run(['publish', '--now', '2026-12-01T09:00:00Z']);
    expect(first.status).toBe(0);
    n.mastodon.live[0]!.deleted = true;
    n.x.livePosts()[0]!.deleted = true;

    const r = await run(['retract', THANKS]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.stdout).toContain(`mastodon ${THANKS}  part 1 already gone: ${sent(THANKS, 'mastodon').url}`);
    expect(r.stdout).toContain(`x        ${THANKS}  part 1 already gone: ${sent(THANKS, 'x').url}`);
    // Read back, found gone, and not asked to be deleted; the one still there was.
    expect(deletes().map((q) => q.path)).toEqual(['/xrpc/com.atproto.repo.deleteRecord']);
    expect(
      ledger()
        .filter((rec) => rec.type === 'retracted')
        .map((rec) => rec.channel)
        .sort(),
    ).toEqual(['bluesky', 'mastodon', 'x']);
  });

  it('deletes records written before Postgate kept the text, with a warning that they were not verified', async () => {
    const first = await run(['publish', '--now', '2026-12-01T09:00:00Z']);
    expect(first.status).toBe(0);
    const old = readFileSync(join(dir, LEDGER), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const { text: _text, ...rest } = JSON.parse(l) as Rec;
        return JSON.stringify(rest);
      });
    writeFileSync(join(dir, LEDGER), `${old.join('\n')}\n`);

    const r = await run(['retract', THANKS]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.stdout.match(/warning: part 1 not verified: recorded before Postgate kept the text/g)).toHaveLength(3);
  });
});
