// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default async function smoke(mod, assert) {
  // Pure: the Keras bar and log line need no tfjs backend.
  assert.strictEqual(mod.bar(5, 10, 10), '[====>.....]');
  assert.strictEqual(
    mod.formatLogs({ val_loss: 0.1, loss: 0.21, acc: 0.93 }),
    ' - loss: 0.2100 - acc: 0.9300 - val_loss: 0.1000',
  );
  const lines = [];
  const progress = mod.progressBar({ stream: { isTTY: false, write: (s) => lines.push(s) } });
  progress.setParams({ epochs: 2, steps: 3, samples: 96, batchSize: 32, doValidation: false });
  progress.onEpochBegin(0);
  progress.onEpochEnd(0, { loss: 0.5 });
  assert.match(lines[0], /^Epoch 1\/2 - 3\/3 - \d+s \d+ms\/step - loss: 0\.5000\n$/);
  assert.throws(() => mod.earlyStopping({ patience: -1 }), mod.TrainError);
  // Pure too: digits 3 and 5 kept and relabelled by their place in the list.
  const split = {
    images: { data: new Uint8Array([1, 2, 3, 4]), shape: [4, 1, 1] },
    labels: [3, 5, 7, 5],
  };
  const picked = mod.pickClasses(split, [5, 3]);
  assert.deepStrictEqual(Array.from(picked.labels), [1, 0, 0]);
  assert.deepStrictEqual(Array.from(picked.images.data), [1, 2, 4]);
  assert.strictEqual(typeof mod.train, 'function');
  assert.strictEqual(typeof mod.transferExperiment, 'function');
}
