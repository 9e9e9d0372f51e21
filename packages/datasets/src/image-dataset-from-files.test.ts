import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  makePictures,
  maxAbsDiff,
  python,
  SAMPLE_FILES,
  SAMPLE_FOLDER,
  tempFolder,
  warnIfNoPython,
} from '../test/pictures.js';
import { DatasetError } from './errors.js';
import { type ImageFile, imageDatasetFromFiles } from './image-dataset-from-files.js';
import { imageDatasetFromDirectory } from './node/image-dataset-from-directory.js';

warnIfNoPython('image-dataset-from-files.test.ts');

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe.skipIf(!python)('imageDatasetFromFiles (the browser-safe core)', () => {
  const dir = tempFolder('files');
  // Every file of the sample folder but the hidden ones, as a page would list an upload.
  const paths = [...SAMPLE_FILES, 'cats/notes.txt', 'top.png', 'cats/.hidden.png'];
  let bytes: Map<string, Uint8Array<ArrayBuffer>>;
  beforeAll(() => {
    makePictures(dir, SAMPLE_FOLDER);
    mkdirSync(join(dir, 'birds'));
    bytes = new Map(paths.map((p) => [p, new Uint8Array(readFileSync(join(dir, p)))]));
  });
  const options = {
    imageSize: [20, 30] as [number, number],
    seed: 3,
    validationSplit: 0.5,
    subset: 'both' as const,
  };

  it('gives what imageDatasetFromDirectory gives, from bytes, Blobs or readers', async () => {
    const [train, val] = await imageDatasetFromDirectory(dir, options);
    const kinds: ((p: string) => ImageFile)[] = [
      (path) => ({ path, data: bytes.get(path) as Uint8Array }),
      (path) => ({ path, data: new Blob([bytes.get(path) as Uint8Array<ArrayBuffer>]) }),
      (path) => ({ path, data: async () => (bytes.get(path) as Uint8Array).slice().buffer }),
    ];
    for (const kind of kinds) {
      const [a, b] = await imageDatasetFromFiles(paths.map(kind), options);
      // Without the folder on disk, an empty class folder is unknown: birds is not a class here.
      expect(a.classNames).toEqual(['cats', 'dogs']);
      for (const [got, want] of [
        [a, train],
        [b, val],
      ] as const) {
        expect(got.files).toEqual(want.files.map((f) => f.slice(dir.length + 1)));
        expect(Array.from(got.labels)).toEqual(Array.from(want.labels, (l) => l - 1));
        expect(got.images.shape).toEqual(want.images.shape);
        expect(maxAbsDiff(got.images.data, want.images.data)).toBe(0);
      }
    }
  });

  it('checks a known size before reading, and a read size after', async () => {
    let reads = 0;
    const files = SAMPLE_FILES.map((path) => ({
      path,
      size: (bytes.get(path) as Uint8Array).length,
      data: () => {
        reads++;
        return bytes.get(path) as Uint8Array;
      },
    }));
    const message = await failure(
      imageDatasetFromFiles(files, { maxFileBytes: 600, shuffle: false }),
    );
    expect(message).toMatch(/^cats\/c1\.png: \d+ bytes, more than maxFileBytes \(600\)/);
    expect(reads).toBe(0);
    const unsized = files.map(({ size: _, ...rest }) => rest);
    expect(
      await failure(imageDatasetFromFiles(unsized, { maxFileBytes: 600, shuffle: false })),
    ).toMatch(/^cats\/c1\.png: \d+ bytes, more than maxFileBytes/);
    expect(reads).toBe(1);
  });

  it('reads the top level and nested folders unlabelled with labelMode null', async () => {
    const set = await imageDatasetFromFiles(
      paths.map((path) => ({ path, data: bytes.get(path) as Uint8Array })),
      { labelMode: null, shuffle: false, imageSize: 8 },
    );
    expect(set.files).toEqual(['top.png', ...SAMPLE_FILES]);
    expect(set.images.shape).toEqual([7, 8, 8, 3]);
  });

  it('names a bad entry or a file that does not decode', async () => {
    const one = (path: string, data: Uint8Array = new Uint8Array(0)) => ({ path, data });
    expect(await failure(imageDatasetFromFiles([one('cats/../x.png')]))).toBe(
      `imageDatasetFromFiles: files[0].path is "cats/../x.png"; expected a relative '/'-separated path such as 'cats/001.jpg'`,
    );
    expect(await failure(imageDatasetFromFiles([one('/abs.png')]))).toMatch(
      /files\[0\]\.path is "\/abs\.png"/,
    );
    expect(await failure(imageDatasetFromFiles([one('a/x.png'), one('a/x.png')]))).toBe(
      "imageDatasetFromFiles: files[1].path 'a/x.png' appears twice",
    );
    expect(await failure(imageDatasetFromFiles(42 as never))).toMatch(
      /files must be a list of \{ path, data \} entries/,
    );
    expect(await failure(imageDatasetFromFiles([one('a.png')]))).toMatch(
      /^files: no class subfolders; expected one subfolder per class \(paths such as 'cats\/001\.jpg', 'dogs\/001\.jpg'\)/,
    );
    const broken = [
      one('a/x.png', bytes.get('top.png')),
      one('b/y.jpg', Uint8Array.of(0xff, 0xd8, 0xff)),
    ];
    expect(await failure(imageDatasetFromFiles(broken, { shuffle: false }))).toMatch(
      /^b\/y\.jpg: is truncated/,
    );
  });
});
