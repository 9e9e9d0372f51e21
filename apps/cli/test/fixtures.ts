import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { seededRandom, writeIdx } from '@cnnlab/datasets';
import { loadMnist } from '@cnnlab/datasets/node';
import { encodePng } from '@cnnlab/viz/node';

/**
 * A learnable stand-in for Fashion-MNIST in its four IDX files (gzip): class c is a bright bar
 * in row band c of a 28×28 picture, with noise. A dense network learns it in a few epochs.
 */
export function writeBarsDataset(dir: string, train = 600, test = 200, seed = 1): void {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(seed);
  const split = (n: number) => {
    const images = new Uint8Array(n * 784);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 10;
      labels[i] = c;
      for (let p = 0; p < 784; p++) {
        const row = Math.floor(p / 28);
        const inBar = row >= 2 + c * 2.4 && row < 4 + c * 2.4;
        images[i * 784 + p] = Math.min(255, Math.floor(random() * 90 + (inBar ? 150 : 0)));
      }
    }
    return { images, labels };
  };
  const write = (name: string, array: { data: Uint8Array; shape: number[] }) =>
    writeFileSync(join(dir, `${name}.gz`), writeIdx(array, { gzip: true }));
  const a = split(train);
  const b = split(test);
  write('train-images-idx3-ubyte', { data: a.images, shape: [train, 28, 28] });
  write('train-labels-idx1-ubyte', { data: a.labels, shape: [train] });
  write('t10k-images-idx3-ubyte', { data: b.images, shape: [test, 28, 28] });
  write('t10k-labels-idx1-ubyte', { data: b.labels, shape: [test] });
}

/** Writes embedded test digit `index` as a 28×28 grey PNG at `file`; resolves to its label. */
export async function writeTestDigitPng(file: string, index: number): Promise<number> {
  const { test } = await loadMnist();
  writeFileSync(
    file,
    encodePng({ data: test.images.data.subarray(index * 784, (index + 1) * 784), shape: [28, 28] }),
  );
  return test.labels[index] ?? -1;
}

let crcTable: Uint32Array | undefined;

/** PNG's CRC-32 (its chunks need one each for a reader to go past them). */
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array = new Uint8Array(0)): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A hand-made grey 8-bit PNG: a header declaring `width`×`height`, then `data` as its IDAT (the
 * deflated scanlines, whole or not) and IEND. Each chunk has a good CRC, so a reader that trusts
 * the header goes on to allocate what it declares.
 */
export function handMadePng(width: number, height: number, data?: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    ...(data ? [pngChunk('IDAT', data)] : []),
    pngChunk('IEND'),
  ]);
}

/** `rows` grey scanlines of `width` pixels (filter byte 0 on each), deflated. */
export function greyScanlines(width: number, rows: number, value = 128): Uint8Array {
  const raw = new Uint8Array(rows * (width + 1));
  for (let y = 0; y < rows; y++) raw.fill(value, y * (width + 1) + 1, (y + 1) * (width + 1));
  return deflateSync(raw);
}

/** A Kaggle-shaped Sign-MNIST CSV with one noisy 28×28 row per label given. */
export function writeSignCsv(file: string, labels: number[]): void {
  const rows = [`label,${Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`).join(',')}`];
  labels.forEach((label, r) => {
    rows.push(
      `${label},${Array.from({ length: 784 }, (_, i) => (i * 7 + label * 13 + r) % 256).join(',')}`,
    );
  });
  writeFileSync(file, `${rows.join('\n')}\n`);
}

export const COLOURS: Record<string, [number, number, number]> = {
  blue: [40, 60, 220],
  green: [40, 200, 60],
  red: [220, 50, 40],
};
const SIZES: [number, number][] = [
  [24, 24],
  [40, 40],
  [48, 36],
];

/** A disc of `colour` somewhere on grey noise, `h`×`w` RGB: a picture of the user's own. */
export function picture(
  colour: [number, number, number],
  h: number,
  w: number,
  random: () => number,
) {
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

/**
 * `perClass` pictures of each colour in `dir/<colour>/` (a folder for train --images), the sizes
 * taken in turn: by default several, so resizing is exercised.
 */
export function drawFolder(
  dir: string,
  perClass: number,
  seed: number,
  sizes: readonly [number, number][] = SIZES,
): void {
  const random = seededRandom(seed);
  for (const [name, colour] of Object.entries(COLOURS)) {
    mkdirSync(join(dir, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const [h, w] = sizes[i % sizes.length] ?? [32, 32];
      writeFileSync(join(dir, name, `${i}.png`), encodePng(picture(colour, h, w, random)));
    }
  }
}
