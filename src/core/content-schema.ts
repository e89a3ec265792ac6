import { z } from 'zod';
import { SOCIAL_CHANNEL_IDS } from './channels.ts';
import { parseDuration } from './duration.ts';
import { parsePublishTime } from './publish-time.ts';

/**
 * The one schema for content files. The CLI (`check`, `queue`, `publish`) and the Astro content
 * collection (src/content.config.ts) both build it from here, so the site and the publisher can
 * never disagree about what a file means.
 *
 * It is built per site because `publishAt` without an offset is read in the site's time zone.
 */
export interface SchemaOptions {
  timeZone: string;
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,119}$/;

const text = (what: string) =>
  z
    .string({ error: `expected ${what} as text` })
    .trim()
    .min(1, `${what} must not be empty`);

const image = z.strictObject({
  src: text('the image path (src)'),
  alt: z
    .string({ error: 'alt text is required: describe the image for people who cannot see it' })
    .trim()
    .min(1, 'alt text is required: describe the image for people who cannot see it'),
});

const channelText = z.strictObject({ text: text('the text for this channel') });

// `as: [brand-bluesky, alice-linkedin]`: the accounts (src/core/accounts.ts) an item goes out on.
const accountList = z
  .array(z.string('expected an account id from accounts: in postgate.config.yaml'), {
    error: 'expected a list of account ids, e.g. as: [brand-bluesky, alice-linkedin]',
  })
  .min(1, "list at least one account, or leave as: out to use the organisation's accounts");

const staleAfter = z.unknown().transform((raw, ctx) => {
  const parsed = parseDuration(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.ms;
});

function publishAt(options: SchemaOptions) {
  return z.unknown().transform((raw, ctx) => {
    const parsed = parsePublishTime(raw, options.timeZone);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return new Date(parsed.epochMs);
  });
}

const socialChannels = z
  .array(z.enum(SOCIAL_CHANNEL_IDS))
  .min(1, 'list at least one channel, e.g. [x, mastodon, bluesky]');

/** Drafts may leave `publishAt` out; everything else needs to say when it goes out. */
function requirePublishAt(data: { draft: boolean; publishAt?: Date | undefined }, ctx: z.RefinementCtx) {
  if (!data.draft && data.publishAt === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['publishAt'],
      message: 'missing publishAt: say when this goes out (e.g. publishAt: 2026-12-01T09:30), or mark it draft: true',
    });
  }
}

function noRepeats(list: readonly string[] | undefined, ctx: z.RefinementCtx) {
  list?.forEach((value, index) => {
    if (list.indexOf(value) !== index)
      ctx.addIssue({ code: 'custom', path: ['channels', index], message: `"${value}" is listed twice` });
  });
}

export function socialSchema(options: SchemaOptions) {
  return z
    .strictObject({
      id: z
        .string()
        .regex(ID_PATTERN, 'an id is letters, digits, ".", "_", "-" and "/", starting with a letter or digit')
        .optional(),
      publishAt: publishAt(options).optional(),
      channels: socialChannels.optional(),
      as: accountList.optional(),
      images: z.array(image).optional(),
      draft: z.boolean().default(false),
      staleAfter: staleAfter.optional(),
      x: channelText.optional(),
      mastodon: channelText.optional(),
      bluesky: channelText.optional(),
      linkedin: channelText.optional(),
      // Per staff member, the words of their share kit (src/core/share-kit.ts): `share: { alice: "…" }`.
      share: z
        .record(z.string(), text('the text this person shares'), {
          error: 'expected share to map staff ids to their text, e.g. share: { alice: "Our team just…" }',
        })
        .optional(),
    })
    .superRefine((data, ctx) => {
      requirePublishAt(data, ctx);
      noRepeats(data.channels, ctx);
    });
}

export function postSchema(options: SchemaOptions) {
  return z
    .strictObject({
      id: z
        .string()
        .regex(ID_PATTERN, 'an id is letters, digits, ".", "_", "-" and "/", starting with a letter or digit')
        .optional(),
      title: text('the title'),
      description: text('the description'),
      publishAt: publishAt(options).optional(),
      tags: z.array(text('a tag')).default([]),
      author: text('the author').optional(),
      draft: z.boolean().default(false),
      cover: image.optional(),
      announce: z
        .union([
          text('the announcement'),
          z.strictObject({
            x: text('the X announcement').optional(),
            mastodon: text('the Mastodon announcement').optional(),
            bluesky: text('the Bluesky announcement').optional(),
            linkedin: text('the LinkedIn announcement').optional(),
          }),
        ])
        .optional(),
      staleAfter: staleAfter.optional(),
      // The accounts its announcement goes out on; absent, the organisation's.
      as: accountList.optional(),
    })
    .superRefine(requirePublishAt);
}

export type SocialFrontMatter = z.output<ReturnType<typeof socialSchema>>;
export type PostFrontMatter = z.output<ReturnType<typeof postSchema>>;

/** Keys people reach for that mean something else here, with the key to use instead. */
export const KEY_HINTS: Record<string, string> = {
  date: 'publishAt',
  pubDate: 'publishAt',
  publishDate: 'publishAt',
  publish_at: 'publishAt',
  schedule: 'publishAt',
  channel: 'channels',
  networks: 'channels',
  image: 'images',
  media: 'images',
  twitter: 'x',
  tag: 'tags',
  authors: 'author',
  summary: 'description',
  excerpt: 'description',
  heroImage: 'cover',
  image_alt: 'alt',
  altText: 'alt',
  alt_text: 'alt',
};

/** Channel names people write, mapped to Postgate's. */
export const CHANNEL_ALIASES: Record<string, string> = {
  twitter: 'x',
  tweet: 'x',
  'x.com': 'x',
  bsky: 'bluesky',
  'bsky.app': 'bluesky',
  masto: 'mastodon',
  toot: 'mastodon',
  fediverse: 'mastodon',
};
