import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { sitePosts } from '../site/posts.ts';
import { siteAddress, siteConfig } from '../site/site-config.ts';
import { withBase } from '../site/site-links.ts';

/** The feed: the newest released posts, dated by their release. */
const FEED_SIZE = 50;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export const GET: APIRoute = async () => {
  const config = siteConfig();
  const address = siteAddress();
  const posts = (await sitePosts()).filter((post) => post.releasedAt !== null).slice(0, FEED_SIZE);
  return rss({
    title: config.site.title,
    description: config.site.description || config.site.title,
    site: new URL(withBase('/', address), address.origin).href,
    xmlns: { dc: 'http://purl.org/dc/elements/1.1/' },
    customData: `<language>${escapeXml(config.site.language)}</language>`,
    items: posts.map((post) => ({
      title: post.title,
      description: post.description,
      link: new URL(post.path, address.origin).href,
      pubDate: new Date(post.releasedAt!),
      categories: post.tags.map((tag) => tag.name),
      customData: `<dc:creator>${escapeXml(post.author)}</dc:creator>`,
    })),
  });
};
