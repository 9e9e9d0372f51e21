import type { BackendChoice } from '@cnnlab/backend';
import { initBackend } from '@cnnlab/backend';
import { cnnMnist, cnnSignLanguage, denseMnist, freeze, vgg16, withHead } from '@cnnlab/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CliError, usageError } from './errors.js';
import type { Output } from './output.js';

export const MODELS = ['dense', 'cnn', 'sign', 'vgg16-transfer'] as const;
export type ModelName = (typeof MODELS)[number];

export function parseModel(value: string): ModelName {
  if (!(MODELS as readonly string[]).includes(value)) {
    throw usageError(`unknown model '${value}' (expected ${MODELS.join(', ')})`);
  }
  return value as ModelName;
}

/** Builds one of the workshop's networks, uncompiled (train compiles it as the workshop does). */
export function buildModel(name: ModelName, classes: number): LayersModel {
  switch (name) {
    case 'dense':
      return denseMnist({ classes }) as unknown as LayersModel;
    case 'cnn':
      return cnnMnist({ classes }) as unknown as LayersModel;
    case 'sign':
      return cnnSignLanguage({ classes }) as unknown as LayersModel;
    case 'vgg16-transfer': {
      const base = freeze(vgg16({ includeTop: false, inputShape: [150, 150, 3] }));
      return withHead(base, { classes, hidden: [256], dropout: 0.5 }) as unknown as LayersModel;
    }
  }
}

let chosen: BackendChoice | undefined;

/** Picks the fastest backend once, before any model exists, so weights live there from the start. */
export async function prepareBackend(out: Output, prefer?: string): Promise<BackendChoice> {
  if (!chosen) {
    if (prefer) process.env.CNNLAB_BACKEND = prefer;
    try {
      chosen = await initBackend();
    } catch (error) {
      throw new CliError(`backend ${prefer ?? 'auto'}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    out.info(`backend: ${chosen.id}`);
  }
  return chosen;
}

/** The trainer's options for where its Keras-style progress goes. */
export function progressOptions(out: Output): {
  verbose: 0 | 1;
  progress?: { stream: NodeJS.WriteStream };
} {
  if (out.quiet) return { verbose: 0 };
  return { verbose: 1, progress: { stream: out.json ? process.stderr : process.stdout } };
}
