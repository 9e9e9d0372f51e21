// A model trained on the user's pictures out to Keras's files and back: the imported folder
// predicts as the original did, and import takes what the Keras file cannot carry (the pictures
// folder, the held-out split, the class names).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@cnnlab/datasets';
import { encodePng } from '@cnnlab/viz/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOURS, drawFolder, picture } from './fixtures.js';
import { cnnlab } from './run-cli.js';

let tmp = '';
let shapes = '';
let modelDir = '';
let fresh = '';
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-cli-pictures-keras-'));
  shapes = join(tmp, 'shapes');
  modelDir = join(tmp, 'model');
  // 24 small pictures, two sizes: two epochs train in about a second.
  drawFolder(shapes, 8, 11, [
    [20, 20],
    [26, 20],
  ]);
  const trained = await cnnlab(
    'train',
    '--images',
    shapes,
    '--image-size',
    '20',
    '--validation-split',
    '0.25',
    '--epochs',
    '2',
    '--batch-size',
    '8',
    '--seed',
    '3',
    '--quiet',
    '--out',
    modelDir,
  );
  if (trained.code !== 0) throw new Error(`training failed: ${trained.stderr}`);
  // Pictures of sizes training never saw, one a folder holds.
  fresh = join(tmp, 'fresh');
  mkdirSync(fresh);
  const random = seededRandom(99);
  for (const [i, name] of ['blue', 'green', 'red'].entries()) {
    const colour = COLOURS[name] ?? [0, 0, 0];
    writeFileSync(join(fresh, `${i}.png`), encodePng(picture(colour, 30 + 10 * i, 44, random)));
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = (stdout: string) => JSON.parse(stdout);

interface Prediction {
  image: string;
  label: string;
  probability: number;
  topK: { label: string; probability: number }[];
}

async function predictions(dir: string): Promise<Prediction[]> {
  const predicted = await cnnlab('predict', '--model-dir', dir, fresh, '--json', '--quiet');
  expect(predicted.code, predicted.stderr).toBe(0);
  return json(predicted.stdout);
}

/** Same classes, same probabilities within 1e-5, for every picture and every top-k entry. */
function expectSamePredictions(got: Prediction[], want: Prediction[]): void {
  expect(got.map((p) => p.image)).toEqual(want.map((p) => p.image));
  for (const [i, p] of got.entries()) {
    const w = want[i] as Prediction;
    expect(p.label).toBe(w.label);
    expect(p.topK.map((t) => t.label)).toEqual(w.topK.map((t) => t.label));
    for (const [k, t] of p.topK.entries()) {
      expect(Math.abs(t.probability - (w.topK[k]?.probability ?? Number.NaN))).toBeLessThan(1e-5);
    }
  }
}

describe('cnnlab export and import of a picture model', () => {
  it('round-trips through .keras and .h5: the same predictions and the same held-out score', async () => {
    const original = await predictions(modelDir);
    expect(original).toHaveLength(3);
    const scored = await cnnlab('evaluate', '--model-dir', modelDir, '--json', '--quiet');
    expect(scored.code, scored.stderr).toBe(0);
    const score = json(scored.stdout);
    expect(score.n).toBe(6);
    for (const name of ['shapes.keras', 'shapes.h5']) {
      const file = join(tmp, name);
      const exported = await cnnlab(
        'export',
        '--model-dir',
        modelDir,
        '--out',
        file,
        '--json',
        '--quiet',
      );
      expect(exported.code, exported.stderr).toBe(0);
      // What the Keras file cannot carry, as the line that gives it back.
      expect(json(exported.stdout).importCommand).toBe(
        `cnnlab import ${file} --out DIR --images ${shapes} --validation-split 0.25 --seed 3 --class-names blue,green,red`,
      );
      const back = join(tmp, `back-${name}`);
      const imported = await cnnlab(
        'import',
        file,
        '--out',
        back,
        '--images',
        shapes,
        '--validation-split',
        '0.25',
        '--seed',
        '3',
        '--class-names',
        'blue,green,red',
        '--json',
        '--quiet',
      );
      expect(imported.code, imported.stderr).toBe(0);
      expect(json(imported.stdout)).toMatchObject({
        inputShape: [null, 20, 20, 3],
        classNames: ['blue', 'green', 'red'],
        images: { dir: shapes, size: 20, colorMode: 'rgb', validationSplit: 0.25, seed: 3 },
      });
      expectSamePredictions(await predictions(back), original);
      const again = await cnnlab('evaluate', '--model-dir', back, '--json', '--quiet');
      expect(again.code, again.stderr).toBe(0);
      expect(json(again.stdout).n).toBe(score.n);
      expect(json(again.stdout).accuracy).toBe(score.accuracy);
      expect(json(again.stdout).loss).toBeCloseTo(score.loss, 5);
    }
  }, 60_000);

  it('imports with --dataset images alone: predict and activations --image work, a folder is asked for', async () => {
    const back = join(tmp, 'no-folder');
    const imported = await cnnlab(
      'import',
      join(tmp, 'shapes.h5'),
      '--out',
      back,
      '--dataset',
      'images',
      '--class-names',
      'blue,green,red',
      '--json',
      '--quiet',
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported.stdout).images).toEqual({ size: 20, colorMode: 'rgb' });
    expectSamePredictions(await predictions(back), await predictions(modelDir));
    const lost = await cnnlab('evaluate', '--model-dir', back, '--quiet');
    expect(lost.code).toBe(1);
    expect(lost.stderr.trim().split('\n')).toHaveLength(1);
    expect(lost.stderr).toContain(
      'names no pictures folder (imported without --images); pass --images DIR',
    );
    const whole = await cnnlab(
      'evaluate',
      '--model-dir',
      back,
      '--images',
      shapes,
      '--json',
      '--quiet',
    );
    expect(whole.code, whole.stderr).toBe(0);
    expect(json(whole.stdout).n).toBe(24);
    const figures = join(tmp, 'figures');
    const own = await cnnlab(
      'activations',
      '--model-dir',
      back,
      '--image',
      join(fresh, '2.png'),
      '--json',
      '--quiet',
      '--out',
      figures,
    );
    expect(own.code, own.stderr).toBe(0);
    expect(json(own.stdout).input.shape).toEqual([20, 20, 3]);
    expect(existsSync(join(figures, 'activations-input.png'))).toBe(true);
    const held = await cnnlab('activations', '--model-dir', back, '--quiet', '--out', figures);
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('pass --image FILE');
  }, 60_000);

  it('refuses flags that do not fit a picture model in one line, leaving nothing behind', async () => {
    const file = join(tmp, 'shapes.keras');
    const out = join(tmp, 'never');
    // A dense network takes digits flat, not pictures.
    const dense = join(tmp, 'dense');
    const trained = await cnnlab(
      'train',
      '--model',
      'dense',
      '--limit',
      '200',
      '--quiet',
      '--out',
      dense,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const denseFile = join(tmp, 'dense.keras');
    expect((await cnnlab('export', '--model-dir', dense, '--out', denseFile, '--quiet')).code).toBe(
      0,
    );
    const names = ['--class-names', 'blue,green,red'];
    const cases: [string[], number, string][] = [
      [
        [file, '--validation-split', '0.25', ...names],
        2,
        '--validation-split and --seed are for --images',
      ],
      [
        [file, '--images', shapes, '--seed', '3', ...names],
        2,
        '--validation-split and --seed go together',
      ],
      [
        [file, '--images', shapes, '--dataset', 'mnist', ...names],
        2,
        '--images and --dataset mnist exclude each other',
      ],
      [[file, '--images', shapes], 2, '--images needs --class-names'],
      [[file, '--dataset', 'images', '--classes', '0,1,2'], 2, '--classes is for a data set'],
      [
        [file, '--images', join(tmp, 'missing'), ...names],
        1,
        `--images ${join(tmp, 'missing')} does not exist`,
      ],
      [[denseFile, '--dataset', 'images'], 1, 'a picture model takes square pictures'],
    ];
    for (const [args, code, message] of cases) {
      const result = await cnnlab('import', ...args, '--quiet', '--out', out);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(code);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);
});
