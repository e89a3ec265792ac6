import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { RandomText } from '../../tests/helpers/random-text.ts';
import { measureFor } from '../core/channels.ts';
import { xTextRefusal, xWeightedLength } from './x-text.ts';

/**
 * X's length and verdict against twitter-text's parseTweet, X's official library: Postgate's count
 * must be the library's weightedLength for every text, and its verdict the library's `valid`. The
 * one deliberate exception is the empty text, which twitter-text calls invalid and X accepts in a
 * post with images; no case below is empty.
 */
interface Disagreement {
  case: number;
  text: string;
  postgate: { length: number; ok: boolean };
  twitterText: { length: number; valid: boolean };
}

function compare(texts: readonly string[]): Disagreement[] {
  const out: Disagreement[] = [];
  texts.forEach((text, i) => {
    const parsed = twitterText.parseTweet(text);
    const verdict = measureFor('x', text);
    if (
      xWeightedLength(text) !== parsed.weightedLength ||
      verdict.length !== parsed.weightedLength ||
      verdict.ok !== parsed.valid
    )
      out.push({
        case: i,
        text,
        postgate: { length: verdict.length, ok: verdict.ok },
        twitterText: { length: parsed.weightedLength, valid: parsed.valid },
      });
  });
  return out;
}

/** Random texts of every kind (seeded: the same on every run). */
function randomTexts(seed: number, count: number): string[] {
  const r = new RandomText(seed);
  const texts: string[] = [];
  while (texts.length < count) {
    const text = r.text(1 + r.int(r.chance(0.2) ? 80 : 25));
    if (text) texts.push(text);
  }
  return texts;
}

/** Texts padded until twitter-text counts them within a few of 280, on both sides. */
function textsAtTheLimit(seed: number, count: number): string[] {
  const r = new RandomText(seed);
  const texts: string[] = [];
  while (texts.length < count) {
    const target = 276 + r.int(9); // 276..284
    let text = r.text(1 + r.int(12));
    const fill = r.filler();
    // Pad in strides (each filler weighs 1 to 23), then one filler at a time.
    for (let weight = twitterText.parseTweet(text).weightedLength, guard = 0; weight < target && guard < 100; guard++) {
      for (let i = Math.max(1, Math.floor((target - weight) / 2)); i > 0; i--) text += fill();
      weight = twitterText.parseTweet(text).weightedLength;
    }
    if (text && Math.abs(twitterText.parseTweet(text).weightedLength - 280) <= 6) texts.push(text);
  }
  return texts;
}

/** Texts made only of U+0000–U+02FF, the shortcut that skips parseTweet. */
function latinTexts(seed: number, count: number): string[] {
  const r = new RandomText(seed);
  const texts: string[] = [];
  const pieces = [
    () => r.word(),
    () => r.inRange(0x20, 0xff),
    () => r.inRange(0x100, 0x2ff),
    () => r.inRange(0, 0x1f),
    () => r.pick(['example.com', 'https://example.org/a_b', 'bit.ly/x', 'e.g.', 'node.js', 'café.fr/é', 'x.co/(a)']),
    () =>
      `https://${r.pick(['example.com', 'localhost:3000', 't.co', '127.0.0.1', 'ŁÓdź.pl'])}/${r.word()}${r.pick(['', '.', '~', "'", ')', 'é', 'ł', 'ʼ'])}`,
    () => r.pick([' ', '\n', '\r\n', '.', '..', ':', '@', '©', '®', '#', '*', '1']),
  ];
  while (texts.length < count) {
    let text = '';
    for (let i = 1 + r.int(30); i > 0; i--) text += r.pick(pieces)();
    if (text) texts.push(text);
  }
  return texts;
}

