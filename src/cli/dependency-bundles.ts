import module from 'node:module';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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
 * used only while the installed package is the one it was built from (same version, same
 * package.json bytes), so a stale or missing bundle costs speed, never correctness.
 *
 * A bundle is code the command line runs with the network credentials in its environment, so it
 * is loaded only when its bytes hash to the sha256 the bundling step recorded in the manifest;
 * the bytes checked are the bytes Node runs (the load hook hands them over, the file is not read
 * a second time). A bundle written after `npm ci` (a security review had an MDX `export` in a
 * post, run by `astro build`, rewrite zod's bundle) is refused with one line on stderr, and the
 * package loads as installed. Only the bundles a command imports are hashed (`check`: 2.9 MB,
 * ~3 ms; all six: 3.3 MB, 4-17 ms on a busy 2-core machine), and node:crypto, which `check` and
 * `publish` load anyway, loads earlier; `check` measured no slower end to end. Re-bundling to
 * compare would take 1-2 s.
 *
 * What this cannot do: the manifest lives next to the bundles, in node_modules, and whoever can
 * rewrite it can as easily rewrite the installed package itself, which Node would load with no
 * hook at all. No file in the workspace can vouch for node_modules against code that ran in that
 * workspace: that guarantee is the workflow's (the job holding the credentials installs with
 * `npm ci`, restores no node_modules another job could have written, and runs no post code
 * before it sends). The check makes a bundle exactly as trustworthy as the installed package,
 * never less.
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
/** Manifests before 2 recorded no checksums: their bundles are not used. */
export const MANIFEST_FORMAT = 2;

/** What the bundling step recorded about one bundle; paths are relative to Postgate's root. */
export interface BundleEntry {
  /** The installed package it was built from: its version, package.json and that file's sha256. */
  version: string;
  packageJson: string;
  packageJsonSha256: string;
  /** The bundle: its file name in BUNDLE_DIR, its size in bytes and its sha256 (hex). */
  file: string;
  bytes: number;
  sha256: string;
}

export interface BundleManifest {
  format: typeof MANIFEST_FORMAT;
  /** Package name -> its bundle. */
  packages: Record<string, BundleEntry>;
}

/** A bundle the manifest lists for the package installed now; its bytes are not checked yet. */
export interface CurrentBundle {
  name: string;
  /** Relative to Postgate's root, for messages. */
  file: string;
  path: string;
  url: string;
  bytes: number;
  sha256: string;
}

export function bundleFileName(name: string): string {
  return `${name.replace(/^@/, '').replace(/\//g, '__')}.mjs`;
}

export function packageJsonPath(name: string): string {
  return `node_modules/${name}/package.json`;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What identifies the installed package `name`, or undefined when it is not installed. */
export function installedPackage(
  root: string,
  name: string,
): Pick<BundleEntry, 'version' | 'packageJson' | 'packageJsonSha256'> | undefined {
  try {
    const text = readFileSync(join(root, packageJsonPath(name)));
    const version = (JSON.parse(text.toString('utf8')) as { version?: unknown }).version;
    if (typeof version !== 'string') return undefined;
    return { version, packageJson: packageJsonPath(name), packageJsonSha256: sha256(text) };
  } catch {
    return undefined;
  }
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The manifest in `text`, or what is wrong with it. */
export function parseManifest(text: string): BundleManifest | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { problem: 'is not a JSON object' };
  const { format, packages } = parsed as { format?: unknown; packages?: unknown };
  if (format === undefined) return { problem: 'records no checksums (an older Postgate wrote it)' };
  if (format !== MANIFEST_FORMAT) return { problem: `has format ${JSON.stringify(format)}, not ${MANIFEST_FORMAT}` };
  if (typeof packages !== 'object' || packages === null || Array.isArray(packages)) {
    return { problem: 'has no "packages" object' };
  }
  for (const [name, entry] of Object.entries(packages)) {
    const e = entry as Partial<Record<keyof BundleEntry, unknown>> | null;
    const valid =
      PACKAGE_NAME.test(name) &&
      typeof e === 'object' &&
      e !== null &&
      typeof e.version === 'string' &&
      e.packageJson === packageJsonPath(name) &&
      typeof e.packageJsonSha256 === 'string' &&
      SHA256.test(e.packageJsonSha256) &&
      e.file === bundleFileName(name) &&
      Number.isSafeInteger(e.bytes) &&
      typeof e.sha256 === 'string' &&
      SHA256.test(e.sha256);
    if (!valid) return { problem: `has a malformed entry for ${JSON.stringify(name)}` };
  }
  return { format, packages: packages as Record<string, BundleEntry> };
}

/**
 * The manifest, or what is wrong with it; undefined when no bundle was built (npm ran with
 * --ignore-scripts, say): then the packages load as usual, and nothing needs saying.
 */
export function readManifest(root: string): BundleManifest | { problem: string } | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, BUNDLE_DIR, MANIFEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    let files: string[] = [];
    try {
      files = readdirSync(join(root, BUNDLE_DIR)).filter((f) => f.endsWith('.mjs'));
    } catch {}
    return files.length > 0 ? { problem: `is missing, next to ${files.join(', ')}` } : undefined;
  }
  return parseManifest(text);
}

