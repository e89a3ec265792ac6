import { describe, expect, it } from 'vitest';
import { postBodyImages } from './post-body-images.ts';
import { servedFile } from './served-file.ts';

/** The repository paths a post's body shows, with where each is first used. */
function images(body: string, options: { file?: string; siteUrl?: string } = {}) {
  const file = options.file ?? 'content/posts/meals.mdx';
  return postBodyImages({
    file,
    slug: file.replace(/^content\/posts\/|\.mdx?$/g, ''),
    body,
    bodyLine: 10,
    siteUrl: options.siteUrl ?? 'https://example.org',
  });
}
const paths = (body: string, options: { file?: string; siteUrl?: string } = {}) =>
  images(body, options).map((i) => i.path);

describe('postBodyImages: the files a post body shows', () => {
  it('resolves a Markdown image the build imports against the post file, as Vite does', () => {
    expect(
      paths('![Chart](./chart.png)\n\n![Bare](bare.png)\n\n![Up](../../public/up.png)\n\n![Sub](img/a%20b.png)\n'),
    ).toEqual(['content/posts/chart.png', 'content/posts/bare.png', 'public/up.png', 'content/posts/img/a b.png']);
    // A post in a folder: its images are beside it there.
    expect(paths('![A](./a.png)', { file: 'content/posts/2026/meals.md' })).toEqual(['content/posts/2026/a.png']);
    // Vite imports the file before a query or fragment.
    expect(paths('![A](./a.png?v=2)')).toEqual(['content/posts/a.png']);
  });

  it('says where each is first used, on the file line, and keeps its address and alt text', () => {
    expect(images('Intro\n\n![Meals per week](./chart.png)\n\nAgain ![x](./chart.png)\n')).toEqual([
      { src: './chart.png', path: 'content/posts/chart.png', alt: 'Meals per week', at: { line: 12, col: 1 } },
    ]);
  });

  it('binds a path from the site root or the site address to public/, the folder the site serves', () => {
    expect(paths('![A](/images/a.png)\n\n![B](https://example.org/images/b.png)\n')).toEqual([
      'public/images/a.png',
      'public/images/b.png',
    ]);
  });

  it('leaves out addresses on other sites, data: and mail links', () => {
    expect(
      paths(
        '![A](https://cdn.example.com/a.png) ![B](//other.org/b.png) ![C](data:image/png;base64,AAAA) ![](mailto:x@y)',
      ),
    ).toEqual([]);
  });

  it('binds what an HTML element loads, as the browser resolves it from /posts/<slug>/', () => {
    const body = [
      '<img src="./c.png" alt="C" />',
      '',
      '<picture><source srcset="/s.webp 1x,/s2.webp 2x" /><img src="/logo.png" alt="Logo" /></picture>',
      '',
      '<video poster="poster.jpg" src="/clip.mp4"></video>',
      '',
      '<div style="background-image: url(\'/bg.png\')">Text</div>',
      '',
      '<a href="/files/report.pdf">not shown on the page</a>',
    ].join('\n');
    expect(paths(body)).toEqual([
      'public/posts/meals/c.png',
      'public/s.webp',
      'public/s2.webp',
      'public/logo.png',
      'public/posts/meals/poster.jpg',
      'public/clip.mp4',
      'public/bg.png',
    ]);
  });

  it('reads raw HTML in a .md post the same way', () => {
    expect(paths('Text\n\n<img\n  src="/a.png" srcset="b.png 2x">\n', { file: 'content/posts/notes.md' })).toEqual([
      'public/a.png',
      'public/posts/notes/b.png',
    ]);
  });

  it('binds an image by reference where the browser loads it: the build leaves it in the page as written', () => {
    expect(paths('![Chart][c] and ![Logo][logo]\n\n[c]: ./chart.png\n[LOGO]: </my logo.png>\n')).toEqual([
      'public/posts/meals/chart.png',
      'public/my logo.png',
    ]);
  });

  it('keeps an imported image that leads out of the repository, with no path, for check to report', () => {
    expect(images('![A](../../../../etc/a.png)')).toEqual([
      { src: '../../../../etc/a.png', path: null, alt: 'A', at: { line: 10, col: 1 } },
    ]);
  });

  it('under a base path, serves from public/ only what is under it', () => {
    const site = { siteUrl: 'https://you.github.io/repo' };
    expect(
      paths('![A](/repo/a.png) ![B](/b.png) ![C](https://you.github.io/repo/c.png) <img src="d.png" />', site),
    ).toEqual(['public/a.png', 'public/c.png', 'public/posts/meals/d.png']);
  });

  it('finds nothing in text without images, and in MDX that does not parse', () => {
    expect(paths('Plain text, a [link](./a.png) and `![code](./b.png)`.\n')).toEqual([]);
    expect(paths('<div>\n\nnever closed\n')).toEqual([]);
  });
});

describe('servedFile', () => {
  const page = 'https://example.org/posts/meals/';
  it('reads percent-escapes as the server does and never leaves public/', () => {
    expect(servedFile('/a%20b.png', page, 'https://example.org')).toBe('public/a b.png');
    expect(servedFile('../../../../x.png', page, 'https://example.org')).toBe('public/x.png');
    expect(servedFile('/%2E%2E/%2e%2e/x.png', page, 'https://example.org')).toBe('public/x.png');
    expect(servedFile('/a/..%2F..%2F..%2Fsecret', page, 'https://example.org')).toBeUndefined();
  });

  it('is not the site for another scheme, host or port', () => {
    for (const address of [
      'http://example.org/a.png',
      'https://example.org:8443/a.png',
      'https://www.example.org/a.png',
    ])
      expect(servedFile(address, page, 'https://example.org')).toBeUndefined();
  });
});
