import type { LivePost, PostEngagement } from '../core/engagement.ts';
import { AnalyticsError } from './analytics.ts';
import { joinUrl, requestJson, type ToolClient, toolBaseUrl } from './http.ts';
import { counted, httpOptions, type ReaderOptions } from './engagement-reader.ts';

/** app.bsky.feed.getPosts takes at most 25 URIs a call. */
export const BLUESKY_BATCH = 25;

/**
 * Bluesky's numbers for each live post: a session with the app password publish uses
 * (com.atproto.server.createSession), then app.bsky.feed.getPosts with up to 25 post URIs a call
 * (the ledger's remoteId), which the PDS answers from the AppView: likeCount, repostCount,
 * replyCount, quoteCount. Posts the AppView does not return (deleted) add nothing. Free to read.
 */
export async function blueskyEngagement(
  posts: readonly LivePost[],
  options: ReaderOptions & { service: string; handle: string; appPassword: string },
): Promise<PostEngagement[]> {
  if (posts.length === 0) return [];
  const base = toolBaseUrl('Bluesky', options.service);
  const signal = options.signal ? { signal: options.signal } : {};
  const client: ToolClient = { name: 'Bluesky', secrets: [options.appPassword], options: httpOptions(options) };
  const session = (await requestJson(client, joinUrl(base, '/xrpc/com.atproto.server.createSession'), {
    method: 'POST',
    body: { identifier: options.handle, password: options.appPassword },
    ...signal,
  })) as { accessJwt?: unknown };
  if (typeof session?.accessJwt !== 'string')
    throw new AnalyticsError('Bluesky', 'malformed', 'Bluesky answered the log-in without an access token');
  client.secrets.push(session.accessJwt);
  const found: PostEngagement[] = [];
  for (let i = 0; i < posts.length; i += BLUESKY_BATCH) {
    const url = joinUrl(base, '/xrpc/app.bsky.feed.getPosts');
    for (const post of posts.slice(i, i + BLUESKY_BATCH)) url.searchParams.append('uris', post.remoteId);
    const answer = (await requestJson(client, url, {
      headers: { authorization: `Bearer ${session.accessJwt}` },
      ...signal,
    })) as { posts?: unknown };
    if (!Array.isArray(answer?.posts))
      throw new AnalyticsError('Bluesky', 'malformed', 'Bluesky answered getPosts without a list of posts');
    for (const p of answer.posts as Record<string, unknown>[])
      found.push({
        remoteId: String(p.uri),
        replies: counted('Bluesky', p.replyCount, 'replyCount'),
        reposts: counted('Bluesky', p.repostCount, 'repostCount'),
        likes: counted('Bluesky', p.likeCount, 'likeCount'),
        quotes: counted('Bluesky', p.quoteCount, 'quoteCount'),
      });
  }
  return found;
}
