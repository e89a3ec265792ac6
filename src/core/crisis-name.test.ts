import { describe, expect, it } from 'vitest';
import { crisisEntries, crisisNearMisses, crisisReason, isCrisisName } from './crisis-name.ts';

describe('what counts as a CRISIS file', () => {
  it('is forgiving to write: any case, any extension, stray whitespace', () => {
    for (const name of [
      'CRISIS',
      'crisis',
      'Crisis',
      'CRISIS.md',
      'CRISIS.txt',
      'crisis.MD',
      'Crisis.markdown',
      'CRISIS ',
      ' CRISIS',
      '\tcrisis.md ',
      'CRISIS\u200B',
      'CRISIS .md',
    ])
      expect(isCrisisName(name), JSON.stringify(name)).toBe(true);
  });

  it('does not take other names for one', () => {
    for (const name of ['CRISES', 'CRSIS', 'crisis-playbook.md', 'CRISIS_PLAN.md', '.crisis', 'README.md', 'crisisx'])
      expect(isCrisisName(name), name).toBe(false);
  });

  it('counts only root entries, the exact name first', () => {
    const found = crisisEntries([
      { path: 'crisis.md', type: 'file' },
      { path: 'content', type: 'dir' },
      { path: 'CRISIS', type: 'file' },
      { path: 'content/CRISIS', type: 'file' },
    ]);
    expect(found.map((e) => e.path)).toEqual(['CRISIS', 'crisis.md']);
  });

  it('warns about near misses: misspelled at the root, hidden, or in a folder', () => {
    const misses = crisisNearMisses([
      { path: 'CRSIS', type: 'file' },
      { path: 'CRIISIS', type: 'file' },
      { path: 'CRISES', type: 'file' },
      { path: 'crisi.md', type: 'file' },
      { path: '.CRISIS', type: 'file' },
      { path: 'content', type: 'dir' },
      { path: 'content/CRISIS', type: 'file' },
      { path: 'content/posts/crisis.md', type: 'file' },
      // Not near misses: a CRISIS itself, unrelated names, a folder below the root.
      { path: 'CRISIS.md', type: 'file' },
      { path: 'README.md', type: 'file' },
      { path: 'crisis-playbook.md', type: 'file' },
      { path: 'docs/crisis', type: 'dir' },
      { path: 'content/social/crisp.md', type: 'file' },
    ]);
    expect(misses.map((m) => m.path)).toEqual([
      '.CRISIS',
      'CRIISIS',
      'CRISES',
      'CRSIS',
      'content/CRISIS',
      'content/posts/crisis.md',
      'crisi.md',
    ]);
    expect(misses.find((m) => m.path === 'CRSIS')!.message).toMatch(/misspelled CRISIS: it stops nothing/);
    expect(misses.find((m) => m.path === 'content/CRISIS')!.message).toMatch(/only at the root/);
  });

  it('reads the reason from the first non-empty line, without Markdown heading marks', () => {
    expect(crisisReason('\n\n  Flooding in the city  \nmore')).toBe('Flooding in the city');
    expect(crisisReason('# Flooding in the city\n')).toBe('Flooding in the city');
    expect(crisisReason('## Storm ##\n')).toBe('Storm');
    expect(crisisReason('#\n\nStorm')).toBe('Storm');
    expect(crisisReason('#hashtag stays')).toBe('#hashtag stays');
    expect(crisisReason('\uFEFF')).toBe('no reason given');
    expect(crisisReason('')).toBe('no reason given');
  });
});
