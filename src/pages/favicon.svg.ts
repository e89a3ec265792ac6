import type { APIRoute } from 'astro';
import { siteConfig } from '../site/site-config.ts';

/** A small icon in the theme's accent colour with the site's initial: no image file to keep up to date. */
export const GET: APIRoute = () => {
  const config = siteConfig();
  const initial = [...config.site.title.trim()][0]?.toUpperCase() ?? 'P';
  const letter = initial.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${config.theme.accent}"/><text x="32" y="44" font-family="system-ui, sans-serif" font-size="36" font-weight="700" text-anchor="middle" fill="#fff">${letter}</text></svg>`;
  return new Response(svg, { headers: { 'Content-Type': 'image/svg+xml' } });
};
