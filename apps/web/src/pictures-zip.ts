/**
 * Section 9's download: the recorded pictures as a zip of class folders inside one folder
 * (`cnnlab-pictures/rock/rock-001.png`), the layout `cnnlab train --images` and Keras's
 * image_dataset_from_directory read. The outer folder makes every unzip tool give one folder.
 */
import { type Zippable, zipSync } from 'fflate';
import { rgbToPng } from './camera-frame';
import { CAPTURE_SIZE, type RecordedClass } from './recorded-classes';

/** The folder the zip unpacks into. */
export const ZIP_FOLDER = 'cnnlab-pictures';

export async function picturesZip(
  classes: readonly RecordedClass[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<Uint8Array> {
  const total = classes.reduce((n, c) => n + c.pictures.length, 0);
  const files: Zippable = {};
  let done = 0;
  for (const { name, pictures } of classes) {
    const folder: Zippable = {};
    const digits = Math.max(3, String(pictures.length).length);
    for (let i = 0; i < pictures.length; i++) {
      // PNGs are compressed already: stored, not deflated again.
      folder[`${name}-${String(i + 1).padStart(digits, '0')}.png`] = [
        await rgbToPng(pictures[i], CAPTURE_SIZE),
        { level: 0 },
      ];
      onProgress(++done, total);
    }
    files[name] = folder;
  }
  return zipSync({ [ZIP_FOLDER]: files });
}
