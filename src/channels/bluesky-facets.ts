import { type AppBskyRichtextFacet, RichText } from '@atproto/api';

const LINK = 'app.bsky.richtext.facet#link';
const TAG = 'app.bsky.richtext.facet#tag';
const isMention = (feature: { $type?: string }): feature is AppBskyRichtextFacet.Mention =>
  feature.$type === 'app.bsky.richtext.facet#mention';

/** A DID as atproto's syntax allows it (`did:plc:…`, `did:web:…`). */
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;

/**
 * Resolves a handle (no "@") to its DID through the PDS: null when the handle does not resolve;
 * throws when it could not be told (the PDS failed, no answer in time).
 */
export type ResolveHandle = (handle: string) => Promise<string | null>;

/**
 * The facets of a post, with UTF-8 byte offsets as the lexicon requires, made the way the app
 * makes them: atproto's RichText finds links, tags and mentions, and each mention's handle is
 * resolved to a DID through the PDS (what `RichText.detectFacets(agent)` does). Links and tags are
 * kept exactly as RichText makes them. A mention whose handle does not resolve stays plain text, as
 * the app leaves it; one that could not be resolved for another reason stays plain text too, with
 * a warning: the post is worth more than the link on a name.
 */
export async function resolvedFacets(
  text: string,
  resolve: ResolveHandle,
  warn: (message: string) => void,
): Promise<AppBskyRichtextFacet.Main[]> {
  const rich = new RichText({ text });
  rich.detectFacetsWithoutResolution();
  const found = rich.facets ?? [];
  const handles = new Set<string>();
  for (const facet of found) for (const feature of facet.features) if (isMention(feature)) handles.add(feature.did);

  const dids = new Map<string, string | null>();
  await Promise.all(
    [...handles].map(async (handle) => {
      try {
        const did = await resolve(handle);
        if (did !== null && !(did.length <= 2048 && DID.test(did)))
          throw new Error(`the PDS answered ${JSON.stringify(did.slice(0, 80))}, which is not a DID`);
        dids.set(handle, did);
      } catch (error) {
        warn(`@${handle} goes out as plain text, not as a mention: ${(error as Error).message}`);
        dids.set(handle, null);
      }
    }),
  );

  const facets: AppBskyRichtextFacet.Main[] = [];
  for (const facet of found) {
    const features = facet.features.flatMap((feature) => {
      if (feature.$type === LINK || feature.$type === TAG) return [feature];
      if (!isMention(feature)) return [];
      const did = dids.get(feature.did);
      return did ? [{ ...feature, did }] : [];
    });
    if (features.length > 0) facets.push({ ...facet, features });
  }
  return facets;
}
