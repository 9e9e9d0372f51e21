import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel, saveModel } from '@cnnlab/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CliError } from './errors.js';
import { writeTextAtomic } from './output.js';

/** What `cnnlab train` records beside the model so later commands need no flags repeated. */
export interface ModelMeta {
  model: string;
  dataset: string;
  classes?: number[];
  classNames: string[];
  dataDir?: string;
  /** Trained and tested on the first `limit` images only. */
  limit?: number;
  history?: Record<string, number[]>;
  testAccuracy?: number;
}

export const META_FILE = 'cnnlab.json';

export async function saveModelDir(
  model: LayersModel,
  dir: string,
  meta: ModelMeta,
): Promise<void> {
  await saveModel(model as never, dir);
  await writeTextAtomic(join(dir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
}

export async function loadModelDir(dir: string): Promise<{ model: LayersModel; meta: ModelMeta }> {
  if (!existsSync(join(dir, 'model.json'))) {
    throw new CliError(`${dir} is not a model folder (no model.json; make one with cnnlab train)`);
  }
  let model: LayersModel;
  try {
    model = (await loadModel(dir)) as unknown as LayersModel;
  } catch (error) {
    throw new CliError(`cannot load the model in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let meta: ModelMeta;
  try {
    meta = JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as ModelMeta;
  } catch {
    // A model saved by other tools: class indices stand in for names.
    const classes = (model.outputs[0]?.shape.at(-1) as number | undefined) ?? 10;
    meta = {
      model: 'unknown',
      dataset: 'mnist',
      classNames: Array.from({ length: classes }, (_, i) => String(i)),
    };
  }
  return { model, meta };
}
