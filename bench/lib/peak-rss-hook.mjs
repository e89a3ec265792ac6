/**
 * Loaded into a measured Node process with --import: on exit it writes the process's peak
 * resident memory (KB) to the file named in BENCH_RSS_FILE, so the harness can read it.
 * Plain JavaScript, so that measuring does not load Node's TypeScript stripper into the
 * measured process.
 */
import { appendFileSync } from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) process.on('exit', () => appendFileSync(target, `${process.resourceUsage().maxRSS}\n`));