/** The bundles built from the packages installed now: package name -> bundle (bytes not checked). */
export function currentBundles(root: string, manifest?: BundleManifest): Map<string, CurrentBundle> {
  const current = new Map<string, CurrentBundle>();
  const read = manifest ?? readManifest(root);
  if (read === undefined || 'problem' in read) return current;
  for (const [name, entry] of Object.entries(read.packages)) {
    const installed = installedPackage(root, name);
    if (installed?.version !== entry.version || installed.packageJsonSha256 !== entry.packageJsonSha256) continue;
    const path = join(root, BUNDLE_DIR, entry.file);
    const url = pathToFileURL(path).href;
    current.set(name, {
      name,
      file: `${BUNDLE_DIR}/${entry.file}`,
      path,
      url,
      bytes: entry.bytes,
      sha256: entry.sha256,
    });
  }
  return current;
}

/**
 * The bundle's bytes when they are the ones the manifest records; `missing` when the file is gone
 * (a cache cleaner deleted it: nothing to say), else what is wrong.
 */
export function verifyBundle(
  bundle: CurrentBundle,
): { ok: true; source: Buffer } | { ok: false; missing: true } | { ok: false; missing: false; problem: string } {
  let source: Buffer;
  try {
    source = readFileSync(bundle.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true };
    return { ok: false, missing: false, problem: `cannot be read (${code ?? String(error)})` };
  }
  if (source.length !== bundle.bytes || sha256(source) !== bundle.sha256) {
    return {
      ok: false,
      missing: false,
      problem: 'changed after it was built: its sha256 is not the one in the manifest',
    };
  }
  return { ok: true, source };
}

/**
 * Sends Postgate's own imports of the bundled packages to their bundles, each checked against the
 * manifest the first time it is imported. Imports from inside node_modules are left alone: another
 * package may depend on another version.
 */
export function useDependencyBundles(
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  if (env.POSTGATE_DEPENDENCY_BUNDLES === 'off') return; // to rule them out when something misbehaves
  if (typeof module.registerHooks !== 'function') return; // Node < 22.15: plain loading
  const manifest = readManifest(root);
  if (manifest === undefined) return;
  if ('problem' in manifest) {
    warn(
      `postgate: ${BUNDLE_DIR}/${MANIFEST} ${manifest.problem}; no dependency bundle is used, the libraries load as installed (npm ci, or npm run bundle-dependencies, builds them again)`,
    );
    return;
  }
  const bundles = currentBundles(root, manifest);
  if (bundles.size === 0) return;
  const byUrl = new Map([...bundles.values()].map((bundle) => [bundle.url, bundle]));
  const chosen = new Map<string, string | null>(); // package name -> its bundle's URL, or null: as installed
  const checked = new Map<string, Buffer>(); // bundle URL -> the bytes verified, until Node loads them
  const bundleUrl = (bundle: CurrentBundle): string | null => {
    let url = chosen.get(bundle.name);
    if (url !== undefined) return url;
    const verified = verifyBundle(bundle);
    url = verified.ok ? bundle.url : null;
    if (verified.ok) checked.set(bundle.url, verified.source);
    else if (!verified.missing) {
      warn(
        `postgate: not loading the bundle ${bundle.file}: it ${verified.problem}; ${bundle.name} loads as installed instead (npm ci, or npm run bundle-dependencies, builds it again)`,
      );
    }
    chosen.set(bundle.name, url);
    return url;
  };
  const own = `${pathToFileURL(root).href}/`;
  const ownCode = (parent: string | undefined) => parent?.startsWith(own) && !parent.includes('/node_modules/');
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const bundle = bundles.get(specifier);
      const url = bundle && ownCode(context.parentURL) ? bundleUrl(bundle) : null;
      if (url) return { url, format: 'module', shortCircuit: true };
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      const bundle = byUrl.get(url);
      if (!bundle) return nextLoad(url, context);
      // Node runs the bytes that were verified, not whatever the file holds by now.
      let source = checked.get(url);
      checked.delete(url);
      if (!source) {
        const verified = verifyBundle(bundle); // loaded some other way than through resolve above
        if (!verified.ok) throw new Error(`postgate: the bundle ${bundle.file} does not match its manifest`);
        source = verified.source;
      }
      return { format: 'module', source, shortCircuit: true };
    },
  });
}

/** Postgate's root: two folders up from this file. */
export const POSTGATE_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
