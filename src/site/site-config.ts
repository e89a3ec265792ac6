import { readFileSync } from 'node:fs';
import { CONFIG_FILE, type Config } from '../core/config-schema.ts';
import { ContentError } from '../core/errors.ts';
import { parseConfig } from '../repo/load-config.ts';

/** The site's view of postgate.config.yaml, read once per build. */
let cached: Config | undefined;

export function siteConfig(): Config {
  if (cached) return cached;
  try {
    cached = parseConfig(readFileSync(CONFIG_FILE, 'utf8'));
  } catch (error) {
    // Astro prints only the message: put the located problems in it.
    if (error instanceof ContentError)
      throw new Error(
        `${error.message}:\n${error.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`).join('\n')}`,
      );
    throw error;
  }
  return cached;
}

/**
 * Where the site lives, from `site.url`: Astro's `site` is the origin and `base` the path, so
 * `https://user.github.io/repo` (a GitHub Pages project site) serves every page under `/repo/`.
 */
export interface SiteAddress {
  origin: string;
  /** `/` or a path without a trailing slash, e.g. `/repo`. */
  base: string;
}

export function siteAddress(url = siteConfig().site.url): SiteAddress {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, '');
  return { origin: parsed.origin, base: path === '' ? '/' : path };
}
