// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default async function smoke(mod, assert) {
  const onehot = mod.toCategorical([0, 2], 3);
  assert.deepStrictEqual(onehot.shape, [2, 3]);
  assert.deepStrictEqual(Array.from(onehot.data), [1, 0, 0, 0, 0, 1]);
  // Keras's bilinear (half-pixel centres): 1×2 → 1×4.
  const resized = mod.resizeImage({ data: Uint8Array.of(0, 100), shape: [1, 2] }, [1, 4]);
  assert.deepStrictEqual(Array.from(resized.data), [0, 25, 75, 100]);
  assert.strictEqual(typeof mod.imageDatasetFromDirectory, 'function');
  // The Node build must find the embedded digits shipped in the tarball's data/ folder.
  const mnist = await mod.loadMnist({ cacheDir: '/nonexistent/cnnlab-pack-smoke' });
  assert.strictEqual(mnist.source.kind, 'embedded');
  assert.deepStrictEqual(mnist.train.images.shape, [8000, 28, 28]);
  assert.deepStrictEqual(mnist.test.images.shape, [2000, 28, 28]);
}
