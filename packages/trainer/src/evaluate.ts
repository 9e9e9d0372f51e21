import type * as tfl from '@tensorflow/tfjs-layers';
import { TrainError } from './errors.js';
import { modelShape } from './model-shape.js';
import { checkRescale, type LabeledData, prepare } from './prepare.js';
import { probabilities } from './probabilities.js';

export interface ConfusedPair {
  actual: number;
  predicted: number;
  count: number;
}

export interface Evaluation {
  /** Mean categorical cross-entropy of the model's outputs against the labels. */
  loss: number;
  /** Share of samples whose most likely class is the label. */
  accuracy: number;
  /** Accuracy over each class's samples (NaN for a class with none). */
  perClassAccuracy: number[];
  /** counts[actual][predicted]: rows are true classes, columns predicted ones. */
  confusionMatrix: number[][];
  /** Off-diagonal cells, most frequent first (at most `topConfused`). */
  mostConfused: ConfusedPair[];
  /** Indices of the samples predicted wrong, in order. */
  misclassified: number[];
  /** The predicted class of every sample. */
  predicted: Int32Array;
  /** Samples evaluated. */
  n: number;
  notes: string[];
}

export interface EvaluateOptions {
  /** Samples per forward pass. Default 256. */
  batchSize?: number;
  /** How many confused pairs to list. Default 10. */
  topConfused?: number;
  /** Pixel factor, as train's `rescale`; default 1/255 for integer arrays, 1 for floats. */
  rescale?: number;
}

// Keras clips probabilities the same way before the log.
const EPSILON = 1e-7;

/** Scores a classifier on a loader split or tensors, with a confusion matrix and its errors. */
export async function evaluate(
  model: tfl.LayersModel,
  data: LabeledData,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TrainError(`batchSize is ${batchSize}; expected an integer >= 1`, 'batchSize');
  }
  checkRescale(options.rescale);
  const notes: string[] = [];
  const shape = modelShape(model);
  const prepared = prepare(data, shape, 'data', notes, options.rescale);
  try {
    const k = shape.classes;
    const n = prepared.n;
    const probs = await probabilities(model, prepared.xs, batchSize);
    const targets = await prepared.ys.data();
    const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const predicted = new Int32Array(n);
    const misclassified: number[] = [];
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let actual = 0;
      let best = 0;
      for (let c = 1; c < k; c++) {
        if (targets[i * k + c] > targets[i * k + actual]) actual = c;
        if (probs[i * k + c] > probs[i * k + best]) best = c;
      }
      for (let c = 0; c < k; c++) {
        const t = targets[i * k + c];
        if (t !== 0)
          loss -= t * Math.log(Math.min(Math.max(probs[i * k + c], EPSILON), 1 - EPSILON));
      }
      predicted[i] = best;
      matrix[actual][best] += 1;
      if (best === actual) correct += 1;
      else misclassified.push(i);
    }
    const perClassAccuracy = matrix.map((row, c) => {
      const total = row.reduce((a, b) => a + b, 0);
      return total > 0 ? row[c] / total : Number.NaN;
    });
    const pairs: ConfusedPair[] = [];
    for (let a = 0; a < k; a++) {
      for (let p = 0; p < k; p++) {
        if (a !== p && matrix[a][p] > 0)
          pairs.push({ actual: a, predicted: p, count: matrix[a][p] });
      }
    }
    pairs.sort((x, y) => y.count - x.count || x.actual - y.actual || x.predicted - y.predicted);
    return {
      loss: n > 0 ? loss / n : Number.NaN,
      accuracy: n > 0 ? correct / n : Number.NaN,
      perClassAccuracy,
      confusionMatrix: matrix,
      mostConfused: pairs.slice(0, options.topConfused ?? 10),
      misclassified,
      predicted,
      n,
      notes,
    };
  } finally {
    if (prepared.owned) {
      prepared.xs.dispose();
      prepared.ys.dispose();
    }
  }
}
