import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { activationModel } from './activation-model.js';
import { cnnMnist } from './cnn-mnist.js';
import { denseMnist } from './dense-mnist.js';
import { freeze } from './freeze.js';
import {
  countParams,
  formatCount,
  formatShape,
  formatSummary,
  type SummaryData,
  summary,
  summaryData,
} from './summary.js';

describe('summary', () => {
  it("prints the workshop's dense network as Keras does", () => {
    const model = denseMnist();
    expect(summary(model)).toBe(
      [
        'Model: "dense_mnist"',
        '_'.repeat(65),
        'Layer (type)                 Output Shape              Param #',
        '='.repeat(65),
        'dense (Dense)                (None, 512)               401920',
        '_'.repeat(65),
        'dropout (Dropout)            (None, 512)               0',
        '_'.repeat(65),
        'dense_1 (Dense)              (None, 10)                5130',
        '='.repeat(65),
        'Total params: 407,050',
        'Trainable params: 407,050',
        'Non-trainable params: 0',
        '_'.repeat(65),
      ].join('\n'),
    );
    model.dispose();
  });

  it('gives the same as data, and follows freezing', () => {
    const model = cnnMnist();
    const data = summaryData(model);
    expect(data.name).toBe('cnn_mnist');
    expect(data.sequential).toBe(true);
    expect(data.layers[0]).toEqual({
      name: 'conv2d',
      className: 'Conv2D',
      outputShape: [null, 26, 26, 32],
      params: 320,
      trainable: true,
      connectedTo: ['conv2d_input[0][0]'],
    });
    expect(data.layers.map((l) => l.params).reduce((a, b) => a + b)).toBe(93_322);
    expect([data.totalParams, data.trainableParams, data.nonTrainableParams]).toEqual([
      93_322, 93_322, 0,
    ]);

    freeze(model, { upTo: 'flatten' });
    const frozen = summaryData(model);
    expect(frozen.layers.map((l) => l.trainable)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect([frozen.totalParams, frozen.trainableParams, frozen.nonTrainableParams]).toEqual([
      93_322, 37_578, 55_744,
    ]);
    expect(summary(model)).toContain('Trainable params: 37,578\nNon-trainable params: 55,744');
    model.dispose();
  });

  it('adds the "Connected to" column for models that are not a chain', () => {
    const model = cnnMnist();
    const text = summary(activationModel(model, [0, 2]));
    const lines = text.split('\n');
    expect(lines[2]).toBe(
      'Layer (type)                    Output Shape         Param #     Connected to',
    );
    expect(lines).toContain(
      'conv2d_1 (Conv2D)               (None, 11, 11, 64)   18496       max_pooling2d[0][0]',
    );

    const a = tfl.input({ shape: [4], name: 'a' });
    const b = tfl.input({ shape: [4], name: 'b' });
    const sum = tfl.layers.add({ name: 'add' }).apply([a, b]) as tfl.SymbolicTensor;
    const twoInputs = tfl.model({ inputs: [a, b], outputs: sum, name: 'two' });
    const data = summaryData(twoInputs);
    expect(data.sequential).toBe(false);
    expect(data.layers.map((l) => l.connectedTo)).toEqual([[], [], ['a[0][0]', 'b[0][0]']]);
    // The second connection goes on a line of its own, under the last column.
    expect(summary(twoInputs)).toContain(
      `add (Add)${' '.repeat(23)}(None, 4)${' '.repeat(12)}0           a[0][0]\n${' '.repeat(65)}b[0][0]\n`,
    );
    model.dispose();
  });

  it('formats counts and shapes as Python prints them', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(14_714_688)).toBe('14,714,688');
    expect(formatCount(138_357_544)).toBe('138,357,544');
    expect(formatShape([null, 26, 26, 32])).toBe('(None, 26, 26, 32)');
    expect(formatShape([null])).toBe('(None,)');
    expect(
      formatShape([
        [null, 2],
        [null, 3],
      ]),
    ).toBe('[(None, 2), (None, 3)]');
    expect(formatShape(null)).toBe('multiple');
  });

  it('formats plain data without tfjs, widening a column rather than cutting a name', () => {
    const data: SummaryData = {
      name: 'tiny',
      sequential: true,
      layers: [
        {
          name: 'a_rather_long_layer_name',
          className: 'MaxPooling2D',
          outputShape: [null, 1, 1, 8],
          params: 0,
          trainable: true,
          connectedTo: [],
        },
      ],
      totalParams: 1234,
      trainableParams: 1000,
      nonTrainableParams: 234,
    };
    const lines = formatSummary(data).split('\n');
    expect(lines[4]).toBe(
      `a_rather_long_layer_name (MaxPooling2D) ${'(None, 1, 1, 8)'.padEnd(26)}0`,
    );
    expect(lines[1]).toBe('_'.repeat(40 + 26 + 10));
    expect(lines.slice(-4, -1)).toEqual([
      'Total params: 1,234',
      'Trainable params: 1,000',
      'Non-trainable params: 234',
    ]);
  });

  it('counts a shared layer once', () => {
    const x = tfl.input({ shape: [2] });
    const square = tfl.layers.dense({ units: 2, name: 'square' });
    const z = square.apply(square.apply(x)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: z });
    expect(countParams(model)).toEqual({ total: 6, trainable: 6, nonTrainable: 0 });
    expect(summaryData(model).sequential).toBe(false);
  });
});
