import { describe, expect, it } from 'vitest';
import { mdxProblems } from './mdx-policy.ts';

const lines = (body: string) => mdxProblems(body, 10).map((p) => `${p.at.line}:${p.at.col} ${p.message}`);

describe('what a post may hold', () => {
  it('accepts Markdown, plain HTML with plain attributes, and comments', () => {
    expect(
      lines(
        '# Title\n\nSome *text*, x < 3 and a [link](/posts/a/).\n\n<figure class="wide"><img src="/a.png" alt="A" /></figure>\n\n{/* a note for editors */}\n',
      ),
    ).toEqual([]);
  });
  it('refuses import and export, which run when the site is built, at their line', () => {
    const found = lines("Hi\n\nimport fs from 'node:fs'\nexport const x = (globalThis.leak = process.env)\n");
    expect(found).toHaveLength(1); // one ESM block, reported where it starts
    expect(found[0]).toMatch(/^12:1 import and export are not allowed in a post/);
  });
  it('refuses expressions in text and in blocks, comments mixed with code included', () => {
    expect(lines('Total: {1 + 1} meals\n')).toEqual([expect.stringMatching(/^10:8 \{\.\.\.\} is code in MDX/)]);
    expect(lines('a\n\n{/* note */ globalThis.x = 1}\n')).toEqual([expect.stringMatching(/^12:1 \{\.\.\.\} is code/)]);
  });
  it('refuses attribute expressions, spreads and components, naming the element', () => {
    expect(lines('<div onClick={() => 1} {...props}>hi</div>\n')).toEqual([
      expect.stringMatching(/^10:1 <div> uses \{\.\.\.\} in its attribute onClick, which is code/),
      expect.stringMatching(/^10:1 <div> spreads \{\.\.\.\}/),
    ]);
    expect(lines('<Chart data="x" />\n\n<a.b />\n')).toEqual([
      expect.stringMatching(/^10:1 <Chart> is not an HTML element, and posts can use no components/),
      expect.stringMatching(/^12:1 <a\.b> is not an HTML element/),
    ]);
  });
  it('reports MDX the site could not build at its line in the file', () => {
    expect(lines('a\n\n<div>\n')).toEqual(['12:1 the post is not valid MDX: Expected a closing tag for `<div>`']);
    expect(lines('Visit <https://example.org>\n')[0]).toMatch(/^10:\d+ the post is not valid MDX/);
  });
});

describe('what the pages never carry', () => {
  it('refuses scripts, embedded pages, event handlers and Astro directives', () => {
    expect(lines('<script src="https://evil.example/x.js"></script>\n')).toEqual([
      expect.stringMatching(/^10:1 <script> is not allowed in a post/),
    ]);
    expect(lines('<iframe src="https://evil.example/"></iframe>\n')[0]).toMatch(/<iframe> is not allowed/);
    expect(lines('<img src="/a.png" alt="A" onerror="alert(1)" />\n')[0]).toMatch(
      /<img> has the attribute onerror, which runs code/,
    );
    expect(lines('<div set:html="<script>alert(1)</script>"></div>\n')[0]).toMatch(/<div> has the attribute set:html/);
    expect(lines('<div client:load="x"></div>\n')[0]).toMatch(/<div> has the attribute client:load/);
  });
});
