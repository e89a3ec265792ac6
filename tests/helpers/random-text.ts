/**
 * Seeded random post texts for the differential tests of X's and Mastodon's lengths
 * (src/channels/x-text.test.ts, mastodon-text.test.ts): the same seed gives the same texts on
 * every machine, so a failure can be replayed from the case number it prints.
 */

/** mulberry32: a small, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class RandomText {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A code point from [from, to], as a string. */
  inRange(from: number, to: number): string {
    return String.fromCodePoint(from + this.int(to - from + 1));
  }

  word(): string {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
    let w = '';
    for (let i = 1 + this.int(9); i > 0; i--) w += letters[this.int(this.chance(0.8) ? 26 : letters.length)];
    return w;
  }

  latin(): string {
    return this.pick([
      () => this.pick(['é', 'ü', 'ß', 'ñ', 'ø', 'Å', 'ç', 'œ', 'ł', 'ğ', 'ș', 'ő', 'ž', 'Ω', 'я', 'Ж', 'ש', 'ع']),
      () => this.inRange(0xa0, 0xff), // Latin-1, © and ® among them
      () => this.inRange(0x100, 0x24f),
      () => `${this.pick(['a', 'e', 'o', 'n', 'x'])}${this.inRange(0x300, 0x36f)}`, // combining marks
      () => `${this.pick(['a', 'e'])}${this.inRange(0x300, 0x36f)}${this.inRange(0x300, 0x36f)}`,
      () => this.inRange(0x1e00, 0x1eff),
    ])();
  }

  cjk(): string {
    return this.pick([
      () => this.inRange(0x4e00, 0x9fff),
      () => this.inRange(0x3040, 0x30ff), // kana
      () => this.inRange(0xac00, 0xd7a3), // Hangul syllables
      () => `${this.inRange(0x1100, 0x1112)}${this.inRange(0x1161, 0x1175)}`, // conjoining jamo
      () => this.inRange(0x20000, 0x2a6df), // CJK extension B, astral
      () => this.inRange(0xff61, 0xff9f), // halfwidth katakana, U+FF9E and U+FF9F among them
    ])();
  }

  indic(): string {
    return this.pick([
      () => 'क्ष',
      () => 'श्री',
      () => 'ক্ষ',
      () => 'ஸ்ரீ',
      () => 'ന്റെ',
      () => `${this.inRange(0x915, 0x939)}\u094d${this.inRange(0x915, 0x939)}`,
      () => `${this.inRange(0x915, 0x939)}\u094d\u200d${this.inRange(0x915, 0x939)}`,
      () => `${this.inRange(0x1780, 0x17a2)}\u17d2${this.inRange(0x1780, 0x17a2)}`, // Khmer coeng
      () => `${this.inRange(0x1000, 0x1021)}\u1039${this.inRange(0x1000, 0x1021)}`, // Myanmar virama
      () => 'กำ',
      () => `\u0600${this.inRange(0x660, 0x669)}`, // a Prepend character
      () => this.inRange(0x900, 0xdff),
    ])();
  }

  emoji(): string {
    const base = () => this.inRange(0x1f600, 0x1f64f);
    const tone = () => this.inRange(0x1f3fb, 0x1f3ff);
    const ri = () => this.inRange(0x1f1e6, 0x1f1ff);
    return this.pick([
      base,
      () => `${this.pick(['👍', '👋', '✌', '🤞', '🧑'])}${tone()}`,
      () => this.pick(['👨‍👩‍👧', '👩‍❤️‍👨', '🏳️‍🌈', '🧑🏽‍🚀', '👨‍👩‍👧‍👦', '🐕‍🦺', '❤️‍🔥']),
      () => this.pick(['🇩🇪', '🇯🇵', '🇺🇦', '🇧🇷']),
      () => `${ri()}${ri()}`,
      ri, // a lone regional indicator
      () => `${this.pick(['1', '#', '*', '0'])}${this.chance(0.5) ? '\ufe0f' : ''}\u20e3`, // keycaps
      () => `${this.pick(['☺', '❤', '✈', '©', '®', '™', '↔', '⬆', '♀'])}${this.pick(['', '\ufe0e', '\ufe0f'])}`,
      () => '🏴󠁧󠁢󠁥󠁮󠁧󠁿', // a tag sequence
      () => this.pick(['🫠', '🫶🏽', '🪿', '🫎', '🙂‍↔️', '🐦‍🔥', '🫩', '🪾']), // Unicode 14 to 16
      () => `${base()}\u200d${base()}`, // a ZWJ sequence no table knows
    ])();
  }

  punctuation(): string {
    return this.pick([
      '.',
      ',',
      ';',
      ':',
      '!',
      '?',
      "'",
      '"',
      ')',
      '(',
      ']',
      '[',
      '…',
      '_',
      '-',
      '~',
      '*',
      '/',
      '&',
      '|',
      '@',
      '#',
      '$',
      '%',
      '=',
      '+',
      '<',
      '>',
      '。',
      '、',
      '」',
      '「',
      '）',
      '（',
      '！',
      '？',
      '«',
      '»',
      '“',
      '”',
      '‘',
      '’',
      '—',
      '–',
      '€',
      '،',
      '؟',
      '।',
      '‽',
      '¡',
      '¿',
      '·',
      '•',
      '＠',
      '．',
      '：',
      '‼',
    ]);
  }

  space(): string {
    return this.pick([' ', ' ', ' ', ' ', '\n', '\n\n', '\r\n', '\t', '\u00a0', '\u3000', '\u2009', '']);
  }

  /** Characters X or Mastodon treat specially: invalid for X, directional marks, joiners. */
  oddity(): string {
    return this.pick([
      '\ufeff',
      '\ufffe',
      '\uffff',
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u2066',
      '\u061c',
      '\u00ad',
    ]);
  }

  domain(): string {
    return this.pick([
      () => this.pick(['example.com', 'example.org', 'www.example.org', 'sub.example.co.uk', 'EXAMPLE.COM']),
      () =>
        `${
          this.word()
            .toLowerCase()
            .replace(/^[-_]+|[-_]+$/g, '') || 'a'
        }.${this.pick(['com', 'org', 'net', 'de', 'io', 'dev', 'social', 'club', 'ly', 'gl', 'co', 'jp', 'museum', 'xyz', 'invalid', 'local', 'zz', 'js'])}`,
      () => this.pick(['bit.ly', 'goo.gl', 't.co', 'example.club', 'example.invalidtld', 'node.js', 'e.g']),
      () =>
        this.pick([
          'bücher.de',
          'münchen.de',
          '日本.jp',
          'пример.рф',
          'xn--bcher-kva.de',
          '例え.テスト',
          'café.fr',
          'ex😀ample.com',
          'a™.com',
        ]),
      () => this.pick(['localhost', 'localhost:3000', '127.0.0.1', '192.168.1.1:8080', '[::1]']),
      () => `${'a'.repeat(60 + this.int(8))}.com`, // labels near 63
      () => `example.com:${this.int(70000)}`,
    ])();
  }

  path(): string {
    const segment = () =>
      this.pick([
        () => this.word(),
        () =>
          this.pick([
            'posts',
            'a',
            '2026',
            'it’s-here',
            "it's-here",
            'a_',
            'a~',
            'a-',
            'Primer_(film)',
            '日本',
            'café',
            'x.y',
            '@user',
            '%E6%97%A5',
            'a(b(c)d)e',
            '日本_(日本)',
            '(é)',
            '(😀)',
            'x(a(日)b)',
            '(пример)',
            '()',
            '(a',
          ]),
        () => this.latin(),
        () => this.cjk(),
        () => this.emoji(),
        () => this.punctuation(),
      ])();
    let p = '';
    for (let i = this.int(4); i > 0; i--) p += `/${segment()}`;
    if (this.chance(0.3)) p += '/';
    if (this.chance(0.25))
      p += `?${this.pick(['a=1', 'ref=nl&x=2', 'q=日本', 'a=1;b=2', 'redirect=https://example.org/x', 'x=', 'é=ü', 'a=1^2', 'x=😀'])}`;
    if (this.chance(0.15)) p += `#${this.pick(['top', 'a-b', '日本', ''])}`;
    return p;
  }

  link(): string {
    const scheme = this.pick([
      'https://',
      'https://',
      'http://',
      'HTTPS://',
      '',
      '',
      'gemini://',
      'ftp://',
      'dat://',
      'xmpp:',
      '//',
    ]);
    const text = `${scheme}${this.domain()}${this.path()}`;
    return this.chance(0.3) ? `${text}${this.punctuation()}${this.chance(0.3) ? this.punctuation() : ''}` : text;
  }

  mention(): string {
    return this.pick([
      () => `@${this.word()}`,
      () => `@${this.word()}@${this.domain()}`,
      () =>
        this.pick([
          '@alice@example.social',
          '@foo-bar@example.social',
          'x@alice@example.social',
          '@noël@example.social',
        ]),
      () =>
        this.pick([
          'me@example.org',
          '@alice@bücher.de',
          '＠alice',
          '@alice.',
          '@a.b-c@x.y-z.social',
          '@alice@localhost',
        ]),
      () => `@${this.word()}@${'d'.repeat(250)}.social`, // a domain over 253 characters
      () => `@${this.word()}://x`,
    ])();
  }

  /** One piece of text of a random kind. */
  piece(): string {
    if (this.chance(0.012)) return this.oddity();
    return this.pick([
      () => this.word(),
      () => this.word(),
      () => this.word(),
      () => this.latin(),
      () => this.cjk(),
      () => this.indic(),
      () => this.emoji(),
      () => this.emoji(),
      () => this.punctuation(),
      () => this.link(),
      () => this.link(),
      () => this.mention(),
    ])();
  }

  /** A text of about `pieces` pieces, mostly separated by white space (sometimes glued). */
  text(pieces: number): string {
    let out = '';
    for (let i = 0; i < pieces; i++) out += (i ? this.space() : '') + this.piece();
    return out;
  }

  /**
   * Plain filler of one kind, for padding a text towards a limit. Not "a": long runs of words of
   * "a" make twitter-text's domain pattern slow (the TLD list starts aaa, aarp...), for the library
   * as much as for Postgate, and the padding measures each text a dozen times.
   */
  filler(): () => string {
    return this.pick([
      () => (this.chance(0.2) ? 'o ' : 'o'),
      () => ' ',
      () => (this.chance(0.2) ? 'é ' : 'é'),
      () => (this.chance(0.3) ? '日 ' : '日'),
      () => '😀',
      () => 'x ',
      () => `${this.word()} `,
    ]);
  }
}
