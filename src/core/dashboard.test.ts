import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.ts';
import { scheduleWindow } from './dashboard-gantt.ts';
import { DASHBOARD_MARKER, dashboardMarkdown, sameDashboard, type DashboardInput } from './dashboard.ts';
import type { Item, PostItem, SocialItem } from './item.ts';
import type { StateVerdict } from './item-state.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Tuesday 1 December 2026, 09:07 in Berlin (UTC+1).
const NOW = Date.parse('2026-12-01T08:07:00Z');
const ZONE = 'Europe/Berlin';

const social = (id: string, publishAt: number, over: Partial<SocialItem> = {}): SocialItem => ({
  id,
  kind: 'social',
  file: `content/${id}.md`,
  publishAt,
  draft: false,
  staleAfterMs: 6 * HOUR,
  channels: ['x', 'mastodon'],
  parts: [{ text: 'Hello', at: { line: 5, col: 1 } }],
  overrides: {},
  images: [],
  ...over,
});

const post = (id: string, publishAt: number): PostItem => ({
  id,
  kind: 'post',
  file: `content/${id}.mdx`,
  publishAt,
  draft: false,
  staleAfterMs: null,
  slug: id.replace('posts/', ''),
  title: 'A post',
  description: '',
  tags: [],
  author: 'Ann',
  cover: null,
  bodyImages: [],
});

/** Items scheduled at their publishAt, with the verdicts the planner would give at NOW. */
function input(items: Item[], over: Partial<DashboardInput> = {}): DashboardInput {
  const verdicts = new Map<string, StateVerdict>(
    items.map((i) => [i.id, { state: (i.publishAt ?? 0) > NOW ? 'scheduled' : 'due', dueAt: i.publishAt }]),
  );
  return {
    now: NOW,
    zone: ZONE,
    crisis: null,
    held: [],
    results: [],
    missingCredentials: [],
    items,
    verdicts,
    enabled: ['blog', 'x', 'mastodon', 'bluesky'],
    records: [],
    linkHosts: { blog: ['example.org'], x: ['x.com'], mastodon: ['m.example'], bluesky: ['bsky.app'] },
    runUrl: null,
    ...over,
  };
}

const gantt = (body: string) => /```mermaid\n([\s\S]*?)\n```/.exec(body)?.[1] ?? null;
const section = (body: string, heading: string) => body.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';

