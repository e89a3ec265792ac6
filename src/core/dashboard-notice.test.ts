import { describe, expect, it } from 'vitest';
import { dashboardMarkdown, type DashboardInput } from './dashboard.ts';
import { attentionNotice, keptAttention, NOTICE_MARKER } from './dashboard-notice.ts';

// Tuesday 1 December 2026, 09:07 in Berlin (UTC+1).
const NOW = Date.parse('2026-12-01T08:07:00Z');
const ISSUE = 'https://github.com/riverside/journal/issues/7';

function input(over: Partial<DashboardInput> = {}): DashboardInput {
  return {
    now: NOW,
    zone: 'Europe/Berlin',
    crisis: null,
    held: [],
    results: [],
    missingCredentials: [],
    items: [],
    verdicts: new Map(),
    enabled: ['blog', 'x', 'mastodon', 'bluesky'],
    records: [],
    linkHosts: {},
    runUrl: null,
    ...over,
  };
}

const failedOnX = (message: string) => ({
  item: 'social/doors',
  channel: 'x',
  outcome: 'failed',
  failure: 'server',
  message,
});
/** What the owner is told by a run with `now` after one with `before` wrote the dashboard. */
const told = (before: DashboardInput | null, now: DashboardInput, notify: string[] = []) =>
  attentionNotice({
    previousBody: before === null ? null : dashboardMarkdown(before),
    input: now,
    notify,
    issueUrl: ISSUE,
  });

describe('attentionNotice', () => {
  it('says nothing when nothing needs attention, and nothing when what needs it was listed before', () => {
    expect(told(null, input())).toBeNull();
    const held = input({ held: [{ item: 'social/a', state: 'held', reason: 'not approved' }] });
    expect(told(held, held)).toBeNull();
  });

  it('says what is new, and only that, mentioning whom the config names', () => {
    const before = input({ held: [{ item: 'social/a', state: 'held', reason: 'not approved' }] });
    const now = input({
      held: [
        { item: 'social/a', state: 'held', reason: 'not approved' },
        { item: 'social/b', state: 'held', reason: 'changed after approval' },
      ],
    });
    expect(told(before, now, ['amira', 'ben-k'])).toBe(
      [
        NOTICE_MARKER,
        `@amira @ben-k: new on the [dashboard](${ISSUE}) since its last update:`,
        '- **Held** `social/b`: changed after approval',
        '_Postgate comments only when something new needs attention; the dashboard above stays current._',
      ]
        .join('\n\n')
        .concat('\n'),
    );
  });

  it('the same failure with another message is not new; the same item failing on another network is', () => {
    const before = input({ results: [failedOnX('X: 503 Service Unavailable')] });
    expect(told(before, input({ results: [failedOnX('X: timed out after 30 s')] }))).toBeNull();
    const elsewhere = input({ results: [{ ...failedOnX('boom'), channel: 'mastodon' }] });
    expect(told(before, elsewhere)).toContain('- **Failed** `social/doors` on Mastodon: boom');
  });

  it('a thing that went away and came back is news again', () => {
    const held = input({ held: [{ item: 'social/a', state: 'held', reason: 'not approved' }] });
    expect(told(input(), held)).toContain('`social/a`');
    expect(told(held, input())).toBeNull();
  });

  it('CRISIS turned on is news, with since when and by whom; one that cannot be checked too', () => {
    const on = input({ crisis: { reason: 'Flooding', author: 'amira', at: '2026-12-01T07:40:00Z' } });
    expect(told(input(), on)).toContain(
      '- **CRISIS is on** (since 2026-12-01 08:40 +01:00, by amira): nothing is published, the blog included, until the CRISIS file is removed from main.',
    );
    expect(told(on, on)).toBeNull();
    const unknown = input({ crisis: { reason: 'GitHub did not answer', unknown: true } });
    expect(told(on, unknown)).toContain('- **CRISIS could not be checked**, so nothing is published until it can.');
  });

  it('deferred items are not news: they need no one', () => {
    const deferred = input({ results: [{ item: 'social/a', channel: 'x', outcome: 'deferred', message: 'later' }] });
    expect(dashboardMarkdown(deferred)).toContain('**Deferred** to the next run');
    expect(told(input(), deferred)).toBeNull();
  });

  it('a dashboard written before keys were kept counts as having listed nothing', () => {
    const held = input({ held: [{ item: 'social/a', state: 'held', reason: 'not approved' }] });
    expect(told(null, held)).toContain('`social/a`');
    const old = dashboardMarkdown(held).replace(/^<!-- postgate:attention.*$/m, '');
    expect(attentionNotice({ previousBody: old, input: held, notify: [], issueUrl: ISSUE })).toContain('`social/a`');
  });

  it('writer text stays text: an item id cannot mention, link or break out of the hidden keys', () => {
    const id = 'social/@everyone --> <a href="https://evil.example">#1</a>';
    const held = input({ held: [{ item: id, state: 'held', reason: 'ping @mallory, see #12' }] });
    const body = dashboardMarkdown(held);
    const keys = body.split('\n').find((l) => l.startsWith('<!-- postgate:attention'))!;
    expect(keys).toMatch(/^<!-- postgate:attention( [0-9a-f]{16})+ -->$/);
    expect(keptAttention(body).size).toBe(1);
    const notice = told(input(), held)!;
    // GitHub finds no mention or reference inside a code span; outside one there is none either.
    const outsideCode = notice.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toMatch(/@(everyone|mallory)\b/);
    expect(outsideCode).not.toMatch(/(^|[^&])#\d/);
    expect(outsideCode).not.toContain('<a');
  });

  it('lists at most 20 things and says how many more the dashboard has', () => {
    const held = Array.from({ length: 23 }, (_, i) => ({ item: `social/n${i}`, state: 'held', reason: 'x' }));
    const notice = told(input(), input({ held }))!;
    expect(notice.match(/^- \*\*Held\*\*/gm)).toHaveLength(20);
    expect(notice).toContain('- … and 3 more on the dashboard.');
  });
});
