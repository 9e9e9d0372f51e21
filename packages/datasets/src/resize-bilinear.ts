import type { TypedArray } from '@cnnlab/core';

/** A rectangle of an image, in pixels: rows `top..top+height-1`, columns `left..left+width-1`. */
export interface Box {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Where a resized box lands: `data` holds images of `height × width × channels`, `offset` on. */
export interface ResizeTarget {
  data: Uint8Array | Float32Array;
  offset: number;
  height: number;
  width: number;
}

const f32 = Math.fround;

/**
 * Source coordinates of each output row or column, as TensorFlow's `ResizeBilinear` with
 * `half_pixel_centers` (what `tf.image.resize` does without antialias, and so Keras) computes
 * them, in float32 like TF: `(i + 0.5) · in/out − 0.5`, the two neighbours clamped to the image.
 */
function axis(
  outSize: number,
  inSize: number,
): { lo: Int32Array; hi: Int32Array; t: Float32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const t = new Float32Array(outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    const at = f32(f32(f32(i + 0.5) * scale) - 0.5);
    const floor = Math.floor(at);
    lo[i] = Math.max(floor, 0);
    hi[i] = Math.min(Math.ceil(at), inSize - 1);
    t[i] = f32(at - floor);
  }
  return { lo, hi, t };
}

/**
 * Bilinear resize of the `from` box of a row-major `[h, w, c]` image (row stride `width · c`)
 * into the `to` box of `target`: TensorFlow's bilinear kernel with half-pixel centres and no
 * antialiasing, its float32 arithmetic step by step. Bytes are rounded to the nearest level
 * (Keras keeps TF's floats); a Float32Array target gets the floats. Pixels of `target` outside
 * `to` are left as they are (zeros, for padding).
 */
export function resizeBilinearInto(
  src: TypedArray,
  width: number,
  channels: number,
  from: Box,
  target: ResizeTarget,
  to: Box,
): void {
  const ys = axis(to.height, from.height);
  const xs = axis(to.width, from.width);
  const c = channels;
  const rowStride = width * c;
  // Column offsets of the two neighbours, channels included, computed once for every row.
  const x0 = new Int32Array(to.width);
  const x1 = new Int32Array(to.width);
  for (let j = 0; j < to.width; j++) {
    x0[j] = (from.left + xs.lo[j]) * c;
    x1[j] = (from.left + xs.hi[j]) * c;
  }
  const out = target.data;
  const round = !(out instanceof Float32Array);
  const outRow = target.width * c;
  for (let i = 0; i < to.height; i++) {
    const top = (from.top + ys.lo[i]) * rowStride;
    const bottom = (from.top + ys.hi[i]) * rowStride;
    const dy = ys.t[i];
    let o = target.offset + (to.top + i) * outRow + to.left * c;
    for (let j = 0; j < to.width; j++) {
      const dx = xs.t[j];
      const a = x0[j];
      const b = x1[j];
      for (let k = 0; k < c; k++) {
        const tl = src[top + a + k];
        const tr = src[top + b + k];
        const bl = src[bottom + a + k];
        const br = src[bottom + b + k];
        const upper = f32(tl + f32(f32(tr - tl) * dx));
        const lower = f32(bl + f32(f32(br - bl) * dx));
        const v = f32(upper + f32(f32(lower - upper) * dy));
        // A bilinear mix of bytes stays within 0..255; Math.round is half up for these.
        out[o++] = round ? Math.round(v) : v;
      }
    }
  }
}
