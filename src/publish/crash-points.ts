/**
 * Numbered crash points at every step boundary of a publish run (before and after each request,
 * each ledger write, each commit), for the reliability proof (`npm run reliability`): with
 * POSTGATE_CRASH_AT=N the process kills itself, as abruptly as a lost runner, at the N-th boundary.
 * Without the variable this costs one comparison.
 */
const target = Number(process.env.POSTGATE_CRASH_AT ?? 0);
let passed = 0;
if (target) process.on('exit', () => process.stderr.write(`postgate: crash points passed: ${passed}\n`));

export function crashPoint(label: string): void {
  if (!target) return;
  passed++;
  if (passed === target) {
    process.stderr.write(`postgate: crash point ${passed} (${label}): killed on purpose\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
