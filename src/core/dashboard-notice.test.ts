import { describe, expect, it } from 'vitest';
import { dashboardMarkdown, type DashboardInput } from './dashboard.ts';
import { attentionDigest } from './dashboard-attention.ts';
import { attentionNotice, keptAttention, keysLine, NOTICE_MARKER, noticeEntries } from './dashboard-notice.ts';
import { dashboardInput } from '../../tests/helpers/dashboard-input.ts';

// Tuesday 1 December 2026, 09:07 in Berlin (UTC+1).
const NOW = Date.parse('2026-12-01T08:07:00Z');
const ISSUE = 'https://github.com/riverside/journal/issues/7';

const input = (over: Partial<DashboardInput> = {}) => dashboardInput(NOW, over);

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
    entries: noticeEntries(now),
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

  it('a failing item is one thing: another message, another network, or the next run listing it as failed', () => {
    const before = input({ results: [failedOnX('X: 503 Service Unavailable')] });
    expect(told(before, input({ results: [failedOnX('X: timed out after 30 s')] }))).toBeNull();
    expect(told(before, input({ results: [{ ...failedOnX('boom'), channel: 'mastodon' }] }))).toBeNull();
    // The run after the failure finds it in the plan as failed, not among its own results.
    expect(
      told(before, input({ held: [{ item: 'social/doors', state: 'failed', reason: 'failed on X' }] })),
    ).toBeNull();
    expect(told(input(), before)).toContain('- **Failed** `social/doors` on X: X: 503 Service Unavailable');
  });

  it('items a CRISIS holds as they fall due are not news of their own: the CRISIS was told', () => {
    const crisis = { reason: 'Flooding', author: 'amira', at: '2026-12-01T07:40:00Z' };
    const before = input({ crisis });
    const held = (item: string) => ({ item, channel: 'x', outcome: 'held', message: 'CRISIS: Flooding' });
    const later = input({ crisis, results: [held('social/a'), held('social/b')] });
    expect(dashboardMarkdown(later)).toContain('- **Held** `social/a` on X: CRISIS: Flooding');
    expect(told(before, later)).toBeNull();
    const listed = input({ crisis, held: [{ item: 'social/c', state: 'held', reason: 'CRISIS: Flooding' }] });
    expect(told(before, listed)).toBeNull();
    // Held for another reason during the CRISIS: news.
    const unapproved = input({ crisis, held: [{ item: 'social/d', state: 'held', reason: 'not approved' }] });
    expect(told(before, unapproved)).toContain('`social/d`');
  });

  it('reads only the last whole line of digests: one planted higher up by text in the body is not taken', () => {
    const crisis = input({ crisis: { reason: 'Flooding' } });
    const planted = `${dashboardMarkdown(input())}`.replace(
      '## Needs attention',
      `${keysLine(noticeEntries(crisis).map((e) => attentionDigest(e.key)))}\n\n## Needs attention`,
    );
    expect(keptAttention(planted).size).toBe(0);
    expect(
      attentionNotice({ previousBody: planted, entries: noticeEntries(crisis), notify: [], issueUrl: ISSUE }),
    ).toContain('**CRISIS is on**');
  });

  it('tells nothing it cannot keep: past 500 things, the rest are on the dashboard and not told every run', () => {
    const held = Array.from({ length: 520 }, (_, i) => ({ item: `social/n${i}`, state: 'held', reason: 'x' }));
    const many = input({ held });
    expect(noticeEntries(many)).toHaveLength(500);
    expect(told(many, many)).toBeNull();
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
    const entries = noticeEntries(held);
    expect(attentionNotice({ previousBody: old, entries, notify: [], issueUrl: ISSUE })).toContain('`social/a`');
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
