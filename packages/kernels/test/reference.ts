// A plain, slow, independent statement of scipy.signal.convolve2d / correlate2d, written from
// their definitions for the tests to compare with. Nothing here is shared with src/.

export type Nested = number[][];

/** The value beyond the edge, by stepping back inside one reflection or wrap at a time. */
function at(image: Nested, r: number, c: number, boundary: string, fill: number): number {
  const rows = image.length;
  const cols = image[0].length;
  const fold = (i: number, n: number): number | null => {
    let j = i;
    while (j < 0 || j >= n) {
      if (boundary === 'fill') return null;
      if (boundary === 'wrap') j = j < 0 ? j + n : j - n;
      else j = j < 0 ? -j - 1 : 2 * n - j - 1; // symm: mirror with the edge repeated
    }
    return j;
  };
  const rr = fold(r, rows);
  const cc = fold(c, cols);
  return rr === null || cc === null ? fill : image[rr][cc];
}

export function referenceFilter(
  image: Nested,
  kernel: Nested,
  fn: 'convolve2d' | 'correlate2d',
  mode: 'full' | 'same' | 'valid',
  boundary: 'fill' | 'wrap' | 'symm',
  fill = 0,
): Nested {
  let a = image;
  let k = kernel;
  let swapped = false;
  if (mode === 'valid') {
    const fits = (x: Nested, y: Nested) => x.length >= y.length && x[0].length >= y[0].length;
    if (!fits(a, k)) {
      if (!fits(k, a)) throw new Error('neither fits');
      [a, k] = [k, a];
      swapped = true;
    }
  }
  const M = a.length;
  const N = a[0].length;
  const K = k.length;
  const L = k[0].length;
  // Full result by the textbook sums.
  const full: Nested = [];
  for (let i = 0; i < M + K - 1; i++) {
    const row: number[] = [];
    for (let j = 0; j < N + L - 1; j++) {
      let s = 0;
      for (let u = 0; u < K; u++) {
        for (let v = 0; v < L; v++) {
          s +=
            fn === 'convolve2d'
              ? at(a, i - u, j - v, boundary, fill) * k[u][v]
              : at(a, i - (K - 1) + u, j - (L - 1) + v, boundary, fill) * k[u][v];
        }
      }
      row.push(s);
    }
    full.push(row);
  }
  let out: Nested;
  if (mode === 'full') out = full;
  else if (mode === 'valid') {
    out = full.slice(K - 1, M).map((row) => row.slice(L - 1, N));
  } else {
    const top = fn === 'convolve2d' ? Math.floor((K - 1) / 2) : Math.ceil((K - 1) / 2);
    const left = fn === 'convolve2d' ? Math.floor((L - 1) / 2) : Math.ceil((L - 1) / 2);
    out = full.slice(top, top + M).map((row) => row.slice(left, left + N));
  }
  if (swapped && fn === 'correlate2d') out = out.reverse().map((row) => row.reverse());
  return out;
}

/** Keras-style strided, dilated cross-correlation with zero 'same' padding, by its definition. */
export function referenceConv2d(
  image: Nested,
  kernel: Nested,
  padding: 'valid' | 'same',
  strides: [number, number],
  dilation: [number, number],
): Nested {
  const [sy, sx] = strides;
  const [dy, dx] = dilation;
  const spanY = (kernel.length - 1) * dy + 1;
  const spanX = (kernel[0].length - 1) * dx + 1;
  const H = image.length;
  const W = image[0].length;
  const outH = padding === 'same' ? Math.ceil(H / sy) : Math.ceil((H - spanY + 1) / sy);
  const outW = padding === 'same' ? Math.ceil(W / sx) : Math.ceil((W - spanX + 1) / sx);
  const top = padding === 'same' ? Math.floor(Math.max((outH - 1) * sy + spanY - H, 0) / 2) : 0;
  const left = padding === 'same' ? Math.floor(Math.max((outW - 1) * sx + spanX - W, 0) / 2) : 0;
  const out: Nested = [];
  for (let i = 0; i < outH; i++) {
    const row: number[] = [];
    for (let j = 0; j < outW; j++) {
      let s = 0;
      kernel.forEach((krow, u) => {
        krow.forEach((w, v) => {
          const r = i * sy + u * dy - top;
          const c = j * sx + v * dx - left;
          if (r >= 0 && r < H && c >= 0 && c < W) s += image[r][c] * w;
        });
      });
      row.push(s);
    }
    out.push(row);
  }
  return out;
}

/** Random nested matrix, integers when `integers`. */
export function randomNested(
  rows: number,
  cols: number,
  random: () => number,
  integers: boolean,
): Nested {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () =>
      integers ? Math.floor(random() * 19) - 9 : random() * 4 - 2,
    ),
  );
}

/** A small seeded generator (xorshift) for test inputs. */
export function testRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** A filter output as nested rows. */
export function toNested(out: { data: ArrayLike<number>; shape: number[] }): Nested {
  const [rows, cols] = out.shape;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => out.data[r * cols + c]),
  );
}
