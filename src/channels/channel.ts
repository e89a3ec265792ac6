import type { SocialChannelId, SocialChannelRules } from '../core/channels.ts';

/**
 * One interface for every social network. The publisher only ever talks to this, so a network is
 * added by writing one file (see x.ts, mastodon.ts, bluesky.ts, linkedin.ts), and tests swap nothing: they point
 * the real client libraries at local fake servers through the base URLs in the environment.
 */
export interface RemotePost {
  /** The network's id for the post (X tweet id, Mastodon status id, Bluesky at:// URI, LinkedIn URN). */
  id: string;
  /** Where a person can see it. */
  url: string;
  /** Bluesky's content id, needed to reply to the post (a "strong ref"). */
  cid?: string;
}

export interface ImageUpload {
  /** Repository-relative path, for messages. */
  path: string;
  mime: string;
  alt: string;
  bytes: Uint8Array;
}

/** A link card (Bluesky's external embed), built from the site's own post: no page is fetched. */
export interface LinkCard {
  url: string;
  title: string;
  description: string;
  /**
   * The linked post's cover, read only by a network that shows it (Bluesky's thumbnail): the
   * others never pay for reading it, nor warn about a cover they would not send.
   */
  image?: CardImage | null;
}

export interface CardImage {
  /** Repository-relative path, for messages. */
  path: string;
  read(): Promise<ImageUpload>;
}

export interface PostRequest {
  itemId: string;
  /** 0-based part of a thread, and how many parts the thread has. */
  part: number;
  parts: number;
  /** The exact final text (UTM tags already added). */
  text: string;
  /** Images, on the first part only. */
  images: ImageUpload[];
  /** The post this one replies to (the previous part), or null for the first part. */
  replyTo: RemotePost | null;
  /** The first part of the thread, or null for the first part itself. */
  threadRoot: RemotePost | null;
  /**
   * Stable for this item, channel, part and content: sending twice with one key must never make
   * two posts where the network allows it (Mastodon's Idempotency-Key, Bluesky's record key).
   */
  key: string;
  /** When the item was due, epoch ms: Bluesky derives its record key from it (createdAt is the time of sending). */
  dueAt: number;
  linkCard: LinkCard | null;
  signal: AbortSignal;
  /**
   * For what the network leaves out but still sends the post without (a cover it refuses as a
   * thumbnail, a mention it could not resolve): said in the run's output, never a failure.
   */
  warn?: (message: string) => void;
}

export interface FindRequest {
  itemId: string;
  part: number;
  text: string;
  key: string;
  dueAt: number;
  /** Only posts made after this moment (epoch ms) can be the one looked for. */
  notBefore: number;
  signal: AbortSignal;
}

/** One of the account's posts, read back from the network. */
export interface RemoteText {
  /** The text as the network gives it back (X: links as t.co, &<> escaped; Mastodon: HTML). */
  text: string;
  /**
   * True when it says `sent`, the exact final text Postgate sent, by the same rule `find` uses to
   * recognise a post (X's t.co links and media link, Mastodon's HTML, Bluesky's record text).
   */
  says(sent: string): boolean;
}

export interface Channel {
  readonly id: SocialChannelId;
  readonly rules: SocialChannelRules;
  /**
   * How long the network may take to process a post's images before it can be posted (X: GIFs),
   * beyond the requests themselves; the publisher adds it to the post's time limit. Absent: none.
   */
  readonly mediaProcessingMs?: number;
  /** Sends one post; throws ChannelError. */
  publish(request: PostRequest): Promise<RemotePost>;
  /**
   * Looks for a post that may have been sent without an answer reaching us (a timeout, a crash).
   * Null means it is known not to exist, so sending is safe.
   */
  find(request: FindRequest): Promise<RemotePost | null>;
  /**
   * Reads one post by its id (GET /2/tweets/:id, GET /api/v1/statuses/:id, getRecord). Null means
   * it is known to be gone (deleted); any other failure throws ChannelError.
   */
  lookUp(post: RemotePost, signal: AbortSignal): Promise<RemoteText | null>;
  /** Deletes a post; a post that is already gone counts as deleted. */
  retract(post: RemotePost, signal: AbortSignal): Promise<void>;
}

/**
 * Result of building a channel from the environment: the channel, or the variables it lacks, or
 * (`reason`) why it must not be used although nothing is missing (LinkedIn: the token has expired).
 */
export type ChannelFromEnv = { ok: true; channel: Channel } | { ok: false; missing: string[]; reason?: string };

export type Env = Readonly<Record<string, string | undefined>>;
