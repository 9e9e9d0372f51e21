// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function smoke(mod, assert) {
  // Pure: the Keras table from summary data needs no tfjs backend.
  const text = mod.formatSummary({
    name: 'cnn_mnist',
    sequential: true,
    layers: [
      {
        name: 'conv2d',
        className: 'Conv2D',
        outputShape: [null, 26, 26, 32],
        params: 320,
        trainable: true,
        connectedTo: [],
      },
    ],
    totalParams: 93322,
    trainableParams: 93322,
    nonTrainableParams: 0,
  });
  const lines = text.split('\n');
  assert.strictEqual(lines[0], 'Model: "cnn_mnist"');
  assert.strictEqual(
    lines[4],
    `${'conv2d (Conv2D)'.padEnd(29)}${'(None, 26, 26, 32)'.padEnd(26)}320`,
  );
  assert.strictEqual(lines.at(-4), 'Total params: 93,322');
  assert.throws(() => mod.cnnMnist({ classes: 1 }), mod.ModelError);

  // A real model where the install has a backend (tfjs-backend-cpu comes as a peer of
  // @cnnlab/backend in the pack project): build, count, save to a folder and load back.
  const cpu = await import('@tensorflow/tfjs-backend-cpu').catch(() => undefined);
  if (!cpu) return;
  const model = mod.cnnMnist();
  assert.deepStrictEqual(mod.countParams(model), {
    total: 93322,
    trainable: 93322,
    nonTrainable: 0,
  });
  const dir = mkdtempSync(join(tmpdir(), 'cnnlab-models-smoke-'));
  try {
    await mod.saveModel(model, dir);
    const loaded = await mod.loadModel(dir);
    assert.strictEqual(mod.countParams(loaded).total, 93322);
    assert.match(mod.summary(loaded), /Total params: 93,322/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
