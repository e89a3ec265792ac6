// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { postgateSite } from './src/site/integration.ts';
import { siteAddress } from './src/site/site-config.ts';

// The address comes from postgate.config.yaml (site.url), the one place a user sets it:
// `https://user.github.io/repo` becomes site `https://user.github.io` and base `/repo`.
const address = siteAddress();

export default defineConfig({
  site: address.origin,
  base: address.base,
  // Writers preview in `npm run dev`; the toolbar would be the only script on the page.
  devToolbar: { enabled: false },
  integrations: [postgateSite(address), mdx(), sitemap()],
});
