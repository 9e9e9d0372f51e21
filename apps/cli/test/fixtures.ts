import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, writeIdx } from '@cnnlab/datasets';
import { loadMnist } from '@cnnlab/datasets/node';
import { encodePng } from '@cnnlab/viz/node';

/**
 * A learnable stand-in for Fashion-MNIST in its four IDX files (gzip): class c is a bright bar
 * in row band c of a 28×28 picture, with noise. A dense network learns it in a few epochs.
 */
export function writeBarsDataset(dir: string, train = 600, test = 200, seed = 1): void {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(seed);
  const split = (n: number) => {
    const images = new Uint8Array(n * 784);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 10;
      labels[i] = c;
      for (let p = 0; p < 784; p++) {
        const row = Math.floor(p / 28);
        const inBar = row >= 2 + c * 2.4 && row < 4 + c * 2.4;
        images[i * 784 + p] = Math.min(255, Math.floor(random() * 90 + (inBar ? 150 : 0)));
      }
    }
    return { images, labels };
  };
  const write = (name: string, array: { data: Uint8Array; shape: number[] }) =>
    writeFileSync(join(dir, `${name}.gz`), writeIdx(array, { gzip: true }));
  const a = split(train);
  const b = split(test);
  write('train-images-idx3-ubyte', { data: a.images, shape: [train, 28, 28] });
  write('train-labels-idx1-ubyte', { data: a.labels, shape: [train] });
  write('t10k-images-idx3-ubyte', { data: b.images, shape: [test, 28, 28] });
  write('t10k-labels-idx1-ubyte', { data: b.labels, shape: [test] });
}

/** Writes embedded test digit `index` as a 28×28 grey PNG at `file`; resolves to its label. */
export async function writeTestDigitPng(file: string, index: number): Promise<number> {
  const { test } = await loadMnist();
  writeFileSync(
    file,
    encodePng({ data: test.images.data.subarray(index * 784, (index + 1) * 784), shape: [28, 28] }),
  );
  return test.labels[index] ?? -1;
}
