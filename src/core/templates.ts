import type { SocialChannelId } from './channels.ts';
import { wallTimeAt } from './time-zone.ts';

/**
 * Files written by `postgate new`: valid as written, with every option shown as a comment
 * so a writer learns the format by reading the file.
 */
const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01T09:30`, the local form people write, read in the site's time zone. */
export function localStamp(epochMs: number, zone: string): string {
  const w = wallTimeAt(zone, epochMs);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** "Ünïcode & Co: Launch!" → "unicode-co-launch" */
export function slugify(title: string): string {
  // Letters that do not decompose into a base letter and an accent, spelled as people would in a URL.
  const spelled = title
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐ]/g, 'd');
  const slug = spelled
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'untitled';
}

export function postTemplate(options: { title: string; publishAt: string; author: string }): string {
  return `---
title: ${JSON.stringify(options.title)}
description: ${JSON.stringify(`One or two sentences about "${options.title}" for search results and link previews.`)}
publishAt: ${options.publishAt}
tags: []
author: ${JSON.stringify(options.author)}
draft: true   # remove this line when the post is ready for review
# cover:
#   src: ./cover.jpg
#   alt: Describe the picture for people who cannot see it
# announce: "New on the blog: ${options.title.replace(/"/g, "'").replace(/\s*[\r\n]+\s*/g, ' ')} {url}"   # posted on social networks once the post is live
---

Write the post here. This is MDX: Markdown, plus components when you need them.
`;
}

export function socialTemplate(options: { publishAt: string; channels: readonly SocialChannelId[] }): string {
  return `---
publishAt: ${options.publishAt}
channels: [${options.channels.join(', ')}]
draft: true   # remove this line when the post is ready for review
# images:
#   - src: ./picture.png
#     alt: Describe the picture for people who cannot see it
# staleAfter: 6h          # do not send if more than this late
# x: { text: "Different text for X only" }
---
Write the post here. Links to your own site are tagged for your analytics automatically.

To make a thread, end a part with a line holding only three dashes (---) and write the next part below it.
`;
}
