import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_DIR,
  BUNDLED_DEPENDENCIES,
  currentBundles,
  MANIFEST,
  type BundleManifest,
} from '../src/cli/dependency-bundles.ts';
import { cleanEnv } from './helpers/clean-env.ts';
import { REPO_ROOT } from './helpers/cli.ts';

/** A Postgate root with one installed package `pkgx` (and `other`, which imports it), and a bundle of pkgx. */
function fixture(installed: string, bundled: string | null): string {
  const root = mkdtempSync(join(tmpdir(), 'postgate-bundles-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'node_modules/pkgx/package.json',
    JSON.stringify({ name: 'pkgx', version: installed, type: 'module', exports: './index.js' }),
  );
  write('node_modules/pkgx/index.js', "export const who = 'installed';\n");
  write(
    'node_modules/other/package.json',
    JSON.stringify({ name: 'other', version: '1.0.0', type: 'module', exports: './index.js' }),
  );
  write('node_modules/other/index.js', "export { who } from 'pkgx';\n");
  write('src/use.mjs', "export { who } from 'pkgx';\n");
  if (bundled !== null) {
    write(`${BUNDLE_DIR}/pkgx.mjs`, "export const who = 'bundle';\n");
    const manifest: BundleManifest = { packages: { pkgx: { version: bundled, file: 'pkgx.mjs' } } };
    write(`${BUNDLE_DIR}/${MANIFEST}`, JSON.stringify(manifest));
  }
  return root;
}

/** What Postgate's own code and another package get for `import 'pkgx'` once the hook is on. */
function whoIsLoaded(root: string, env: Record<string, string> = {}): { own: string; fromPackage: string } {
  const script = `
    const { useDependencyBundles } = await import(${JSON.stringify(join(REPO_ROOT, 'src/cli/dependency-bundles.ts'))});
    useDependencyBundles(${JSON.stringify(root)});
    const own = (await import(${JSON.stringify(join(root, 'src/use.mjs'))})).who;
    const fromPackage = (await import(${JSON.stringify(join(root, 'node_modules/other/index.js'))})).who;
    process.stdout.write(JSON.stringify({ own, fromPackage }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: cleanEnv(env),
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

describe('dependency bundles', () => {
  it("send Postgate's own imports to a current bundle, and leave other packages' imports alone", () => {
    expect(whoIsLoaded(fixture('1.0.0', '1.0.0'))).toEqual({ own: 'bundle', fromPackage: 'installed' });
  });

  it('are not used when the installed package has another version, or when none were built', () => {
    expect(whoIsLoaded(fixture('1.0.1', '1.0.0'))).toEqual({ own: 'installed', fromPackage: 'installed' });
    expect(whoIsLoaded(fixture('1.0.0', null))).toEqual({ own: 'installed', fromPackage: 'installed' });
    expect(currentBundles(fixture('1.0.1', '1.0.0')).size).toBe(0);
  });

  it('are not used when the file the manifest names is gone (a cache cleaner deleted it)', () => {
    const root = fixture('1.0.0', '1.0.0');
    rmSync(join(root, BUNDLE_DIR, 'pkgx.mjs'));
    expect(whoIsLoaded(root)).toEqual({ own: 'installed', fromPackage: 'installed' });
  });

  it('can be switched off with POSTGATE_DEPENDENCY_BUNDLES=off', () => {
    expect(whoIsLoaded(fixture('1.0.0', '1.0.0'), { POSTGATE_DEPENDENCY_BUNDLES: 'off' })).toEqual({
      own: 'installed',
      fromPackage: 'installed',
    });
  });

  it('were built by npm ci for every listed package of this install', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, BUNDLE_DIR, MANIFEST), 'utf8')) as BundleManifest;
    expect(Object.keys(manifest.packages).sort()).toEqual([...BUNDLED_DEPENDENCIES].sort());
    expect([...currentBundles(REPO_ROOT).keys()].sort()).toEqual([...BUNDLED_DEPENDENCIES].sort());
  });
});
