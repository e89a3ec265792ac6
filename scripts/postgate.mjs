#!/usr/bin/env node
/**
 * Postgate's entry point: `npm run postgate -- <command>`.
 *
 * Plain JavaScript on purpose, the one file that is: Node 20 cannot read TypeScript, so only a .mjs
 * entry can tell the user their Node is too old; and Node loads its TypeScript stripper (~30 ms)
 * for a .ts entry before the compile cache below is on. Everything it imports is TypeScript,
 * which Node 24 runs directly; there is no build step.
 */
import module from 'node:module';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `postgate: Node.js ${process.versions.node} is too old; run it through npm (npm run postgate -- ...), which uses the Node 24 that npm ci installed.\n`,
  );
  process.exit(2);
}

// `postgate check | head` closes the pipe early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Caches the compiled (and type-stripped) modules between runs, and loads the bundled
// dependencies npm ci prepared (src/cli/dependency-bundles.ts): together they bring `publish`
// from ~390 ms to ~180 ms before its first request, and `check` on a small repository to ~75 ms.
module.enableCompileCache?.();
const { useDependencyBundles, POSTGATE_ROOT } = await import('../src/cli/dependency-bundles.ts');
useDependencyBundles(POSTGATE_ROOT);
const { main } = await import('../src/cli/main.ts');

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
