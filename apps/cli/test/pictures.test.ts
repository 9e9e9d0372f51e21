// cnnlab train --images: a folder of the user's own pictures, one subfolder per class, learnt,
// scored on the held-out part, used to classify a new picture and looked inside (activations).
// The pictures are drawn here: a disc of the class's colour on a noisy background, at several
// sizes so resizing is exercised (see fixtures.ts).
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { decodeImage, resizeImage, seededRandom, toColorMode } from '@cnnlab/datasets';
import { imageDatasetFromDirectory } from '@cnnlab/datasets/node';
import { loadModel } from '@cnnlab/models/node';
import { activations } from '@cnnlab/trainer';
import { activationFigure, decodePng, encodePng, figureImage } from '@cnnlab/viz/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOURS, drawFolder, picture } from './fixtures.js';
import { cnnlab } from './run-cli.js';

let tmp = '';
let shapes = '';
let modelDir = '';
beforeAll(async () => {
  // The activations the test computes itself, on the backend the CLI is told to use.
  await tf.setBackend('cpu');
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-cli-pictures-'));
  shapes = join(tmp, 'shapes');
  modelDir = join(tmp, 'model');
  drawFolder(shapes, 40, 1);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = (stdout: string) => JSON.parse(stdout);

describe('cnnlab train --images', () => {
  it('learns a folder of pictures, scores the held-out part again, and names a new one', async () => {
    const trained = await cnnlab(
      'train',
      '--images',
      shapes,
      '--image-size',
      '32',
      '--validation-split',
      '0.25',
      '--epochs',
      '6',
      '--batch-size',
      '16',
      '--seed',
      '3',
      '--json',
      '--out',
      modelDir,
    );
    expect(trained.code, trained.stderr).toBe(0);
    // 120 pictures, the last int(0.25 · 120) = 30 of the seeded shuffle held out.
    expect(trained.stderr).toMatch(/training pictures: 90 \(blue \d+, green \d+, red \d+\)/);
    expect(trained.stderr).toMatch(/testing pictures: 30 \(blue \d+, green \d+, red \d+\)/);
    const summary = json(trained.stdout);
    expect(summary.dataset).toBe('images');
    expect(summary.inputShape).toEqual([32, 32, 3]);
    const test = Object.values(summary.testPerClass as Record<string, number>);
    expect(test.reduce((a, b) => a + b, 0)).toBe(30);
    expect(summary.testAccuracy).toBeGreaterThan(0.8);
    const record = json(readFileSync(join(modelDir, 'cnnlab.json'), 'utf8'));
    expect(record.classNames).toEqual(['blue', 'green', 'red']);
    expect(record.images).toEqual({
      dir: shapes,
      size: 32,
      colorMode: 'rgb',
      validationSplit: 0.25,
      seed: 3,
    });

    const scored = await cnnlab('evaluate', '--model-dir', modelDir, '--json', '--quiet');
    expect(scored.code, scored.stderr).toBe(0);
    const evaluation = json(scored.stdout);
    expect(evaluation.n).toBe(30);
    expect(evaluation.accuracy).toBeCloseTo(summary.testAccuracy, 5);

    // A new picture of a size training never saw, and a folder of them.
    const fresh = join(tmp, 'fresh');
    mkdirSync(fresh);
    const random = seededRandom(99);
    writeFileSync(
      join(fresh, 'a.png'),
      encodePng(picture(COLOURS.green ?? [0, 0, 0], 30, 50, random)),
    );
    writeFileSync(
      join(fresh, 'b.png'),
      encodePng(picture(COLOURS.red ?? [0, 0, 0], 64, 64, random)),
    );
    const predicted = await cnnlab(
      'predict',
      '--model-dir',
      modelDir,
      join(fresh, 'a.png'),
      fresh,
      '--json',
      '--quiet',
    );
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(json(predicted.stdout).map((p: { label: string }) => p.label)).toEqual([
      'green',
      'green',
      'red',
    ]);

    // Another folder of the same classes, scored whole.
    const more = join(tmp, 'more');
    drawFolder(more, 5, 7);
    const other = await cnnlab(
      'evaluate',
      '--model-dir',
      modelDir,
      '--images',
      more,
      '--json',
      '--quiet',
    );
    expect(other.code, other.stderr).toBe(0);
    expect(json(other.stdout).n).toBe(15);
  }, 90_000);

  it('shows the activations of a held-out picture and of a file, the input in colour', async () => {
    const figures = join(tmp, 'activations');
    const index = 4;
    const shown = await cnnlab(
      'activations',
      '--model-dir',
      modelDir,
      '--index',
      String(index),
      '--json',
      '--quiet',
      '--out',
      figures,
    );
    expect(shown.code, shown.stderr).toBe(0);
    const result = json(shown.stdout);
    // The held-out part evaluate scores: the recorded folder, fraction and seed draw it again.
    const [, held] = await imageDatasetFromDirectory(shapes, {
      imageSize: 32,
      validationSplit: 0.25,
      subset: 'both',
      seed: 3,
    });
    const size = 32 * 32 * 3;
    const chosen = held.images.data.slice(index * size, (index + 1) * size);
    expect(result.image).toBe(held.files[index]);
    expect(result.label).toBe(held.classNames[held.labels[index] ?? 0]);
    expect(result.input.shape).toEqual([32, 32, 3]);
    expectPanel(result.input.file, chosen, 32);

    // Each layer's maps are what tfjs computes for that picture, drawn as viz draws them.
    const model = await loadModel(modelDir);
    const layers = model.layers
      .filter((l) => /Conv2D|Pooling2D/.test(l.getClassName()))
      .map((l) => l.name);
    const expected = await activations(model, { data: chosen, shape: [1, 32, 32, 3] }, layers);
    expect(result.files.map((f: { layer: string }) => f.layer)).toEqual(layers);
    expect(layers).toHaveLength(5);
    for (const [i, { layer, activation }] of expected.entries()) {
      const file = result.files[i];
      expect(file.shape).toEqual(activation.shape);
      const drawn = decodePng(readFileSync(file.file));
      const want = figureImage(activationFigure(activation, { layer }));
      expect(drawn.shape, layer).toEqual(want.shape);
      expect(mapDifference(drawn.data, want.data), layer).toBeLessThan(0.01);
    }
    model.dispose();

    // A file of a size training never saw: decoded and resized as training made its pictures.
    const file = join(tmp, 'photo.png');
    writeFileSync(file, encodePng(picture(COLOURS.red ?? [0, 0, 0], 30, 50, seededRandom(4))));
    const own = await cnnlab(
      'activations',
      '--model-dir',
      modelDir,
      '--image',
      file,
      '--json',
      '--quiet',
      '--out',
      figures,
    );
    expect(own.code, own.stderr).toBe(0);
    const made = resizeImage(toColorMode(decodeImage(readFileSync(file)), 'rgb'), [32, 32]);
    expect(json(own.stdout).image).toBe(file);
    expectPanel(json(own.stdout).input.file, made.data, 32);
  }, 60_000);

  it('refuses a bad --image or --index for a picture model in one line', async () => {
    const out = join(tmp, 'no-figures');
    const notes = join(tmp, 'notes.png');
    writeFileSync(notes, '<html>not a picture</html>');
    const cases: [string[], number, string][] = [
      [['--image', notes], 1, `${notes}: not a PNG or JPEG`],
      [['--image', join(tmp, 'missing.png')], 1, `${join(tmp, 'missing.png')} does not exist`],
      [['--index', '30'], 2, '--index must be within 0–29 (the held-out pictures of'],
      [['--index', '1', '--image', notes], 2, '--index and --image exclude each other'],
    ];
    for (const [args, code, message] of cases) {
      const result = await cnnlab(
        'activations',
        '--model-dir',
        modelDir,
        ...args,
        '--quiet',
        '--out',
        out,
      );
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(code);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses bad folders and flags in one line naming what was expected', async () => {
    const out = join(tmp, 'never');
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const single = join(tmp, 'single');
    drawFolder(single, 2, 5);
    rmSync(join(single, 'green'), { recursive: true });
    rmSync(join(single, 'red'), { recursive: true });
    const broken = join(tmp, 'broken');
    drawFolder(broken, 2, 6);
    writeFileSync(join(broken, 'red', 'notes.png'), '<html>not a picture</html>');
    const cases: [string[], number, string][] = [
      [['--images', empty], 1, empty],
      [['--images', single], 1, single],
      [['--images', broken], 1, `${join(broken, 'red', 'notes.png')}: not a PNG or JPEG`],
      [['--images', join(tmp, 'missing')], 1, join(tmp, 'missing')],
      [['--images', shapes, '--dataset', 'mnist'], 2, '--images and --dataset exclude each other'],
      [['--color-mode', 'grayscale'], 2, '--color-mode and --validation-split are for --images'],
      [['--image-size', '64'], 2, '--image-size is for --images'],
      [['--images', shapes, '--image-size', '16'], 2, 'the CNN needs at least 18'],
      [
        ['--images', shapes, '--validation-split', '0'],
        2,
        '--validation-split must be more than 0',
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await cnnlab('train', ...args, '--quiet', '--out', out);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(code);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    // A model folder inside the pictures would become a class: refused before anything is made.
    {
      const inside = join(shapes, 'model');
      const result = await cnnlab('train', '--images', shapes, '--quiet', '--out', inside);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('would become a class of pictures');
      expect(existsSync(inside)).toBe(false);
    }
    // A record whose pictures entry is broken cannot steer evaluate.
    const corrupt = join(tmp, 'corrupt');
    cpSync(modelDir, corrupt, { recursive: true });
    const modelJson = join(corrupt, 'model.json');
    const model = json(readFileSync(modelJson, 'utf8'));
    model.userDefinedMetadata.cnnlab.images.colorMode = 'cmyk';
    writeFileSync(modelJson, JSON.stringify(model));
    const refused = await cnnlab('evaluate', '--model-dir', corrupt, '--quiet');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'is corrupt: images: colorMode "cmyk" is not one of rgb, grayscale',
    );
    const notPicture = await cnnlab(
      'predict',
      '--model-dir',
      modelDir,
      join(broken, 'red', 'notes.png'),
    );
    expect(notPicture.code).toBe(1);
    expect(notPicture.stderr).toContain('not a PNG or JPEG');
  }, 60_000);
});

/**
 * The input panel of an activations run, `activations-input.png`: the picture's own colours,
 * every pixel a 5×5 block (32 px made at least 140).
 */
function expectPanel(file: string, pixels: ArrayLike<number>, side: number): void {
  const png = decodePng(readFileSync(file));
  const f = 5;
  expect(png.shape).toEqual([side * f, side * f, 4]);
  let coloured = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const o = ((y * f + 2) * side * f + x * f + 2) * 4;
      const rgb = [png.data[o], png.data[o + 1], png.data[o + 2]];
      const want = [0, 1, 2].map((c) => pixels[(y * side + x) * 3 + c]);
      expect(rgb, `pixel ${y},${x}`).toEqual(want);
      if (Math.abs((rgb[0] ?? 0) - (rgb[1] ?? 0)) > 60) coloured++;
    }
  }
  // A disc of a class's colour covers part of it: not drawn grey.
  expect(coloured).toBeGreaterThan(50);
}

/**
 * The fraction of pixels of two drawings of the same maps that differ by more than one viridis
 * step: the CLI's backend and this test's cpu may round a value on a byte's edge apart.
 */
function mapDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let differ = 0;
  for (let i = 0; i < a.length; i += 4) {
    const most = Math.max(...[0, 1, 2].map((c) => Math.abs((a[i + c] ?? 0) - (b[i + c] ?? 0))));
    if (most > 4) differ++;
  }
  return differ / (a.length / 4);
}
