/**
 * Splits a kernel into a column and a row vector whose outer product is the kernel (rank one:
 * box, Gaussian, Sobel, Prewitt, …), or returns null. Checked to a relative 1e-12.
 */
export function separate(
  kernel: ArrayLike<number>,
  rows: number,
  cols: number,
): { column: Float64Array; row: Float64Array } | null {
  let pivot = 0;
  let largest = 0;
  for (let i = 0; i < rows * cols; i++) {
    const a = Math.abs(kernel[i]);
    if (!Number.isFinite(a)) return null;
    if (a > largest) {
      largest = a;
      pivot = i;
    }
  }
  if (largest === 0) return null;
  const p = Math.floor(pivot / cols);
  const q = pivot % cols;
  const column = new Float64Array(rows);
  const row = new Float64Array(cols);
  for (let u = 0; u < rows; u++) column[u] = kernel[u * cols + q];
  for (let v = 0; v < cols; v++) row[v] = kernel[p * cols + v] / kernel[pivot];
  const tolerance = 1e-12 * largest;
  for (let u = 0; u < rows; u++) {
    for (let v = 0; v < cols; v++) {
      if (Math.abs(column[u] * row[v] - kernel[u * cols + v]) > tolerance) return null;
    }
  }
  return { column, row };
}
