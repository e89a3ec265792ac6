/**
 * The environment a test gives a child process: nothing from the developer's shell (tokens,
 * POSTGATE_NOW) leaks in. What moves the machine's clock (libfaketime: `faketime '+400 days'
 * npm test`, as .ci/run does) is kept, because the child and the fakes in this process are one
 * machine and must read one clock.
 */
const CLOCK = /^(LD_PRELOAD|FAKETIME|FAKETIME_.+|DONT_FAKE_MONOTONIC|NO_FAKE_STAT)$/;

export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) if (CLOCK.test(k) && v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  // On GitHub a run asks a released post's address before announcing it: never the real site.url
  // from a test. Unless the test points it at a fake site, it asks a local port where nothing
  // listens (refused at once), with no pause between tries.
  if (env.GITHUB_TOKEN && !env.POSTGATE_SITE_URL) {
    env.POSTGATE_SITE_URL = 'http://127.0.0.1:9';
    env.POSTGATE_LIVE_RETRY_MS ??= '1';
  }
  return env;
}
