// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default async function smoke(mod, assert) {
  const onehot = mod.toCategorical([0, 2], 3);
  assert.deepStrictEqual(onehot.shape, [2, 3]);
  assert.deepStrictEqual(Array.from(onehot.data), [1, 0, 0, 0, 0, 1]);
  // The Node build must find the embedded digits shipped in the tarball's data/ folder.
  const mnist = await mod.loadMnist({ cacheDir: '/nonexistent/cnnlab-pack-smoke' });
  assert.strictEqual(mnist.source.kind, 'embedded');
  assert.deepStrictEqual(mnist.train.images.shape, [8000, 28, 28]);
  assert.deepStrictEqual(mnist.test.images.shape, [2000, 28, 28]);
}
