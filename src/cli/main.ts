import { ContentError, EnvironmentError, UsageError } from '../core/errors.ts';
import { closest } from '../core/suggest.ts';
import { checkCommand } from './check-command.ts';
import { crisisCommand } from './crisis-command.ts';
import { EXIT, type Command, type Io } from './command.ts';
import { newCommand } from './new-command.ts';
import { problemLine } from './problem-format.ts';
import { previewCommand } from './preview-command.ts';
import { publishCommand } from './publish-command.ts';
import { queueCommand } from './queue-command.ts';
import { retractCommand } from './retract-command.ts';

/**
 * The command line: picks the command, runs it, and turns the library's typed errors into
 * messages and exit codes (0 fine, 1 problems, 2 wrong usage). No stack traces for people.
 */
export const COMMANDS: readonly Command[] = [checkCommand, queueCommand, publishCommand, crisisCommand, retractCommand, newCommand, previewCommand];

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Postgate: publish a blog and social media from this repository.

Usage: npm run postgate -- <command> [options]     (or: node scripts/postgate.ts <command>)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "npm run postgate -- <command> --help" for a command's options.`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === args[0]) : undefined;
      io.out(topic ? topic.usage : overview());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const guess = closest(name, COMMANDS.map((c) => c.name));
      throw new UsageError(`unknown command "${name}"${guess ? `; did you mean "${guess}"?` : ''}\n\n${overview()}`);
    }
    return await command.run(args, io);
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
