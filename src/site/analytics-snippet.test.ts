import { describe, expect, it } from 'vitest';
import { analyticsConfigSchema } from '../core/analytics-config.ts';
import { trackingScript } from './analytics-snippet.ts';

const script = (analytics: unknown) => trackingScript(analyticsConfigSchema.parse(analytics), 'https://example.org');

describe('the tracking script', () => {
  it('is none when analytics is off or absent', () => {
    expect(script(undefined)).toBeNull();
    expect(script({ tool: 'none' })).toBeNull();
  });

  it("is each tool's own snippet, with public ids only", () => {
    expect(script({ tool: 'goatcounter', url: 'https://riverside.goatcounter.com' })).toEqual({
      src: 'https://gc.zgo.at/count.js',
      loading: 'async',
      data: { 'data-goatcounter': 'https://riverside.goatcounter.com/count' },
    });
    expect(script({ tool: 'plausible' })).toEqual({
      src: 'https://plausible.io/js/script.js',
      loading: 'defer',
      data: { 'data-domain': 'example.org' },
    });
    expect(script({ tool: 'plausible', url: 'https://stats.example.org', siteId: 'blog.example.org' })).toEqual({
      src: 'https://stats.example.org/js/script.js',
      loading: 'defer',
      data: { 'data-domain': 'blog.example.org' },
    });
    expect(script({ tool: 'umami', siteId: '94db1cb1-74f4-4a40-ad6c-962362670409' })).toEqual({
      src: 'https://cloud.umami.is/script.js',
      loading: 'defer',
      data: { 'data-website-id': '94db1cb1-74f4-4a40-ad6c-962362670409' },
    });
    expect(
      script({
        tool: 'umami',
        siteId: 'abc',
        url: 'https://umami.example.org',
        script: 'https://umami.example.org/u.js',
      })?.src,
    ).toBe('https://umami.example.org/u.js');
  });
});
