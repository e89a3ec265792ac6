import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_DIR,
  BUNDLED_DEPENDENCIES,
  currentBundles,
  MANIFEST,
  type BundleManifest,
} from '../src/cli/dependency-bundles.ts';
import { cleanEnv } from './helpers/clean-env.ts';
import { exampleRepoCopy, REPO_ROOT } from './helpers/cli.ts';

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

const PKGX_JSON = JSON.stringify({ name: 'pkgx', version: '1.0.0', type: 'module', exports: './index.js' });
const PKGX_BUNDLE = "export const who = 'bundle';\n";

/** The manifest the bundler writes for pkgx 1.0.0 and its bundle, with `change` applied to its entry. */
function pkgxManifest(change: Record<string, unknown> = {}): string {
  const entry = {
    version: '1.0.0',
    packageJson: 'node_modules/pkgx/package.json',
    packageJsonSha256: sha256(PKGX_JSON),
    file: 'pkgx.mjs',
    bytes: Buffer.byteLength(PKGX_BUNDLE),
    sha256: sha256(PKGX_BUNDLE),
    ...change,
  };
  return JSON.stringify({ format: 2, packages: { pkgx: entry } });
}

/**
 * A Postgate root with one installed package `pkgx` (and `other`, which imports it), and a bundle of
 * pkgx with the manifest `manifest` (none when null).
 */
