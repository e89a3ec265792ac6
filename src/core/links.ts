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

/**
 * `find` remembering its last few answers. The same text is looked at several times in a row (its
 * links found, tagged, the tagged text checked and then measured), and extraction is the costly part
 * of `check`. Answers are shared: callers never change them.
 */
export function rememberLast<T>(find: (text: string) => T, size = 4): (text: string) => T {
  const texts: string[] = [];
  const answers: T[] = [];
  return (text) => {
    const i = texts.indexOf(text);
    if (i >= 0) return answers[i]!;
    const answer = find(text);
    texts.unshift(text);
    answers.unshift(answer);
    if (texts.length > size) {
      texts.pop();
      answers.pop();
    }
    return answer;
  };
}
