import { describe, expect, it } from 'vitest';
import { parseConfig } from '../repo/load-config.ts';
import { ContentError } from './errors.ts';
import { configSchema } from './config-schema.ts';

const site = { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin' };
const parse = (analytics: unknown) => configSchema.safeParse({ site, analytics });

describe('the config: analytics', () => {
  it('is off when absent: no tool, no X reads', () => {
    expect(configSchema.parse({ site }).analytics).toEqual({ tool: 'none', xMetrics: false });
  });

  it('reads each tool with its settings', () => {
    expect(parse({ tool: 'goatcounter', url: 'https://riverside.goatcounter.com/' }).data?.analytics).toEqual({
      tool: 'goatcounter',
      url: 'https://riverside.goatcounter.com',
      xMetrics: false,
    });
    expect(parse({ tool: 'plausible' }).data?.analytics.tool).toBe('plausible');
    expect(parse({ tool: 'umami', siteId: '5f2c', xMetrics: true }).data?.analytics).toMatchObject({
      siteId: '5f2c',
      xMetrics: true,
    });
  });

  it('names the field that is wrong, and why', () => {
    const cases: [unknown, string[], RegExp][] = [
      [{ tool: 'matomo' }, ['analytics', 'tool'], /expected one of goatcounter, plausible, umami, none/],
      [{ tool: 'goatcounter' }, ['analytics', 'url'], /GoatCounter needs its address/],
      [{ tool: 'umami' }, ['analytics', 'siteId'], /Umami needs the website's id/],
      [{ tool: 'plausible', url: 'http://stats.example' }, ['analytics', 'url'], /https:\/\//],
      [{ tool: 'plausible', siteId: 'a" onload="x' }, ['analytics', 'siteId'], /without spaces, quotes/],
      [{ tool: 'plausible', xMetrics: 'yes' }, ['analytics', 'xMetrics'], /true or false/],
      [{ tool: 'plausible', key: 'secret' }, ['analytics'], /key/],
    ];
    for (const [value, path, message] of cases) {
      const issue = parse(value).error?.issues[0];
      expect(issue?.path, JSON.stringify(value)).toEqual(path);
      expect(issue?.message ?? JSON.stringify(issue), JSON.stringify(value)).toMatch(message);
    }
  });
});

describe('check on analytics:', () => {
  it('points at the line and column of the setting that is wrong', () => {
    const text =
      'site:\n  title: R\n  url: https://example.org\n  timeZone: UTC\nanalytics:\n  tool: umami\n  url: http://umami.example.org\n';
    const error = (() => {
      try {
        parseConfig(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ContentError);
    const problem = (error as ContentError).problems[0]!;
    expect([problem.file, problem.line, problem.col]).toEqual(['postgate.config.yaml', 7, 8]);
    expect(problem.message).toMatch(/https:\/\//);
  });
});
