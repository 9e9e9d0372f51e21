// Run by the workspace's pack test on the installed tarball: `mod` is the addon itself, as
// require() loads it. A 'valid' 3×3 convolution of a 4×4 ramp with an all-ones filter.
export default function smoke(mod, assert) {
  assert.match(mod.blasConfig(), /OpenBLAS/);
  const x = Float32Array.from({ length: 16 }, (_, i) => i);
  const y = new Float32Array(4);
  // n, h, w, c, out_h, out_w, out_c, kh, kw, stride h/w, dilation h/w, pad top/left
  const geometry = Int32Array.from([1, 4, 4, 1, 2, 2, 1, 3, 3, 1, 1, 1, 1, 0, 0]);
  mod.conv2d(x, new Float32Array(9).fill(1), null, y, geometry, 0, 0);
  // Each output is the sum of the 3×3 window: 45 + 9 × its offset (0, 1, 4, 5).
  assert.deepStrictEqual([...y], [45, 54, 81, 90]);
}
