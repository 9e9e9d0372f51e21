import { constants } from 'node:fs';
import { access, lstat, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import {
  loadModel,
  MODEL_JSON,
  ModelError,
  readTextInFolder,
  saveModel,
  scratchPath,
} from '@cnnlab/models/node';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DATASETS } from './data.js';
import { CliError } from './errors.js';
import { requireFiniteWeights } from './model-weights.js';
import { COLOR_MODES, MAX_PICTURE_SIZE, PICTURES, type PictureColorMode } from './pictures.js';

/** What `cnnlab train` records with a model so later commands need no flags repeated. */
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
  /** Set, with `dataset` PICTURES ('images'), for a model trained on a folder of the user's pictures. */
  images?: PicturesRecord;
}

/**
 * How a model's pictures were read, so evaluate and predict make theirs the same way. `train`
 * records all of it; `import` only what the Keras file and its flags say: the size and colour
 * mode always, the folder and the split when given.
 */
export interface PicturesRecord {
  /** The folder of class subfolders, absolute. */
  dir?: string;
  /** Side of the square every picture was resized to. */
  size: number;
  colorMode: PictureColorMode;
  /** The fraction held out for testing and the seed that drew it (both or neither): evaluate draws the same. */
  validationSplit?: number;
  seed?: number;
}

/** The `dataset` values a record may hold: a data set the CLI loads by name, or pictures. */
const RECORD_DATASETS = [...DATASETS, PICTURES] as const;

/** A model folder as the commands read it. */
export interface ModelDir {
  model: LayersModel;
  meta: ModelMeta;
  /** Where `meta` was read, for messages: model.json's metadata, or an older folder's cnnlab.json. */
  record: string;
}

/** The copy of the record beside model.json, for people and for older versions of cnnlab. */
export const META_FILE = 'cnnlab.json';

/** The key of the record in model.json's `userDefinedMetadata`: what cnnlab reads. */
export const META_KEY = 'cnnlab';

/** The largest cnnlab.json read from a folder saved before the record moved into model.json. */
const MAX_META_BYTES = 16 * 1024 * 1024;

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Saves the model with its record inside model.json (`userDefinedMetadata.cnnlab`), so that the
 * one commit of @cnnlab/models' save publishes both together: after a kill at any moment the
 * folder holds the old model and record or the new ones. cnnlab.json is then rewritten as a copy
 * for people; commands never read it when model.json has the record.
 */
