/**
 * A blog post whose body shows two files of the repository, one each way a page can
 * (src/core/post-body-images.ts): a Markdown image beside the post, which the site's build imports,
 * and an <img> from the site's root, which the site serves from public/. Due 10:00 Berlin on
 * 20 November 2026 (09:00 UTC).
 */
export const MEALS = 'content/posts/meals.mdx';
export const MEALS_CHART = 'content/posts/meals-chart.png';
export const MEALS_LOGO = 'public/logo.png';
export const MEALS_POST = [
  '---',
  'title: Meals this month',
  'description: What we served.',
  'publishAt: 2026-11-20T10:00',
  '---',
  '',
  '![Meals per week, rising](./meals-chart.png)',
  '',
  '<img src="/logo.png" alt="Our logo" />',
  '',
].join('\n');
