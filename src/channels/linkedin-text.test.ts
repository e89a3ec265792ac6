import { describe, expect, it } from 'vitest';
import { keptOfLittleText } from '../../tests/fakes/fake-linkedin.ts';
import { RandomText } from '../../tests/helpers/random-text.ts';
import { measureFor } from '../core/channels.ts';
import {
  commentarySays,
  escapeLittleText,
  LINKEDIN_RESERVED,
  linkedinLength,
  linkedinLinkSpans,
  openingWords,
  unescapeLittleText,
} from './linkedin-text.ts';

/**
 * LinkedIn's "little text": every reserved character escaped, or LinkedIn keeps the post only up to
 * the first one sent bare (and still answers 201). The fake keeps a commentary exactly as LinkedIn
 * does (tests/fakes/fake-linkedin.ts), so "nothing is lost" is checked against it.
 */
describe('escapeLittleText', () => {
  it('puts a backslash before each of the fourteen reserved characters, and before nothing else', () => {
    expect([...LINKEDIN_RESERVED].sort()).toEqual([...'\\|{}@[]()<>#*_~'].sort());
    for (const c of LINKEDIN_RESERVED) expect(escapeLittleText(`a${c}b`)).toBe(`a\\${c}b`);
    const plain = 'Hello, world! 50% off: "quotes" & \'apostrophes\' ; = + ? / $ ^ ` 日本 👨‍👩‍👧\n\tnew line';
    expect(escapeLittleText(plain)).toBe(plain);
  });

  it('escapes a backslash first, so an escape written in the draft stays as written', () => {
    expect(escapeLittleText('C:\\temp\\#1')).toBe('C:\\\\temp\\\\\\#1');
    expect(unescapeLittleText(escapeLittleText('C:\\temp\\#1'))).toBe('C:\\temp\\#1');
  });

  it('escapes links too: utm_ parameters, parentheses and fragments', () => {
    expect(escapeLittleText('https://example.org/a_(b)?utm_source=linkedin#top')).toBe(
      'https://example.org/a\\_\\(b\\)?utm\\_source=linkedin\\#top',
    );
  });

  it('loses nothing: LinkedIn keeps every escaped text whole (5,000 random texts)', () => {
    const random = new RandomText(16);
    for (let i = 0; i < 5_000; i++) {
      let text = random.text(1 + (i % 40));
      for (let n = random.int(6); n > 0; n--) {
        const at = random.int(text.length + 1);
        text = text.slice(0, at) + random.pick([...LINKEDIN_RESERVED]) + text.slice(at);
      }
      const sent = escapeLittleText(text);
      expect(keptOfLittleText(sent), JSON.stringify(text)).toBe(sent);
      expect(unescapeLittleText(sent)).toBe(text);
    }
  });

  it('an unescaped text is cut at its first reserved character (the trap this file exists for)', () => {
    expect(keptOfLittleText('We are hiring (two roles) #jobs')).toBe('We are hiring ');
    expect(keptOfLittleText(escapeLittleText('We are hiring (two roles) #jobs'))).toBe(
      'We are hiring \\(two roles\\) \\#jobs',
    );
  });
});

describe('linkedinLength', () => {
  it('counts the text as sent: UTF-16 units after escaping, each reserved character 2', () => {
    expect(linkedinLength('abc')).toBe(3);
    expect(linkedinLength('a_b')).toBe(4);
    expect(linkedinLength('#tag @name (x)')).toBe(14 + 4);
    expect(linkedinLength('😀')).toBe(2);
    expect(linkedinLength('é')).toBe(1);
  });

  it('allows 3,000 and refuses 3,001, escapes included', () => {
    expect(measureFor('linkedin', 'a'.repeat(3000)).ok).toBe(true);
    expect(measureFor('linkedin', 'a'.repeat(3001)).ok).toBe(false);
    const escaped = `${'a'.repeat(2998)}_`;
    expect(measureFor('linkedin', escaped)).toMatchObject({ length: 3000, max: 3000, ok: true });
    expect(measureFor('linkedin', `${escaped}_`)).toMatchObject({ length: 3002, ok: false });
  });
});

describe('linkedinLinkSpans', () => {
  it('finds links written with their scheme, not bare domains', () => {
    const text = 'Read https://example.org/posts/a_b?x=1 or example.org/shop.';
    expect(linkedinLinkSpans(text)).toEqual([{ start: 5, end: 38, url: 'https://example.org/posts/a_b?x=1' }]);
    expect(linkedinLinkSpans('no links here: example.org')).toEqual([]);
  });
});

describe('commentarySays', () => {
  it('reads a commentary back as sent, and tells a cut one apart', () => {
    const text = 'Join us (Tuesday) #community';
    expect(commentarySays(escapeLittleText(text), text)).toBe(true);
    expect(commentarySays(`${escapeLittleText(text)}\n`, text)).toBe(true);
    expect(commentarySays(keptOfLittleText(text), text)).toBe(false);
    expect(commentarySays(escapeLittleText('Join us'), text)).toBe(false);
  });
});

describe('openingWords', () => {
  it('gives the first words on one line, cut with an ellipsis', () => {
    expect(openingWords('Short\ntext')).toBe('Short text');
    expect(openingWords(`${'word '.repeat(20)}end`, 22)).toBe('word word word word…');
  });
});
