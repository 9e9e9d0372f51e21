// saveKerasModel under SIGKILL: a child saves two models in turn into one file and is killed at
// random moments; the file is always one of them, whole, and the next save tidies the scratch.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { cnnMnist } from '../cnn-mnist.js';
import { loadKerasModel, saveKerasModel } from './keras.js';

const dist = fileURLToPath(new URL('../../dist/node.js', import.meta.url));
const newDir = tempDir('keras-kill');

// The child runs the built package (turbo builds before it tests): plain Node, no transpiling.
const CHILD = `
import '@tensorflow/tfjs-backend-cpu';
const { cnnMnist, saveKerasModel } = await import(process.argv[1]);
const models = [cnnMnist({ seed: 1 }), cnnMnist({ seed: 2 })];
for (let i = 0; ; i++) {
  await saveKerasModel(models[i % 2], process.argv[2]);
  if (i === 0) process.stdout.write('saved\\n');
}`;

const exit = (proc: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) =>
    proc.on('exit', (code, signal) => resolve(signal ?? code)),
  );

/** The first kernel weight of a model: tells seed 1's from seed 2's. */
const firstWeight = (model: { getWeights(): { dataSync(): ArrayLike<number> }[] }) =>
  model.getWeights()[0]?.dataSync()[0];

describe('saveKerasModel, killed', () => {
  it('leaves the old file or the new one, whole, and the next save removes the scratch', async () => {
    expect(existsSync(dist), 'build @cnnlab/models first (pnpm build)').toBe(true);
    const dir = newDir();
    const file = join(dir, 'model.keras');
    const known = [firstWeight(cnnMnist({ seed: 1 })), firstWeight(cnnMnist({ seed: 2 }))];
    for (let round = 0; round < 6; round++) {
      const proc = spawn(process.execPath, ['--input-type=module', '-e', CHILD, dist, file], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      await new Promise<void>((resolve) => proc.stdout?.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 37));
      proc.kill('SIGKILL');
      expect(await exit(proc)).toBe('SIGKILL');
      const model = await loadKerasModel(file);
      const weight = firstWeight(model);
      expect(known).toContain(weight);
      model.dispose();
    }
    await saveKerasModel(cnnMnist({ seed: 1 }), file);
    expect(readdirSync(dir)).toEqual(['model.keras']);
  });
});
