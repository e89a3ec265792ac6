import type { LivePost, PostEngagement } from '../core/engagement.ts';
import { AnalyticsError } from './analytics.ts';
import { joinUrl, requestJson, type ToolClient, toolBaseUrl } from './http.ts';
import { counted, httpOptions, type ReaderOptions } from './engagement-reader.ts';

/**
 * Mastodon's numbers for each live post: GET /api/v1/statuses/:id (replies_count, reblogs_count,
 * favourites_count), with the token publish uses. Free to read; one request per post, so a thread
 * of four costs four of the instance's 300 requests per 5 minutes. A post the instance no longer
 * has (404: deleted there by hand) adds nothing; any other failure fails the network's numbers.
 */
export async function mastodonEngagement(
  posts: readonly LivePost[],
  options: ReaderOptions & { url: string; token: string },
): Promise<PostEngagement[]> {
  const base = toolBaseUrl('Mastodon', options.url);
  const client: ToolClient = { name: 'Mastodon', secrets: [options.token], options: httpOptions(options) };
  const found: PostEngagement[] = [];
  for (const post of posts) {
    let status: unknown;
    try {
      status = await requestJson(client, joinUrl(base, `/api/v1/statuses/${encodeURIComponent(post.remoteId)}`), {
        headers: { authorization: `Bearer ${options.token}` },
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (error instanceof AnalyticsError && error.status === 404) continue;
      throw error;
    }
    const s = status as Record<string, unknown>;
    found.push({
      remoteId: post.remoteId,
      replies: counted('Mastodon', s.replies_count, 'replies_count'),
      reposts: counted('Mastodon', s.reblogs_count, 'reblogs_count'),
      likes: counted('Mastodon', s.favourites_count, 'favourites_count'),
    });
  }
  return found;
}
