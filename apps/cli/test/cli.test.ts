import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadMnist } from '@cnnlab/datasets/node';
import { decodePng, encodePng } from '@cnnlab/viz/node';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../../../tests/chromium.js';
import { writeTestDigitPng } from './fixtures.js';
import { cnnlab } from './run-cli.js';
import { svgImages, svgMarkTexts, svgTexts } from './svg-parts.js';

let tmp = '';
/** Screenshots to look at after a run (ignored by git). */
const screenshots = fileURLToPath(new URL('../test-output/', import.meta.url));
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cnnlab workshop --quick', () => {
  it('writes the report, its figures and metrics above chance', async () => {
    const out = join(tmp, 'report');
    // A tiny Kaggle-shaped CSV: 3 rows of each of the 24 letters (labels 0–24 without 9).
    const rows = [`label,${Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`).join(',')}`];
    for (let r = 0; r < 3; r++) {
      for (let label = 0; label < 25; label++) {
        if (label === 9) continue;
        rows.push(
          `${label},${Array.from({ length: 784 }, (_, i) => (i * 7 + label * 13 + r) % 256).join(',')}`,
        );
      }
    }
    const csv = join(tmp, 'sign.csv');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const { code, stderr } = await cnnlab(
      'workshop',
      '--quick',
      '--quiet',
      '--sign-mnist',
      csv,
      csv,
      '--out',
      out,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // Measured: dense ≈ 86–88%, CNN ≈ 91–92% after one epoch each on 8,000 digits; chance is 10%.
    expect(metrics.dense.testAccuracy).toBeGreaterThan(0.7);
    expect(metrics.cnn.testAccuracy).toBeGreaterThan(0.7);
    expect(metrics.convolution.workedExampleFirst).toBe(-7);
    expect(metrics.vgg16.base.trainable).toBe(0);
    // Step 7 on real digits, quick: 30 examples of each digit 5–9 for 5 epochs, a base of two
    // epochs on 0–4. Measured with seeds 1, 2, 3: base 96–97% on the 1,025 test digits 0–4;
    // transferred 86, 80, 91% against scratch 76, 66, 82% (chance is 20%).
    const { transfer } = metrics;
    expect(transfer.sourceClasses).toEqual([0, 1, 2, 3, 4]);
    expect(transfer.targetClasses).toEqual([5, 6, 7, 8, 9]);
    expect([transfer.base.testImages, transfer.testImages]).toEqual([1025, 975]);
    expect(transfer.base.testAccuracy).toBeGreaterThan(0.8);
    expect(transfer.results).toHaveLength(1);
    const [few] = transfer.results;
    expect([few.examplesPerClass, few.trainImages]).toEqual([30, 150]);
    for (const net of [few.transferred, few.scratch]) {
      expect(net.testAccuracy).toBeGreaterThan(0.5);
      expect(net.testAccuracy).toBeLessThanOrEqual(1);
      expect(net.history.val_acc).toHaveLength(transfer.epochs);
    }
    // Only the new head trains: Dense 64 on the 576 features, Dense 5.
    expect(few.transferred.trainableParams).toBe(37_253);
    expect(few.scratch.trainableParams).toBe(92_997);
    expect(few.transferred.testAccuracy).toBeGreaterThan(few.scratch.testAccuracy);
    expect(html).toContain('Transfer learning on real digits');
    expect(html).toContain(
      `<td>30 (150 images)</td><td>${(few.transferred.testAccuracy * 100).toFixed(2)}%</td>`,
    );
    const files = [
      'dense-curves.svg',
      'translation.svg',
      'augmentation.svg',
      'filters.svg',
      'cnn-curves.svg',
      'cnn-confusion.svg',
      'activations-conv2d.svg',
      'activations-conv2d_1.svg',
      'activations-conv2d_2.svg',
      'kernels.svg',
      'transfer.svg',
      'sign-samples.svg',
    ];
    files.push('sign-rockPaperScissors-curves.svg', 'sign-letters-curves.svg');
    expect(metrics.signMnist.rockPaperScissors.classes).toEqual(['A', 'B', 'V']);
    expect(metrics.signMnist.letters.classes).toHaveLength(24);
    // Self-contained: every figure embedded, byte for byte, and nothing referred to beside it.
    for (const file of files) {
      expect(existsSync(join(out, file)), file).toBe(true);
      const type = file.endsWith('.svg') ? 'image/svg+xml' : 'image/png';
      const embedded = `src="data:${type};base64,${readFileSync(join(out, file)).toString('base64')}"`;
      expect(html, file).toContain(embedded);
    }
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(references.filter((ref) => !ref.startsWith('data:'))).toEqual([]);
    expect(readFileSync(join(out, 'cnn-curves.svg'), 'utf8')).toMatch(/^<svg|<svg /);
    expect(readFileSync(join(out, 'vgg16-summary.txt'), 'utf8')).toContain(
      'Non-trainable params: 14,714,688',
    );
    // 32 maps of 26×26, each ×2, 16 a row 2 px apart: 2 rows.
    const grid = decodePng(readFileSync(join(out, 'activations-conv2d.png')));
    expect(grid.shape).toEqual([2 * 52 + 2, 16 * 52 + 15 * 2, 4]);

    // Figures that explain themselves: titles as text, digits at 140 px, the pixels themselves.
    const svg = (file: string) => readFileSync(join(out, file), 'utf8');
    expect(svgTexts(svg('translation.svg'), 'panel-title')).toEqual(['Original', 'Translated']);
    const [original] = svgImages(svg('translation.svg'));
    expect([original?.width, original?.height]).toEqual([140, 140]);
    const { test } = await loadMnist();
    // Pixel (y, x) of the digit is the 5×5 block at (5y, 5x); greys draws 255 as black.
    const at = (y: number, x: number) => original?.png.data[((y * 5 + 2) * 140 + x * 5 + 2) * 4];
    for (const [y, x] of [
      [14, 14],
      [5, 20],
      [20, 9],
    ] as const) {
      expect(at(y, x)).toBe(255 - (test.images.data[y * 28 + x] ?? 0));
    }
    expect(svgTexts(svg('filters.svg'), 'panel-title')).toEqual([
      'Original',
      'Smoothed',
      'Horizontal Edges',
      'All Edges',
    ]);
    const augmented = svgImages(svg('augmentation.svg'));
    expect(augmented).toHaveLength(9);
    for (const panel of augmented)
      expect(Math.min(panel.width, panel.height)).toBeGreaterThanOrEqual(140);
    const confusion = svgTexts(svg('cnn-confusion.svg'));
    expect(confusion).toContain('True digit');
    expect(confusion).toContain('Predicted digit');
    expect(confusion).toContain('Count');
    // A count in each of the 100 cells, adding up to the 2,000 test digits.
    const cells = svgMarkTexts(svg('cnn-confusion.svg')).map(Number);
    expect(cells).toHaveLength(100);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(2000);
    for (const [layer, shape, side] of [
      ['conv2d', '26×26×32', 52],
      ['conv2d_1', '11×11×64', 44],
      ['conv2d_2', '3×3×64', 42],
    ] as const) {
      const file = svg(`activations-${layer}.svg`);
      expect(svgTexts(file, 'figure-title')).toEqual([`${layer} · ${shape}`]);
      const maps = svgImages(file);
      expect(maps.length).toBe(Number(shape.split('×')[2]));
      expect(maps[0]?.width).toBe(side);
    }
    // Quick mode trains one epoch: the training dots are tenths of it, so still a curve.
    expect(svgTexts(svg('cnn-curves.svg'))).toContain('Epoch (training: mean of each tenth)');
    expect(svgTexts(svg('kernels.svg'), 'figure-title')).toEqual([
      'Written by hand (step 4)',
      'Learnt by conv2d: 32 kernels of 3×3',
    ]);
    expect(svgImages(svg('kernels.svg'))).toHaveLength(3 + 32);
    const letters = svgTexts(svg('sign-samples.svg'), 'panel-title');
    expect(letters.length).toBeGreaterThan(0);
    for (const letter of letters) expect(['A', 'B', 'V']).toContain(letter);
    // The report says how many gradient steps each network had.
    expect(metrics.dense.steps).toBe(32);
    expect(metrics.cnn.steps).toBe(125);
    expect(html).toContain('125 (1 epoch)');

    // Opened in a browser with nothing beside it and no network: every figure shows.
    const alone = join(tmp, 'mailed', 'index.html');
    mkdirSync(join(tmp, 'mailed'));
    copyFileSync(join(out, 'index.html'), alone);
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const fetched: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:') && url.endsWith('/index.html')) return route.continue();
        fetched.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(alone).href);
      const shown = await page.$$eval('figure img', (imgs) =>
        (imgs as HTMLImageElement[]).map((img) => ({
          file: img.dataset.file,
          ok: img.complete && img.naturalWidth > 0,
          width: img.naturalWidth,
          height: img.naturalHeight,
        })),
      );
      expect(fetched).toEqual([]);
      expect(shown.map((s) => s.file).sort()).toEqual([...files].sort());
      for (const figure of shown) {
        expect(figure.ok, figure.file).toBe(true);
        expect(Math.min(figure.width, figure.height), figure.file).toBeGreaterThanOrEqual(100);
      }
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

describe('train, evaluate and predict', () => {
  it('predicts the labels of test digits saved as PNG, at 28×28 and enlarged', async () => {
    const modelDir = join(tmp, 'dense');
    const trained = await cnnlab(
      'train',
      '--model',
      'dense',
      '--epochs',
      '3',
      '--batch-size',
      '128',
      '--seed',
      '1',
      '--quiet',
      '--json',
      '--out',
      modelDir,
    );
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout).testAccuracy).toBeGreaterThan(0.8);

    const { test } = await loadMnist();
    const files: string[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 10; i++) {
      const digit = test.images.data.subarray(i * 784, (i + 1) * 784);
      // Twice the size, each pixel a 2×2 block: predict must bring it back to 28×28.
      const big = new Uint8Array(56 * 56).map(
        (_, k) => digit[Math.floor(k / 112) * 28 + Math.floor((k % 56) / 2)] ?? 0,
      );
      const file = join(tmp, `digit-${i}.png`);
      writeFileSync(
        file,
        encodePng({ data: i % 2 ? big : digit, shape: i % 2 ? [56, 56] : [28, 28] }),
      );
      files.push(file);
      labels.push(test.labels[i] ?? -1);
    }
    const predicted = await cnnlab(
      'predict',
      '--json',
      '--quiet',
      '--model-dir',
      modelDir,
      ...files,
    );
    expect(predicted.code).toBe(0);
    const results = JSON.parse(predicted.stdout) as { class: number }[];
    const right = results.filter((r, i) => r.class === labels[i]).length;
    expect(right).toBeGreaterThanOrEqual(8);

    const evaluated = await cnnlab('evaluate', '--json', '--quiet', '--model-dir', modelDir);
    expect(evaluated.code).toBe(0);
    const evaluation = JSON.parse(evaluated.stdout);
    expect(evaluation.confusionMatrix).toHaveLength(10);
    expect(svgTexts(readFileSync(join(modelDir, 'confusion.svg'), 'utf8'))).toContain('True digit');

    // A folder that is not a model; a file that is not an image.
    const notModel = await cnnlab('predict', '--model-dir', tmp, files[0] ?? '');
    expect(notModel.code).toBe(1);
    expect(notModel.stderr.trim().split('\n')).toHaveLength(1);
    expect(notModel.stderr).toContain('is not a model folder');
    const notImage = join(tmp, 'not.png');
    writeFileSync(notImage, 'hello');
    const badImage = await cnnlab('predict', '--quiet', '--model-dir', modelDir, notImage);
    expect(badImage.code).toBe(1);
    expect(badImage.stderr).toMatch(/^cnnlab: cannot read image .*not\.png: not a PNG file/);
    expect(badImage.stderr.trim().split('\n')).toHaveLength(1);

    // A broken record must not pass for a model made by another tool: the one inside model.json,
    // and the cnnlab.json of a folder saved before the record moved there.
    const broken = join(tmp, 'broken-record');
    cpSync(modelDir, broken, { recursive: true });
    const modelJson = join(broken, 'model.json');
    const saved = JSON.parse(readFileSync(modelJson, 'utf8'));
    saved.userDefinedMetadata.cnnlab.dataset = 'bogus';
    writeFileSync(modelJson, JSON.stringify(saved));
    const bogus = await cnnlab('evaluate', '--quiet', '--model-dir', broken);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toContain("unknown dataset 'bogus'");
    delete saved.userDefinedMetadata.cnnlab;
    writeFileSync(modelJson, JSON.stringify(saved));
    writeFileSync(join(broken, 'cnnlab.json'), '{bad');
    const corrupt = await cnnlab('predict', '--quiet', '--model-dir', broken, files[0] ?? '');
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/^cnnlab: .*broken-record\/cnnlab\.json is corrupt/);
    // Saving leaves no scratch file behind: the model, its weights, the record's copy, figures.
    expect(
      readdirSync(modelDir)
        .map((f) => f.replace(/^weights\.[0-9a-f]+\.bin$/, 'weights.bin'))
        .sort(),
    ).toEqual(['cnnlab.json', 'confusion.svg', 'curves.svg', 'model.json', 'weights.bin'].sort());
  });
});

describe('activations and datasets info', () => {
  it("draws a saved CNN's activations and counts the embedded digits", async () => {
    const modelDir = join(tmp, 'cnn');
    const trained = await cnnlab(
      'train',
      '--model',
      'cnn',
      '--epochs',
      '1',
      '--batch-size',
      '128',
      '--quiet',
      '--out',
      modelDir,
    );
    expect(trained.code).toBe(0);
    const figures = join(tmp, 'act');
    const drawn = await cnnlab(
      'activations',
      '--json',
      '--model-dir',
      modelDir,
      '--index',
      '2',
      '--out',
      figures,
    );
    expect(drawn.code).toBe(0);
    expect(JSON.parse(drawn.stdout).files).toHaveLength(5);
    // 64 maps of 11×11, each ×4, 16 a row 2 px apart: 4 rows.
    expect(decodePng(readFileSync(join(figures, 'activations-conv2d_1.png'))).shape).toEqual([
      4 * 44 + 3 * 2,
      16 * 44 + 15 * 2,
      4,
    ]);
    const titles = svgTexts(
      readFileSync(join(figures, 'activations-conv2d_1.svg'), 'utf8'),
      'figure-title',
    );
    expect(titles).toEqual(['conv2d_1 · 11×11×64']);
    const png = join(tmp, 'seven.png');
    await writeTestDigitPng(png, 0);
    const augmented = await cnnlab('augment', png, '--n', '4', '--quiet', '--out', figures);
    expect(augmented.code).toBe(0);
    // Four samples in a 2×2 grid of 140 px panels, 6 px apart.
    expect(decodePng(readFileSync(join(figures, 'augmented.png'))).shape).toEqual([286, 286, 4]);
    expect(svgImages(readFileSync(join(figures, 'augmented.svg'), 'utf8'))).toHaveLength(4);
    const info = await cnnlab('datasets', 'info', '--json');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout).train.shape).toEqual([8000, 28, 28]);
  });
});

describe('help and bad input', () => {
  it('shows help with examples and exit codes', async () => {
    const top = await cnnlab('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Exit codes');
    for (const command of [
      'workshop',
      'train',
      'evaluate',
      'predict',
      'export',
      'import',
      'summary',
      'filters',
      'backend',
      'activations',
      'transfer',
      'augment',
      'bench',
      'datasets',
    ]) {
      const help = await cnnlab(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain('Examples:');
    }
    for (const sub of ['info', 'fetch']) {
      const help = await cnnlab('datasets', sub, '--help');
      expect(help.stdout, sub).toContain('Examples:');
    }
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['train', '--nope', '--out', 'x'], "unknown option '--nope'"],
    [['train', '--epochs', 'x', '--out', 'x'], '--epochs expects a whole number'],
    [['train', '--model', 'resnet', '--out', 'x'], 'resnet'],
    [['train', '--augment', 'spin=3', '--out', 'x'], '--augment expects'],
    [['filters', 'x.png', '--mode', 'diagonal'], "unknown mode 'diagonal'"],
    [
      ['augment', 'x.png', '--rotation', 'lots'],
      "--rotation expects a number from 0 to 360 (degrees), got 'lots'",
    ],
    [['train', '--classes', '0,99', '--out', 'x'], '--classes: 99 is not a label of mnist (0–9)'],
    [['train', '--classes', '1,2,', '--out', 'x'], '--classes expects comma-separated labels'],
    [['train', '--classes', '3,3', '--out', 'x'], '--classes lists a label twice'],
    [['train', '--classes', '3', '--out', 'x'], '--classes needs at least two labels'],
    [
      ['train', '--dataset', 'sign-mnist', '--classes', '0,9', '--out', 'x'],
      '--classes: 9 is not a Sign-MNIST label',
    ],
    [['summary', '--model', 'cnn', '--image-size', '64'], '--image-size is for --model vgg16'],
    [['bench', '--backends', ','], '--backends lists no backend'],
  ])('usage error %j exits 2 with one line', async (args, message) => {
    const { code, stderr } = await cnnlab(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a missing data folder and an unwritable output folder in one line, exit 1', async () => {
    const missing = await cnnlab(
      'train',
      '--data-dir',
      join(tmp, 'nowhere'),
      '--quiet',
      '--out',
      join(tmp, 'm'),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    const unwritable = await cnnlab('workshop', '--quick', '--quiet', '--out', join(file, 'sub'));
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/^cnnlab: cannot write to output folder/);
    const verbose = await cnnlab(
      'workshop',
      '--quick',
      '--quiet',
      '--verbose',
      '--out',
      join(file, 'sub'),
    );
    expect(verbose.stderr.split('\n').length).toBeGreaterThan(2);
  });

  it('reports a corrupt sign-mnist CSV', async () => {
    const csv = join(tmp, 'bad.csv');
    writeFileSync(csv, 'label,pixel1\n3,x\n');
    const { code, stderr } = await cnnlab(
      'workshop',
      '--quick',
      '--quiet',
      '--sign-mnist',
      csv,
      csv,
      '--out',
      join(tmp, 'r2'),
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
