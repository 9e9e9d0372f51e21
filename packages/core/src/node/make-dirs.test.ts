import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from './make-dirs.js';

describe('makeDirs', () => {
  it('creates missing folders and resolves to the topmost one it made', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cnnlab-makedirs-'));
    const dir = join(root, 'a', 'b', 'c');
    expect(await makeDirs(dir)).toBe(join(root, 'a'));
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(await makeDirs(dir)).toBeUndefined();
    // Writers racing for the same folders all succeed.
    const shared = join(root, 'x', 'y');
    await Promise.all([makeDirs(shared), makeDirs(shared), makeDirs(join(shared, 'z'))]);
    expect(statSync(join(shared, 'z')).isDirectory()).toBe(true);
  });

  it('rejects with ENOTDIR naming a file in the way', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cnnlab-makedirs-'));
    const file = join(root, 'file');
    writeFileSync(file, '');
    await expect(makeDirs(join(file, 'sub'))).rejects.toMatchObject({
      code: 'ENOTDIR',
      message: `ENOTDIR: ${file} exists and is not a folder`,
    });
  });
});
