import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, weightsFileOf } from '../../test/helpers.js';
import { denseMnist } from '../dense-mnist.js';
import { ModelError } from '../errors.js';
import { MAX_MODEL_JSON_BYTES } from './folder-layout.js';
import { loadModel, saveModel } from './save-load.js';

const newDir = tempDir('confine');
const linux = process.platform === 'linux';

// A small saved model, copied fresh for each case.
let saved = '';
beforeAll(async () => {
  saved = newDir();
  const model = denseMnist({ units: 4 });
  await saveModel(model, saved);
  model.dispose();
});

/** A copy of the saved model whose model.json names `paths` instead of its weights file. */
function folderNaming(paths: string[]): { dir: string; json: string; weights: string } {
  const dir = newDir();
  const json = JSON.parse(readFileSync(join(saved, 'model.json'), 'utf8'));
  const weights = weightsFileOf(saved);
  writeFileSync(join(dir, weights), readFileSync(join(saved, weights)));
  json.weightsManifest[0].paths = paths;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return { dir, json: join(dir, 'model.json'), weights: join(dir, weights) };
}

async function refusal(dir: string): Promise<ModelError> {
  const error = await loadModel(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  expect((error as ModelError).message.split('\n')).toHaveLength(1);
  return error as ModelError;
}

describe('loadModel keeps to the model folder', () => {
  it('refuses an absolute weights path', async () => {
    const outside = newDir();
    writeFileSync(join(outside, 'w.bin'), readFileSync(join(saved, weightsFileOf(saved))));
    const { dir, json } = folderNaming([join(outside, 'w.bin')]);
    expect((await refusal(dir)).message).toBe(
      `${json} names weights file ${JSON.stringify(join(outside, 'w.bin'))}, an absolute path; expected a path inside ${dir}`,
    );
  });

  it('refuses a path that climbs out with ..', async () => {
    const { dir, json } = folderNaming(['../w.bin']);
    writeFileSync(join(dir, '..', 'w.bin'), '');
    expect((await refusal(dir)).message).toBe(
      `${json} names weights file "../w.bin", a path that climbs out with ".."; expected a path inside ${dir}`,
    );
    const inner = folderNaming(['sub\\..\\..\\w.bin']);
    expect((await refusal(inner.dir)).message).toContain('climbs out');
  });

  it('refuses a link that leads outside the folder', async () => {
    const outside = join(newDir(), 'w.bin');
    writeFileSync(outside, readFileSync(join(saved, weightsFileOf(saved))));
    const { dir, json } = folderNaming(['w.bin']);
    symlinkSync(outside, join(dir, 'w.bin'));
    expect((await refusal(dir)).message).toBe(
      `weights file ${join(dir, 'w.bin')} named in ${json} leads to ${outside}, outside ${dir}; expected a file inside the model folder`,
    );
  });

  it.skipIf(!linux)('refuses /dev/zero, linked or named, before reading a byte', async () => {
    const { dir } = folderNaming(['zero.bin']);
    symlinkSync('/dev/zero', join(dir, 'zero.bin'));
    const before = process.memoryUsage().rss;
    expect((await refusal(dir)).message).toMatch(/leads to \/dev\/zero, outside/);
    expect((await refusal(folderNaming(['/dev/zero']).dir)).message).toMatch(/an absolute path/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it.skipIf(!linux)('reads only regular files: a named pipe or a folder is refused', async () => {
    const { dir, json } = folderNaming(['pipe.bin']);
    execFileSync('mkfifo', [join(dir, 'pipe.bin')]);
    // Opened without blocking: no writer is needed for the refusal to come at once.
    expect((await refusal(dir)).message).toBe(
      `weights file ${join(dir, 'pipe.bin')} named in ${json} is a named pipe; expected a regular file`,
    );
    const folder = folderNaming(['sub']);
    mkdirSync(join(folder.dir, 'sub'));
    expect((await refusal(folder.dir)).message).toMatch(/sub named in .* is a folder; expected/);
  });

  it('follows links that stay inside the folder, and subfolders', async () => {
    const { dir, weights } = folderNaming(['shards/w.bin']);
    mkdirSync(join(dir, 'shards'));
    renameSync(weights, join(dir, 'shards', 'real.bin'));
    symlinkSync(join(dir, 'shards', 'real.bin'), join(dir, 'shards', 'w.bin'));
    const model = await loadModel(dir);
    expect(model.countParams()).toBeGreaterThan(0);
    model.dispose();
  });

  it('checks the size against dtype × shape before allocating: truncated, padded', async () => {
    const { dir, weights } = folderNaming([weightsFileOf(saved)]);
    const json = join(dir, 'model.json');
    const declared = readFileSync(weights).byteLength;
    truncateSync(weights, declared - 4);
    expect((await refusal(dir)).message).toBe(
      `weights file ${weights} holds ${declared - 4} bytes; model.json declares ${declared} bytes (4 weights, dtype × shape): truncated, padded or from another model`,
    );
    writeFileSync(weights, new Uint8Array(declared + 1));
    expect((await refusal(dir)).message).toContain(`holds ${declared + 1} bytes`);
    // A manifest that declares more than the file holds is refused the same way, not allocated.
    const spec = JSON.parse(readFileSync(json, 'utf8'));
    spec.weightsManifest[0].weights[0].shape = [1e6, 1e6];
    writeFileSync(json, JSON.stringify(spec));
    expect((await refusal(dir)).message).toMatch(/declares 4000000\d+ bytes/);
  });

  it('refuses weights with an unknown dtype or a broken shape', async () => {
    const { dir, json } = folderNaming([weightsFileOf(saved)]);
    const spec = JSON.parse(readFileSync(json, 'utf8'));
    spec.weightsManifest[0].weights[0].dtype = 'string';
    writeFileSync(json, JSON.stringify(spec));
    expect((await refusal(dir)).message).toBe(
      `${json}: weight "dense/kernel" has dtype "string"; expected one of float32, int32, bool, complex64, uint8, uint16, float16`,
    );
    spec.weightsManifest[0].weights[0].dtype = 'float32';
    spec.weightsManifest[0].weights[0].shape = [784, -4];
    writeFileSync(json, JSON.stringify(spec));
    expect((await refusal(dir)).message).toContain(
      'has shape [784,-4]; expected a list of whole numbers ≥ 0',
    );
  });

  it.skipIf(!linux)(
    'refuses a model.json that is a device, leads outside, or is too big',
    async () => {
      const zero = newDir();
      symlinkSync('/dev/zero', join(zero, 'model.json'));
      expect((await refusal(zero)).message).toBe(
        `${join(zero, 'model.json')} leads to /dev/zero, outside ${zero}; expected a file inside the model folder`,
      );
      const big = newDir();
      writeFileSync(join(big, 'model.json'), '');
      truncateSync(join(big, 'model.json'), MAX_MODEL_JSON_BYTES + 1);
      expect((await refusal(big)).message).toBe(
        `${join(big, 'model.json')} holds ${MAX_MODEL_JSON_BYTES + 1} bytes; expected at most ${MAX_MODEL_JSON_BYTES}`,
      );
      rmSync(join(big, 'model.json'));
    },
  );
});
