import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll } from 'vitest';

/** A fresh temp folder for this test file, removed when the file's tests end. */
export function tempDir(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `cnnlab-models-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
}

/** Every weight of the layers, copied out as plain arrays (keyed by layer/weight). */
export function weightValues(layers: readonly tfl.layers.Layer[]): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const layer of layers) {
    layer.getWeights().forEach((tensor, i) => {
      out.set(`${layer.name}/${i}`, tensor.dataSync() as Float32Array);
    });
  }
  return out;
}

/** Deterministic inputs: a seeded uniform tensor. */
export function input(shape: number[], seed = 1): tf.Tensor {
  return tf.randomUniform(shape, 0, 1, 'float32', seed);
}

/** The largest absolute difference between two equal-length arrays. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** The pattern of the weights file name a save writes: `weights.<16 hex of sha256>.bin`. */
export const SAVED_WEIGHTS = /^weights\.[0-9a-f]{16}\.bin$/;

/** The one weights file the model.json in `dir` names (as saveModel writes it). */
export function weightsFileOf(dir: string): string {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  return json.weightsManifest[0].paths[0];
}
