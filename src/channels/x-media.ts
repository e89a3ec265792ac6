import { setTimeout as delay } from 'node:timers/promises';
import type { TwitterApi } from 'twitter-api-v2';
import type { ImageUpload } from './channel.ts';
import type { XErrorMapper, XStep } from './x-errors.ts';

/**
 * Images for one post, through X's v2 chunked upload: INIT, APPEND (1 MB chunks), FINALIZE, then,
 * when FINALIZE answers with `processing_info` (always for GIFs, sometimes for large images), STATUS
 * polls until X says `succeeded`: X refuses a post whose media is still pending ("Your media IDs are
 * invalid."). Alt text is added once the media is ready.
 *
 * twitter-api-v2's own uploadMedia is not used: it sleeps check_after_secs for real with no bound,
 * and takes `pending` without check_after_secs as done.
 */
export interface XMediaProcessingOptions {
  /** The longest wait for X to process the media of one post, from the first wait (default 2 minutes). */
  limitMs?: number;
  /** Waits between STATUS polls; rejects when the signal aborts. Tests pass a virtual one. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The clock the limit is measured on (epoch ms); goes with `sleep`. */
  now?: () => number;
}

export interface XMediaDeps {
  client: TwitterApi;
  signal: AbortSignal;
  errors: XErrorMapper;
  /** One request, its failure mapped to a ChannelError. */
  run<T>(step: XStep, send: () => Promise<T>): Promise<T>;
  processing: Required<XMediaProcessingOptions>;
}

export const X_MEDIA_PROCESSING_LIMIT_MS = 120_000;
const CHUNK_BYTES = 1024 * 1024;
/** The wait when X says pending without check_after_secs. */
const DEFAULT_CHECK_AFTER_MS = 1000;

export const defaultMediaProcessing: Required<XMediaProcessingOptions> = {
  limitMs: X_MEDIA_PROCESSING_LIMIT_MS,
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
  now: Date.now,
};

/** X's processing_info (FINALIZE and STATUS answers); twitter-api-v2 does not export its type. */
interface ProcessingInfo {
  state?: unknown;
  check_after_secs?: unknown;
  progress_percent?: unknown;
  error?: { code?: unknown; name?: unknown; message?: unknown };
}

interface Uploaded {
  image: ImageUpload;
  id: string;
  processing: ProcessingInfo | undefined;
}

/** Uploads every image and waits until X has processed all of them; returns their media ids, in order. */
export async function uploadImages(deps: XMediaDeps, images: ImageUpload[]): Promise<string[]> {
  const uploaded: Uploaded[] = [];
  for (const image of images) uploaded.push(await upload(deps, image));
  // X processes them side by side: one limit for the post, not one per image.
  let deadline: number | undefined;
  for (const media of uploaded) {
    if (!media.processing) continue;
    deadline ??= deps.processing.now() + deps.processing.limitMs;
    await waitUntilProcessed(deps, media, deadline);
  }
  for (const { image, id } of uploaded) {
    if (!image.alt.trim()) continue;
    await deps.run({ action: `adding the alt text of ${image.path}`, creates: false }, () =>
      deps.client.v2.createMediaMetadata(id, { alt_text: { text: image.alt } }),
    );
  }
  return uploaded.map((media) => media.id);
}

async function upload(deps: XMediaDeps, image: ImageUpload): Promise<Uploaded> {
  const { client, run } = deps;
  const bytes = Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength);
  const step = { action: `uploading ${image.path}`, creates: false };
  const init = await run(step, () =>
    client.v2.post<unknown>('media/upload/initialize', {
      media_type: image.mime,
      total_bytes: bytes.length,
      media_category: category(image.mime),
    }),
  );
  const id = (init as { data?: { id?: unknown } } | undefined)?.data?.id;
  if (typeof id !== 'string' || !/^\d+$/.test(id))
    throw deps.errors.error('malformed', `X: the answer to uploading ${image.path} has no media id`, {
      maybeSent: false,
    });
  for (let index = 0; index * CHUNK_BYTES < bytes.length; index++) {
    const media = bytes.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES);
    await run(step, () =>
      client.v2.post(`media/upload/${id}/append`, { segment_index: index, media }, { forceBodyMode: 'form-data' }),
    );
  }
  const finalized = await run(step, () => client.v2.post<unknown>(`media/upload/${id}/finalize`));
  // No processing_info: the media is ready to attach (X's FINALIZE documentation).
  return { image, id, processing: processingInfo(finalized) };
}

