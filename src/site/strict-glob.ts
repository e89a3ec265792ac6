import { readFileSync } from 'node:fs';
import { glob } from 'astro/loaders';
import type { Loader } from 'astro/loaders';
import { normalizeText, readYamlMapping, splitFrontMatter } from '../core/front-matter.ts';

/**
 * Astro's glob loader, reading front matter the way the CLI does. Astro parses YAML with
 * js-yaml's default schema, which turns `2030-02-30` into 2 March and a local time with seconds
 * into UTC; here the front matter is re-read with Postgate's reader (dates stay text), so the
 * shared schema sees exactly what `postgate check` sees.
 */
export function strictGlob(options: Parameters<typeof glob>[0]): Loader {
  const inner = glob(options);
  return {
    ...inner,
    load: (context) =>
      inner.load({
        ...context,
        // parseData is generic in the entry's data type; the strict reading is the same data, re-read.
        parseData: <TData extends Record<string, unknown>>(props: Parameters<typeof context.parseData<TData>>[0]) =>
          context.parseData<TData>({ ...props, data: strictFrontMatter(props.filePath, props.data) as TData }),
      }),
  };
}

function strictFrontMatter(filePath: string | undefined, fallback: Record<string, unknown>): Record<string, unknown> {
  if (!filePath) return fallback;
  const split = splitFrontMatter(normalizeText(readFileSync(filePath, 'utf8')));
  if (!split.ok) return fallback;
  const yaml = readYamlMapping(split.value.yaml, split.value.yamlLine);
  return yaml.ok ? yaml.value : fallback;
}
