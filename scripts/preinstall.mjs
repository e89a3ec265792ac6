// npm ci on an older Node: one clear line instead of npm's ~90 engine warnings (silenced in .npmrc).
// npm runs this on the Node it has just installed (node_modules/.bin comes first in PATH), so the
// Node that npm itself runs on is read from npm's user agent: "npm/11.19.1 node/v20.20.2 linux x64".
const npmNode = /\bnode\/v(\d+)\.(\d+)/.exec(process.env.npm_config_user_agent ?? '');
const [major, minor] = npmNode ? [Number(npmNode[1]), Number(npmNode[2])] : [Infinity, 0];
if (major < 22 || (major === 22 && minor < 12)) {
  process.stdout.write(
    `postgate: npm runs on Node ${major}.${minor}; Postgate needs 22.12 or later and installs Node 24 for itself (the "node" dev dependency), which npm run and npx use: nothing to do.\n`,
  );
}
