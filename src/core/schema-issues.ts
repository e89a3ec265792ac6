import type { z } from 'zod';
import { CHANNEL_ALIASES, KEY_HINTS } from './content-schema.ts';
import { shown } from './problem.ts';
import { closest } from './suggest.ts';
import type { PathSegment } from './yaml-locate.ts';

/**
 * Turns zod's issues into sentences a writer can act on: what was expected, what was found,
 * and a suggestion where one is likely ("did you mean publishAt?").
 */
export interface IssueReport {
  path: PathSegment[];
  /** Point at the key itself (unknown keys) or at its value. */
  want: 'key' | 'value';
  message: string;
}

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  number: 'a number',
};

/** While describing: which key an unknown key was taken for, and whether a report is "missing X". */
interface Draft extends IssueReport {
  suggests?: string;
  missing?: boolean;
}

export function describeIssues(
  issues: readonly Issue[],
  data: unknown,
  schema: AnySchema,
  prefix: PathSegment[] = [],
): IssueReport[] {
  const drafts = issues.flatMap((issue) => describe(issue, data, schema, prefix));
  // A misspelled key (publishedAt) also leaves the key it meant missing; "did you mean publishAt?"
  // already says both, so the second message would only make one slip look like two.
  const meant = new Set(drafts.flatMap((d) => (d.suggests ? [label([...d.path.slice(0, -1), d.suggests])] : [])));
  return drafts
    .filter((d) => !(d.missing && meant.has(label(d.path))))
    .map(({ path, want, message }) => ({ path, want, message }));
}

function describe(issue: Issue, data: unknown, schema: AnySchema, prefix: PathSegment[]): Draft[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  const value = valueAt(data, path);
  const name = label(path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        want: 'key' as const,
        ...unknownKey(key, path, schema),
      }));
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const isChannel = path.includes('channels');
      const alias = typeof value === 'string' ? CHANNEL_ALIASES[value.toLowerCase()] : undefined;
      const sameLetters =
        typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
      const guess = alias ?? sameLetters ?? (typeof value === 'string' ? closest(value, allowed) : null);
      if (typeof value !== 'string') {
        return [
          {
            path,
            want: 'value',
            message: `expected ${isChannel ? 'a channel' : name} to be one of ${allowed.join(', ')}, received ${shown(value)}`,
          },
        ];
      }
      // A social draft is not a blog post; say where a blog post goes instead of only "unknown".
      const blog =
        isChannel && value === 'blog' && !allowed.includes('blog')
          ? '; a social draft does not go to the blog: write a blog post in content/posts/ instead'
          : '';
      return [
        {
          path,
          want: 'value',
          message: `unknown ${isChannel ? 'channel' : `value for ${name}`} ${shown(value)}; expected one of ${allowed.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}${blog}`,
        },
      ];
    }
    case 'invalid_union': {
      // Report the branch that matches the kind of value written (text or mapping), not every branch.
      const wanted = Array.isArray(value)
        ? 'array'
        : typeof value === 'object' && value !== null
          ? 'object'
          : typeof value;
      const branch = issue.errors.find(
        (errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0 && e.expected !== wanted),
      );
      if (branch && value !== undefined) return describeIssues(branch, data, schema, path);
      return [
        {
          path,
          want: 'value',
          message: `expected ${name} as text, or as a mapping of channel: text (x, mastodon, bluesky, linkedin), received ${shown(value)}`,
        },
      ];
    }
    case 'invalid_type': {
      if (value === undefined)
        return [
          {
            path,
            want: 'key',
            missing: true,
            message: `missing ${name}: ${customOr(issue, `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`)}`,
          },
        ];
      return [
        {
          path,
          want: 'value',
          message: `${customOr(issue, `expected ${name} to be ${TYPE_NAMES[issue.expected] ?? issue.expected}`)}, received ${shown(value)}`,
        },
      ];
    }
    default:
      return [
        {
          path,
          want: 'value',
          missing: issue.code === 'custom' && value === undefined,
          message: isDefault(issue)
            ? `${name}: ${issue.message.toLowerCase()}`
            : withReceived(issue.message, issue.code, value),
        },
      ];
  }
}

function withReceived(message: string, code: string, value: unknown): string {
  if (message.includes('received') || code === 'too_small' || code === 'custom') return message;
  return `${message}, received ${shown(value)}`;
}

function isDefault(issue: Issue): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message);
}

function customOr(issue: Issue, fallback: string): string {
  return isDefault(issue) ? fallback : issue.message;
}

function unknownKey(key: string, path: PathSegment[], schema: AnySchema): { message: string; suggests?: string } {
  const known = keysAt(schema, path);
  const where = path.length ? ` in ${label(path)}` : '';
  if (path.length === 0 && key === 'channels' && !known.includes('channels')) {
    return {
      message: `unknown key "channels": a blog post goes to the blog; to post about it on social networks, use announce`,
    };
  }
  const hint = KEY_HINTS[key];
  const guess = hint && known.includes(hint) ? hint : closest(key, known);
  if (!guess) return { message: `unknown key "${key}"${where}; expected one of ${known.join(', ')}` };
  return { message: `unknown key "${key}"${where}; did you mean "${guess}"?`, suggests: guess };
}

/** The keys a (possibly wrapped) object schema accepts at `path`. */
export function keysAt(schema: AnySchema, path: readonly PathSegment[]): string[] {
  let node: AnySchema | undefined = schema;
  for (const segment of [...path, null]) {
    node = unwrap(node);
    if (!node) return [];
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (segment === null) return def.type === 'object' ? Object.keys(def.shape as object) : [];
    if (def.type === 'object') node = (def.shape as Record<string, AnySchema>)[String(segment)];
    else if (def.type === 'array') node = def.element as AnySchema;
    else return [];
  }
  return [];
}

function unwrap(node: AnySchema | undefined): AnySchema | undefined {
  while (node) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (['optional', 'default', 'prefault', 'nullable'].includes(def.type as string)) node = def.innerType as AnySchema;
    else if (def.type === 'union')
      node = (def.options as AnySchema[]).find((o) => (o._zod.def as { type: string }).type === 'object');
    else if (def.type === 'pipe') node = def.in as AnySchema;
    else return node;
  }
  return node;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment as string];
  }
  return node;
}

/** `images[0].alt` */
export function label(path: readonly PathSegment[]): string {
  return (
    path.reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s), '') ||
    'the front matter'
  );
}
