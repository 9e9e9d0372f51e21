import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, weightsFileOf } from '../../test/helpers.js';
import { cnnMnist } from '../cnn-mnist.js';
import { ModelError } from '../errors.js';
import { makeDir } from './make-dir.js';
import { saveModel } from './save-load.js';

const newDir = tempDir('mkdir');

/** The rejection of `promise`, or a failure when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('makeDir', () => {
  it('creates nested new folders and accepts existing ones', async () => {
    const root = newDir();
    const dir = join(root, 'a', 'b', 'c');
    await makeDir(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    await makeDir(dir);
    await makeDir(root);
    // Several writers creating the same folders at once all succeed.
    const shared = join(root, 'x', 'y', 'z');
    await Promise.all([makeDir(shared), makeDir(shared), makeDir(join(shared, 'w'))]);
    expect(readdirSync(shared)).toEqual(['w']);
  });

  it('rejects with a ModelError naming the folder when a file is in the way', async () => {
    const root = newDir();
    writeFileSync(join(root, 'file'), 'x');
    const dir = join(root, 'file', 'model');
    const error = await rejection(makeDir(dir));
    expect(error.source).toBe(dir);
    expect(error.message).toContain(`cannot create the folder ${dir}`);
    expect(error.message).toContain('is not a folder');
  });

  it.skipIf(process.platform !== 'linux')(
    'rejects at once under /proc, where mkdir({ recursive: true }) hangs in Node 20',
    async () => {
      const dir = '/proc/cnnlab-test/model';
      const error = await rejection(makeDir(dir));
      expect(error.source).toBe(dir);
      expect(error.message).toContain(dir);
      expect(error.cause).toMatchObject({ code: 'ENOENT', path: '/proc/cnnlab-test' });
    },
    5_000,
  );
});

describe('saveModel creating its folder', () => {
  it('creates nested new folders in a temp dir', async () => {
    const model = cnnMnist({ seed: 1 });
    const dir = join(newDir(), 'one', 'two', 'three');
    await saveModel(model, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', weightsFileOf(dir)]);
    model.dispose();
  });

  it.skipIf(process.platform !== 'linux')(
    'rejects quickly with a ModelError naming the path when saving to /proc/cnnlab-test/model',
    async () => {
      const model = cnnMnist({ seed: 1 });
      const error = await rejection(saveModel(model, '/proc/cnnlab-test/model'));
      expect(error.message).toContain('/proc/cnnlab-test/model');
      expect(error.source).toBe('/proc/cnnlab-test/model');
      expect(existsSync('/proc/cnnlab-test')).toBe(false);
      model.dispose();
    },
    5_000,
  );
});
