import { denseParams } from '@cnnlab/kernels';
import { describe, expect, it } from 'vitest';
import { denseMnist } from './dense-mnist.js';
import { ModelError } from './errors.js';
import { countParams } from './summary.js';

describe('denseMnist', () => {
  it("is the workshop's Dense 512 relu, Dropout 0.5, Dense 10 softmax: 407,050 parameters", () => {
    const model = denseMnist();
    expect(model.layers.map((l) => [l.name, l.getClassName()])).toEqual([
      ['dense', 'Dense'],
      ['dropout', 'Dropout'],
      ['dense_1', 'Dense'],
    ]);
    expect(model.inputs[0].shape).toEqual([null, 784]);
    expect(model.layers.map((l) => l.outputShape)).toEqual([
      [null, 512],
      [null, 512],
      [null, 10],
    ]);
    expect(model.layers.map((l) => l.countParams())).toEqual([
      denseParams({ inputs: 784, units: 512 }),
      0,
      denseParams({ inputs: 512, units: 10 }),
    ]);
    expect(countParams(model)).toEqual({ total: 407_050, trainable: 407_050, nonTrainable: 0 });
    const config = model.layers[1].getConfig();
    expect(config.rate).toBe(0.5);
    expect(model.layers[2].getConfig().activation).toBe('softmax');
    model.dispose();
  });

  it('flattens 28×28 images itself, leaves dropout out at 0 and takes other class counts', () => {
    const model = denseMnist({ inputShape: [28, 28], dropout: 0, classes: 3, units: 16 });
    expect(model.layers.map((l) => l.name)).toEqual(['flatten', 'dense', 'dense_1']);
    expect(model.outputs[0].shape).toEqual([null, 3]);
    expect(countParams(model).total).toBe(785 * 16 + 17 * 3);
    model.dispose();
  });

  it('rejects bad options with a ModelError naming the option', () => {
    expect(() => denseMnist({ classes: 1 })).toThrow(ModelError);
    expect(() => denseMnist({ classes: 1 })).toThrow(/classes is 1; expected an integer ≥ 2/);
    expect(() => denseMnist({ dropout: 1 })).toThrow(/dropout is 1; expected a rate in \[0, 1\)/);
    expect(() => denseMnist({ units: 0 })).toThrow(/units is 0/);
    expect(() => denseMnist({ inputShape: [0] })).toThrow(/inputShape is \[0\]/);
  });
});
