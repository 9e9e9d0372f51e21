import { seededRandom } from '@cnnlab/core';

/** Random uint8 images [n, h, w] and labels 0..k-1, reproducible from the seed. */
export function randomSplit(n: number, h = 28, w = 28, k = 10, seed = 1) {
  const random = seededRandom(seed);
  const data = new Uint8Array(n * h * w);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = Math.floor(random() * k);
  return { images: { data, shape: [n, h, w] }, labels };
}

/** A Sign-MNIST CSV text for the given rows; each row's pixels are derived from its index. */
export function signCsv(
  labels: number[],
  options: { eol?: string; trailingNewline?: boolean } = {},
) {
  const eol = options.eol ?? '\n';
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`)].join(',');
  const rows = labels.map((label, r) => [label, ...signPixels(r)].join(','));
  const text = [header, ...rows].join(eol);
  return options.trailingNewline === false ? text : text + eol;
}

/** The pixels `signCsv` writes for row r. */
export function signPixels(r: number): number[] {
  return Array.from({ length: 784 }, (_, i) => (i * 7 + r * 31) % 256);
}

/**
 * Index of the first element where two arrays differ (-1 when equal, or the shorter length when
 * one is a prefix). vitest's toEqual walks large typed arrays slowly; this keeps tests fast.
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
