import { RichText } from '@atproto/api';
import { rememberLast, type LinkSpan } from '../core/links.ts';

/**
 * The links Bluesky makes clickable: the link facets of atproto's RichText (the app's own
 * detection, which Postgate also uses to build the facets it sends). A link with http(s):// is a
 * link whatever its host; a bare domain needs a known top-level domain, and its facet points at
 * https://<text>. Facets count UTF-8 bytes; the spans here are UTF-16 offsets into `text`.
 */
const SCHEME = /https?:\/\//i;

export const blueskyLinkSpans: (text: string) => LinkSpan[] = rememberLast(findLinkSpans);

function findLinkSpans(text: string): LinkSpan[] {
  if (!text.includes('.') && !SCHEME.test(text)) return [];
  const rich = new RichText({ text });
  rich.detectFacetsWithoutResolution();
  const links = (rich.facets ?? []).filter((f) => f.features.some((x) => x.$type === 'app.bsky.richtext.facet#link'));
  if (links.length === 0) return [];
  const bytes = rich.unicodeText.utf8;
  // In ASCII text a byte is a UTF-16 unit: no decoding needed.
  const ascii = bytes.length === text.length;
  const decoder = new TextDecoder();
  const utf16At = (byte: number) => (ascii ? byte : decoder.decode(bytes.subarray(0, byte)).length);
  return links.map(({ index }) => {
    const start = utf16At(index.byteStart);
    const end = utf16At(index.byteEnd);
    return { start, end, url: text.slice(start, end) };
  });
}
