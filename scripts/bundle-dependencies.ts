/**
 * `npm run bundle-dependencies` (also run by `npm ci`, as postinstall): bundles each dependency in
 * BUNDLED_DEPENDENCIES into one ES module, so the command line starts faster, and records in the
 * manifest what each bundle was built from and the sha256 of its bytes, which the command line
 * checks before it loads one. See src/cli/dependency-bundles.ts. A failure here never fails the
 * install: without bundles the command line loads the packages as usual.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import {
  BUNDLE_DIR,
  BUNDLE_FROM_NPM,
  BUNDLED_DEPENDENCIES,
  bundleFileName,
  DEFAULT_EXPORT_ONLY,
  installedPackage,
  MANIFEST,
  MANIFEST_FORMAT,
  sha256,
  type BundleManifest,
} from '../src/cli/dependency-bundles.ts';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, BUNDLE_DIR);

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`Usage: npm run bundle-dependencies

Bundles ${BUNDLED_DEPENDENCIES.join(', ')} into one file each under
${BUNDLE_DIR}/, which the command line then loads (faster start-up).
npm ci runs it; run it yourself after changing those packages by hand.\n`);
  process.exit(0);
}

try {
  const { build } = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  const manifest: BundleManifest = { format: MANIFEST_FORMAT, packages: {} };
  const started = performance.now();
  for (const name of BUNDLED_DEPENDENCIES) {
    const installed = installedPackage(root, name);
    if (!installed) continue;
    const file = bundleFileName(name);
    const partial = join(dir, `${file}.${process.pid}.partial`);
    const contents = DEFAULT_EXPORT_ONLY.includes(name)
      ? `export { default } from ${JSON.stringify(name)};`
      : `export * from ${JSON.stringify(name)};`;
    // Modules Node also has built in, taken from the package's own dependencies instead.
    const fromNpm = new Set(BUNDLE_FROM_NPM[name] ?? []);
    const fromPackage = createRequire(join(root, 'node_modules', name, 'package.json'));
    await build({
      stdin: { contents, resolveDir: root, loader: 'js' },
      plugins: [
        {
          name: 'npm-instead-of-node-builtin',
          setup(b) {
            b.onResolve({ filter: /^[a-z]+$/ }, (args) =>
              fromNpm.has(args.path) ? { path: fromPackage.resolve(`${args.path}/`) } : undefined,
            );
          },
        },
      ],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      // Prefer each package's ES module build: `export *` of a CommonJS build exports no names.
      mainFields: ['module', 'main'],
      outfile: partial,
      logLevel: 'error',
      // CommonJS inside the bundle may require Node's built-in modules.
      banner: {
        js: "import { createRequire as __postgateRequire } from 'node:module'; const require = __postgateRequire(import.meta.url);",
      },
    });
    const bytes = readFileSync(partial); // the bytes renamed into place are the bytes recorded
    renameSync(partial, join(dir, file)); // whole files only, even if two installs race
    manifest.packages[name] = { ...installed, file, bytes: bytes.length, sha256: sha256(bytes) };
  }
  writeFileSync(join(dir, `${MANIFEST}.${process.pid}`), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(join(dir, `${MANIFEST}.${process.pid}`), join(dir, MANIFEST));
  process.stdout.write(
    `postgate: bundled ${Object.keys(manifest.packages).length} dependencies for a faster start in ${Math.round(performance.now() - started)} ms (${BUNDLE_DIR})\n`,
  );
} catch (error) {
  // Never leave a manifest that names a broken bundle, nor bundles without their manifest (the
  // command line would say so on every run).
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(
    `postgate: could not bundle dependencies (${error instanceof Error ? error.message : String(error)}); the command line will load them unbundled, a little slower\n`,
  );
}
