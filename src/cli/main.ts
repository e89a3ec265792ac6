import { ContentError, EnvironmentError, UsageError } from '../core/errors.ts';
import { closest } from '../core/suggest.ts';
import { EXIT, type Command, type Io } from './command.ts';
import { problemLine } from './problem-format.ts';

/**
 * The command line: picks the command, runs it, and turns the library's typed errors into
 * messages and exit codes (0 fine, 1 problems, 2 wrong usage). No stack traces for people.
 *
 * Commands are loaded on demand: `check` need not load the network and GitHub libraries that
 * `publish` uses, and every run starts faster for it.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'validate the config and every post and social draft',
    load: async () => (await import('./check-command.ts')).checkCommand,
  },
  {
    name: 'queue',
    summary: 'list every item with its state: draft, scheduled, due, published, held, stale, failed',
    load: async () => (await import('./queue-command.ts')).queueCommand,
  },
  {
    name: 'publish',
    summary: 'send what is due to the blog, X, Mastodon, Bluesky and LinkedIn, once, and record it',
    load: async () => (await import('./publish-command.ts')).publishCommand,
  },
  {
    name: 'crisis',
    summary: 'stop everything at once (crisis on "reason"), resume (crisis off), or check (crisis status)',
    load: async () => (await import('./crisis-command.ts')).crisisCommand,
  },
  {
    name: 'retract',
    summary: 'delete an item everywhere it went out, and record it',
    load: async () => (await import('./retract-command.ts')).retractCommand,
  },
  {
    name: 'confirm',
    summary: "say what a person found after a lost answer Postgate cannot look up (a LinkedIn person's post)",
    load: async () => (await import('./confirm-command.ts')).confirmCommand,
  },
  {
    name: 'ledger',
    summary: 'read the record of what went out from GitHub, check its history, write it here (the site build runs it)',
    load: async () => (await import('./ledger-command.ts')).ledgerCommand,
  },
  {
    name: 'report',
    summary: 'what each post brought in: visitors to the site by post and network, then likes and reposts',
    load: async () => (await import('./report-command.ts')).reportCommand,
  },
  {
    name: 'new',
    summary: 'write a new blog post or social draft, scheduled at the next free slot',
    load: async () => (await import('./new-command.ts')).newCommand,
  },
  {
    name: 'preview',
    summary: 'show what a pull request publishes: each new or changed item, when, where, the exact texts',
    load: async () => (await import('./preview-command.ts')).previewCommand,
  },
  {
    name: 'setup',
    summary: 'apply the repository settings Postgate relies on (rulesets, environments, code owners, Pages)',
    load: async () => (await import('./setup-command.ts')).setupCommand,
  },
  {
    name: 'doctor',
    summary: "say which of those settings are missing, and what that means for the gate's guarantees",
    load: async () => (await import('./doctor-command.ts')).doctorCommand,
  },
];

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Postgate: publish a blog and social media from this repository.

Usage: npm run postgate -- <command> [options]     (or: node scripts/postgate.mjs <command>)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "npm run postgate -- <command> --help" for a command's options.`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === args[0]) : undefined;
      io.out(topic ? (await topic.load()).usage : overview());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const guess = closest(
        name,
        COMMANDS.map((c) => c.name),
      );
      throw new UsageError(`unknown command "${name}"${guess ? `; did you mean "${guess}"?` : ''}\n\n${overview()}`);
    }
    return await (await command.load()).run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`postgate: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ContentError) {
      for (const p of error.problems) io.err(problemLine(p));
      io.err(`postgate: ${error.message}`);
      return EXIT.problems;
    }
    if (error instanceof EnvironmentError) {
      io.err(`postgate: ${error.message}`);
      return EXIT.problems;
    }
    throw error;
  }
}
