import type { APIRoute } from 'astro';
import { siteAddress } from '../site/site-config.ts';
import { withBase } from '../site/site-links.ts';

export const GET: APIRoute = () => {
  const address = siteAddress();
  const sitemap = new URL(withBase('/sitemap-index.xml', address), address.origin).href;
  return new Response(`User-agent: *\nAllow: /\n\nSitemap: ${sitemap}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
};
