import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { permutation } from '@cnnlab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytesOf,
  makePictures,
  maxAbsDiff,
  python,
  type RefSpec,
  SAMPLE_FILES,
  SAMPLE_FOLDER,
  tempFolder,
  warnIfNoPython,
} from '../../test/pictures.js';
import { DatasetError } from '../errors.js';
import type { ImageDataset } from '../image-dataset.js';
import { imageDatasetFromDirectory } from './image-dataset-from-directory.js';

warnIfNoPython('image-dataset-from-directory.test.ts');

const SIZE: [number, number] = [24, 32];
const VARIANTS = [
  { name: 'rgb', colorMode: 'rgb', channels: 3 },
  { name: 'grey-crop', colorMode: 'grayscale', channels: 1, fit: 'crop' },
  { name: 'rgba-pad', colorMode: 'rgba', channels: 4, fit: 'pad' },
] as const;

/** Picture i of a batch. */
const pictureAt = (set: ImageDataset, i: number) => {
  const each = set.images.data.length / set.images.shape[0];
  return set.images.data.subarray(i * each, (i + 1) * each);
};

async function failure(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('no error');
}

describe.skipIf(!python)('imageDatasetFromDirectory', () => {
  const root = tempFolder('folder');
  const dir = join(root, 'set');
  const refs = join(root, 'refs');
  beforeAll(() => {
    makePictures(dir, SAMPLE_FOLDER);
    mkdirSync(join(dir, 'birds'));
    const want: RefSpec[] = SAMPLE_FILES.flatMap((file) =>
      VARIANTS.map((v) => ({
        file: `../set/${file}`,
        colorMode: v.colorMode,
        size: SIZE,
        fit: 'fit' in v ? v.fit : undefined,
        out: `${file.replaceAll('/', '_')}.${v.name}`,
      })),
    );
    makePictures(refs, [], want);
  });

  it.each(VARIANTS)(
    'reads the class folders in Keras order and resizes as Keras does ($name)',
    async (v) => {
      const set = await imageDatasetFromDirectory(dir, {
        imageSize: SIZE,
        shuffle: false,
        colorMode: v.colorMode,
        cropToAspectRatio: 'fit' in v && v.fit === 'crop',
        padToAspectRatio: 'fit' in v && v.fit === 'pad',
      });
      expect(set.classNames).toEqual(['birds', 'cats', 'dogs']);
      expect(Array.from(set.labels)).toEqual([1, 1, 1, 2, 2, 2]);
      expect(set.files).toEqual(SAMPLE_FILES.map((f) => join(dir, f)));
      expect(set.images.shape).toEqual([6, ...SIZE, v.channels]);
      expect(set.images.data).toBeInstanceOf(Uint8Array);
      expect(set.categorical).toBeUndefined();
      SAMPLE_FILES.forEach((file, i) => {
        const want = bytesOf(refs, `${file.replaceAll('/', '_')}.${v.name}`);
        // PNG exactly; JPEG within jpeg-js's and libjpeg's difference.
        const tolerance = /\.jpe?g$/i.test(file) ? 6 : 0;
        expect(maxAbsDiff(pictureAt(set, i), want), `${file} ${v.name}`).toBeLessThanOrEqual(
          tolerance,
        );
      });
    },
  );

  it("uses Keras's defaults: 256 × 256 RGB, int labels, shuffled", async () => {
    const set = await imageDatasetFromDirectory(dir);
    expect(set.images.shape).toEqual([6, 256, 256, 3]);
    expect([...set.files].sort()).toEqual(SAMPLE_FILES.map((f) => join(dir, f)).sort());
    expect(Array.from(set.labels)).toEqual(set.files.map((f) => (f.includes('/cats/') ? 1 : 2)));
  });

  it('shuffles with the seed, each picture keeping its label and file', async () => {
    const base = { imageSize: SIZE };
    const plain = await imageDatasetFromDirectory(dir, { ...base, shuffle: false });
    const a = await imageDatasetFromDirectory(dir, { ...base, seed: 11 });
    const order = Array.from(permutation(6, 11));
    expect(a.files).toEqual(order.map((i) => plain.files[i]));
    expect(Array.from(a.labels)).toEqual(order.map((i) => plain.labels[i]));
    for (const [i, from] of order.entries()) {
      expect(maxAbsDiff(pictureAt(a, i), pictureAt(plain, from))).toBe(0);
    }
    const again = await imageDatasetFromDirectory(dir, { ...base, seed: 11 });
    expect(again.files).toEqual(a.files);
    expect(maxAbsDiff(again.images.data, a.images.data)).toBe(0);
  });

  it('splits the shuffled files: the last int(validationSplit · n) for validation', async () => {
    const split = { imageSize: SIZE, seed: 5, validationSplit: 0.34 };
    const [training, validation] = await imageDatasetFromDirectory(dir, {
      ...split,
      subset: 'both',
    });
    // int(0.34 · 6) = 2
    expect(training.images.shape[0]).toBe(4);
    expect(validation.images.shape[0]).toBe(2);
    const all = await imageDatasetFromDirectory(dir, { imageSize: SIZE, seed: 5 });
    expect([...training.files, ...validation.files]).toEqual(all.files);
    expect(validation.classNames).toEqual(training.classNames);
    const alone = await imageDatasetFromDirectory(dir, { ...split, subset: 'validation' });
    expect(alone.files).toEqual(validation.files);
    expect(maxAbsDiff(alone.images.data, validation.images.data)).toBe(0);
    expect((await imageDatasetFromDirectory(dir, { ...split, subset: 'training' })).files).toEqual(
      training.files,
    );
  });

  it('gives one-hot labels, binary labels, chosen classes, or no labels', async () => {
    const base = { imageSize: [8, 8] as [number, number], shuffle: false };
    const cat = await imageDatasetFromDirectory(dir, { ...base, labelMode: 'categorical' });
    expect(cat.categorical?.shape).toEqual([6, 3]);
    expect(Array.from(cat.categorical?.data.subarray(0, 3) ?? [])).toEqual([0, 1, 0]);
    const binary = await imageDatasetFromDirectory(dir, {
      ...base,
      labelMode: 'binary',
      classNames: ['dogs', 'cats'],
    });
    expect(binary.classNames).toEqual(['dogs', 'cats']);
    expect(Array.from(binary.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(binary.files[0]).toBe(join(dir, 'dogs/d1.png'));
    const none = await imageDatasetFromDirectory(dir, { ...base, labelMode: null });
    expect('labels' in none).toBe(false);
    expect(none.files).toEqual([join(dir, 'top.png'), ...SAMPLE_FILES.map((f) => join(dir, f))]);
    expect(none.images.shape).toEqual([7, 8, 8, 3]);
  });

  it('follows a linked class folder, and links inside it only with followLinks', async () => {
    const linked = join(root, 'linked');
    mkdirSync(linked);
    symlinkSync(join(dir, 'cats'), join(linked, 'cats'));
    mkdirSync(join(linked, 'dogs'));
    symlinkSync(join(dir, 'dogs'), join(linked, 'dogs', 'more'));
    // A cycle: followed once, never forever.
    symlinkSync(join(linked, 'dogs'), join(linked, 'dogs', 'loop'));
    const base = { imageSize: [8, 8] as [number, number], shuffle: false };
    const plain = await imageDatasetFromDirectory(linked, base);
    expect(plain.files).toEqual(SAMPLE_FILES.slice(0, 3).map((f) => join(linked, f)));
    const followed = await imageDatasetFromDirectory(linked, { ...base, followLinks: true });
    expect(followed.files.map((f) => f.slice(linked.length + 1))).toEqual([
      ...SAMPLE_FILES.slice(0, 3),
      'dogs/more/d1.png',
      'dogs/more/d2.JPEG',
      'dogs/more/d3.png',
    ]);
  });

  describe('errors name the folder, file or option', () => {
    const bad = join(root, 'bad');
    beforeAll(() => {
      makePictures(bad, [
        { path: 'one/a.png', mode: 'RGB', width: 4, height: 4 },
        { path: 'single/cats/a.png', mode: 'RGB', width: 4, height: 4 },
        { path: 'broken/a/ok.png', mode: 'RGB', width: 4, height: 4 },
        { path: 'broken/b/zz.png', kind: 'bytes', hex: Buffer.from('<html>').toString('hex') },
        { path: 'cut/a/ok.png', mode: 'RGB', width: 4, height: 4 },
        {
          path: 'cut/b/zz.jpg',
          mode: 'RGB',
          format: 'JPEG',
          width: 64,
          height: 64,
          pattern: 'noise',
          truncate: 2000,
        },
        { path: 'big/a/a.png', mode: 'RGB', width: 300, height: 200, pattern: 'noise' },
        { path: 'big/b/b.png', mode: 'RGB', width: 4, height: 4 },
        { path: 'flat/a.png', mode: 'RGB', width: 4, height: 4 },
      ]);
      for (const name of ['e1', 'e2']) mkdirSync(join(bad, 'empty', name), { recursive: true });
      writeFileSync(join(bad, 'empty', 'e1', 'a.gif'), 'GIF89a');
      mkdirSync(join(bad, 'odd', 'a'), { recursive: true });
      mkdirSync(join(bad, 'odd', 'b'));
      symlinkSync(join(bad, 'nowhere.png'), join(bad, 'odd', 'a', 'gone.png'));
      if (process.platform !== 'win32') execFileSync('mkfifo', [join(bad, 'odd', 'b', 'pipe.png')]);
    });
    const at = (...parts: string[]) => join(bad, ...parts);

    it.each([
      [
        'a missing folder',
        () => at('nope'),
        {},
        /bad\/nope: folder not found; expected a folder with one subfolder of pictures per class/,
      ],
      ['a file', () => at('one', 'a.png'), {}, /one\/a\.png is a file, not a folder/],
      [
        'no class subfolders',
        () => at('flat'),
        {},
        /flat: no class subfolders; expected one subfolder per class \(.*flat\/cats\/…, .*flat\/dogs\/…\)\. Pictures directly in it are ignored/,
      ],
      [
        'only empty classes',
        () => at('empty'),
        {},
        /empty: no PNG or JPEG pictures in its class folders \(e1, e2\); expected files ending \.png, \.jpg or \.jpeg; 1 other file ignored \(\.gif\)/,
      ],
      [
        'an undecodable file',
        () => at('broken'),
        {},
        /broken\/b\/zz\.png: not a PNG or JPEG \(it starts with 3c 68 74 6d 6c 3e\)/,
      ],
      ['a truncated JPEG', () => at('cut'), {}, /cut\/b\/zz\.jpg: is truncated/],
      [
        'a file over maxFileBytes',
        () => at('big'),
        { maxFileBytes: 1000 },
        /big\/a\/a\.png: \d+ bytes, more than maxFileBytes \(1000\); expected a PNG or JPEG picture of at most that size/,
      ],
      [
        'a picture over maxImageSide',
        () => at('big'),
        { maxImageSide: 100 },
        /big\/a\/a\.png: its PNG header declares 300×200 pixels; the most accepted is 100 a side/,
      ],
      [
        'a broken link',
        () => at('odd'),
        {},
        /odd\/a\/gone\.png: file not found; expected a PNG or JPEG picture/,
      ],
      [
        'a bad option, before the disk is read',
        () => at('nope'),
        { colorMode: 'cmyk' },
        /imageDatasetFromDirectory: colorMode must be 'grayscale', 'rgb' or 'rgba', got 'cmyk'/,
      ],
      [
        'a bad followLinks',
        () => at('odd'),
        { followLinks: 'yes' },
        /imageDatasetFromDirectory: followLinks must be true or false, got yes/,
      ],
      [
        'an unknown option',
        () => at('odd'),
        { batch_size: 32 },
        /imageDatasetFromDirectory: unknown option batch_size; expected one of .*followLinks/,
      ],
    ])('%s', async (_, where, options, message) => {
      const error = await failure(
        imageDatasetFromDirectory(where(), {
          shuffle: false,
          imageSize: 8,
          ...(options as object),
        }),
      );
      expect(error.message).toMatch(message);
    });

    it('refuses a single class folder when labels are wanted, and reads it with labelMode null', async () => {
      expect(
        (await failure(imageDatasetFromDirectory(at('single'), { imageSize: 8 }))).message,
      ).toBe(
        `${at('single')}: only one class folder ('cats'); labels need at least two classes. Add a subfolder per class, or use labelMode null to read the pictures unlabelled`,
      );
      const unlabelled = await imageDatasetFromDirectory(at('single'), {
        imageSize: 8,
        labelMode: null,
      });
      expect(unlabelled.files).toEqual([at('single', 'cats', 'a.png')]);
    });

    it.skipIf(process.platform === 'win32')('refuses a FIFO without waiting on it', async () => {
      const error = await failure(
        imageDatasetFromDirectory(at('odd'), {
          classNames: ['b', 'a'],
          imageSize: 8,
          shuffle: false,
        }),
      );
      expect(error.message).toMatch(
        /odd\/b\/pipe\.png is a FIFO \(named pipe\); expected a PNG or JPEG picture, a regular file/,
      );
    });
  });
});
