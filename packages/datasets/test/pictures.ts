import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { findPython } from '../../../tests/python.js';

// Picture fixtures come from Pillow (test/image_reference.py), never from the code under test.

const SCRIPT = fileURLToPath(new URL('./image_reference.py', import.meta.url));

export const python = findPython('PIL, numpy');

/** Warns once per test file that its picture tests are skipped, and why. */
export function warnIfNoPython(file: string): void {
  if (!python) {
    console.warn(
      `${file}: picture tests skipped: no python3 with Pillow and numpy (Debian: python3-pil)`,
    );
  }
}

/** A picture for image_reference.py to write (see its `write`); `path` is relative to the folder. */
export interface PictureSpec {
  path: string;
  kind?: 'pil' | 'raw-png' | 'bomb-png' | 'claimed-png' | 'bytes';
  width?: number;
  height?: number;
  mode?: string;
  format?: 'PNG' | 'JPEG';
  pattern?: 'smooth' | 'noise';
  seed?: number;
  quality?: number;
  subsampling?: number;
  progressive?: boolean;
  transparency?: number | number[];
  bits?: number;
  colors?: number;
  colorType?: number;
  bitDepth?: number;
  interlace?: boolean;
  paletteSize?: number;
  indexRange?: number;
  tRNS?: number[];
  filters?: number[];
  mebibytes?: number;
  claimSize?: [number, number];
  truncate?: number;
  flip?: number;
  hex?: string;
}

/** An expectation: Pillow's decode of `file` in a colour mode, resized as Keras would (or not). */
export interface RefSpec {
  file: string;
  colorMode?: 'grayscale' | 'rgb' | 'rgba';
  size?: [number, number];
  fit?: 'crop' | 'pad';
  /** 'pil': Pillow's own bilinear, a second opinion when enlarging. */
  resampler?: 'pil';
  out: string;
}

/** A fresh temporary folder, removed after the test file. */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cnnlab-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Has image_reference.py write the pictures into `dir` and compute the refs; returns their shapes. */
export function makePictures(
  dir: string,
  write: PictureSpec[],
  refs: RefSpec[] = [],
): Record<string, number[]> {
  mkdirSync(dir, { recursive: true });
  const job = join(dir, 'job.json');
  writeFileSync(job, JSON.stringify({ write, refs }));
  execFileSync(python as string, [SCRIPT, job, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(job);
  const shapes = JSON.parse(readFileSync(join(dir, 'refs.json'), 'utf8'));
  rmSync(join(dir, 'refs.json'));
  return shapes;
}

/** The bytes of a ref or picture in `dir`. */
export function bytesOf(dir: string, path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, path)));
}

/** Largest absolute difference between two arrays of equal length (Infinity if lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Mean absolute difference of two arrays of equal length. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/**
 * A small dataset folder: three class folders (birds left empty, for the test to make), PNG and
 * JPEG of several modes and sizes, a nested folder, and what must be ignored: a hidden file and
 * folder, a text file, a picture at the top level.
 */
export const SAMPLE_FOLDER: PictureSpec[] = [
  { path: 'cats/c1.png', mode: 'RGB', width: 40, height: 30, pattern: 'noise', seed: 1 },
  {
    path: 'cats/c2.jpg',
    mode: 'RGB',
    format: 'JPEG',
    width: 50,
    height: 50,
    subsampling: 0,
    seed: 2,
  },
  { path: 'cats/sub/c3.png', mode: 'RGBA', width: 20, height: 35, pattern: 'noise', seed: 3 },
  { path: 'cats/.hidden.png', kind: 'bytes', hex: '00' },
  { path: 'cats/notes.txt', kind: 'bytes', hex: '6869' },
  { path: 'dogs/d1.png', mode: 'L', width: 64, height: 48, pattern: 'noise', seed: 4 },
  {
    path: 'dogs/d2.JPEG',
    mode: 'RGB',
    format: 'JPEG',
    width: 30,
    height: 60,
    subsampling: 0,
    seed: 5,
  },
  { path: 'dogs/d3.png', mode: 'P', colors: 16, width: 25, height: 25, seed: 6 },
  { path: 'top.png', mode: 'RGB', width: 10, height: 10, seed: 7 },
  { path: '.git/x.png', kind: 'bytes', hex: '00' },
];

/** SAMPLE_FOLDER's pictures in Keras's order (by class, then os.walk order): labels 1, 1, 1, 2, 2, 2. */
export const SAMPLE_FILES = [
  'cats/c1.png',
  'cats/c2.jpg',
  'cats/sub/c3.png',
  'dogs/d1.png',
  'dogs/d2.JPEG',
  'dogs/d3.png',
];