describe('the dashboard', () => {
  it('starts with its marker and says plainly when there is nothing to show', () => {
    const body = dashboardMarkdown(input([]));
    expect(body.startsWith(`${DASHBOARD_MARKER}\n`)).toBe(true);
    expect(body).toContain('**CRISIS:** off.');
    expect(body).toContain('Nothing needs attention.');
    expect(body).toContain('Nothing went out in the last 7 days.');
    expect(body).toContain('Nothing is scheduled in the next 14 days.');
    expect(body).toContain('_Updated 2026-12-01 09:07 +01:00._');
    expect(gantt(body)).toBeNull();
  });

  it('puts what needs attention first: credentials, failures, held and missed items, before what went out', () => {
    const stale = social('social/friday', NOW - 26 * HOUR);
    const body = dashboardMarkdown(
      input([stale], {
        missingCredentials: [{ channel: 'bluesky', variables: ['BLUESKY_HANDLE', 'BLUESKY_APP_PASSWORD'] }],
        results: [
          {
            item: 'social/a',
            channel: 'x',
            outcome: 'failed',
            failure: 'auth',
            message: 'X refused the credentials (401)',
          },
          {
            item: 'social/b',
            channel: 'mastodon',
            outcome: 'failed',
            failure: 'server',
            message: 'Mastodon answered 503',
          },
          { item: 'social/c', channel: 'mastodon', outcome: 'sent' },
        ],
        held: [
          { item: 'social/d', state: 'held', reason: 'not approved: no approving review' },
          { item: 'social/friday', state: 'stale', reason: 'due 26h ago, past its 6h window' },
        ],
        verdicts: new Map([['social/friday', { state: 'stale', dueAt: stale.publishAt }]]),
        records: [sent('social/c', 'mastodon', NOW - HOUR, 'https://mastodon.example/@riverside/1')],
      }),
    );
    const attention = section(body, 'Needs attention').trim().split('\n');
    expect(attention).toEqual([
      '- **Credentials missing** for Bluesky: `BLUESKY_HANDLE`, `BLUESKY_APP_PASSWORD` not set in the publish environment; nothing is sent there.',
      '- **Credentials rejected** by X (`social/a` on X): X refused the credentials \\(401\\)',
      '- **Failed** `social/b` on Mastodon: Mastodon answered 503',
      '- **Held** `social/d`: not approved: no approving review',
      // Its due time, not "26h ago": the line stays the same from run to run.
      '- **Missed** `social/friday`: due 2026-11-30 07:07 +01:00, past its 6h window; it is not sent late. Reschedule it in a pull request to send it.',
    ]);
    expect(body.indexOf('## Needs attention')).toBeLessThan(body.indexOf('## Sent in the last 7 days'));
    expect(body.indexOf('## Sent in the last 7 days')).toBeLessThan(body.indexOf('## Next 14 days'));
  });

  it('shows CRISIS at the very top, with since when and by whom', () => {
    const body = dashboardMarkdown(
      input([], {
        crisis: { reason: 'Flooding in the city', author: 'amira', at: '2026-12-01T07:45:00Z' },
        held: [{ item: 'social/a', state: 'held', reason: 'CRISIS: Flooding in the city' }],
      }),
    );
    const lines = body.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      DASHBOARD_MARKER,
      '',
      '> [!CAUTION]',
      '> **CRISIS is on** (since 2026-12-01 08:45 +01:00, by amira): nothing is published, the blog included, until the CRISIS file is removed from main.',
      '> Reason: Flooding in the city',
    ]);
  });

  it('says when CRISIS could not be checked', () => {
    const body = dashboardMarkdown(input([], { crisis: { reason: 'could not check (timeout)', unknown: true } }));
    expect(body).toContain(
      '> **CRISIS could not be checked**, so nothing is published until it can: could not check \\(timeout\\)',
    );
  });

  it('lists what went out in the last 7 days, newest first, with links; a thread once, a blog post at its address', () => {
    const records = [
      sent('social/old', 'x', NOW - 8 * DAY, 'https://x.com/r/status/1'),
      sent('posts/welcome', 'blog', NOW - 2 * DAY, 'https://example.org/posts/welcome/'),
      sent('social/thread', 'mastodon', NOW - HOUR, 'https://m.example/@r/10', 0, 3),
      sent('social/thread', 'mastodon', NOW - HOUR + MIN, 'https://m.example/@r/11', 1, 3),
      sent('social/thread', 'mastodon', NOW - HOUR + 2 * MIN, 'https://m.example/@r/12', 2, 3),
      sent('social/gone', 'x', NOW - 3 * DAY, 'https://x.com/r/status/5'),
      { ...sent('social/gone', 'x', NOW - 2 * DAY, ''), type: 'retracted' },
      sent('social/future', 'x', NOW + HOUR, 'https://x.com/r/status/9'),
    ];
    expect(
      section(dashboardMarkdown(input([], { records })), 'Sent in the last 7 days')
        .trim()
        .split('\n'),
    ).toEqual([
      '- 2026-12-01 08:09 +01:00: `social/thread` on [Mastodon](https://m.example/@r/10) (3/3 parts)',
      '- 2026-11-29 09:07 +01:00: `posts/welcome` released on [Blog](https://example.org/posts/welcome/)',
      '- 2026-11-28 09:07 +01:00: `social/gone` on X, since retracted',
    ]);
  });

  it('draws the next 14 days as a Mermaid gantt in the site’s time, each item on each channel', () => {
    const items = [
      social('social/launch', Date.parse('2026-12-02T08:30:00Z')),
      post('posts/winter', Date.parse('2026-12-03T06:00:00Z')),
    ];
    expect(gantt(dashboardMarkdown(input(items)))).toBe(
      [
        'gantt',
        '  dateFormat YYYY-MM-DD HH:mm',
        '  axisFormat %a %d %b',
        '  tickInterval 1day',
        '  todayMarker off',
        '  section 14 days',
        '  times in Europe/Berlin : done, 2026-12-01 00:00, 2026-12-15 00:00',
        '  section Blog',
        '  07∶00 posts/winter : milestone, 2026-12-03 07:00, 1m',
        '  section X',
        '  09∶30 social/launch : milestone, 2026-12-02 09:30, 1m',
        '  section Mastodon',
        '  09∶30 social/launch : milestone, 2026-12-02 09:30, 1m',
      ].join('\n'),
    );
  });

  it('keeps to the window: after now, before the start of the 15th day; not drafts, not due, not disabled channels', () => {
    const { start, end } = scheduleWindow(NOW, ZONE);
    expect([new Date(start).toISOString(), new Date(end).toISOString()]).toEqual([
      '2026-11-30T23:00:00.000Z',
      '2026-12-14T23:00:00.000Z',
    ]);
    const items = [
      social('social/now', NOW),
      social('social/next-minute', NOW + MIN),
      social('social/last-minute', end - MIN),
      social('social/too-late', end),
      social('social/draft', NOW + HOUR, { draft: true }),
      social('social/bluesky-only', NOW + HOUR, { channels: ['bluesky'] }),
    ];
    const body = dashboardMarkdown(
      input(items, {
        enabled: ['blog', 'x'],
        verdicts: new Map(
          items.map((i): [string, StateVerdict] => [
            i.id,
            { state: i.draft ? 'draft' : i.publishAt! > NOW ? 'scheduled' : 'due', dueAt: i.publishAt },
          ]),
        ),
      }),
    );
    const tasks = gantt(body)!
      .split('\n')
      .filter((l) => l.includes('milestone'));
    expect(tasks).toEqual([
      '  09∶08 social/next-minute : milestone, 2026-12-01 09:08, 1m',
      '  23∶59 social/last-minute : milestone, 2026-12-14 23:59, 1m',
    ]);
  });

  it('a window across a clock change keeps whole local days', () => {
    const now = Date.parse('2026-03-20T12:00:00Z');
    const { start, end } = scheduleWindow(now, ZONE);
    expect(new Date(start).toISOString()).toBe('2026-03-19T23:00:00.000Z');
    // Berlin moves to summer time on 29 March: the window's last day ends at midnight CEST.
    expect(new Date(end).toISOString()).toBe('2026-04-02T22:00:00.000Z');
  });

  it('ids cannot break out of the chart, start a Mermaid statement or ping anyone', () => {
    const hostile = [
      'social/x : done, 2020-01-01, 1d',
      'section Owned',
      'click social/a href "javascript:alert(1)"',
      '%%{init: {"theme": "dark"}}%%',
      'a\n```\n@riverside #1 <b>hi</b>; next',
    ];
    const items = hostile.map((id, i) => social(id, NOW + (i + 1) * HOUR, { channels: ['x'] }));
    const body = dashboardMarkdown(input(items));
    const chart = gantt(body)!;
    // One fence opens and one closes the chart; nothing else in the body is a fence.
    expect(body.match(/```/g)).toHaveLength(2);
    const tasks = chart.split('\n').filter((l) => l.includes('milestone'));
    expect(tasks).toEqual([
      '  10∶07 social/x _ done_ 2020-01-01_ 1d : milestone, 2026-12-01 10:07, 1m',
      '  11∶07 section Owned : milestone, 2026-12-01 11:07, 1m',
      '  12∶07 click social/a href _javascript_alert_1__ : milestone, 2026-12-01 12:07, 1m',
      '  13∶07 ___init_ __theme__ _dark_____ : milestone, 2026-12-01 13:07, 1m',
      '  14∶07 a______riverside _1 _b_hi_/b__ next : milestone, 2026-12-01 14:07, 1m',
    ]);
    // Every statement line is the chart's own: one task per item, no other sections.
    expect(chart.split('\n').filter((l) => /^\s*section /.test(l))).toEqual(['  section 14 days', '  section X']);
    for (const task of tasks) {
      expect(task).not.toMatch(/[@#`%;<>"{}]/);
      expect(task.match(/:/g)).toHaveLength(2); // the separator, and the time in its data
    }
  });

  it('text a writer or a network controls is shown as text: no mention, no reference, no HTML, no link', () => {
    const body = dashboardMarkdown(
      input([], {
        held: [
          {
            item: 'social/`rm` @amira',
            state: 'held',
            reason:
              'cc @riverside/editors see #12 <img src=x onerror=alert(1)> [click](https://evil.example) $x$\n## Fake',
          },
        ],
        crisis: { reason: '@everyone **now**', author: '@amira', at: null },
      }),
    );
    const held = section(body, 'Needs attention').trim();
    expect(held).toBe(
      '- **Held** `social/ˋrmˋ @amira`: cc @&#8203;riverside/editors see \\#&#8203;12 \\<img src=x onerror=alert\\(1\\)\\> \\[click\\]\\(https:&#8203;//evil.example\\) \\$x\\$ \\#&#8203;\\#&#8203; Fake',
    );
    expect(body).toContain('> Reason: @&#8203;everyone \\*\\*now\\*\\*');
    expect(body).toContain('by @&#8203;amira');
    // No line of writer text starts a heading of its own.
    expect(body.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(3);
  });

  it('links the run and ignores only its "updated" line when comparing', () => {
    const a = dashboardMarkdown(input([], { runUrl: 'https://github.com/riverside/journal/actions/runs/42' }));
    expect(a).toContain(
      '_Updated 2026-12-01 09:07 +01:00 by [this publish run](https://github.com/riverside/journal/actions/runs/42)._',
    );
    // A line that starts with an HTML comment would be raw HTML to GitHub, its link shown as text.
    expect(a).toMatch(/^_Updated [^\n]*\._ <!-- postgate:updated -->$/m);
    const later = dashboardMarkdown(
      input([], { now: NOW + 15 * MIN, runUrl: 'https://github.com/riverside/journal/actions/runs/43' }),
    );
    expect(later).not.toBe(a);
    expect(sameDashboard(a, later)).toBe(true);
    const changed = dashboardMarkdown(
      input([], { held: [{ item: 'social/a', state: 'held', reason: 'not approved' }] }),
    );
    expect(sameDashboard(a, changed)).toBe(false);
    expect(sameDashboard(a, a.replace(/\n/g, '\r\n'))).toBe(true);
  });

  it('stays under GitHub’s limit for an issue body, whatever the text', () => {
    const held = Array.from({ length: 400 }, (_, i) => ({
      item: `social/${i}`,
      state: 'held',
      reason: '@'.repeat(300),
    }));
    const records = Array.from({ length: 400 }, (_, i) =>
      sent(`social/${i}`, 'x', NOW - i * MIN, `https://x.com/r/status/${i}`),
    );
    const items = Array.from({ length: 400 }, (_, i) => social(`social/s${i}`, NOW + (i + 1) * 10 * MIN));
    const body = dashboardMarkdown(input(items, { held, records }));
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/… and \d+ more: the run's job summary lists them all\./);
    expect(body).toContain('more posts in these days are not drawn');
  });
});

