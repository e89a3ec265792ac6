import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import { mdxGuardPlugin } from './mdx-guard.ts';
import { siteLinksPlugin, type SiteLinksPlugin } from './site-links.ts';
import type { SiteAddress } from './site-config.ts';

/**
 * Postgate's part of the Astro build:
 * - records which command runs (`dev`, `build`, `sync`), so the content loader knows whether it
 *   builds the published site (released posts only) or the writers' preview (everything);
 * - adds the plugin that keeps links to the site itself relative and under the base path;
 * - stops the build before it compiles an MDX file that holds code (src/site/mdx-guard.ts).
 */
const COMMAND_VARIABLE = 'POSTGATE_ASTRO_COMMAND';

export type SiteCommand = 'dev' | 'build' | 'preview' | 'sync';

export function siteCommand(): SiteCommand | undefined {
  const value = process.env[COMMAND_VARIABLE];
  return value === 'dev' || value === 'build' || value === 'preview' || value === 'sync' ? value : undefined;
}

export function postgateSite(address: SiteAddress): AstroIntegration {
  return {
    name: 'postgate',
    hooks: {
      'astro:config:setup': ({ command, config, updateConfig }) => {
        // The content config is loaded in this same process, after this hook.
        process.env[COMMAND_VARIABLE] = command;
        updateConfig({ vite: { plugins: [mdxGuardPlugin(fileURLToPath(config.root))] } });
        const plugin = siteLinksPlugin(address);
        const processor = config.markdown.processor as { name: string; options: { hastPlugins?: unknown[] } };
        if (processor.name === 'satteri' && Array.isArray(processor.options.hastPlugins)) {
          // Sätteri keeps its options by reference, for integrations to extend (Markdown and MDX).
          processor.options.hastPlugins.push(plugin);
        } else {
          updateConfig({ markdown: { rehypePlugins: [() => rehypeSiteLinks(plugin)] } });
        }
      },
    },
  };
}

/** The same rewrite for a unified (remark/rehype) processor, should a site switch to one. */
function rehypeSiteLinks(plugin: SiteLinksPlugin) {
  type Node = { type: string; tagName: string; properties?: Record<string, unknown>; children?: Node[] };
  const ctx = {
    setProperty: (node: { properties?: Record<string, unknown> }, key: string, value: unknown) =>
      void ((node.properties ??= {})[key] = value),
  };
  const walk = (node: Node): void => {
    if (node.type === 'element' && node.tagName === 'a') plugin.element.visit(node, ctx);
    node.children?.forEach(walk);
  };
  return (tree: Node) => walk(tree);
}
