import { cnnMnist, cnnSignLanguage, denseMnist, freeze, vgg16, withHead } from '@cnnlab/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CliError, usageError } from './errors.js';
import { requireFiniteWeights } from './model-weights.js';

export const MODELS = ['dense', 'cnn', 'sign', 'vgg16-transfer'] as const;
export type ModelName = (typeof MODELS)[number];

export function parseModel(value: string): ModelName {
  if (!(MODELS as readonly string[]).includes(value)) {
    throw usageError(`unknown model '${value}' (expected ${MODELS.join(', ')})`);
  }
  return value as ModelName;
}

export interface BuildOptions {
  /** Seed of the initial weights (tfjs draws them from Math.random otherwise). */
  seed?: number;
  /** vgg16-transfer: side of the square colour input, at least 32 (VGG16's five poolings). */
  imageSize?: number;
  /** vgg16-transfer: Keras's VGG16 weights (a .h5 or .keras file), or a tfjs folder or model.json. */
  weights?: string;
  /** The user's pictures: `[size, size, channels]`; absent, the MNIST shapes each network takes. */
  inputShape?: [number, number, number];
}

/** Builds one of the workshop's networks, uncompiled (train compiles it as the workshop does). */
export async function buildModel(
  name: ModelName,
  classes: number,
  options: BuildOptions = {},
): Promise<LayersModel> {
  const seed = { seed: options.seed };
  const shape = options.inputShape ? { inputShape: options.inputShape } : {};
  switch (name) {
    case 'dense':
      return denseMnist({ classes, ...shape, ...seed });
    case 'cnn':
      return cnnMnist({ classes, ...shape, ...seed });
    case 'sign':
      return cnnSignLanguage({ classes, ...shape, ...seed });
    case 'vgg16-transfer': {
      const size = options.inputShape?.[0] ?? options.imageSize ?? 150;
      const inputShape = [size, size, 3];
      let base: Awaited<ReturnType<typeof vgg16>>;
      if (options.weights) {
        try {
          base = await vgg16({ includeTop: false, inputShape, weights: options.weights, ...seed });
        } catch (error) {
          throw new CliError(`--weights ${options.weights}: ${(error as Error).message}`, {
            cause: error,
          });
        }
        await requireFiniteWeights(base, `--weights ${options.weights}`);
      } else {
        base = vgg16({ includeTop: false, inputShape, ...seed });
      }
      // The workshop's transfer model: the convolutional base frozen, a new dense head on top.
      return withHead(freeze(base), {
        classes,
        hidden: [256],
        dropout: 0.5,
        ...seed,
      });
    }
  }
}