function fixture(installedJson: string, manifest: string | null): string {
  const root = mkdtempSync(join(tmpdir(), 'postgate-bundles-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('node_modules/pkgx/package.json', installedJson);
  write('node_modules/pkgx/index.js', "export const who = 'installed';\n");
  write(
    'node_modules/other/package.json',
    JSON.stringify({ name: 'other', version: '1.0.0', type: 'module', exports: './index.js' }),
  );
  write('node_modules/other/index.js', "export { who } from 'pkgx';\n");
  write('src/use.mjs', "export { who } from 'pkgx';\n");
  if (manifest !== null) {
    write(`${BUNDLE_DIR}/pkgx.mjs`, PKGX_BUNDLE);
    write(`${BUNDLE_DIR}/${MANIFEST}`, manifest);
  }
  return root;
}

/** What Postgate's own code and another package get for `import 'pkgx'` once the hook is on. */
function whoIsLoaded(
  root: string,
  env: Record<string, string> = {},
): { own: string; fromPackage: string; stderr: string } {
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
  expect(result.status, result.stderr).toBe(0);
  return { ...JSON.parse(result.stdout), stderr: result.stderr };
}

const AS_BUNDLED = { own: 'bundle', fromPackage: 'installed', stderr: '' };
const AS_INSTALLED = { own: 'installed', fromPackage: 'installed', stderr: '' };

describe('dependency bundles', () => {
  it("send Postgate's own imports to a current bundle, and leave other packages' imports alone", () => {
    expect(whoIsLoaded(fixture(PKGX_JSON, pkgxManifest()))).toEqual(AS_BUNDLED);
  });

  it('are not used when the installed package has another version or another package.json, or when none were built', () => {
    expect(whoIsLoaded(fixture(PKGX_JSON, pkgxManifest({ version: '1.0.1' })))).toEqual(AS_INSTALLED);
    // Same version, other bytes: not the package the bundle was built from.
    const reinstalled = PKGX_JSON.replace('"type"', '"description":"another build","type"');
    expect(whoIsLoaded(fixture(reinstalled, pkgxManifest()))).toEqual(AS_INSTALLED);
    expect(currentBundles(fixture(reinstalled, pkgxManifest())).size).toBe(0);
    expect(whoIsLoaded(fixture(PKGX_JSON, null))).toEqual(AS_INSTALLED);
  });

  it('are not used when the file the manifest names is gone (a cache cleaner deleted it)', () => {
    const root = fixture(PKGX_JSON, pkgxManifest());
    rmSync(join(root, BUNDLE_DIR, 'pkgx.mjs'));
    expect(whoIsLoaded(root)).toEqual(AS_INSTALLED);
  });

  it('can be switched off with POSTGATE_DEPENDENCY_BUNDLES=off', () => {
    expect(whoIsLoaded(fixture(PKGX_JSON, pkgxManifest()), { POSTGATE_DEPENDENCY_BUNDLES: 'off' })).toEqual(
      AS_INSTALLED,
    );
  });

  it('are not loaded once their bytes changed after bundling: the package loads as installed, with one line naming the bundle', () => {
    for (const change of [
      (file: string) => writeFileSync(file, "export const who = 'evil!!';\n"), // same size: the hash decides
      (file: string) => writeFileSync(file, "export const who = 'tampered';\n"),
      (file: string) => appendFileSync(file, "globalThis.ran = 'tampered';\n"),
    ]) {
      const root = fixture(PKGX_JSON, pkgxManifest());
      change(join(root, BUNDLE_DIR, 'pkgx.mjs'));
      const { stderr, ...loaded } = whoIsLoaded(root);
      expect(loaded).toEqual({ own: 'installed', fromPackage: 'installed' });
      expect(stderr.trimEnd().split('\n')).toEqual([
        `postgate: not loading the bundle ${BUNDLE_DIR}/pkgx.mjs: it changed after it was built: its sha256 is not the one in the manifest; pkgx loads as installed instead (npm ci, or npm run bundle-dependencies, builds it again)`,
      ]);
    }
  });

  it('are not used when the manifest is malformed, records no checksums, or is missing next to bundles, each said in one line', () => {
    const cases: [string | null, string][] = [
      ['{"format":2,"packages":', 'is not JSON'],
      // What Postgate wrote before checksums: version and file only.
      [JSON.stringify({ packages: { pkgx: { version: '1.0.0', file: 'pkgx.mjs' } } }), 'records no checksums'],
      [JSON.stringify({ format: 3, packages: {} }), 'has format 3, not 2'],
      ['[]', 'is not a JSON object'],
      [pkgxManifest({ sha256: 'not a hash' }), 'has a malformed entry for "pkgx"'],
      [pkgxManifest({ bytes: '30' }), 'has a malformed entry for "pkgx"'],
      // A file elsewhere, or another package's package.json: only the names derived from the package's own.
      [pkgxManifest({ file: '../../../src/use.mjs' }), 'has a malformed entry for "pkgx"'],
      [pkgxManifest({ packageJson: 'node_modules/other/package.json' }), 'has a malformed entry for "pkgx"'],
    ];
    for (const [manifest, problem] of cases) {
      const { stderr, ...loaded } = whoIsLoaded(fixture(PKGX_JSON, manifest));
      expect(loaded, String(manifest)).toEqual({ own: 'installed', fromPackage: 'installed' });
      const lines = stderr.trimEnd().split('\n');
      expect(lines, String(manifest)).toHaveLength(1);
      expect(lines[0]).toContain(`postgate: ${BUNDLE_DIR}/${MANIFEST} ${problem}`);
      expect(lines[0]).toContain('no dependency bundle is used, the libraries load as installed');
    }
    const root = fixture(PKGX_JSON, pkgxManifest());
    rmSync(join(root, BUNDLE_DIR, MANIFEST));
    const { stderr, ...loaded } = whoIsLoaded(root);
    expect(loaded).toEqual({ own: 'installed', fromPackage: 'installed' });
    expect(stderr).toMatch(/^postgate: \S+manifest\.json is missing, next to pkgx\.mjs; no dependency bundle is used/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('were built by npm ci for every listed package of this install, each with the sha256 of its bytes', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, BUNDLE_DIR, MANIFEST), 'utf8')) as BundleManifest;
    expect(Object.keys(manifest.packages).sort()).toEqual([...BUNDLED_DEPENDENCIES].sort());
    expect([...currentBundles(REPO_ROOT).keys()].sort()).toEqual([...BUNDLED_DEPENDENCIES].sort());
    for (const entry of Object.values(manifest.packages)) {
      expect(sha256(readFileSync(join(REPO_ROOT, BUNDLE_DIR, entry.file))), entry.file).toBe(entry.sha256);
    }
  });
});

/**
 * The real command line and the real bundler, in a copy of Postgate (its scripts and src; its
 * node_modules links to this install's packages) with bundles of its own. Its zod is a copy of the
 * installed one whose entry leaves a mark when it runs, so a run shows which zod it loaded: the
 * bundle (built before the mark was added) or the installed package.
 */
describe('dependency bundles, through the command line', () => {
  let root: string;
  let repo: string;
  let marks: string;
  let bundleDir: string;
  const pristine = new Map<string, Buffer>();
  const INSTALLED_ZOD_RAN = 'installed-zod-ran';
  const TAMPERED_BUNDLE_RAN = 'tampered-bundle-ran';

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'postgate-root-'));
    marks = mkdtempSync(join(tmpdir(), 'postgate-marks-'));
    repo = exampleRepoCopy();
    bundleDir = join(root, BUNDLE_DIR);
    for (const dir of ['scripts', 'src']) cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    const installed = join(REPO_ROOT, 'node_modules');
    mkdirSync(join(root, 'node_modules/zod'), { recursive: true });
    for (const entry of readdirSync(installed)) {
      if (entry !== '.cache' && entry !== 'zod') symlinkSync(join(installed, entry), join(root, 'node_modules', entry));
    }
    for (const entry of readdirSync(join(installed, 'zod'))) {
      const from = join(installed, 'zod', entry);
      const to = join(root, 'node_modules/zod', entry);
      if (entry === 'index.js' || entry === 'package.json') cpSync(from, to);
      else symlinkSync(from, to);
    }
    const bundled = spawnSync(process.execPath, [join(root, 'scripts/bundle-dependencies.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: cleanEnv(),
    });
    expect(bundled.stderr).toBe('');
    expect(bundled.stdout).toMatch(`postgate: bundled ${BUNDLED_DEPENDENCIES.length} dependencies`);
    const zodEntry = join(root, 'node_modules/zod/index.js');
    const mark = `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(join(marks, INSTALLED_ZOD_RAN))}, '');\n`;
    writeFileSync(zodEntry, mark + readFileSync(zodEntry, 'utf8'));
    for (const file of readdirSync(bundleDir)) pristine.set(file, readFileSync(join(bundleDir, file)));
  }, 120_000);

  afterAll(() => {
    for (const dir of [root, marks, repo]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The bundles as the bundler left them, changed by `change`; then `check`, and which marks it left. */
  function check(change: () => void = () => {}, env: Record<string, string> = {}) {
    rmSync(bundleDir, { recursive: true, force: true });
    mkdirSync(bundleDir, { recursive: true });
    for (const [file, bytes] of pristine) writeFileSync(join(bundleDir, file), bytes);
    rmSync(marks, { recursive: true, force: true });
    mkdirSync(marks);
    change();
    const result = spawnSync(process.execPath, [join(root, 'scripts/postgate.mjs'), 'check'], {
      cwd: repo,
      encoding: 'utf8',
      env: cleanEnv(env),
      timeout: 60_000,
    });
    return { ...result, marks: readdirSync(marks).sort() };
  }

  const tamperZod = () =>
    appendFileSync(
      join(bundleDir, 'zod.mjs'),
      `\nprocess.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(join(marks, TAMPERED_BUNDLE_RAN))}, '');\n`,
    );

  it('the bundler records what each bundle was built from and its sha256, and `check` loads the intact bundle', () => {
    const manifest = JSON.parse(pristine.get(MANIFEST)?.toString('utf8') ?? '') as BundleManifest;
    expect(manifest.format).toBe(2);
    expect(Object.keys(manifest.packages).sort()).toEqual([...BUNDLED_DEPENDENCIES].sort());
    for (const [name, entry] of Object.entries(manifest.packages)) {
      const bytes = pristine.get(entry.file) ?? Buffer.alloc(0);
      const packageJson = readFileSync(join(root, 'node_modules', name, 'package.json'));
      expect(entry).toEqual({
        version: JSON.parse(packageJson.toString('utf8')).version,
        packageJson: `node_modules/${name}/package.json`,
        packageJsonSha256: sha256(packageJson),
        file: entry.file,
        bytes: bytes.length,
        sha256: sha256(bytes),
      });
    }
    const bundled = check();
    expect(bundled.stderr).toBe('');
    expect(bundled.stdout).toMatch(/0 errors/);
    expect(bundled.status).toBe(0);
    expect(bundled.marks).toEqual([]); // zod came from its bundle: the installed entry never ran
    // ...whereas without bundles the same run does run the installed zod (the mark works).
    expect(check(() => {}, { POSTGATE_DEPENDENCY_BUNDLES: 'off' }).marks).toEqual([INSTALLED_ZOD_RAN]);
  }, 60_000);

  it('a bundle changed after bundling never runs: `check` works with the installed package and says which bundle it refused', () => {
    const result = check(tamperZod);
    expect(result.marks).toEqual([INSTALLED_ZOD_RAN]); // not TAMPERED_BUNDLE_RAN
    expect(existsSync(join(marks, TAMPERED_BUNDLE_RAN))).toBe(false);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/0 errors/);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `postgate: not loading the bundle ${BUNDLE_DIR}/zod.mjs: it changed after it was built: its sha256 is not the one in the manifest; zod loads as installed instead (npm ci, or npm run bundle-dependencies, builds it again)`,
    ]);
  }, 60_000);

  it('a malformed manifest, or one without checksums, makes `check` load the installed packages, never the bundles', () => {
    const manifestPath = () => join(bundleDir, MANIFEST);
    const withoutChecksums = () => {
      const manifest = JSON.parse(readFileSync(manifestPath(), 'utf8')) as BundleManifest;
      const old = Object.fromEntries(
        Object.entries(manifest.packages).map(([name, e]) => [name, { version: e.version, file: e.file }]),
      );
      writeFileSync(manifestPath(), JSON.stringify({ packages: old }));
    };
    const cases: [() => void, string][] = [
      [withoutChecksums, 'records no checksums'],
      [() => writeFileSync(manifestPath(), readFileSync(manifestPath(), 'utf8').slice(0, 200)), 'is not JSON'],
    ];
    for (const [breakManifest, problem] of cases) {
      const result = check(() => {
        tamperZod();
        breakManifest();
      });
      expect(result.marks, problem).toEqual([INSTALLED_ZOD_RAN]);
      expect(result.status).toBe(0);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, problem).toHaveLength(1);
      expect(lines[0]).toContain(`postgate: ${BUNDLE_DIR}/${MANIFEST} ${problem}`);
    }
  }, 120_000);
});
