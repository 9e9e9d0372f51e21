// The CLI under faults (issue 15): signals, NaN, hostile PNGs, bad numbers, empty splits. Each
// case checks the exit code, the one line on stderr, and what is left on disk.
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { denseMnist, vgg16 } from '@cnnlab/models';
import { saveModel } from '@cnnlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../src/model-dir.js';
import { greyScanlines, handMadePng, writeSignCsv, writeTestDigitPng } from './fixtures.js';
import { type CliResult, cnnlab, cnnlabPeak, startCnnlab } from './run-cli.js';

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-faults-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One line on stderr, `cnnlab: …`, and no stack. */
function oneLine(result: CliResult): string {
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cnnlab: /);
  return lines[0] as string;
}

describe('numeric and path flags', () => {
  const out = () => join(tmp, 'never');
  it.concurrent.each([
    [['train', '--epochs', '0x2'], "--epochs expects a whole number from 1 to 100,000, got '0x2'"],
    [
      ['train', '--batch-size', '1 '],
      "--batch-size expects a whole number from 1 to 100,000, got '1 '",
    ],
    [
      ['train', '--seed', '1e1'],
      "--seed expects a whole number from 0 to 4,294,967,295, got '1e1'",
    ],
    [['train', '--limit', ''], "--limit expects a whole number of 1 or more, got ''"],
    [['train', '--epochs', 'NaN'], "got 'NaN'"],
    [['train', '--epochs', 'Infinity'], "got 'Infinity'"],
    [
      ['train', '--classes', '0x2,1'],
      "--classes expects comma-separated labels such as 0,1,21, got '0x2,1'",
    ],
    [
      ['train', '--augment', 'rotation=1e308'],
      "--augment rotation expects a number from 0 to 360 (degrees), got '1e308'",
    ],
    [['train', '--out', ''], "--out expects a path, got ''"],
    [['augment', 'x.png', '--rotation', 'Infinity'], '--rotation expects a number from 0 to 360'],
    [
      ['summary', '--classes', '1'],
      "--classes expects a whole number from 2 to 10,000 (a classifier tells at least two apart), got '1'",
    ],
    [
      ['summary', '--model', 'vgg16-transfer', '--image-size', '100000'],
      "--image-size expects a whole number from 32 to 512 (pixels; VGG16 needs at least 32), got '100000'",
    ],
  ])('%j is a usage error: exit 2, one line naming the flag', async (args, message) => {
    const full = args[0] === 'train' && !args.includes('--out') ? [...args, '--out', out()] : args;
    const result = await cnnlab(...full, '--quiet');
    expect(result.code).toBe(2);
    expect(oneLine(result)).toContain(message);
    expect(existsSync(out())).toBe(false);
  });
});

describe('hostile and broken PNGs', () => {
  let model = '';
  beforeAll(async () => {
    model = join(tmp, 'dense');
    const trained = await cnnlab(
      'train',
      '--model',
      'dense',
      '--limit',
      '300',
      '--batch-size',
      '100',
      '--quiet',
      '--out',
      model,
    );
    expect(trained.code, trained.stderr).toBe(0);
  });

  it('refuses a 30,000×30,000 header from the IHDR alone: fast, in bounded memory, no folder', async () => {
    const huge = join(tmp, 'huge.png');
    writeFileSync(huge, handMadePng(30_000, 30_000, greyScanlines(4, 1)));
    const digit = join(tmp, 'digit.png');
    await writeTestDigitPng(digit, 0);
    // The same command on a real digit: what starting the CLI costs here.
    const baseline = await cnnlabPeak('filters', digit, '--quiet', '--out', join(tmp, 'figs'));
    expect(baseline.code, baseline.stderr).toBe(0);
    const out = join(tmp, 'huge-figs');
    const result = await cnnlabPeak('filters', huge, '--out', out);
    expect(result.code).toBe(1);
    expect(oneLine(result)).toBe(
      `cnnlab: cannot read image ${huge}: declares 30000×30000 pixels, more than the limit of 8,192 per side (maxSide)`,
    );
    expect(existsSync(out)).toBe(false);
    // Decoding it would take 900 MB as grey and 3.6 GB as RGBA; the refusal takes no more than
    // a 28×28 digit does, and no longer than starting the CLI.
    expect(result.peakRss).toBeLessThan(baseline.peakRss + 64 * 1024 * 1024);
    expect(result.ms).toBeLessThan(baseline.ms + 1000);
  });

  it.each([
    ['an empty image (0×28)', handMadePng(0, 28), 'declares 0×28 pixels; expected at least 1×1'],
    [
      'a deflate stream cut in half',
      (() => {
        const data = greyScanlines(28, 28);
        return handMadePng(28, 28, data.subarray(0, data.length >> 1));
      })(),
      'truncated: its image data (a deflate stream) is cut short',
    ],
    [
      '10 of 28 rows',
      handMadePng(28, 28, greyScanlines(28, 10)),
      'truncated: its image data holds 10 of the 28 rows that 28×28 pixels need',
    ],
    [
      'a bad CRC',
      (() => {
        const bytes = handMadePng(28, 28, greyScanlines(28, 28));
        bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 0xff;
        return bytes;
      })(),
      'corrupt: bad CRC in its IDAT chunk at byte 33',
    ],
  ])('predict refuses %s in one line naming the file, exit 1', async (what, bytes, reason) => {
    const file = join(tmp, `${what.replace(/\W+/g, '-')}.png`);
    writeFileSync(file, bytes);
    const result = await cnnlab('predict', '--quiet', '--model-dir', model, file);
    expect(result.code).toBe(1);
    expect(oneLine(result)).toBe(`cnnlab: cannot read image ${file}: ${reason}`);
    expect(result.stdout).toBe('');
  });

  it('augment refuses what is not a file, and leaves no folder', async () => {
    const out = join(tmp, 'aug');
    const result = await cnnlab('augment', '/dev/zero', '--quiet', '--out', out);
    expect(result.code).toBe(1);
    expect(oneLine(result)).toBe('cnnlab: cannot read image /dev/zero: is a device, not a file');
    expect(existsSync(out)).toBe(false);
  });
});

