import { CONV2D_FILTER_BIAS_GRAD, type Conv2DFilterBiasGradAttrs } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Training's convolution + bias + relu as one FusedConv2D kernel instead of three. tfjs fuses
 * them only outside a gradient tape: under one, a Conv2D layer runs Conv2D, Add and Relu, each
 * a pass over the layer's whole output (5.5 MB a step for the workshop CNN's first layer). The
 * gradient registered here for FusedConv2D is the unfused ops' own, term for term: the relu's
 * mask dy·step(y), the bias's sum over the batch and pixels, and Conv2D's two backprop kernels
 * (step(y) is step(z) for y = relu(z), NaN included), so losses and weights are the same.
 */

type Conv2DAttrs = {
  strides: [number, number];
  pad: 'valid' | 'same';
  dataFormat: 'NHWC';
  dilations: [number, number];
  activation: 'linear' | 'relu';
};

let gradientRegistered = false;

/** FusedConv2D's gradient for the attributes fuseConvForTraining gives it (linear or relu). */
function registerFusedConvGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: tf.FusedConv2D,
    inputsToSave: ['x', 'filter', 'bias'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, bias, y] = saved as tf.Tensor4D[];
      const { strides, pad, dataFormat, activation } = attrs as unknown as Conv2DAttrs;
      if (!x || !filter || !y) throw new Error('FusedConv2D gradient: its inputs were not saved');
      if (activation !== 'linear' && activation !== 'relu') {
        throw new Error(`FusedConv2D gradient: activation ${activation} is not supported`);
      }
      const mask = () =>
        activation === 'relu' ? tf.mul(dy as tf.Tensor, tf.step(y)) : (dy as tf.Tensor);
      const inputGradient = (dz: tf.Tensor) =>
        tf
          .engine()
          .runKernel(
            tf.Conv2DBackpropInput,
            { dy: dz, filter },
            { strides, pad, dataFormat, inputShape: x.shape },
          ) as tf.Tensor;
      if (bias && tf.getKernel(CONV2D_FILTER_BIAS_GRAD, tf.getBackend())) {
        // The backend's one pass (the native one's): the filter's and bias's gradients from dy
        // and y, the relu's mask applied block by block and never written out whole.
        const gradAttrs: Conv2DFilterBiasGradAttrs = {
          strides,
          pad,
          filterShape: filter.shape,
          activation,
        };
        const [dw, db] = tf
          .engine()
          .runKernel(
            CONV2D_FILTER_BIAS_GRAD,
            { x, dy: dy as tf.Tensor, y },
            gradAttrs as unknown as tf.NamedAttrMap,
          ) as tf.Tensor[];
        if (!dw || !db) throw new Error(`${CONV2D_FILTER_BIAS_GRAD} returned no gradients`);
        // dx only when the tape asks for it (not for a first layer, whose input is data).
        return { x: () => inputGradient(mask()), filter: () => dw, bias: () => db };
      }
      // The relu's mask once, for all three; each input's gradient only when the tape asks.
      const dz = mask();
      const grads: Record<string, () => tf.Tensor> = {
        x: () => inputGradient(dz),
        filter: () =>
          tf
            .engine()
            .runKernel(
              tf.Conv2DBackpropFilter,
              { x, dy: dz },
              { strides, pad, dataFormat, filterShape: filter.shape },
            ) as tf.Tensor,
      };
      if (bias) grads.bias = () => tf.sum(dz, [0, 1, 2]);
      return grads;
    },
  });
}

/** What a Conv2D layer's config says, where it can be fused; undefined where it cannot. */
function fusable(layer: tfl.layers.Layer): Conv2DAttrs | undefined {
  if (layer.getClassName() !== 'Conv2D') return undefined;
  const config = layer.getConfig() as {
    strides?: number | number[];
    padding?: string;
    dataFormat?: string;
    dilationRate?: number | number[];
    activation?: string;
    useBias?: boolean;
  };
  const pair = (v: number | number[] | undefined): [number, number] =>
    Array.isArray(v) ? [v[0] ?? 1, v[1] ?? v[0] ?? 1] : [v ?? 1, v ?? 1];
  const dilations = pair(config.dilationRate);
  const activation = config.activation ?? 'linear';
  if (
    (config.dataFormat ?? 'channelsLast') !== 'channelsLast' ||
    (config.padding !== 'valid' && config.padding !== 'same') ||
    // tfjs's backprop kernels take no dilation, as tfjs's own Conv2D gradient requires.
    dilations[0] !== 1 ||
    dilations[1] !== 1 ||
    (activation !== 'relu' && activation !== 'linear') ||
    config.useBias === false
  ) {
    return undefined;
  }
  return {
    strides: pair(config.strides),
    pad: config.padding,
    dataFormat: 'NHWC',
    dilations,
    activation,
  };
}

/** The layers fuseConvForTraining has already changed, so a second call leaves them be. */
const fused = new WeakSet<tfl.layers.Layer>();

/**
 * Makes every Conv2D layer of `model` with a bias and a relu (or no) activation, NHWC and
 * undilated (in nested models too), run as one FusedConv2D kernel, in training as outside it.
 * Only the layers' `call` changes: their config, weights, saved files and outputs stay as they
 * were. Returns how many layers run fused. Idempotent.
 */
export function fuseConvForTraining(model: tfl.LayersModel): number {
  registerFusedConvGradient();
  let count = 0;
  for (const layer of model.layers) {
    // A model inside the model (a VGG16 base under a new head): its layers too.
    if ('layers' in layer && Array.isArray(layer.layers)) {
      count += fuseConvForTraining(layer as tfl.LayersModel);
      continue;
    }
    const attrs = fusable(layer);
    if (!attrs) continue;
    count += 1;
    if (fused.has(layer)) continue;
    fused.add(layer);
    const original = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [kernel, bias] = layer.weights;
      if (x?.rank !== 4 || x.dtype !== 'float32' || !kernel || !bias) {
        return original(inputs, kwargs);
      }
      return tf
        .engine()
        .runKernel(
          tf.FusedConv2D,
          { x, filter: kernel.read(), bias: bias.read() },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor;
    };
  }
  return count;
}
