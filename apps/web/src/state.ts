/**
 * What the page's sections share: the digits, and the network the training section last trained
 * (which the drawing and the activations use), with a notification when a training run is done.
 */
import type { MnistData } from '@cnnlab/datasets';
import type * as tf from '@tensorflow/tfjs';

/** The workshop's two MNIST networks. */
export type ModelKind = 'dense' | 'cnn';

export interface PageState {
  /** The embedded MNIST digits, once loaded (main.ts). */
  mnist: MnistData | undefined;
  /** The network last trained to the end (section 4); set through setModel. */
  model: tf.LayersModel | undefined;
  /** Which of the two networks `model` is. */
  modelKind: ModelKind;
}

export const state: PageState = { mnist: undefined, model: undefined, modelKind: 'dense' };

/** Test digit `index` as a 28×28 image: a view into the test split, not a copy. */
export function digit(index: number): { data: Uint8Array; shape: [number, number] } {
  if (!state.mnist) throw new Error('web: the digits are not loaded yet');
  const data = state.mnist.test.images.data.subarray(index * 784, (index + 1) * 784);
  return { data, shape: [28, 28] };
}

/** Makes `model` the page's network, freeing the one it replaces. */
export function setModel(model: tf.LayersModel, kind: ModelKind): void {
  state.model?.dispose();
  state.model = model;
  state.modelKind = kind;
}

/** Called when a training run has finished and its results are shown. */
export type TrainedListener = (kind: ModelKind) => void | Promise<void>;

const trainedListeners: TrainedListener[] = [];

/** Runs `listener` at the end of every training run, with the kind of network now in state. */
export function onTrained(listener: TrainedListener): void {
  trainedListeners.push(listener);
}

/** Tells every onTrained listener that a training run is done; resolves when they all have run. */
export async function announceTrained(): Promise<void> {
  await Promise.all(trainedListeners.map((listener) => listener(state.modelKind)));
}
