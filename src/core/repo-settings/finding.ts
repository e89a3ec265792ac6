import type { Read } from './settings.ts';

/**
 * One line of `doctor`'s verdict (src/core/repo-settings/findings.ts), and the words the checks share.
 *
 * - important: missing, and it weakens a guarantee; `setup` (or the owner) can fix it. doctor exits 1.
 * - warning: worth knowing.
 * - limit: GitHub's plan does not offer it here; said plainly, not counted as a failure.
 * - ok: in place.
 */
export type Severity = 'important' | 'warning' | 'limit' | 'ok';

export interface Finding {
  severity: Severity;
  message: string;
}

export type Push = (severity: Severity, message: string) => void;

/** "could not read X (403: GitHub's message)" */
export const unread = (what: string, read: Read<unknown>) =>
  read.ok ? '' : `could not read ${what} (${read.status ?? 'no answer'}: ${read.message})`;

/** "a, b and c" */
export const list = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
