import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { resolve } from 'node:path';

/** Starts bench/lib/fake-networks-process.ts and talks to it line by line. */
export interface FakeNetworksProcess {
  env: Record<string, string>;
  ask(command: 'counts' | 'reset'): Promise<string>;
  stop(): void;
}

export async function startFakeNetworksProcess(latencyMs: number): Promise<FakeNetworksProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve(import.meta.dirname, 'fake-networks-process.ts'), String(latencyMs)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Interface = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async () => String((await iterator.next()).value);
  const env = JSON.parse(await next()) as Record<string, string>;
  return {
    env,
    async ask(command) {
      child.stdin!.write(`${command}\n`);
      return next();
    },
    stop() {
      child.stdin!.end();
      child.kill();
    },
  };
}
