import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';
import { startReportWorld, THANKS, THREAD, type ReportWorld } from './helpers/report-world.ts';

/**
 * `report` as a user runs it: the example content, published to the fake networks, its visitors
 * in a fake Plausible. The world is built once (two publish runs); each test only reads it.
 */
let w: ReportWorld;
beforeAll(async () => {
  w = await startReportWorld();
}, 60_000);
afterAll(async () => {
  await w.stop();
});

describe('postgate report', () => {
  it('prints the tables for the last complete week: visitors per network, per week, per post', async () => {
    const run = await w.report([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^Outcomes 2026-11-30 to 2026-12-06 \(Europe\/Berlin\), visitors from Plausible/);
    expect(out).toMatch(/BY NETWORK[\s\S]*Mastodon\s+2\s+12\s/);
    expect(out).toMatch(/BY WEEK \(visitors\)\n.*\n.*2026-W49\s+2026-11-30 to 2026-12-06\s+5\s+12\s+7\s+24/);
    expect(out).toContain(THANKS);
    expect(out).toContain(THREAD);
    expect(out).not.toContain('newsletter');
    // Engagement second: Mastodon's four statuses (the thanks and the three-part thread), Bluesky's
    // first post; X not asked (it bills each read), with the number of reads it would take.
    expect(out).toMatch(/Mastodon\s+2\s+12\s.*4 replies, 8 reposts, 12 likes/);
    expect(out).toMatch(/Bluesky\s+2\s+7\s.*0 replies, 0 reposts, 4 likes, 1 quote/);
    expect(out).toMatch(/X\s+2\s+5\s.*–$/m);
    expect(out).toMatch(/This report would read 5 posts; analytics.xMetrics: true turns it on/);
    expect(w.networks.x.postsRead).toBe(0);
    for (const secret of [...w.networks.secrets, w.plausible.key]) expect(out).not.toContain(secret);
  });

  it('gives the same numbers as JSON and as Markdown with its chart', async () => {
    const json = JSON.parse((await w.report(['--format', 'json'])).stdout);
    expect(json.since).toBe('2026-11-30');
    const thanks = json.items.find((i: { item: string }) => i.item === THANKS);
    expect(thanks).toMatchObject({ visitors: 17, partial: false, conversions: { Signup: 2 } });
    const md = (await w.report(['--format', 'markdown', '--since', '2026-12-01', '--until', '2026-12-03'])).stdout;
    expect(md).toContain('```mermaid');
    expect(md).toContain('xychart-beta');
  });

  it('still prints the report when the tool refuses the key, names what is missing, and exits 1 only with --strict', async () => {
    const bad = { PLAUSIBLE_API_KEY: 'not-the-key-0000' };
    const run = await w.report([], bad);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/MISSING[\s\S]*Plausible, week 2026-W49: .*(key|401)/i);
    expect(run.stdout).toMatch(/Mastodon\s+2\s+\?/);
    const strict = await w.report(['--strict'], bad);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('MISSING');
    expect(strict.stderr).toMatch(/missing Plausible, week 2026-W49/);
    expect(strict.stderr + strict.stdout).not.toContain('not-the-key-0000');
  });

  it('names a tool that is down, and one not set up', async () => {
    const down = await w.report([], { PLAUSIBLE_URL: 'http://127.0.0.1:9' });
    expect(down.status).toBe(0);
    expect(down.stdout).toMatch(/MISSING[\s\S]*Plausible, week 2026-W49: /);
    const unset = await w.report(['--strict'], { PLAUSIBLE_API_KEY: '' });
    expect(unset.status).toBe(1);
    expect(unset.stdout).toMatch(/MISSING[\s\S]*visitors from the site: PLAUSIBLE_API_KEY is not set/);
  });

  it('refuses plain http to another machine, a bad day and a bad format before asking anything', async () => {
    const asked = w.plausible.server.requests.length;
    const insecure = await w.report([], { PLAUSIBLE_URL: 'http://stats.example' });
    expect(insecure.status).toBe(2);
    expect(insecure.stderr).toMatch(/PLAUSIBLE_URL is http:\/\/stats\.example: http:\/\/ would send credentials/);
    expect((await w.report(['--since', '2026-13-01'])).stderr).toMatch(/--since expects a day written YYYY-MM-DD/);
    expect((await w.report(['--format', 'csv'])).stderr).toMatch(/--format expects one of text, markdown, json/);
    expect(w.plausible.server.requests).toHaveLength(asked);
  });
});

describe("the README's sample report", () => {
  it('is the pinned month, its tables and chart as report renders them', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const fixture = readFileSync(join(REPO_ROOT, 'tests/fixtures/report/2026-11.md'), 'utf8');
    const between = (text: string, from: string, to: string) =>
      text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
    for (const [from, to] of [
      ['| Network | Posts |', '\n\n'],
      ['| Week | Days |', '\n\n'],
      ['```mermaid\nxychart-beta\n    title "X:', '```\n'],
      ['| Weeks out |', '\n\n'],
      ['```mermaid\nxychart-beta\n    title "Visitors per post', '```\n'],
      ['1. `social/2026-11-03-launch`', '\n\n'],
    ] as const) {
      const part = between(fixture, from, to);
      expect(part.length, from).toBeGreaterThan(20);
      expect(readme, from).toContain(part);
    }
  });
});
