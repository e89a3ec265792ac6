import { describe, expect, it } from 'vitest';
import { resolveRepoPath } from './repo-path.ts';

const FROM = 'content/social/launch.md';

describe('resolveRepoPath', () => {
  it('resolves paths beside the file', () => {
    expect(resolveRepoPath(FROM, './chart.png')).toBe('content/social/chart.png');
    expect(resolveRepoPath(FROM, 'chart.png')).toBe('content/social/chart.png');
    expect(resolveRepoPath(FROM, 'img/./a b.png')).toBe('content/social/img/a b.png');
  });
  it('resolves parent directories while they stay inside the repository', () => {
    expect(resolveRepoPath(FROM, '../images/a.png')).toBe('content/images/a.png');
    expect(resolveRepoPath(FROM, '../../a.png')).toBe('a.png');
    expect(resolveRepoPath(FROM, './x/../../b.png')).toBe('content/b.png');
  });
  it('reads a leading slash as the repository root', () => {
    expect(resolveRepoPath(FROM, '/public/images/a.png')).toBe('public/images/a.png');
  });
  it('refuses paths that leave the repository', () => {
    for (const written of ['../../../a.png', '../../..', '/../a.png', '/', '//etc/passwd', '/a/../../b.png']) {
      expect(resolveRepoPath(FROM, written), written).toBeNull();
    }
  });
  it('refuses URLs, Windows paths and NUL bytes', () => {
    for (const written of [
      'https://example.org/a.png',
      'data:image/png;base64,AAAA',
      'file:///etc/passwd',
      'C:\\img\\a.png',
      'img\\a.png',
      'a\0.png',
    ]) {
      expect(resolveRepoPath(FROM, written), written).toBeNull();
    }
  });
  it('refuses the repository root itself', () => {
    expect(resolveRepoPath('README.md', '.')).toBeNull();
    expect(resolveRepoPath(FROM, '../..')).toBeNull();
  });
});
