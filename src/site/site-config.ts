import { readFileSync } from 'node:fs';
import { CONFIG_FILE, type Config } from '../core/config-schema.ts';
import { parseConfig } from '../repo/load-config.ts';

/** The site's view of postgate.config.yaml, read once per build. */
let cached: Config | undefined;

export function siteConfig(): Config {
  cached ??= parseConfig(readFileSync(CONFIG_FILE, 'utf8'));
  return cached;
}
