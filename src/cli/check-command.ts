import { ContentError } from '../core/errors.ts';
import { hasErrors, type Problem } from '../core/problem.ts';
import { checkRepository } from '../repo/check-repository.ts';
import { oneOf, parseCommandArgs } from './args.ts';
import { EXIT, type Command } from './command.ts';
import { countLine, githubAnnotation, problemLine } from './problem-format.ts';

const FORMATS = ['text', 'json', 'github'] as const;

export const checkCommand: Command = {
  name: 'check',
  usage: `Usage: postgate check [--format text|json|github]

Validates postgate.config.yaml and every file under content/: front matter, publish times,
lengths per network, images and alt text, duplicate ids.

Options:
  --format text    one line per problem: path:line:col: error|warning: message (default)
  --format json    {"ok", "files", "errors", "warnings", "problems": [{file, line, col, severity, message}]}
  --format github  GitHub Actions annotations on the offending lines
  -h, --help       show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 wrong usage.`,

  async run(args, io) {
    const { values } = parseCommandArgs('check', args, { format: { type: 'string' } });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const format = oneOf('check', 'format', values.format, FORMATS, 'text');
    let problems: readonly Problem[];
    let files = 0;
    try {
      const result = await checkRepository(io.cwd);
      problems = result.problems;
      files = result.files + 1; // and the config
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems = error.problems;
      files = 1;
    }
    if (format === 'json') {
      const errors = problems.filter((p) => p.severity === 'error').length;
      io.out(
        JSON.stringify({ ok: errors === 0, files, errors, warnings: problems.length - errors, problems }, null, 2),
      );
    } else {
      for (const p of problems) io.out(format === 'github' ? githubAnnotation(p) : problemLine(p));
      io.out(countLine(problems, files));
    }
    return hasErrors(problems) ? EXIT.problems : EXIT.ok;
  },
};
