// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default function smoke(mod, assert) {
  // The workshop's worked example: −7 at the first 'valid' position.
  const image = [
    [2, 3, 4, 2, 4],
    [0, 1, 4, 1, 1],
    [1, 1, 0, 7, 2],
    [3, 2, 3, 1, 1],
    [1, 2, 0, 2, 8],
  ];
  const out = mod.convolve2d(image, mod.namedKernel('edge-detector'), { mode: 'valid' });
  assert.deepStrictEqual(out.shape, [3, 3]);
  assert.strictEqual(out.data[0], -7);
  assert.strictEqual(mod.conv2dParams({ kernelSize: 3, inChannels: 1, filters: 32 }), 320);
}