async function waitUntilProcessed(deps: XMediaDeps, media: Uploaded, deadline: number): Promise<void> {
  const { processing: clock, errors } = deps;
  const path = media.image.path;
  let info = media.processing;
  for (;;) {
    // No processing_info at all: nothing (left) to process.
    const state = info === undefined ? 'succeeded' : info.state;
    if (state === 'succeeded') return;
    if (state === 'failed') {
      throw errors.error('rejected', `X: could not process ${path}: ${processingError(info)}; nothing was posted`, {
        maybeSent: false,
      });
    }
    if (state !== 'pending' && state !== 'in_progress') {
      throw errors.error(
        'malformed',
        `X: the processing of ${path} is in an unknown state "${String(state).slice(0, 40)}"; nothing was posted`,
        { maybeSent: false },
      );
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw errors.error(
        'timeout',
        `X: ${path} was still being processed (${describeProgress(info)}) after ${Math.round(clock.limitMs / 1000)} s; nothing was posted`,
        { maybeSent: false },
      );
    }
    const after = info?.check_after_secs;
    const wait =
      typeof after === 'number' && Number.isFinite(after) && after >= 0 ? after * 1000 : DEFAULT_CHECK_AFTER_MS;
    try {
      await clock.sleep(Math.min(wait, remaining), deps.signal);
    } catch (error) {
      if (!deps.signal.aborted) throw error;
    }
    if (deps.signal.aborted) {
      // The publisher gives each post a time limit (AbortSignal.timeout): say so rather than "cancelled".
      const ranOut = (deps.signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
      const why = ranOut ? 'the time for this post ran out' : 'cancelled';
      throw errors.error('timeout', `X: ${why} while waiting for X to process ${path}; nothing was posted`, {
        maybeSent: false,
      });
    }
    const status = await deps.run({ action: `checking the processing of ${path}`, creates: false }, () =>
      deps.client.v2.get<unknown>('media/upload', { command: 'STATUS', media_id: media.id }),
    );
    const data = (status as { data?: unknown } | undefined)?.data;
    if (!data || typeof data !== 'object')
      throw errors.error('malformed', `X: the answer to checking the processing of ${path} has no data`, {
        maybeSent: false,
      });
    info = processingInfo(status);
  }
}

function processingInfo(answer: unknown): ProcessingInfo | undefined {
  const info = (answer as { data?: { processing_info?: unknown } } | undefined)?.data?.processing_info;
  return info && typeof info === 'object' ? (info as ProcessingInfo) : undefined;
}

/** X's reason, e.g. "Unsupported video format (InvalidMedia, code 1)". */
function processingError(info: ProcessingInfo | undefined): string {
  const error = info?.error && typeof info.error === 'object' ? info.error : {};
  const message = typeof error.message === 'string' && error.message.trim() ? clip(error.message.trim()) : null;
  const labels = [
    typeof error.name === 'string' && error.name ? clip(error.name) : null,
    typeof error.code === 'number' ? `code ${error.code}` : null,
  ].filter(Boolean);
  if (!message && !labels.length) return 'X gave no reason';
  return [message ?? 'processing failed', labels.length ? `(${labels.join(', ')})` : ''].filter(Boolean).join(' ');
}

function describeProgress(info: ProcessingInfo | undefined): string {
  const state = String(info?.state).slice(0, 40);
  const percent = info?.progress_percent;
  return typeof percent === 'number' ? `${state}, ${percent}%` : state;
}

function category(mime: string): 'tweet_gif' | 'tweet_image' {
  return mime === 'image/gif' ? 'tweet_gif' : 'tweet_image';
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
