// cnnlab train --images: a folder of the user's own pictures, one subfolder per class, learnt,
// scored on the held-out part and used to classify a new picture. The pictures are drawn here:
// a disc of the class's colour on a noisy background, at several sizes so resizing is exercised.
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
import { seededRandom } from '@cnnlab/datasets';
import { encodePng } from '@cnnlab/viz/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnnlab } from './run-cli.js';

const COLOURS: Record<string, [number, number, number]> = {
  blue: [40, 60, 220],
  green: [40, 200, 60],
  red: [220, 50, 40],
};
const SIZES: [number, number][] = [
  [24, 24],
  [40, 40],
  [48, 36],
];

/** A disc of `colour` somewhere on grey noise, `h`×`w` RGB. */
function picture(colour: [number, number, number], h: number, w: number, random: () => number) {
  const data = new Uint8Array(h * w * 3);
  const r = (0.25 + 0.15 * random()) * Math.min(h, w);
  const cy = r + random() * (h - 2 * r);
  const cx = r + random() * (w - 2 * r);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = (y - cy) ** 2 + (x - cx) ** 2 < r * r;
      const grey = 60 + random() * 120;
      for (let c = 0; c < 3; c++) {
        const v = inside ? (colour[c] ?? 0) + (random() - 0.5) * 60 : grey;
        data[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, shape: [h, w, 3] };
}

/** `perClass` pictures of each colour in `dir/<colour>/`, the sizes taken in turn. */
function drawFolder(dir: string, perClass: number, seed: number): void {
  const random = seededRandom(seed);
  for (const [name, colour] of Object.entries(COLOURS)) {
    mkdirSync(join(dir, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const [h, w] = SIZES[i % SIZES.length] ?? [32, 32];
      writeFileSync(join(dir, name, `${i}.png`), encodePng(picture(colour, h, w, random)));
    }
  }
}

let tmp = '';
let shapes = '';
let modelDir = '';
beforeAll(() => {
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
