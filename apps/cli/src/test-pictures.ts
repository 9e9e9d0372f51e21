// The pictures a picture model is tested on, one choice for evaluate and activations: a folder
// given on the command line, else the part of the recorded folder that training held out.
import type { ImageDataset } from '@cnnlab/datasets';
import { type ModelDir, recordedPicturesDir } from './model-dir.js';
import { readAllPictures, readPictureSplit } from './pictures.js';

export interface TestPictures {
  test: ImageDataset;
  /** What they are, for messages: "held-out pictures of /data/shapes". */
  what: string;
}

/**
 * Every picture of `images` when given, labelled by the model's classes; else the held-out part
 * of the recorded folder (the same folder, fraction and seed draw the same pictures), or all of
 * it when the record has no split (a model imported with --images but no --validation-split).
 * `remedy` finishes the message when the record names no usable folder.
 */
export async function testPictures(
  loaded: ModelDir,
  options: { images?: string; remedy: string },
): Promise<TestPictures> {
  const { images: record, classNames } = loaded.meta;
  if (!record) throw new Error('testPictures needs a pictures record');
  const format = { size: record.size, colorMode: record.colorMode };
  if (options.images) {
    const test = await readAllPictures(options.images, format, classNames);
    return { test, what: `pictures in ${options.images}` };
  }
  const dir = await recordedPicturesDir(loaded, options.remedy);
  const { validationSplit, seed } = record;
  if (validationSplit === undefined || seed === undefined) {
    return { test: await readAllPictures(dir, format, classNames), what: `pictures in ${dir}` };
  }
  const [, test] = await readPictureSplit(dir, format, { validationSplit, seed, classNames });
  return { test, what: `held-out pictures of ${dir}` };
}
