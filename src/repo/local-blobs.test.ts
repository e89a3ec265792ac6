import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitBlobId } from '../core/approval-binding.ts';
import { localBlobIds } from './local-blobs.ts';

const root = mkdtempSync(join(tmpdir(), 'postgate-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('localBlobIds', () => {
  it('names each path: a file by its blob id, nothing by null, a link or a folder by a blob no approval matches', () => {
    mkdirSync(join(root, 'public/images'), { recursive: true });
    writeFileSync(join(root, 'public/logo.png'), 'logo');
    symlinkSync('logo.png', join(root, 'public/link.png'));
    const ids = localBlobIds(root, [
      'public/logo.png',
      'public/gone.png',
      'public/link.png',
      'public/images',
      'public/logo.png/x.png', // a path through a file, as a post's HTML can write one
    ]);
    expect(Object.fromEntries(ids)).toEqual({
      'public/logo.png': gitBlobId(new TextEncoder().encode('logo')),
      'public/gone.png': null,
      'public/link.png': 'symbolic link public/link.png',
      'public/images': 'not a file: public/images',
      'public/logo.png/x.png': null,
    });
  });
});
