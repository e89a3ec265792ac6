/**
 * A link as one network makes it clickable: UTF-16 offsets into the text and the text it covers.
 * Each network finds links by its own rule (src/channels/<network>-text.ts): X with twitter-text,
 * Mastodon with its server's variant of it, Bluesky with atproto's RichText. Length, UTM tagging and
 * link cards all start from the spans of the network the text is for, never from a guess of ours.
 */
export interface LinkSpan {
  start: number;
  end: number;
  /** The link as written in the text (a bare domain has no scheme). */
  url: string;
}

/** Rewrites each span with `rewrite`, leaving the rest of the text as it was. */
export function mapSpans(text: string, spans: readonly LinkSpan[], rewrite: (link: LinkSpan) => string): string {
  let out = '';
  let last = 0;
  for (const link of spans) {
    out += text.slice(last, link.start) + rewrite(link);
    last = link.end;
  }
  return out + text.slice(last);
}
