import type { Item, PostItem, SocialItem } from '../../src/core/item.ts';
import { prng as seeded } from '../../tests/helpers/random-text.ts';

/**
 * The punctuality benchmark's month: items at the times people pick, and when GitHub actually
 * starts each scheduled run. Seeded, and on a fixed calendar (December 2026, UTC), so every run of
 * the benchmark sees the same month whatever the machine's date.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const MONTH_START = Date.UTC(2026, 11, 1);
export const MONTH_DAYS = 30;
/** publish.yml's cron: "7,22,37,52 * * * *". */
const CRON_MINUTES = [7, 22, 37, 52];
/** One outage: no scheduled run starts for six hours (GitHub incidents of this size are on record). */
export const OUTAGE = { from: MONTH_START + 12 * DAY + 13 * HOUR, to: MONTH_START + 12 * DAY + 19 * HOUR };

export interface Tick {
  /** When the cron says the run should start. */
  nominal: number;
  /** When GitHub starts it; null when it never runs (dropped, or inside the outage). */
  startsAt: number | null;
  /** Started at most 15 minutes late: the case the target is about. */
  calm: boolean;
}

/** Most runs 0–15 min late, a tail of 8% at 30–120 min, 2% dropped, and the outage. */
export function runTrace(seed: number): Tick[] {
  const random = seeded(seed);
  const ticks: Tick[] = [];
  for (let day = 0; day < MONTH_DAYS; day++) {
    for (let hour = 0; hour < 24; hour++) {
      for (const minute of CRON_MINUTES) {
        const nominal = MONTH_START + day * DAY + hour * HOUR + minute * MINUTE;
        const draw = random();
        const delay = random();
        let startsAt: number | null;
        let calm = false;
        if (draw < 0.02) startsAt = null;
        else if (draw < 0.1) startsAt = nominal + Math.round((30 + 90 * delay) * MINUTE);
        else {
          startsAt = nominal + Math.round(15 * delay * MINUTE);
          calm = true;
        }
        if (startsAt !== null && startsAt >= OUTAGE.from && startsAt < OUTAGE.to) startsAt = null;
        if (startsAt === null || (nominal >= OUTAGE.from && nominal < OUTAGE.to)) calm = false;
        ticks.push({ nominal, startsAt, calm });
      }
    }
  }
  return ticks;
}

/** Times people choose: most on the hour or the half hour, the rest anywhere in the working day. */
const FAVOURITE_TIMES = ['09:00', '09:30', '12:00', '12:30', '15:00', '17:30', '18:00'];

/**
 * A month of a busy small team: five items a weekday, two a weekend day; one in five a blog post,
 * the rest social drafts on three networks; a quarter of them time-sensitive (a 1 h window), the
 * rest with the default 6 h.
 */
export function monthOfItems(seed: number): Item[] {
  const random = seeded(seed);
  const items: Item[] = [];
  for (let day = 0; day < MONTH_DAYS; day++) {
    const weekday = new Date(MONTH_START + day * DAY).getUTCDay();
    const count = weekday === 0 || weekday === 6 ? 2 : 5;
    for (let n = 0; n < count; n++) {
      let minutes: number;
      if (random() < 0.65) {
        const [h, m] = FAVOURITE_TIMES[Math.floor(random() * FAVOURITE_TIMES.length)]!.split(':').map(Number);
        minutes = h! * 60 + m!;
      } else minutes = 7 * 60 + Math.floor(random() * 15 * 60);
      const publishAt = MONTH_START + day * DAY + minutes * MINUTE;
      const staleAfterMs = random() < 0.25 ? HOUR : 6 * HOUR;
      const id = `d${String(day + 1).padStart(2, '0')}-${n}`;
      items.push(random() < 0.2 ? post(id, publishAt, staleAfterMs) : social(id, publishAt, staleAfterMs));
    }
  }
  return items;
}

function social(id: string, publishAt: number, staleAfterMs: number): SocialItem {
  return {
    id: `social/${id}`,
    kind: 'social',
    file: `content/social/${id}.md`,
    publishAt,
    draft: false,
    staleAfterMs,
    channels: ['x', 'mastodon', 'bluesky'],
    parts: [{ text: `Shelves restocked, volunteers thanked (${id}).`, at: { line: 5, col: 1 } }],
    overrides: {},
    images: [],
  };
}

function post(id: string, publishAt: number, staleAfterMs: number): PostItem {
  return {
    id: `posts/${id}`,
    kind: 'post',
    file: `content/posts/${id}.mdx`,
    publishAt,
    draft: false,
    staleAfterMs,
    slug: id,
    title: `Winter kitchen ${id}`,
    description: 'Meals and shifts',
    tags: [],
    author: 'The editors',
    cover: null,
    bodyImages: [],
  };
}
