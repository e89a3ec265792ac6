import { describe, expect, it } from 'vitest';
import type { SocialItem } from './item.ts';
import { summarizeLedger } from './ledger.ts';
import { planPublish } from './plan.ts';
import { planWake, waitLimitMs, type WakePolicy } from './wake-plan.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
// The 09:07 scheduled run, started five minutes late.
const NOW = Date.UTC(2026, 11, 1, 9, 12);
const at = (h: number, m: number, s = 0) => Date.UTC(2026, 11, 1, h, m, s);
const POLICY: WakePolicy = { intervalMs: 15 * MIN, marginMs: 15 * MIN, waitUpToMs: 20 * MIN };

function social(id: string, publishAt: number, over: Partial<SocialItem> = {}): SocialItem {
  return {
    id,
    kind: 'social',
    file: `content/${id}.md`,
    publishAt,
    draft: false,
    staleAfterMs: 6 * HOUR,
    channels: ['x', 'mastodon'],
    parts: [{ text: `Text of ${id}`, at: { line: 5, col: 1 } }],
    overrides: {},
    images: [],
    ...over,
  };
}

/** The real planner at `now`, as the publish command would call it. */
function wake(items: SocialItem[], policy = POLICY, now = NOW, crisis: string | null = null) {
  const plan = planPublish({
    items,
    ledger: summarizeLedger([]),
    now,
    crisis,
    invalid: new Map(),
    compose: { siteUrl: 'https://example.org', utm: false },
    enabled: ['x', 'mastodon'],
  });
  return planWake(now, plan, policy);
}

describe('planWake', () => {
  it('sends what is due now and wakes for the :30 item; the next hour is left to a later run', () => {
    const result = wake([social('s/nine', at(9, 0)), social('s/half', at(9, 30)), social('s/ten', at(10, 0))]);
    expect(result.sendNow).toEqual(['s/nine']);
    expect(result.wakeAt).toEqual([at(9, 30)]);
    expect(result.until).toBe(at(9, 30));
    expect(result.leftFor).toBe(at(10, 0));
    expect(result.missed).toEqual([]);
  });

  it('wakes for an item due exactly at the horizon, not for one due a second after it', () => {
    const now = at(9, 10);
    const result = wake([social('s/edge', at(9, 30)), social('s/after', at(9, 30, 1))], POLICY, now);
    expect(result.wakeAt).toEqual([at(9, 30)]);
    expect(result.leftFor).toBe(at(9, 30, 1));
    expect(wake([social('s/after', at(9, 30, 1))], POLICY, now)).toMatchObject({ wakeAt: [], until: now });
  });

  it('wakes once for several items due at the same minute, and once per distinct moment', () => {
    const result = wake([
      social('s/a', at(9, 30)),
      social('s/b', at(9, 30)),
      social('s/c', at(9, 30)),
      social('s/d', at(9, 20)),
    ]);
    expect(result.wakeAt).toEqual([at(9, 20), at(9, 30)]);
    expect(result.sendNow).toEqual([]);
  });

  it('an item on two channels is one item to send', () => {
    expect(wake([social('s/both', at(9, 10))]).sendNow).toEqual(['s/both']);
  });

  it('with nothing due and nothing soon, the run ends at once', () => {
    expect(wake([])).toEqual({ sendNow: [], wakeAt: [], until: NOW, missed: [], leftFor: null });
    expect(wake([social('s/draft', at(9, 30), { draft: true })])).toMatchObject({ wakeAt: [], leftFor: null });
  });

  it('reports an item already past its window as missed and neither sends it nor waits for it', () => {
    const result = wake([social('s/old', at(3, 0)), social('s/short', at(8, 0), { staleAfterMs: HOUR })]);
    expect(result.missed).toEqual(['s/old', 's/short']);
    expect(result.sendNow).toEqual([]);
    expect(result.wakeAt).toEqual([]);
  });

  it('waits not at all when waitUpTo is 0', () => {
    const result = wake([social('s/half', at(9, 30))], { ...POLICY, waitUpToMs: 0 });
    expect(result).toMatchObject({ wakeAt: [], until: NOW, leftFor: at(9, 30) });
  });

  it('never waits past the next expected run, however long the policy allows', () => {
    const long = { ...POLICY, waitUpToMs: 2 * HOUR };
    expect(waitLimitMs(long)).toBe(30 * MIN);
    expect(wake([social('s/soon', at(9, 40)), social('s/late', at(9, 50))], long)).toMatchObject({
      wakeAt: [at(9, 40)],
      leftFor: at(9, 50),
    });
  });

  it('still wakes during a crisis: the planner, asked again at that moment, holds the item if CRISIS is still there', () => {
    const result = wake([social('s/now', at(9, 0)), social('s/half', at(9, 30))], POLICY, NOW, 'storm');
    expect(result.sendNow).toEqual([]);
    expect(result.wakeAt).toEqual([at(9, 30)]);
  });
});
