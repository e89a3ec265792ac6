import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRoute, GetStaticPaths } from 'astro';
import { sitePosts, type Cover } from '../../site/posts.ts';

/**
 * Cover images, at /media/<slug>/<file name>. A cover's `src` is relative to its post (the shared
 * schema keeps it a plain path), so the site copies the file as it is: only the covers of the
 * posts on the site, nothing else from the repository.
 */
export const getStaticPaths = (async () => {
  const posts = await sitePosts();
  return posts.flatMap((post) =>
    post.cover ? [{ params: { file: post.cover.mediaPath }, props: { cover: post.cover } }] : [],
  );
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => {
  const { cover } = props as { cover: Cover };
  return new Response(readFileSync(join(process.cwd(), cover.file)), { headers: { 'Content-Type': cover.type } });
};
