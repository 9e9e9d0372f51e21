import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { denseMnist, loadModel } from '@cnnlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { mnist } from '../../test/mnist.js';
import { lambdaCallback } from '../callback.js';
import { evaluate } from '../evaluate.js';
import { learningRateScheduler } from '../learning-rate-scheduler.js';
import { train } from '../train.js';
import { csvLogger } from './csv-logger.js';
import { interruptHandler } from './interrupt.js';
import { jsonLinesLogger } from './json-lines-logger.js';
import { modelCheckpoint } from './model-checkpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = {
  images: { data: mnist.train.images.data.subarray(0, 2048 * 784), shape: [2048, 28, 28] },
  labels: mnist.train.labels.subarray(0, 2048),
};
const validation = {
  images: { data: mnist.test.images.data.subarray(0, 500 * 784), shape: [500, 28, 28] },
  labels: mnist.test.labels.subarray(0, 500),
};

describe('Ctrl-C', () => {
  it('stops after the current batch, saves a checkpoint that loads, and removes its listener', async () => {
    const before = process.listenerCount('SIGINT');
    const checkpointDir = join(dir, 'interrupted');
    const interrupt = interruptHandler({ checkpoint: checkpointDir });
    let batches = 0;
    const model = denseMnist();
    const history = await train(model, small, {
      epochs: 5,
      batchSize: 128,
      verbose: 0,
      callbacks: [
        interrupt,
        lambdaCallback({
          onBatchEnd() {
            batches += 1;
            expect(process.listenerCount('SIGINT')).toBe(before + 1);
            // As a Ctrl-C in the middle of the first epoch would.
            if (batches === 3) process.emit('SIGINT', 'SIGINT');
          },
        }),
      ],
    });
    expect(interrupt.interrupted).toBe(true);
    expect(batches).toBe(3);
    expect(history.epoch).toEqual([0]);
    expect(process.listenerCount('SIGINT')).toBe(before);
    const loaded = await loadModel(checkpointDir);
    const x = tf.randomUniform([4, 784]);
    const same = tf.tidy(() =>
      tf.max(tf.abs(tf.sub(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor))),
    );
    expect(same.dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, same]);
  });
});

describe('an interrupt that keeps the last finished epoch', () => {
  const weightsOf = (model: tfl.LayersModel) =>
    model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  /** How many values differ (vitest's deep equality is slow on 400,000 floats). */
  const differences = (a: Float32Array[], b: Float32Array[]) =>
    a.reduce((n, w, i) => n + w.filter((v, j) => v !== b[i]?.[j]).length, a.length - b.length);

  it('puts back the weights of the last finished epoch and saves them, on SIGTERM', async () => {
    const before = process.listenerCount('SIGTERM');
    const checkpointDir = join(dir, 'epoch');
    const lines: string[] = [];
    const interrupt = interruptHandler({
      checkpoint: checkpointDir,
      signal: ['SIGINT', 'SIGTERM'],
      keep: 'last-epoch',
      log: (line) => lines.push(line),
    });
    const model = denseMnist();
    let afterFirstEpoch: Float32Array[] = [];
    let afterThirdBatch: Float32Array[] = [];
    let batches = 0;
    await train(model, small, {
      epochs: 5,
      batchSize: 256,
      verbose: 0,
      callbacks: [
        interrupt,
        lambdaCallback({
          onEpochEnd(epoch) {
            if (epoch === 0) afterFirstEpoch = weightsOf(model) as Float32Array[];
          },
          onBatchEnd() {
            batches += 1;
            // Three batches into the second epoch (8 batches an epoch).
            if (batches === 11) {
              afterThirdBatch = weightsOf(model);
              process.emit('SIGTERM', 'SIGTERM');
            }
          },
        }),
      ],
    });
    expect(interrupt.interrupted).toBe(true);
    expect(interrupt.caught).toBe('SIGTERM');
    expect(interrupt.finishedEpochs).toBe(1);
    expect(interrupt.checkpointed).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(afterFirstEpoch).toHaveLength(4);
    // The second epoch's three batches did change them, and were undone.
    expect(differences(afterThirdBatch, afterFirstEpoch)).toBeGreaterThan(0);
    expect(differences(weightsOf(model), afterFirstEpoch)).toBe(0);
    const loaded = await loadModel(checkpointDir);
    expect(differences(weightsOf(loaded as never), afterFirstEpoch)).toBe(0);
    expect(lines).toEqual([
      'SIGTERM: stopping after the current batch',
      'SIGTERM: put back the weights of epoch 1',
      `SIGTERM: saved a checkpoint to ${checkpointDir}`,
    ]);
  });

  it('saves nothing when stopped by an AbortSignal before any epoch ended', async () => {
    const controller = new AbortController();
    const checkpointDir = join(dir, 'none');
    const lines: string[] = [];
    const before = process.listenerCount('SIGINT');
    const interrupt = interruptHandler({
      checkpoint: checkpointDir,
      signal: [],
      abortSignal: controller.signal,
      keep: 'last-epoch',
      log: (line) => lines.push(line),
    });
    let batches = 0;
    const history = await train(denseMnist(), small, {
      epochs: 3,
      batchSize: 256,
      verbose: 0,
      callbacks: [
        interrupt,
        lambdaCallback({
          onBatchEnd() {
            batches += 1;
            expect(process.listenerCount('SIGINT')).toBe(before);
            if (batches === 2) controller.abort(new Error('interrupted by SIGINT'));
          },
        }),
      ],
    });
    expect(batches).toBe(2);
    expect(history.epoch).toEqual([0]);
    expect(interrupt.interrupted).toBe(true);
    expect(interrupt.caught).toBeUndefined();
    expect(interrupt.finishedEpochs).toBe(0);
    expect(interrupt.checkpointed).toBe(false);
    expect(existsSync(checkpointDir)).toBe(false);
    expect(lines).toEqual(['interrupted by SIGINT: stopping after the current batch']);
  });

  it('stops after the first batch when the AbortSignal was aborted before training', async () => {
    let batches = 0;
    const interrupt = interruptHandler({ signal: [], abortSignal: AbortSignal.abort() });
    await train(denseMnist(), small, {
      epochs: 2,
      batchSize: 256,
      verbose: 0,
      callbacks: [
        interrupt,
        lambdaCallback({
          onBatchEnd() {
            batches += 1;
          },
        }),
      ],
    });
    expect(batches).toBe(1);
    expect(interrupt.interrupted).toBe(true);
  });
});

