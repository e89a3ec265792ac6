/**
 * `node scripts/postgate.ts <command>` works too; the entry point itself is scripts/postgate.mjs
 * (plain JavaScript, so that an old Node gets a clear message and start-up stays fast).
 */
import './postgate.mjs';
