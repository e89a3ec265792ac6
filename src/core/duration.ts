/**
 * Durations written by people in front matter and config: `30m`, `6h`, `2d`, `1h30m`, `never`.
 * Milliseconds out; `null` means "never".
 */
const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
const WHOLE = /^(?:\d+[wdhm])+$/;
const PART = /(\d+)([wdhm])/g;

export type DurationResult = { ok: true; ms: number | null } | { ok: false; message: string };

export function parseDuration(raw: unknown): DurationResult {
  if (raw === 'never') return { ok: true, ms: null };
  const text = typeof raw === 'string' ? raw.replace(/\s+/g, '').toLowerCase() : '';
  if (!WHOLE.test(text)) {
    return {
      ok: false,
      message: `expected a duration such as 30m, 6h, 2d or 1h30m (or "never"), received ${JSON.stringify(raw)}`,
    };
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  if (ms === 0)
    return {
      ok: false,
      message: `a duration of zero would make everything stale at once; use "never" to turn staleness off`,
    };
  return { ok: true, ms };
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${Math.round(abs / 1000)}s`;
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)}m`;
  if (abs < 172_800_000) {
    const h = Math.floor(abs / 3_600_000);
    const m = Math.round((abs % 3_600_000) / 60_000);
    return m ? `${h}h${m}m` : `${h}h`;
  }
  return `${Math.round(abs / 86_400_000)}d`;
}
