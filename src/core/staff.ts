import { z } from 'zod';
import { GITHUB_LOGIN } from './github-login.ts';

/**
 * Staff who share what the organisation publishes as themselves (README: Share kits for staff):
 * `staff:` in postgate.config.yaml. Postgate never holds their credentials: each gets, per item that
 * goes out, links that open their own network's composer with the approved words in it
 * (src/core/share-kit.ts). Their id is the `utm_content` of every link they share, so the site's
 * analytics count what each person brought in; their GitHub login is whom the kit's comment mentions.
 */
export const STAFF_NETWORKS = ['x', 'bluesky', 'linkedin', 'mastodon'] as const;
export type StaffNetwork = (typeof STAFF_NETWORKS)[number];

/** An id that reads the same in a YAML key, a URL's query and a report: `alice`, `ben-k`. */
const STAFF_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const instance = z
  .string('expected the address of the Mastodon server the person has their account on, e.g. https://mastodon.social')
  .transform((raw, ctx) => {
    let url: URL | null = null;
    try {
      url = new URL(raw.trim());
    } catch {}
    // The kit's link opens https://<instance>/share: only a server's own address, over https.
    if (url?.protocol !== 'https:' || url.username || url.password || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: `expected the https:// address of a Mastodon server, e.g. https://mastodon.social; received ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    if (url.pathname !== '/') {
      ctx.addIssue({
        code: 'custom',
        message: `expected the server's address alone, without a path: ${url.origin} rather than ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    return url.origin;
  });

const member = z
  .strictObject({
    id: z
      .string('expected a short id such as alice (it tags the links the person shares: utm_content=alice)')
      .regex(
        STAFF_ID,
        'expected an id of lower-case letters, digits and "-", such as alice or ben-k (it tags the links the person shares: utm_content=alice)',
      ),
    name: z
      .string('expected the name shown in the share kit, e.g. Alice Moreau')
      .trim()
      .min(1, 'the name must not be empty'),
    github: z
      .string('expected a GitHub login, e.g. alice-moreau')
      .regex(GITHUB_LOGIN, 'expected a GitHub login (letters, digits and single "-"), without "@"')
      .optional(),
    networks: z
      .array(z.enum(STAFF_NETWORKS))
      .min(1, 'list at least one network the person posts on, e.g. [linkedin, bluesky]'),
    mastodonInstance: instance.optional(),
  })
  .superRefine((person, ctx) => {
    person.networks.forEach((network, i) => {
      if (person.networks.indexOf(network) !== i)
        ctx.addIssue({ code: 'custom', path: ['networks', i], message: `"${network}" is listed twice` });
    });
    if (person.networks.includes('mastodon') && person.mastodonInstance === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['mastodonInstance'],
        message: `${person.id} posts on Mastodon: say on which server, e.g. mastodonInstance: https://mastodon.social`,
      });
  });

export const staffSchema = z
  .array(member)
  .default([])
  .superRefine((staff, ctx) => {
    const seen = new Map<string, number>();
    const logins = new Map<string, number>();
    staff.forEach((person, i) => {
      const first = seen.get(person.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `"${person.id}" is the id of staff member ${first + 1} already: each person needs their own id (it tells their links apart)`,
        });
      else seen.set(person.id, i);
      if (person.github === undefined) return;
      const login = person.github.toLowerCase();
      const other = logins.get(login);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'github'],
          message: `GitHub login "${person.github}" is given to ${staff[other]!.id} already`,
        });
      else logins.set(login, i);
    });
  });

export type StaffMember = z.output<typeof member>;
