import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel, saveModel } from '@cnnlab/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DATASETS } from './data.js';
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

/**
 * Saves into a scratch folder inside `dir`, then moves the files up, model.json last: a folder
 * never pairs a new model with the record of an old one, and a failed save leaves the old model.
 */
export async function saveModelDir(
  model: LayersModel,
  dir: string,
  meta: ModelMeta,
): Promise<void> {
  const scratch = join(dir, `.saving-${process.pid}`);
  try {
    await saveModel(model as never, scratch);
    await writeTextAtomic(join(scratch, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    const files = (await readdir(scratch)).filter((f) => f !== 'model.json');
    for (const file of [...files, 'model.json']) await rename(join(scratch, file), join(dir, file));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The record beside a model, checked: a broken one must not pass for "made by another tool". */
async function readMeta(dir: string, model: LayersModel): Promise<ModelMeta> {
  const file = join(dir, META_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    // A model saved by other tools: class indices stand in for names.
    const classes = (model.outputs[0]?.shape.at(-1) as number | undefined) ?? 10;
    return {
      model: 'unknown',
      dataset: 'mnist',
      classNames: Array.from({ length: classes }, (_, i) => String(i)),
    };
  }
  let meta: ModelMeta;
  try {
    meta = JSON.parse(text) as ModelMeta;
  } catch (error) {
    throw new CliError(`${file} is corrupt: ${(error as Error).message}`, { cause: error });
  }
  const problem =
    typeof meta !== 'object' || meta === null
      ? 'not an object'
      : !(DATASETS as readonly string[]).includes(meta.dataset)
        ? `unknown dataset '${String(meta.dataset)}' (expected ${DATASETS.join(', ')})`
        : !Array.isArray(meta.classNames)
          ? 'classNames is not a list'
          : undefined;
  if (problem) throw new CliError(`${file} is corrupt: ${problem}`);
  return meta;
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
  return { model, meta: await readMeta(dir, model) };
}
