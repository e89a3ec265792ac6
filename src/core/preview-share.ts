import type { SocialItem } from './item.ts';
import { fenced, inlineCode } from './preview-format.ts';

/**
 * A social draft's `share:` words in the pull request's preview. Staff post them under their own
 * names from the share kit, which calls them approved words; an owner who reads the preview to
 * approve must see them, not only the raw file's diff (an agency could otherwise slip words into
 * `share.alice` that no approver read). Shown as written: the kit adds only `utm_content=<id>` to
 * the site's links, as the organisation's own posts are tagged.
 */
export function shareWordsBlock(item: SocialItem): string[] {
  const share = Object.entries(item.share ?? {});
  if (share.length === 0) return [];
  const lines = [
    `**Share kit words**: after it goes out, these staff get their own words to post as themselves (links to the site tagged for each).`,
    '',
  ];
  for (const [id, part] of share) lines.push(`${inlineCode(`share.${id}`)}`, '', fenced(part.text), '');
  return lines;
}
