/**
 * A problem found in a file: where it is, how bad it is, and what to do about it.
 * Every check in Postgate reports through this one shape, so the CLI can print it as
 * `path:line:col: error: message`, as JSON, or as a GitHub annotation without knowing who found it.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  /** Repository-relative path with forward slashes, e.g. `content/social/launch.md`. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
  severity: Severity;
  message: string;
}

export interface Position {
  line: number;
  col: number;
}

export const START: Position = { line: 1, col: 1 };

export function problem(file: string, at: Position, severity: Severity, message: string): Problem {
  return { file, line: at.line, col: at.col, severity, message };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function byLocation(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col;
}

/** Quotes a received value for a message, keeping it short and on one line. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (Array.isArray(value)) text = `a list (${JSON.stringify(value)})`;
  else if (typeof value === 'object') text = `a mapping (${JSON.stringify(value)})`;
  else text = `${typeof value} ${String(value)}`;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
