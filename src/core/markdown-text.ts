/**
 * Text from files a writer controls (item ids, reasons, error messages, logins), placed in Markdown
 * that GitHub renders for the owner: it must read as the text it is. None of it may format, link,
 * embed HTML or math, break out of its line, @mention someone (a ping on every edit) or write `#12`
 * (a link that puts a reference in issue 12's timeline). A zero-width space after `@` and `#` keeps
 * GitHub from reading a mention or a reference while the rendered text looks the same.
 */
const ZERO_WIDTH_SPACE = '&#8203;';
// Every character that starts Markdown or HTML in a line of GitHub's Markdown (`$` opens math).
const MARKDOWN = /[\\`*_{}[\]()<>#!|~&$]/g;

const oneLine = (raw: string, max: number): string => {
  const flat = raw.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** Plain text on one line, at most `max` characters (cut with an ellipsis). */
export function plainText(raw: string, max = 300): string {
  return (
    oneLine(raw, max)
      .replace(MARKDOWN, '\\$&')
      .replace(/[@#]/g, `$&${ZERO_WIDTH_SPACE}`)
      // GH-12 is a reference to issue 12 as well.
      .replace(/\bGH-(?=\d)/gi, (g) => `${g.slice(0, 2)}${ZERO_WIDTH_SPACE}-`)
      // GitHub links bare addresses by itself (https://…, www.…): a zero-width space keeps them text.
      .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZERO_WIDTH_SPACE}.`)
  );
}

/**
 * An inline code span: shown exactly (GitHub finds no mention, reference or HTML inside one). A
 * backtick would end it, so it is shown as a look-alike (U+02CB).
 */
export function codeText(raw: string, max = 120): string {
  const text = oneLine(raw, max).replace(/`/g, 'ˋ');
  return `\`${text || ' '}\``;
}

/** A link to an http(s) address, or the address as plain text (not linked) when it is not one a link can hold. */
export function linkTo(label: string, url: string): string {
  return /^https?:\/\/[^\s<>()[\]`"'\\]+$/.test(url) ? `[${plainText(label)}](${url})` : plainText(url);
}
