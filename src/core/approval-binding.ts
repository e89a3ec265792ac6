import { createHash } from 'node:crypto';
import type { Config } from './config-schema.ts';
import { CONFIG_FILE } from './config-schema.ts';
import type { Item } from './item.ts';

/**
 * What an approval binds: the bytes that will go out. An approver's review on a commit approves
 * the git blobs of the item's file and of every file it sends (images, a post's cover) as they were
 * at that commit, and the config values that change what the item publishes. At publish time the
 * same blobs and values must be what is sent; anything else is "changed after approval".
 */
export interface Binding {
  /** Repository path → git blob id, or null when the file does not exist. */
  files: ReadonlyMap<string, string | null>;
  /** Config key → its value, as text. */
  values: Readonly<Record<string, string>>;
}

/** The files an item sends: its own file, then its images or its cover, in order. */
export function boundFiles(item: Item): string[] {
  const refs = item.kind === 'social' ? item.images : item.kind === 'post' && item.cover ? [item.cover] : [];
  const paths = [item.file, ...refs.map((r) => r.path).filter((p): p is string => p !== null)];
  return [...new Set(paths)];
}

/**
 * The config values an item depends on: where its links point and get tagged, when it is due,
 * where it goes, and the approval policy itself. The site's title or the schedule's slots do not
 * change what an item says, so they are not bound (the config file itself is approved apart).
 */
export function boundValues(config: Config): Record<string, string> {
  return {
    'site.url': config.site.url,
    'site.timeZone': config.site.timeZone,
    channels: [...config.channels].join(','),
    'policies.utm': String(config.policies.utm),
    'policies.staleAfter': String(config.policies.staleAfter),
    'policies.approvals': String(config.policies.approvals),
  };
}

/** What differs between what was approved and what would go out, e.g. `postgate.config.yaml site.url`. */
export function bindingChanges(approved: Binding, current: Binding): string[] {
  const changes: string[] = [];
  for (const [path, blob] of current.files) if (approved.files.get(path) !== blob) changes.push(path);
  for (const [key, value] of Object.entries(current.values))
    if (approved.values[key] !== value) changes.push(`${CONFIG_FILE} ${key}`);
  return changes;
}

/** Git's blob id of a file's bytes: what GitHub's contents and trees APIs call its `sha`. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