describe('a loss that becomes NaN', () => {
  it('is never checkpointed', async () => {
    const checkpointDir = join(dir, 'nan');
    const data = tf.tidy(() => ({
      xs: tf.mul(tf.randomUniform([256, 784]), 1e38),
      ys: tf.oneHot(tf.tensor1d(Int32Array.from(small.labels.subarray(0, 256)), 'int32'), 10),
    }));
    await expect(
      train(denseMnist(), data, {
        epochs: 2,
        batchSize: 128,
        verbose: 0,
        callbacks: [modelCheckpoint({ dir: checkpointDir })],
      }),
    ).rejects.toThrow(/^loss is (NaN|Infinity) at epoch 1 of 2, batch 1 of 2/);
    tf.dispose([data.xs, data.ys]);
    expect(existsSync(checkpointDir)).toBe(false);
  });
});

describe('checkpoints, logs and schedules', () => {
  it('saves the best epochs, logs every epoch as CSV and JSON lines, and sets the rate', async () => {
    const csv = join(dir, 'log.csv');
    const jsonl = join(dir, 'log.jsonl');
    const best = modelCheckpoint({
      dir: join(dir, 'best'),
      monitor: 'val_acc',
      saveBestOnly: true,
    });
    const schedule = learningRateScheduler((epoch) => 0.001 * 0.5 ** epoch);
    // A tfjs callback object goes through untouched, beside this package's.
    const tfjsEpochs: number[] = [];
    const tfjsCallback = new tfl.CustomCallback({
      onEpochEnd: async (epoch) => {
        tfjsEpochs.push(epoch);
      },
    });
    const model = denseMnist();
    const history = await train(model, small, {
      epochs: 3,
      batchSize: 128,
      validationData: validation,
      verbose: 0,
      callbacks: [best, csvLogger(csv), jsonLinesLogger(jsonl), schedule, tfjsCallback],
    });
    expect(tfjsEpochs).toEqual([0, 1, 2]);
    const accs = history.history.val_acc;
    const bestEpoch = accs.indexOf(Math.max(...accs));
    expect(best.saved.at(-1)).toBe(bestEpoch);
    const loaded = await loadModel(join(dir, 'best'));
    if (bestEpoch === 2) {
      const a = await evaluate(loaded, validation);
      expect(a.accuracy).toBeCloseTo(accs[2], 4);
    }

    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('epoch,acc,loss,val_acc,val_loss');
    expect(lines[3].split(',').map(Number)).toEqual([
      2,
      history.history.acc[2],
      history.history.loss[2],
      history.history.val_acc[2],
      history.history.val_loss[2],
    ]);
    const records = readFileSync(jsonl, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.epoch)).toEqual([0, 1, 2]);
    expect(records[1].val_loss).toBe(history.history.val_loss[1]);
    expect(records[1].seconds).toBeGreaterThan(0);

    expect(schedule.rates).toEqual([0.001, 0.0005, 0.00025]);
    expect((model.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.00025);
  });
});
