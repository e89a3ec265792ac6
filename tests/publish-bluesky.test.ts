import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRepoCopy, runCliAsync } from './helpers/cli.ts';
import { pngBytes } from './helpers/images.ts';
import { startNetworks, type Networks } from './helpers/networks.ts';

/**
 * What `publish` puts in a Bluesky post, end to end: the real CLI and @atproto/api against the fake
 * PDS, which validates every record against the lexicon. Example content (Berlin): sign-ups thread
 * with a chart 2026-12-02 13:00; winter appeal post and its announcement 2026-12-03 08:00.
 */
let n: Networks;
let dir: string;
beforeEach(async () => {
  n = await startNetworks();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await n.stop();
});

const COVER = 'content/posts/winter-appeal-cover.png';
const ANNOUNCE = 'posts/winter-appeal/announce';
const AMIRA = 'did:plc:amira2xqkfjsuc6p3jbd4mvy';
const publish = (now: string, args: string[] = []) =>
  runCliAsync(['publish', '--now', now, ...args], { cwd: dir, env: n.env });
const setLanguage = (language: string) => {
  const config = join(dir, 'postgate.config.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/^ {2}language: en$/m, `  language: ${language}`));
};
interface Blob {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}
interface PostRecord {
  text: string;
  langs?: string[];
  facets?: unknown[];
  embed?: {
    $type: string;
    images?: { image: Blob; alt: string; aspectRatio?: { width: number; height: number } }[];
    external?: { uri: string; title: string; description: string; thumb?: Blob };
  };
}
const records = () => n.bluesky.livePosts.map((p) => p.record as unknown as PostRecord);
const bluesky = (startsWith: string) => records().find((r) => r.text.startsWith(startsWith))!;

describe('a Bluesky post carries what the app puts in one', () => {
  it('langs from site.language, images with alt text and aspect ratio, resolved mentions', async () => {
    setLanguage('de-CH');
    n.bluesky.addAccount('amira.example.org', AMIRA);
    writeFileSync(
      join(dir, 'content/social/mentions.md'),
      '---\npublishAt: 2026-12-02T13:00\nchannels: [bluesky]\n---\nThank you @amira.example.org and @nobody.example.org for the numbers.\n',
    );
    const run = await publish('2026-12-02T12:30:00Z');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('warning');

    const posts = n.bluesky.livePosts;
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) expect(post.record.langs).toEqual(['de-CH']);

    const chart = records().find((r) => r.embed)!.embed!;
    expect(chart.images).toEqual([
      {
        image: expect.objectContaining({ mimeType: 'image/png' }),
        alt: expect.stringContaining('Bar chart of volunteer sign-ups'),
        aspectRatio: { width: 600, height: 315 }, // content/social/volunteer-chart.png
      },
    ]);

    const thanks = bluesky('Thank you @amira');
    expect(thanks.facets).toEqual([
      {
        $type: 'app.bsky.richtext.facet',
        index: { byteStart: 10, byteEnd: 28 },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did: AMIRA }],
      },
    ]);
  });

  it("announces a post with a link card whose thumbnail is the post's cover, uploaded first", async () => {
    const run = await publish('2026-12-03T07:30:00Z');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('warning');
    const announcement = bluesky('Winter appeal');
    expect(announcement.langs).toEqual(['en']);
    const external = announcement.embed!.external!;
    expect(external).toMatchObject({
      uri: expect.stringMatching(/^https:\/\/example\.org\/posts\/winter-appeal\/\?utm_source=bluesky/),
      title: 'Our winter appeal: 2,000 warm meals by January',
      thumb: { $type: 'blob', mimeType: 'image/png', size: readFileSync(join(dir, COVER)).length },
    });
    const blob = n.bluesky.blobs.find((b) => b.cid === external.thumb!.ref.$link)!;
    expect(Buffer.compare(blob.bytes, readFileSync(join(dir, COVER)))).toBe(0);
    const requests = n.bluesky.server.requests;
    const upload = requests.findIndex((r) => r.path.endsWith('uploadBlob') && Buffer.compare(r.body, blob.bytes) === 0);
    const create = requests.findIndex((r) => r.path.endsWith('createRecord') && r.body.includes('Winter appeal'));
    expect(upload).toBeGreaterThanOrEqual(0);
    expect(upload).toBeLessThan(create);
  });

  it('names the thumbnail in a dry run', async () => {
    const run = await publish('2026-12-03T07:30:00Z', ['--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`link card: Our winter appeal: 2,000 warm meals by January  thumbnail: ${COVER}`);
    expect(n.bluesky.blobs).toEqual([]);
  });

  it('sends the card without a thumbnail, and says so, when the cover is over 1,000,000 bytes', async () => {
    writeFileSync(join(dir, COVER), pngBytes(2400, 1260, 1_200_000));
    const run = await publish('2026-12-03T07:30:00Z');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `bluesky  ${ANNOUNCE}  warning: the link card goes without a thumbnail: the cover ${COVER} is 1.1 MB (1200000 bytes); a thumbnail may be at most 1000000 bytes`,
    );
    const announcement = bluesky('Winter appeal');
    expect(announcement.embed!.$type).toBe('app.bsky.embed.external');
    expect(announcement.embed!.external).not.toHaveProperty('thumb');
    expect(n.bluesky.blobs).toEqual([]);
  });

  it('leaves langs out, and says why, when site.language is not a BCP 47 tag', async () => {
    setLanguage('en_GB');
    const run = await publish('2026-12-03T07:30:00Z');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `bluesky  ${ANNOUNCE}  warning: the site's language "en_GB" is not a BCP 47 tag (such as en or de-CH): the post says no language`,
    );
    expect(bluesky('Winter appeal')).not.toHaveProperty('langs');
  });
});
