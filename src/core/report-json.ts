import { formatUtc } from './time-zone.ts';
import type { ItemOutcome, Outcome, Report } from './report-types.ts';

/**
 * The report for machines (`report --format json`): the same numbers, times in UTC ISO form
 * (`2026-11-03T08:30:00Z`), unknowns as null and `partial: true` where a week is missing, so a
 * script can tell "none" from "not known" as a reader can.
 */
export function reportJson(report: Report): unknown {
  const iso = (ms: number | null) => (ms === null ? null : formatUtc(ms));
  const outcome = (o: Outcome) => ({
    visitors: o.visitors,
    visits: o.visits,
    conversions: o.conversions,
    partial: o.partial,
  });
  const item = (i: ItemOutcome) => ({
    item: i.item,
    posts: i.posts,
    firstSentAt: iso(i.firstSentAt),
    ...outcome(i.outcome),
    perPost: i.perPost,
    otherSources: i.otherSources,
  });
  return {
    since: report.since,
    until: report.until,
    timeZone: report.timeZone,
    generatedAt: iso(report.generatedAt),
    analytics: report.analytics,
    engagement: report.engagement,
    missing: report.missing,
    networks: report.networks.map((n) => ({
      channel: n.channel,
      posts: n.posts,
      ...outcome(n.outcome),
      perPost: n.perPost,
      engagement: n.engagement,
      engagementPartial: n.engagementPartial,
    })),
    accounts: report.accounts,
    weeks: report.weeks,
    byAge: report.byAge,
    best: report.best.map(item),
    worst: report.worst.map(item),
    items: report.items.map(item),
    posts: report.posts.map((p) => ({
      item: p.item,
      channel: p.channel,
      url: p.url,
      sentAt: iso(p.sentAt),
      due: iso(p.due),
      lateMs: p.lateMs,
      parts: p.parts,
      retracted: p.retracted,
      earlier: p.earlier,
      ...outcome(p.outcome),
      engagement: p.engagement,
      engagementPartial: p.engagementPartial,
    })),
    goals: report.goals,
    notes: report.notes,
  };
}

export function renderReportJson(report: Report): string {
  return `${JSON.stringify(reportJson(report), null, 2)}\n`;
}