describe('X lengths and verdicts equal twitter-text parseTweet (differential)', () => {
  it('on 6,000 random texts: emoji, CJK, combining marks, links, IDN, mentions, punctuation', () => {
    expect(compare(randomTexts(0x5eed_0001, 6000)).slice(0, 5)).toEqual([]);
  });

  it('on 1,500 texts within 6 of the 280 limit, where the verdict flips', () => {
    const texts = textsAtTheLimit(0x5eed_0002, 1500);
    expect(texts.filter((t) => twitterText.parseTweet(t).valid).length).toBeGreaterThan(300);
    expect(texts.filter((t) => !twitterText.parseTweet(t).valid).length).toBeGreaterThan(300);
    expect(compare(texts).slice(0, 5)).toEqual([]);
  });

  it('on 2,000 texts of U+0000–U+02FF (the shortcut) and on every such character alone', () => {
    const singles = Array.from({ length: 0x300 }, (_, cp) => String.fromCharCode(cp));
    expect(singles.filter((c) => c.normalize('NFC') !== c)).toEqual([]);
    expect(compare([...singles, ...latinTexts(0x5eed_0003, 2000)]).slice(0, 5)).toEqual([]);
  });
});

describe('xWeightedLength, by hand', () => {
  it('weighs Latin text 1, CJK and emoji 2, after NFC', () => {
    expect(xWeightedLength('hello')).toBe(5);
    expect(xWeightedLength('Grüße, señor')).toBe(12);
    expect(xWeightedLength('a'.repeat(280))).toBe(280);
    expect(xWeightedLength('日本語')).toBe(6);
    expect(xWeightedLength('한국어')).toBe(6);
    expect(xWeightedLength('“quoted” – ok')).toBe(13);
    expect(xWeightedLength('…')).toBe(2);
    expect(xWeightedLength('👨‍👩‍👧')).toBe(2);
    expect(xWeightedLength('🇩🇪')).toBe(2);
    expect(xWeightedLength('👍🏽')).toBe(2);
    expect(xWeightedLength('1️⃣')).toBe(2);
    expect(xWeightedLength('©')).toBe(1);
    expect(xWeightedLength('©\uFE0F')).toBe(2);
    expect(xWeightedLength('cafe\u0301')).toBe(4);
  });

  it('counts 23 for a link with a real domain, and the rest of the text in full', () => {
    expect(xWeightedLength(`see https://example.org/${'x'.repeat(200)} now`)).toBe(4 + 23 + 4);
    expect(xWeightedLength('go to example.org/posts/launch.')).toBe(6 + 23 + 1);
    expect(xWeightedLength('bit.ly/x and example.club')).toBe(23 + 5 + 23);
    expect(xWeightedLength('bücher.de/x')).toBe(23); // the whole IDN, not "cher.de"
    expect(xWeightedLength('node.js e.g. ok')).toBe(15);
    // No link: localhost and IP addresses have no TLD; the link ends before "~" and before "日本".
    expect(xWeightedLength('https://localhost:3000/x')).toBe(24);
    expect(xWeightedLength('x https://example.com/a~')).toBe(2 + 23 + 1);
    expect(xWeightedLength('https://example.com/a/日本')).toBe(23 + 4);
  });
});

describe('xTextRefusal', () => {
  it('refuses U+FEFF, U+FFFE and U+FFFF, as twitter-text does, and says where', () => {
    expect(xTextRefusal('plain text')).toBeNull();
    expect(xTextRefusal('a\u202Ab')).toBeNull(); // twitter-text 3.1.0 takes directional formatting
    expect(xTextRefusal('Hello\uFEFF world')).toBe(
      'it contains U+FEFF (zero width no-break space, often a stray byte order mark) after "Hello", and X refuses any post that holds one; delete that invisible character',
    );
    expect(xTextRefusal('\uFFFE')).toMatch(/^it contains U\+FFFE \(a noncharacter\) at the start, /);
    expect(measureFor('x', 'ok\uFFFF').ok).toBe(false);
    expect(measureFor('x', 'ok\uFFFF').refusal).toMatch(/U\+FFFF/);
  });
});
