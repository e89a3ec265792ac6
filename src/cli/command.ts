/**
 * What every command gets: where it runs, its environment (read once), and where it writes.
 * Commands return an exit code; only the entry point touches `process`.
 */
export interface Io {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  name: string;
  usage: string;
  run: (args: string[], io: Io) => Promise<number>;
}

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
