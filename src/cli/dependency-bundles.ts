import module from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Dependencies that ship as hundreds of small ES modules load slowly: Node resolves, reads and
 * links each one (@atproto/api is 550 modules and took ~200 ms to import; zod is 95 modules,
 * 64 of them locales). `npm ci` bundles each into one file (scripts/bundle-dependencies.ts, the
 * same idea as Vite's dependency pre-bundling), and the command line loads those files instead:
 * @atproto/api then takes ~50 ms, zod ~9 ms.
 *
 * Only the command line does this; Astro and the tests import the packages as usual. A bundle is
 * used only while the installed package has the version it was built from, so a stale or missing
 * bundle costs speed, never correctness.
 */
export const BUNDLED_DEPENDENCIES = [
  '@atproto/api',
  'zod',
  'twitter-api-v2',
  'masto',
  '@octokit/rest',
  'twitter-text',
] as const;

/**
 * Packages whose ES build has only a default export (`export *` would export nothing): their
 * bundle re-exports that default. twitter-text is 100 small modules plus core-js polyfills, ~220 ms
 * to load as installed and ~35 ms bundled.
 */
export const DEFAULT_EXPORT_ONLY: readonly string[] = ['twitter-text'];

/**
 * Node's own modules a package asks for that its bundle takes from the package's npm dependencies
 * instead: twitter-text imports "punycode", which would name Node's deprecated built-in (a warning
 * on every run) where the installed package gets the npm "punycode" it depends on.
 */
export const BUNDLE_FROM_NPM: Readonly<Record<string, readonly string[]>> = { 'twitter-text': ['punycode'] };

export const BUNDLE_DIR = 'node_modules/.cache/postgate/dependencies';
export const MANIFEST = 'manifest.json';

export interface BundleManifest {
  /** Package name -> the version bundled and the bundle's file name in BUNDLE_DIR. */
  packages: Record<string, { version: string; file: string }>;
}

export function bundleFileName(name: string): string {
  return `${name.replace(/^@/, '').replace(/\//g, '__')}.mjs`;
}

export function installedVersion(root: string, name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string })
      .version;
  } catch {
    return undefined;
  }
}

/** Which bundles are current: package name -> file URL of its bundle. */
export function currentBundles(root: string): Map<string, string> {
  const current = new Map<string, string>();
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, BUNDLE_DIR, MANIFEST), 'utf8')) as BundleManifest;
  } catch {
    return current; // not built (npm ran with --ignore-scripts, say): load the packages as usual
  }
  for (const [name, entry] of Object.entries(manifest.packages ?? {})) {
    if (!entry || installedVersion(root, name) !== entry.version) continue;
    const file = join(root, BUNDLE_DIR, entry.file);
    // A cache cleaner may have deleted the file the manifest names.
    if (existsSync(file)) current.set(name, pathToFileURL(file).href);
  }
  return current;
}

/**
 * Sends Postgate's own imports of the bundled packages to their bundles. Imports from inside
 * node_modules are left alone: another package may depend on another version.
 */
export function useDependencyBundles(
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  if (env.POSTGATE_DEPENDENCY_BUNDLES === 'off') return; // to rule them out when something misbehaves
  if (typeof module.registerHooks !== 'function') return; // Node < 22.15: plain loading
  const bundles = currentBundles(root);
  if (bundles.size === 0) return;
  const own = `${pathToFileURL(root).href}/`;
  const ownCode = (parent: string | undefined) => parent?.startsWith(own) && !parent.includes('/node_modules/');
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const url = bundles.get(specifier);
      if (url && ownCode(context.parentURL)) return { url, format: 'module', shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}

/** Postgate's root: two folders up from this file. */
export const POSTGATE_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