export async function saveModelDir(
  model: LayersModel,
  dir: string,
  meta: ModelMeta,
): Promise<void> {
  // Through JSON: tfjs takes plain JSON values only (no undefined).
  const record = JSON.parse(JSON.stringify(meta)) as ModelMeta;
  model.setUserDefinedMetadata({ ...(model.getUserDefinedMetadata() ?? {}), [META_KEY]: record });
  await saveModel(model, dir);
  await writeCopy(join(dir, META_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Writes a scratch file the next save removes should this process die, then renames it. */
async function writeCopy(file: string, text: string): Promise<void> {
  const temp = scratchPath(join(file, '..'), META_FILE);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CliError(`cannot write ${file}: ${messageOf(error)}`, { cause: error });
  }
}

/** The problem with a record, or undefined: checked, so a broken one cannot steer a command. */
function recordProblem(meta: Partial<Record<keyof ModelMeta, unknown>>): string | undefined {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return 'not an object';
  const { dataset, classNames, classes, dataDir, limit, images } = meta;
  if (!(RECORD_DATASETS as readonly unknown[]).includes(dataset)) {
    return `unknown dataset '${String(dataset)}' (expected ${RECORD_DATASETS.join(', ')})`;
  }
  // Older records have no `images`, and stay valid; a pictures record must say how they were read.
  if ((dataset === PICTURES) !== (images !== undefined)) {
    return dataset === PICTURES
      ? `dataset is '${PICTURES}' but there is no images record`
      : `an images record goes with dataset '${PICTURES}', not '${String(dataset)}'`;
  }
  if (images !== undefined) {
    const problem = picturesProblem(images);
    if (problem) return `images: ${problem}`;
  }
  if (!Array.isArray(classNames) || !classNames.every((n) => typeof n === 'string')) {
    return 'classNames is not a list of names';
  }
  if (
    classes !== undefined &&
    !(Array.isArray(classes) && classes.every((c) => Number.isSafeInteger(c) && c >= 0))
  ) {
    return 'classes is not a list of labels';
  }
  if (
    dataDir !== undefined &&
    !(typeof dataDir === 'string' && isAbsolute(dataDir) && !dataDir.includes('\0'))
  ) {
    return `dataDir ${JSON.stringify(dataDir)} is not an absolute path`;
  }
  if (limit !== undefined && !(Number.isSafeInteger(limit) && (limit as number) >= 1)) {
    return `limit ${JSON.stringify(limit)} is not a whole number ≥ 1`;
  }
  return undefined;
}

/** The problem with a record's `images`, or undefined. */
function picturesProblem(images: unknown): string | undefined {
  if (typeof images !== 'object' || images === null || Array.isArray(images))
    return 'not an object';
  const { dir, size, colorMode, validationSplit, seed } = images as Record<string, unknown>;
  if (dir !== undefined && !(typeof dir === 'string' && isAbsolute(dir) && !dir.includes('\0'))) {
    return `dir ${JSON.stringify(dir)} is not an absolute path`;
  }
  if (
    !(Number.isSafeInteger(size) && (size as number) >= 1 && (size as number) <= MAX_PICTURE_SIZE)
  ) {
    return `size ${JSON.stringify(size)} is not a whole number of pixels`;
  }
  if (!(COLOR_MODES as readonly unknown[]).includes(colorMode)) {
    return `colorMode ${JSON.stringify(colorMode)} is not one of ${COLOR_MODES.join(', ')}`;
  }
  // A split is drawn from a folder: without one (or without its seed) it cannot be drawn again.
  if ((validationSplit === undefined) !== (seed === undefined)) {
    return 'validationSplit and seed go together';
  }
  if (validationSplit !== undefined && dir === undefined) {
    return 'a validationSplit needs the dir it was drawn from';
  }
  if (
    validationSplit !== undefined &&
    !(typeof validationSplit === 'number' && validationSplit > 0 && validationSplit < 1)
  ) {
    return `validationSplit ${JSON.stringify(validationSplit)} is not a fraction between 0 and 1`;
  }
  if (seed !== undefined && !(Number.isSafeInteger(seed) && (seed as number) >= 0)) {
    return `seed ${JSON.stringify(seed)} is not a whole number ≥ 0`;
  }
  return undefined;
}

function checked(meta: unknown, where: string): ModelMeta {
  const problem = recordProblem(meta as Partial<Record<keyof ModelMeta, unknown>>);
  if (problem) throw new CliError(`${where} is corrupt: ${problem}`);
  return meta as ModelMeta;
}

/**
 * The cnnlab.json of a folder saved before the record moved into model.json: a regular file
 * inside the folder, of bounded size. Undefined when there is none (a model from another tool).
 */
async function readOldRecord(dir: string): Promise<string | undefined> {
  const file = join(dir, META_FILE);
  try {
    return await readTextInFolder(file, MAX_META_BYTES);
  } catch (error) {
    if (error instanceof ModelError) throw error;
    if (code(error) === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
}

/** The record of a folder saved before it moved into model.json, or a stand-in for other tools'. */
async function oldRecord(dir: string, model: LayersModel): Promise<ModelDir> {
  const file = join(dir, META_FILE);
  const text = await readOldRecord(dir);
  if (text === undefined) {
    // A model saved by other tools: class indices stand in for names.
    const classes = (model.outputs[0]?.shape.at(-1) as number | undefined) ?? 10;
    return {
      model,
      record: join(dir, MODEL_JSON),
      meta: {
        model: 'unknown',
        dataset: 'mnist',
        classNames: Array.from({ length: classes }, (_, i) => String(i)),
      },
    };
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is corrupt: ${messageOf(error)}`, { cause: error });
  }
  return { model, record: file, meta: checked(meta, file) };
}

/**
 * Loads a model folder: the model (its weights confined to the folder, see @cnnlab/models) and
 * the record inside its model.json, or, for a folder saved by an older cnnlab, its cnnlab.json.
 */
export async function loadModelDir(dir: string): Promise<ModelDir> {
  const notModel = `${dir} is not a model folder (no ${MODEL_JSON}; make one with cnnlab train)`;
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new CliError(notModel);
  if (!info.isDirectory()) throw new CliError(`${dir} is not a model folder: it is not a folder`);
  if (!(await lstat(join(dir, MODEL_JSON)).catch(() => undefined))) throw new CliError(notModel);
  let model: LayersModel;
  try {
    model = await loadModel(dir);
  } catch (error) {
    throw new CliError(`cannot load the model in ${dir}: ${messageOf(error)}`, { cause: error });
  }
  const embedded = (model.getUserDefinedMetadata() as Record<string, unknown> | undefined)?.[
    META_KEY
  ];
  if (embedded === undefined) return oldRecord(dir, model);
  const record = `${join(dir, MODEL_JSON)} (userDefinedMetadata.${META_KEY})`;
  return { model, record, meta: checked(embedded, record) };
}

/** loadModelDir, then refuses a model whose weights are not all finite (see requireFiniteWeights). */
export async function loadCheckedModelDir(dir: string): Promise<ModelDir> {
  const loaded = await loadModelDir(dir);
  await requireFiniteWeights(loaded.model, dir);
  return loaded;
}

/** Why `path` cannot serve as a data folder, as --data-dir would be refused; undefined if it can. */
export async function folderProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return 'is not a folder';
    await access(path, constants.R_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return 'does not exist';
    if (code(error) === 'EACCES' || code(error) === 'EPERM') return 'cannot be read';
    return `cannot be used (${messageOf(error)})`;
  }
}

/**
 * The data folder a model folder's record names (`dataDir`), checked as the --data-dir flag it
 * stands for: it must exist, be a folder and be readable. Undefined when the record names none.
 */
export async function recordedDataDir(
  loaded: Pick<ModelDir, 'meta' | 'record'>,
): Promise<string | undefined> {
  const dir = loaded.meta.dataDir;
  if (dir === undefined) return undefined;
  const problem = await folderProblem(dir);
  if (problem) {
    throw new CliError(
      `${loaded.record} names dataDir ${dir}, which ${problem}; pass --data-dir to read the data from elsewhere`,
    );
  }
  return dir;
}

/**
 * The pictures folder a model folder's record names (`images.dir`), checked as --images would
 * be, so that a moved or missing folder is one line saying where the record looked and, in
 * `remedy`, what the command takes instead ("pass --images DIR to score another folder").
 */
export async function recordedPicturesDir(
  loaded: Pick<ModelDir, 'meta' | 'record'>,
  remedy: string,
): Promise<string> {
  const dir = loaded.meta.images?.dir;
  if (dir === undefined) {
    // A model imported from a Keras file without --images: nothing says where its pictures are.
    throw new CliError(
      `${loaded.record} names no pictures folder (imported without --images); ${remedy}`,
    );
  }
  const problem = await folderProblem(dir);
  if (problem) {
    throw new CliError(
      `${loaded.record} names the pictures folder ${dir}, which ${problem}; ${remedy}`,
    );
  }
  return dir;
}
