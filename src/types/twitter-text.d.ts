/**
 * The part of twitter-text 3.1.0 (X's official text library, which ships no types) that Postgate
 * uses, declared from node_modules/twitter-text/dist (parseTweet.js, extractUrlsWithIndices.js,
 * hasInvalidCharacters.js, regexp/index.js). The package is CommonJS whose module.exports is one
 * object, and its ES build has only a default export: import it as `import twitterText from
 * 'twitter-text'`, never by name.
 */
declare module 'twitter-text' {
  /** What parseTweet returns (parseTweet.js). Indices are UTF-16 offsets into the text. */
  export interface ParsedTweet {
    /** The length X counts: URLs 23, emoji 2, code points in the light ranges 1, all else 2. */
    weightedLength: number;
    /** No invalid character (U+FFFE, U+FEFF, U+FFFF), and 0 < weightedLength <= 280. */
    valid: boolean;
    permillage: number;
    validRangeStart: number;
    validRangeEnd: number;
    displayRangeStart: number;
    displayRangeEnd: number;
  }

  export interface UrlEntity {
    url: string;
    /** [start, end) in UTF-16 units. */
    indices: [number, number];
  }

  export interface ExtractUrlOptions {
    /** Default true: bare domains (example.com) are links too. */
    extractUrlsWithoutProtocol?: boolean;
  }

  export interface TwitterText {
    parseTweet(text: string, options?: object): ParsedTweet;
    extractUrlsWithIndices(text: string, options?: ExtractUrlOptions): UrlEntity[];
    hasInvalidCharacters(text: string): boolean;
    /** The regular expressions the extractors are built from (regexp/*.js); none has the u flag. */
    regexen: {
      readonly validDomain: RegExp;
      readonly validUrlPrecedingChars: RegExp;
      readonly validPortNumber: RegExp;
      readonly validTcoUrl: RegExp;
      readonly validUrlBalancedParens: RegExp;
      readonly invalidChars: RegExp;
      readonly endMentionMatch: RegExp;
      readonly atSigns: RegExp;
    };
  }

  const twitterText: TwitterText;
  export default twitterText;
}