describe('NaN', () => {
  it('evaluate and predict refuse a model whose weights are NaN', async () => {
    const dir = join(tmp, 'nan-model');
    const model = denseMnist();
    const weights = model.getWeights();
    const kernel = weights[0] as tf.Tensor;
    weights[0] = tf.fill(kernel.shape, Number.NaN);
    model.setWeights(weights);
    await saveModel(model, dir);
    const name = model.weights[0]?.name;
    const evaluated = await cnnlab('evaluate', '--quiet', '--model-dir', dir);
    expect(evaluated.code).toBe(1);
    expect(oneLine(evaluated)).toBe(
      `cnnlab: ${dir}: weight ${name} holds 401,408 values that are not finite (the first: NaN); expected finite weights (a run whose loss became NaN, or a corrupt file)`,
    );
    const png = join(tmp, 'seven.png');
    await writeTestDigitPng(png, 0);
    const predicted = await cnnlab('predict', '--quiet', '--model-dir', dir, png);
    expect(predicted.code).toBe(1);
    expect(oneLine(predicted)).toContain(`${dir}: weight ${name} holds`);
    expect(predicted.stdout).toBe('');
  });

  it('train stops at the first NaN loss, names the likely causes, saves nothing, exits 1', async () => {
    // VGG16 weights that are finite but overflow at once: the first layer's kernel all 1e38.
    const weightsDir = join(tmp, 'vgg-overflow');
    const base = vgg16({ includeTop: false, inputShape: [32, 32, 3] });
    const weights = base.getWeights();
    weights[0] = tf.fill((weights[0] as tf.Tensor).shape, 1e38);
    base.setWeights(weights);
    await saveModel(base, weightsDir);
    tf.dispose(base.getWeights());
    const out = join(tmp, 'vgg-nan');
    const result = await cnnlab(
      'train',
      '--model',
      'vgg16-transfer',
      '--weights',
      weightsDir,
      '--limit',
      '16',
      '--batch-size',
      '16',
      '--quiet',
      '--out',
      out,
    );
    expect(result.code).toBe(1);
    expect(oneLine(result)).toBe(
      'cnnlab: loss is NaN at epoch 1 of 1, batch 1 of 1, so training stopped: the learning rate or the augmentation may be too large, or the inputs not normalised (expected pixels in [0, 1]); nothing was saved',
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('empty splits', () => {
  it('say which split holds no images of the classes asked for, and leave no folder', async () => {
    const data = join(tmp, 'sign');
    mkdirSync(data);
    writeSignCsv(join(data, 'sign_mnist_train.csv'), [0, 1, 0, 1]);
    writeSignCsv(join(data, 'sign_mnist_test.csv'), [2, 2, 3]);
    const out = join(tmp, 'sign-model');
    const args = ['train', '--model', 'sign', '--dataset', 'sign-mnist', '--data-dir', data];
    const noTest = await cnnlab(...args, '--classes', '0,1', '--quiet', '--out', out);
    expect(noTest.code).toBe(1);
    expect(oneLine(noTest)).toMatch(
      /^cnnlab: the test split of Sign Language MNIST from .* holds no images of the classes --classes 0,1; expected at least one$/,
    );
    const noTrain = await cnnlab(...args, '--classes', '2,3', '--quiet', '--out', out);
    expect(oneLine(noTrain)).toMatch(/^cnnlab: the train split of .* holds no images/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('SIGINT and SIGTERM', () => {
  const train = (out: string, limit: number) =>
    startCnnlab(
      'train',
      '--model',
      'cnn',
      '--limit',
      String(limit),
      '--batch-size',
      '16',
      '--epochs',
      '50',
      '--out',
      out,
    );

  it('train stopped before its first epoch ends leaves nothing: exit 130', async () => {
    const out = join(tmp, 'int-none');
    // Long enough an epoch (125 batches) that the signal is handled well before its end.
    const cli = train(out, 2000);
    await cli.waitFor(/^training cnn: 50 epochs of 125 batches/m);
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(oneLine(result)).toBe(
      'cnnlab: interrupted by SIGINT: no epoch had finished, so nothing was saved',
    );
    expect(result.stdout).toContain('interrupted by SIGINT: stopping after the current batch');
    expect(existsSync(out)).toBe(false);
  });

  it('train keeps the last finished epoch as a whole model: exit 143', async () => {
    const out = join(tmp, 'term-epoch');
    const cli = train(out, 1000);
    await cli.waitFor(/^Epoch 1\/50 - 63\/63/m);
    cli.child.kill('SIGTERM');
    const result = await cli.exited;
    expect(result.code).toBe(143);
    const line = oneLine(result);
    const saved =
      /^cnnlab: interrupted by SIGTERM: saved the model after epoch (\d+) of 50 \(the last finished\) to /.exec(
        line,
      );
    expect(saved, line).not.toBeNull();
    const epochs = Number(saved?.[1]);
    expect(epochs).toBeGreaterThanOrEqual(1);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    // Whole, and the weights of that epoch: scoring it gives the accuracy of its validation.
    const { meta } = await loadModelDir(out);
    expect(meta.history?.val_acc).toHaveLength(epochs);
    // On the 1,000 test images it was validated on.
    const scored = await cnnlab(
      'evaluate',
      '--json',
      '--quiet',
      '--limit',
      '1000',
      '--model-dir',
      out,
    );
    expect(scored.code, scored.stderr).toBe(0);
    expect(JSON.parse(scored.stdout).accuracy).toBeCloseTo(
      meta.history?.val_acc?.[epochs - 1] ?? -1,
      3,
    );
  });

  it('workshop removes the report folder it created: exit 130', async () => {
    const out = join(tmp, 'report');
    const cli = startCnnlab('workshop', '--quick', '--out', out);
    await cli.waitFor(/\[1\/8\] MNIST with a dense network/);
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(oneLine(result)).toBe('cnnlab: interrupted by SIGINT');
    expect(existsSync(out)).toBe(false);
  });

  describe('datasets fetch', () => {
    let server: Server;
    let url = '';
    const sockets = new Set<Socket>();
    let started: () => void = () => undefined;
    beforeAll(async () => {
      // Sends the start of a body, then nothing: the download waits (its stall timeout is 30 s).
      server = createServer((_, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.write(Buffer.alloc(4096, 1));
        started();
      });
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it.each([
      ['removes the cache folder it created', false],
      ['leaves no .part file in a folder that was there', true],
    ])('%s: exit 143', async (_, existed) => {
      const cache = join(tmp, existed ? 'cache-existing' : 'cache-new');
      if (existed) mkdirSync(cache);
      const body = new Promise<void>((resolve) => {
        started = resolve;
      });
      const cli = startCnnlab('datasets', 'fetch', '--url', url, '--cache-dir', cache, '--quiet');
      await body;
      // The first bytes are on their way into a .part file.
      await new Promise((resolve) => setTimeout(resolve, 300));
      cli.child.kill('SIGTERM');
      const result = await cli.exited;
      expect(result.code).toBe(143);
      expect(oneLine(result)).toBe('cnnlab: interrupted by SIGTERM');
      if (existed) expect(readdirSync(cache)).toEqual([]);
      else expect(existsSync(cache)).toBe(false);
    });
  });
});
