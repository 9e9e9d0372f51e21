/** Index of the first element where two arrays differ by more than `tolerance` (-1 if none). */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>, tolerance = 0): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const same = a[i] === b[i] || Math.abs(a[i] - b[i]) <= tolerance;
    if (!same) return i;
  }
  return -1;
}

/** A small asymmetric h × w × c test image with distinct values. */
export function ramp(h: number, w: number, c = 1) {
  return { data: Float32Array.from({ length: h * w * c }, (_, i) => i + 1), shape: [h, w, c] };
}
