// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

// The site URL comes from postgate.config.yaml, the one place a user sets it.
const config = /** @type {{ site?: { url?: string } }} */ (yaml.load(readFileSync('postgate.config.yaml', 'utf8'), { schema: yaml.CORE_SCHEMA }));

export default defineConfig({
  site: config?.site?.url,
  integrations: [mdx()],
});
