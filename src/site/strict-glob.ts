import { lstatSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'astro/loaders';
import type { Loader, LoaderContext } from 'astro/loaders';
import { normalizeText, readFrontMatter } from '../core/front-matter.ts';
import { listContentFiles } from '../repo/content-files.ts';

/**
 * Astro's glob loader, reading front matter the way the CLI does. Astro parses YAML with
 * js-yaml's default schema, which turns `2030-02-30` into 2 March and a local time with seconds
 * into UTC; here the front matter is re-read with Postgate's reader (dates stay text), so the
 * shared schema sees exactly what `postgate check` sees.
 *
 * A policy decides what one broken file may stop:
 * - `select` (the published build): only the files it returns are loaded at all. The others are
 *   never parsed, compiled or deployed, so a broken draft cannot stop released posts from going out.
 * - `skipInvalid` (the preview): a file that fails the schema is left out with an error in the
 *   log, and the rest of the site still runs.
 * - neither (`astro sync`, as `npm test` runs it): every file must be valid, as `check` demands.
 */
export interface CandidateFile {
  /** Repository-relative path with forward slashes, e.g. `content/posts/welcome.mdx`. */
  file: string;
  /** The front matter as Postgate reads it, or null when it cannot be read. */
  frontMatter: Record<string, unknown> | null;
}

export interface LoadPolicy {
  select?: (files: CandidateFile[], context: LoaderContext) => string[] | Promise<string[]>;
  skipInvalid?: boolean;
}

type GlobOptions = Parameters<typeof glob>[0];

export function strictGlob(options: GlobOptions & { base: string }, policy: LoadPolicy = {}): Loader {
  return {
    ...glob(options),
    load: async (context) => {
      const root = fileURLToPath(context.config.root);
      const frontMatterCache = new Map<string, StrictRead>();
      const strictRead = (path: string) => {
        let value = frontMatterCache.get(path);
        if (value === undefined) frontMatterCache.set(path, (value = strictFrontMatter(path)));
        return value;
      };
      const frontMatterOf = (path: string) => {
        const read = strictRead(path);
        return read.ok ? read.value : null;
      };
      // The files are the CLI's own listing (src/repo/content-files.ts), never a second glob: a
      // file `check` does not see (`_drafts/`, `.hidden/`, a link) must not reach the site either.
      const baseDir = resolve(root, options.base);
      const prefix = `${relative(root, baseDir).split(sep).join('/')}/`;
      const listing = (await listContentFiles(root)).files.filter((f) => f.file.startsWith(prefix));
      const candidates = listing
        .filter((f) => !f.mayLink || lstatSync(join(root, f.file)).isFile())
        .map(({ file }) => ({
          entry: file.slice(prefix.length),
          file,
          frontMatter: frontMatterOf(join(root, file)),
        }));
      const selected = policy.select
        ? new Set(
            await policy.select(
              candidates.map(({ file, frontMatter }) => ({ file, frontMatter })),
              context,
            ),
          )
        : null;
      const kept = candidates.filter((c) => selected === null || selected.has(c.file)).map((c) => escapeGlob(c.entry));
      if (kept.length === 0) {
        context.store.clear();
        return;
      }
      const inner = glob({ ...options, pattern: kept });
      const skipped = new Set<string>();
      const store = policy.skipInvalid
        ? {
            ...context.store,
            set: ((entry) => {
              if (!skipped.has(entry.id)) return context.store.set(entry);
              context.store.delete(entry.id);
              return false;
            }) satisfies typeof context.store.set,
          }
        : context.store;
      return inner.load({
        ...context,
        store,
        // parseData is generic in the entry's data type; the strict reading is the same data, re-read.
        parseData: async <TData extends Record<string, unknown>>(
          props: Parameters<typeof context.parseData<TData>>[0],
        ) => {
          try {
            // What check refuses, the site refuses too, with check's message (never Astro's own reading).
            const read = props.filePath ? strictRead(props.filePath) : null;
            if (read && !read.ok) throw new Error(`${relative(root, props.filePath!)}:${read.message}`);
            const data = (read?.ok ? read.value : props.data) as TData;
            const parsed = await context.parseData<TData>({ ...props, data });
            skipped.delete(props.id);
            return parsed;
          } catch (error) {
            if (!policy.skipInvalid) throw error;
            skipped.add(props.id);
            const file = props.filePath ? relative(root, props.filePath) : props.id;
            context.logger.error(
              `${file} has errors and is left out of the preview (npm run postgate -- check shows them all):\n${(error as Error).message}`,
            );
            return props.data;
          }
        },
      });
    },
  };
}

/** The front matter as `check` reads it, or why `check` refuses it (with the file's line and column). */
type StrictRead = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

function strictFrontMatter(filePath: string): StrictRead {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const read = readFrontMatter(normalizeText(text));
  return read.ok
    ? { ok: true, value: read.value.data }
    : { ok: false, message: `${read.at.line}:${read.at.col}: ${read.message}` };
}

/** A file name as a glob pattern that matches only itself. */
export function escapeGlob(path: string): string {
  return path.replace(/[()[\]{}*?|!+@\\]/g, '\\$&');
}
