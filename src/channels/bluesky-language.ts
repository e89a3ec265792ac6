import { parseLanguage } from '@atproto/api';

/**
 * The `langs` of a post, as the app sets them: the language the post is written in, as a BCP 47
 * tag. Postgate takes the site's (`site.language`). A tag counts when atproto's own strict parser
 * reads it (the one behind the lexicon's `language` format, stricter than what the PDS lets
 * through): `en`, `de-CH`, `zh-Hant-TW`. Tags are case-insensitive, so the case is put the way
 * RFC 5646 §2.1.1 writes it first (`DE-ch` is `de-CH`); anything else (`en_US`, `English`) is not
 * a tag, and the post goes without `langs` rather than with a guess.
 */
export function languageTag(raw: string): string | null {
  const tag = conventionalCase(raw.trim());
  return tag && parseLanguage(tag) ? tag : null;
}

/**
 * RFC 5646 §2.1.1: lowercase, except two-letter subtags (regions) upper case and four-letter ones
 * (scripts) title case, when neither first nor after a singleton (`x-`, an extension).
 */
function conventionalCase(tag: string): string {
  let afterSingleton = false;
  return tag
    .split('-')
    .map((subtag, i) => {
      const lower = subtag.toLowerCase();
      if (i === 0 || afterSingleton) {
        afterSingleton ||= subtag.length === 1;
        return lower;
      }
      if (subtag.length === 1) {
        afterSingleton = true;
        return lower;
      }
      if (subtag.length === 2) return subtag.toUpperCase();
      if (subtag.length === 4) return lower.charAt(0).toUpperCase() + lower.slice(1);
      return lower;
    })
    .join('-');
}
