import { describe, expect, it } from 'vitest';
import { firstDifference, randomSplit } from '../test/fixtures.js';
import { writeIdx } from './idx.js';
import { labeledFromIdx, mnistFromFiles, readIdxImages, readIdxLabels } from './mnist-files.js';

const source = { kind: 'dir' as const, location: '/x', description: 'test' };
const info = { name: 'mnist', classNames: Array.from('0123456789'), source };

function files(nTrain: number, nTest: number, side = 28) {
  const train = randomSplit(nTrain, side, side, 10, 3);
  const test = randomSplit(nTest, side, side, 10, 4);
  return {
    train,
    test,
    bytes: {
      trainImages: writeIdx(train.images, { gzip: true }),
      trainLabels: writeIdx({ data: train.labels, shape: [nTrain] }),
      testImages: writeIdx(test.images),
      testLabels: writeIdx({ data: test.labels, shape: [nTest] }, { gzip: true }),
    },
  };
}

describe('mnistFromFiles', () => {
  it('assembles the four files into train and test splits, raw or gzip', () => {
    const { train, test, bytes } = files(30, 12);
    const data = mnistFromFiles(bytes, info);
    expect(data.train.images.shape).toEqual([30, 28, 28]);
    expect(data.test.images.shape).toEqual([12, 28, 28]);
    expect(firstDifference(data.train.images.data, train.images.data)).toBe(-1);
    expect(firstDifference(data.test.labels, test.labels)).toBe(-1);
    expect(data.source).toBe(source);
  });

  it('rejects image and label counts that differ, naming both files', () => {
    const { bytes } = files(5, 4);
    bytes.trainLabels = writeIdx({ data: new Uint8Array(4), shape: [4] });
    expect(() => mnistFromFiles(bytes, info)).toThrow(
      /train-images-idx3-ubyte holds 5 images but train-labels-idx1-ubyte holds 4 labels/,
    );
  });

  it('rejects an unknown label', () => {
    expect(() =>
      labeledFromIdx(
        writeIdx({ data: new Uint8Array(2 * 4), shape: [2, 2, 2] }),
        writeIdx({ data: new Uint8Array([3, 10]), shape: [2] }),
        { images: 'i', labels: 'l' },
      ),
    ).toThrow(/l: unknown label 10 at index 1; expected 0\.\.9/);
  });

  it('rejects splits whose image sizes differ', () => {
    const a = files(3, 3, 28).bytes;
    const b = files(3, 3, 20).bytes;
    expect(() => mnistFromFiles({ ...a, testImages: b.testImages }, info)).toThrow(/20×20.*28×28/);
  });

  it('says what was expected when a file has the wrong rank or type', () => {
    const labels = writeIdx({ data: new Uint8Array(3), shape: [3] });
    expect(() => readIdxImages(labels, 'imgs')).toThrow(
      /imgs: expected an idx3 file of uint8 images/,
    );
    expect(() => readIdxLabels(writeIdx({ data: new Int32Array(3), shape: [3] }), 'lbl')).toThrow(
      /lbl: expected an idx1 file of uint8 labels \[n\], got int32/,
    );
  });
});
