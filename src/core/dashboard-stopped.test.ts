import { describe, expect, it } from 'vitest';
import { DASHBOARD_MARKER, dashboardMarkdown, sameDashboard, type DashboardInput } from './dashboard.ts';
import { attentionNotice, keptAttention, noticeEntries } from './dashboard-notice.ts';
import { stoppedDashboard, stoppedEntry } from './dashboard-stopped.ts';
import { dashboardInput } from '../../tests/helpers/dashboard-input.ts';

const NOW = Date.parse('2026-12-01T08:07:00Z');
const ISSUE = 'https://github.com/riverside/journal/issues/7';
const input = (over: Partial<DashboardInput> = {}) =>
  dashboardInput(NOW, {
    held: [{ item: 'social/a', state: 'held', reason: 'not approved' }],
    runUrl: 'https://github.com/riverside/journal/actions/runs/1',
    ...over,
  });
const stopped = (reason: string, at = NOW + 900_000) => ({
  now: at,
  zone: 'Europe/Berlin',
  reason,
  runUrl: 'https://github.com/riverside/journal/actions/runs/2',
});

describe('the dashboard of a run that stopped before it could plan', () => {
  it('puts the stop at the top, keeps what the last full run wrote, and restamps it', () => {
    const before = dashboardMarkdown(input());
    const body = stoppedDashboard(before, stopped('content/ledger.jsonl on postgate/ledger was rewritten'));
    const lines = body.split('\n');
    expect(lines[0]).toBe(DASHBOARD_MARKER);
    expect(lines[2]).toMatch(
      /^> \*\*Publishing is stopped:\*\* content\/ledger\.jsonl on postgate\/ledger was rewritten\. Nothing is sent, the blog included, until this is fixed;/,
    );
    expect(body).toContain('- **Held** `social/a`: not approved');
    expect(body).toContain(
      '_Updated 2026-12-01 09:22 +01:00 by [this publish run](https://github.com/riverside/journal/actions/runs/2)._',
    );
    expect(body).not.toContain('actions/runs/1');
    expect(body.split(DASHBOARD_MARKER)).toHaveLength(2);
  });

  it('tells the stop once; what was told before stays told, then and after the stop', () => {
    const full = input();
    const before = dashboardMarkdown(full);
    const run = stopped('GitHub did not answer');
    const body = stoppedDashboard(before, run);
    expect(
      attentionNotice({ previousBody: before, entries: [stoppedEntry(run)], notify: [], issueUrl: ISSUE }),
    ).toContain('- **Publishing is stopped:** GitHub did not answer');
    // Stopped again: the same body but for its stamp, and nothing to tell.
    const again = stoppedDashboard(body, stopped('GitHub did not answer', NOW + 1_800_000));
    expect(sameDashboard(body, again)).toBe(true);
    expect(again.match(/Publishing is stopped/g)).toHaveLength(1);
    expect(
      attentionNotice({ previousBody: body, entries: [stoppedEntry(run)], notify: [], issueUrl: ISSUE }),
    ).toBeNull();
    // Running again: the held item was told before the stop, and is not told again.
    expect(keptAttention(again).size).toBe(2);
    expect(
      attentionNotice({ previousBody: again, entries: noticeEntries(full), notify: [], issueUrl: ISSUE }),
    ).toBeNull();
  });

  it('with no dashboard yet: the stop, the digests and the stamp alone; the reason is text', () => {
    const body = stoppedDashboard(null, stopped('@mallory see GH-12 [x](https://evil.example)'));
    expect(body.startsWith(`${DASHBOARD_MARKER}\n\n> **Publishing is stopped:** `)).toBe(true);
    const banner = body.split('\n')[2]!;
    expect(banner).toContain('evil.example');
    expect(banner).not.toMatch(/@mallory|GH-12|\]\(https:/);
    expect(keptAttention(body).size).toBe(1);
    expect(body).toContain('_Updated 2026-12-01 09:22 +01:00');
  });
});