describe('the config: dashboard', () => {
  const site = { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin' };
  const parse = (dashboard?: unknown) =>
    configSchema.safeParse({ site, ...(dashboard === undefined ? {} : { dashboard }) });

  it('is on by default, titled "Postgate dashboard"; it can be turned off or renamed', () => {
    expect(parse().data?.dashboard).toEqual({ enabled: true, title: 'Postgate dashboard', notify: [] });
    expect(parse({ enabled: false }).data?.dashboard).toEqual({
      enabled: false,
      title: 'Postgate dashboard',
      notify: [],
    });
    expect(parse({ notify: ['amira', 'ben-k'] }).data?.dashboard.notify).toEqual(['amira', 'ben-k']);
    expect(parse({ title: '  Riverside: what goes out  ' }).data?.dashboard.title).toBe('Riverside: what goes out');
  });

  it('refuses a switch that is not true or false, an empty title, one GitHub would refuse, and unknown keys', () => {
    for (const bad of [
      { enabled: 'yes' },
      { title: '  ' },
      { title: 'x'.repeat(257) },
      { label: 'postgate' },
      { notify: 'amira' },
      { notify: ['@amira'] },
      { notify: ['amira', 'AMIRA'] },
      { notify: Array.from({ length: 11 }, (_, i) => `p${i}`) },
    ]) {
      const result = parse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error?.issues[0]?.path[0]).toBe('dashboard');
    }
  });
});

function sent(item: string, channel: string, at: number, url: string, part = 0, parts = 1) {
  return { type: 'sent', item, channel, part, parts, url, at: new Date(at).toISOString() };
}

describe('the dashboard: the latest outcomes report', () => {
  it('links the newest weekly report when there is one, and says nothing of reports otherwise', () => {
    const url = 'https://github.com/riverside/journal/blob/postgate/reports/reports/2026-W48.md';
    const body = dashboardMarkdown(input([], { latestReport: { week: '2026-W48', url } }));
    expect(body).toContain(`**Outcomes:** [the report of 2026-W48](${url}): what each post brought in.`);
    expect(dashboardMarkdown(input([]))).not.toContain('Outcomes');
  });
});
