import type * as tfl from '@tensorflow/tfjs-layers';
import { TrainError } from './errors.js';

/** The per-sample input shape and the output width of a single-input, single-output model. */
export interface ModelShape {
  input: number[];
  inputSize: number;
  classes: number;
}

/** The per-sample input shape of a single-input model of fixed input shape (any output). */
export function modelInput(model: tfl.LayersModel): Pick<ModelShape, 'input' | 'inputSize'> {
  const input = model.inputs.length === 1 ? model.inputs[0].shape.slice(1) : [];
  if (input.length === 0 || input.some((d) => d == null)) {
    throw new TrainError(
      `model "${model.name}" has ${model.inputs.length} inputs of shape [${input.join(', ')}]; expected one input of a fixed shape`,
      'model',
    );
  }
  const dims = input as number[];
  return { input: dims, inputSize: dims.reduce((a, b) => a * b, 1) };
}

export function modelShape(model: tfl.LayersModel): ModelShape {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new TrainError(
      `model "${model.name}" has ${model.inputs.length} inputs and ${model.outputs.length} outputs; expected one of each`,
      'model',
    );
  }
  const input = model.inputs[0].shape.slice(1);
  const output = model.outputs[0].shape.slice(1);
  if (input.some((d) => d == null) || output.length !== 1 || output[0] == null) {
    throw new TrainError(
      `model "${model.name}" maps [${input.join(', ')}] to [${output.join(', ')}]; expected a fixed input shape and a flat output of class scores`,
      'model',
    );
  }
  const dims = input as number[];
  return { input: dims, inputSize: dims.reduce((a, b) => a * b, 1), classes: output[0] };
}
