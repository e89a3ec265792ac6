import { describe, expect, it } from 'vitest';
import { RandomText } from '../../tests/helpers/random-text.ts';
import { SOCIAL_CHANNEL_IDS, SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { tagLinks, tagLinksExplained, withParams, type UtmContext } from './utm.ts';

const ctx: UtmContext = { siteUrl: 'https://example.org', channel: 'mastodon', campaign: 'social/launch' };
const tags = (channel: SocialChannelId) => `utm_source=${channel}&utm_medium=social&utm_campaign=social%2Flaunch`;
const on = (channel: SocialChannelId, text: string, siteUrl = ctx.siteUrl) =>
  tagLinksExplained(text, { ...ctx, channel, siteUrl });

describe('UTM tags on the links each network makes', () => {
  it('adds only the separator and the three parameters, on the span the network links', () => {
    const text = 'New: https://example.org/posts/a. Source: https://other.org/b';
    expect(tagLinks(text, { ...ctx, channel: 'x' })).toBe(
      `New: https://example.org/posts/a?${tags('x')}. Source: https://other.org/b`,
    );
  });
  it('never re-serialises the link: accents, semicolons, empty pairs and the fragment stay as written', () => {
    const text = 'カフェ https://example.org/café?a=1;b=2&&c#top です';
    for (const channel of SOCIAL_CHANNEL_IDS)
      expect(on(channel, text).text).toBe(`カフェ https://example.org/café?a=1;b=2&&c&${tags(channel)}#top です`);
    expect(withParams('https://example.org/p?', 'u=1')).toBe('https://example.org/p?u=1');
    expect(withParams('https://example.org/p?redirect=https://example.org/x&', 'u=1')).toBe(
      'https://example.org/p?redirect=https://example.org/x&u=1',
    );
  });
  it('puts the parameters after a trailing _ or apostrophe word that the networks keep in the link', () => {
    for (const channel of SOCIAL_CHANNEL_IDS) {
      expect(on(channel, 'See https://example.org/a_ now').text).toBe(
        `See https://example.org/a_?${tags(channel)} now`,
      );
      expect(on(channel, "See https://example.org/it's-here now").text).toBe(
        `See https://example.org/it's-here?${tags(channel)} now`,
      );
    }
  });
  it('leaves closing punctuation, emoji and CJK text after the link where X ends it, outside the link', () => {
    expect(on('x', 'https://example.org/a。」次').text).toBe(`https://example.org/a?${tags('x')}。」次`);
    expect(on('x', 'https://example.org/a🎉').text).toBe(`https://example.org/a?${tags('x')}🎉`);
    expect(on('x', 'https://example.org/a—b').text).toBe(`https://example.org/a?${tags('x')}—b`);
  });
  it('tags bare domains where the network links them (X, Bluesky), not where it does not (Mastodon)', () => {
    const text = 'Shop at example.org/shop today';
    expect(on('x', text).text).toBe(`Shop at example.org/shop?${tags('x')} today`);
    expect(on('bluesky', text).text).toBe(`Shop at example.org/shop?${tags('bluesky')} today`);
    expect(on('mastodon', text).text).toBe(text);
  });
  it('leaves a link in brackets alone where the network does not link it (Bluesky), and tags it where it does', () => {
    expect(on('bluesky', '[https://example.org/posts/a/]').text).toBe('[https://example.org/posts/a/]');
    expect(on('x', '[https://example.org/posts/a/]').text).toBe(`[https://example.org/posts/a/?${tags('x')}]`);
  });
  it('matches an internationalised site in both its Unicode and its punycode form', () => {
    const text = 'Neu: https://bücher.de/a und https://XN--BCHER-KVA.de/b';
    for (const siteUrl of ['https://bücher.de', 'https://xn--bcher-kva.de/'])
      expect(on('x', text, siteUrl).text).toBe(
        `Neu: https://bücher.de/a?${tags('x')} und https://XN--BCHER-KVA.de/b?${tags('x')}`,
      );
  });
  it('ignores www. and letter case, and never tags other hosts, subdomains or a user name in front of a host', () => {
    expect(on('x', 'https://WWW.Example.ORG/p').text).toBe(`https://WWW.Example.ORG/p?${tags('x')}`);
    for (const text of [
      'https://other.org/p',
      'https://blog.example.org/p',
      'https://example.org.evil.com/p',
      'https://example.org@evil.com/p',
    ])
      for (const channel of SOCIAL_CHANNEL_IDS) expect(on(channel, text).text, `${channel}: ${text}`).toBe(text);
  });
  it("leaves alone a link whose writer set UTM parameters, and tags nothing when the site address can't be read", () => {
    expect(on('x', 'https://example.org/p?utm_campaign=spring').text).toBe('https://example.org/p?utm_campaign=spring');
    expect(on('x', 'https://example.org/p', 'example').text).toBe('https://example.org/p');
  });
  it('URL-encodes the campaign as a form value', () => {
    const out = tagLinks('https://example.org/p', { ...ctx, campaign: 'posts/a b&c' });
    expect(out).toBe('https://example.org/p?utm_source=mastodon&utm_medium=social&utm_campaign=posts%2Fa+b%26c');
  });
  it('leaves untagged, and says why, a link the network cuts short', () => {
    const x = on('x', 'https://example.org/a見て and https://example.org/a~ ok');
    expect(x.text).toBe('https://example.org/a見て and https://example.org/a~ ok');
    expect(x.untagged.map((u) => u.url)).toEqual(['https://example.org/a', 'https://example.org/a']);
    expect(x.untagged[0]!.reason).toMatch(/X makes only "https:\/\/example.org\/a" a link and leaves "見て" after it/);
    expect(x.untagged[0]!.reason).toMatch(/put a space after the link/);
  });
});

/**
 * Against each network's own link rule (twitter-text for X, Mastodon's rule, atproto's RichText for
 * Bluesky), on seeded random texts full of links to the site: after tagging, the network finds the
 * same links at the same places, each either as written or as written plus the parameters, and
 * every link to the site without UTM parameters is either tagged or reported.
 */
describe('UTM tags, differentially against each network', () => {
  const SITES = [
    'https://example.org',
    'https://www.example.com/blog/',
    'https://bücher.de',
    'https://xn--bcher-kva.de',
  ];

  function siteTexts(seed: number, count: number): string[] {
    const r = new RandomText(seed);
    const texts: string[] = [];
    while (texts.length < count) {
      const parts: string[] = [];
      for (let n = 1 + r.int(6); n > 0; n--) {
        const site = r.pick(['example.org', 'www.example.org', 'EXAMPLE.COM', 'bücher.de', 'xn--bcher-kva.de']);
        const link = r.chance(0.6) ? `${r.pick(['https://', 'http://', 'HTTPS://', ''])}${site}${r.path()}` : r.link();
        parts.push(r.chance(0.5) ? r.text(1 + r.int(4)) : '', link, r.chance(0.4) ? r.punctuation() : '', r.space());
        if (r.chance(0.3)) parts.push(r.pick([r.cjk(), r.emoji(), r.latin(), r.word()]));
      }
      texts.push(parts.join(''));
    }
    return texts;
  }

  it.each(SOCIAL_CHANNEL_IDS)('%s: 3,000 texts, every link found again where it was, tagged or reported', (channel) => {
    const problems: string[] = [];
    let tagged = 0;
    let reported = 0;
    siteTexts(0x07a6_0000 + channel.length, 3000).forEach((text, n) => {
      const siteUrl = SITES[n % SITES.length]!;
      const campaign = `social/case-${n}`;
      const result = tagLinksExplained(text, { siteUrl, channel, campaign });
      const spans = SOCIAL_RULES[channel].linkSpans;
      const before = spans(text);
      const after = spans(result.text);
      const fail = (why: string) =>
        problems.push(`#${n} ${JSON.stringify(text)} → ${JSON.stringify(result.text)}: ${why}`);
      if (after.length !== before.length) {
        fail(`${before.length} links before, ${after.length} after`);
        return;
      }
      let shift = 0;
      before.forEach((b, i) => {
        const a = after[i]!;
        if (a.start !== b.start + shift) fail(`link ${i} moved`);
        if (result.text.slice(a.end, after[i + 1]?.start) !== text.slice(b.end, before[i + 1]?.start))
          fail(`the text after link ${i} changed`);
        if (a.url === b.url) return;
        const href = /^https?:\/\//i.test(a.url) ? a.url : `https://${a.url}`;
        const params = URL.canParse(href) ? new URL(href).searchParams : new URLSearchParams();
        if (params.get('utm_source') !== channel || params.get('utm_campaign') !== campaign)
          fail(`link ${i} changed without the right tags: ${a.url}`);
        if (!a.url.startsWith(b.url.split('#')[0]!)) fail(`link ${i} was rewritten, not extended: ${a.url}`);
        shift += a.url.length - b.url.length;
        tagged++;
      });
      if (text.slice(0, before[0]?.start) !== result.text.slice(0, after[0]?.start)) fail('the text before changed');
      reported += result.untagged.length;
    });
    expect(problems.slice(0, 5)).toEqual([]);
    // The texts are made to link the site, so that many links are tagged (seen: X 1,214, Mastodon
    // 796, Bluesky 581); the test would mean little otherwise. Reported are the links that X or
    // Mastodon cut short or would lengthen (seen: 697 and 405; Bluesky links run to the next space).
    expect(tagged).toBeGreaterThan(500);
    expect(reported).toBeLessThan(tagged);
  });
});
