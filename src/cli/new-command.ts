import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSocialChannel, type SocialChannelId } from '../core/channels.ts';
import { socialChannelsOf } from '../core/config-schema.ts';
import { UsageError } from '../core/errors.ts';
import { nextFreeSlot } from '../core/next-slot.ts';
import { parsePublishTime } from '../core/publish-time.ts';
import { localStamp, postTemplate, slugify, socialTemplate } from '../core/templates.ts';
import { formatLocal } from '../core/time-zone.ts';
import { loadRepository } from '../repo/load-repository.ts';
import { parseCommandArgs } from './args.ts';
import { resolveNow } from './clock.ts';
import { EXIT, type Command } from './command.ts';

const LEAD_MS = 60 * 60 * 1000;

export const newCommand: Command = {
  name: 'new',
  usage: `Usage: postgate new post "Title" [--at TIME]
       postgate new social [name] [--at TIME] [--channels x,mastodon,bluesky,linkedin]

Writes a ready-to-edit file with valid front matter, scheduled at the next free slot
(schedule.slots and schedule.days in postgate.config.yaml, at least an hour from now),
marked draft: true until you remove that line.

  post "Title"   content/posts/<title-as-slug>.mdx
  social [name]  content/social/<date>-<name>.md

Options:
  --at TIME       publish time instead of the next free slot, e.g. 2026-12-01T09:30
  --channels LIST social networks for a social draft (default: all enabled in the config)
  --now ISO       the moment "next free slot" counts from (default: POSTGATE_NOW, or the clock)
  -h, --help      show this help`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      'new',
      args,
      { at: { type: 'string' }, channels: { type: 'string' }, now: { type: 'string' } },
      true,
    );
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const [kind, name, ...extra] = positionals;
    if (kind !== 'post' && kind !== 'social')
      throw new UsageError(
        `new: expected "post" or "social", received ${kind === undefined ? 'nothing' : `"${kind}"`}\n\n${this.usage}`,
      );
    if (kind === 'post' && !name?.trim())
      throw new UsageError('new post: give the title, e.g. postgate new post "Our spring appeal"');
    if (extra.length)
      throw new UsageError(
        `new: unexpected ${extra.map((e) => `"${e}"`).join(' ')}; put a title with spaces in quotes`,
      );

    const repo = await loadRepository(io.cwd);
    const zone = repo.config.site.timeZone;
    const now = resolveNow(values.now, io.env, zone);
    let publishAt: number;
    if (values.at !== undefined) {
      const at = parsePublishTime(values.at, zone);
      if (!at.ok) throw new UsageError(`new: --at: ${at.message}`);
      publishAt = at.epochMs;
    } else {
      const taken = new Set(repo.items.filter((i) => i.kind === kind && i.publishAt !== null).map((i) => i.publishAt!));
      const slot = nextFreeSlot(now, taken, {
        timeZone: zone,
        slots: repo.config.schedule.slots,
        days: repo.config.schedule.days,
        leadMs: LEAD_MS,
      });
      if (slot === null) throw new UsageError('new: no free slot in the coming year; give one with --at');
      publishAt = slot;
    }
    const stamp = localStamp(publishAt, zone);

    let channels: SocialChannelId[] = socialChannelsOf(repo.config);
    if (values.channels !== undefined) {
      const wanted = values.channels
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      const unknown = wanted.filter((c) => !isSocialChannel(c));
      if (unknown.length || !wanted.length)
        throw new UsageError(
          `new: --channels expects a list of x, mastodon, bluesky, linkedin, received "${values.channels}"`,
        );
      channels = wanted as SocialChannelId[];
    }
    if (kind === 'social' && channels.length === 0)
      throw new UsageError('new social: no social channel is enabled in postgate.config.yaml (channels:)');

    const dir = kind === 'post' ? 'content/posts' : 'content/social';
    const base = kind === 'post' ? slugify(name!) : `${stamp.slice(0, 10)}-${slugify(name ?? 'post')}`;
    const ext = kind === 'post' ? '.mdx' : '.md';
    let file = `${dir}/${base}${ext}`;
    for (let n = 2; existsSync(join(io.cwd, file)); n++) file = `${dir}/${base}-${n}${ext}`;

    const text =
      kind === 'post'
        ? postTemplate({ title: name!.trim(), publishAt: stamp, author: repo.config.site.author })
        : socialTemplate({ publishAt: stamp, channels });
    mkdirSync(join(io.cwd, dir), { recursive: true });
    writeFileSync(join(io.cwd, file), text, { flag: 'wx' });
    io.out(`Wrote ${file}, scheduled for ${formatLocal(publishAt, zone)} (${zone}).`);
    io.out('Edit it, remove "draft: true" when it is ready, and open a pull request for review.');
    return EXIT.ok;
  },
};
