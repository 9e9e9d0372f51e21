// `pnpm start`: a short tour of @cnnlab/datasets on the MNIST digits that ship with it.
// Until `cnnlab workshop` exists, this is the project's main job.
import { performance } from 'node:perf_hooks';
import {
  classCounts,
  flatten,
  loadMnist,
  normalize,
  toCategorical,
  withChannels,
} from '@cnnlab/datasets';

const SHADES = ' ░▒▓█';

/** @param {number} n */
const fmt = (n) => n.toLocaleString('en-US');

/** @param {readonly number[]} shape */
const dims = (shape) => `[${shape.join(', ')}]`;

/**
 * One image of a batch as text, cropped to its ink plus a margin of one pixel, each pixel two
 * characters wide so that it looks square.
 * @param {{ data: Uint8Array, shape: readonly number[] }} images
 * @param {number} index
 */
function draw(images, index) {
  const [, h, w] = images.shape;
  const pixel = (/** @type {number} */ y, /** @type {number} */ x) =>
    images.data[index * h * w + y * w + x];
  let top = h;
  let bottom = -1;
  let left = w;
  let right = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (pixel(y, x) === 0) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  if (bottom < 0) [top, bottom, left, right] = [0, h - 1, 0, w - 1];
  [top, left] = [Math.max(0, top - 1), Math.max(0, left - 1)];
  [bottom, right] = [Math.min(h - 1, bottom + 1), Math.min(w - 1, right + 1)];
  const lines = [];
  for (let y = top; y <= bottom; y++) {
    let line = '';
    for (let x = left; x <= right; x++) {
      const shade = Math.min(SHADES.length - 1, Math.floor((pixel(y, x) / 256) * SHADES.length));
      line += SHADES[shade].repeat(2);
    }
    lines.push(`    │${line}│`);
  }
  const rule = '─'.repeat(2 * (right - left + 1));
  return [`    ┌${rule}┐`, ...lines, `    └${rule}┘`].join('\n');
}

const start = performance.now();
const mnist = await loadMnist();
const loadMs = performance.now() - start;
const { train, test, classNames } = mnist;
const [, height, width] = train.images.shape;

console.log('\ncnnlab · a look at MNIST with @cnnlab/datasets\n');
console.log(`  source  ${mnist.source.description}`);
console.log(
  `  loaded  in ${loadMs.toFixed(0)} ms (${mnist.source.kind}: ${mnist.source.location})`,
);
console.log(`  train   ${fmt(train.labels.length)} images of ${height}×${width}`);
console.log(`  test    ${fmt(test.labels.length)} images of ${height}×${width}\n`);

console.log('Images per class');
const trainCounts = classCounts(train.labels, classNames.length);
const testCounts = classCounts(test.labels, classNames.length);
const cell = (/** @type {string | number} */ value) => String(value).padStart(6);
console.log(`  ${'class'.padEnd(6)}${classNames.map(cell).join('')}`);
console.log(`  ${'train'.padEnd(6)}${trainCounts.map(cell).join('')}`);
console.log(`  ${'test'.padEnd(6)}${testCounts.map(cell).join('')}\n`);

const label = test.labels[0];
console.log(`The first test image, labelled ${classNames[label]}:`);
console.log(draw(test.images, 0));
console.log();

const onehot = toCategorical(train.labels, classNames.length);
const firstRow = Array.from(onehot.data.subarray(0, classNames.length));
const scaled = normalize(train.images);
let max = 0;
for (const value of scaled.data) if (value > max) max = value;
const rows = [
  ['train images', dims(train.images.shape), 'uint8 pixels 0…255'],
  ['normalize(images)', dims(scaled.shape), `float32 in 0…${max}`],
  ['flatten(images)', dims(flatten(train.images).shape), 'for the dense network'],
  ['withChannels(images)', dims(withChannels(train.images).shape), 'for the CNN'],
  [
    'toCategorical(labels, 10)',
    dims(onehot.shape),
    `one-hot: ${train.labels[0]} → [${firstRow.join(',')}]`,
  ],
];
console.log('Ready for a network');
const nameWidth = Math.max(...rows.map((row) => row[0].length));
const shapeWidth = Math.max(...rows.map((row) => row[1].length));
for (const [name, shape, note] of rows) {
  console.log(`  ${name.padEnd(nameWidth)}  ${shape.padEnd(shapeWidth)}  ${note}`);
}
console.log('\nNext: the workshop itself, `cnnlab workshop` (coming with apps/cli).\n');
