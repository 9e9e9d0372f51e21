// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default function smoke(mod, assert) {
  const onehot = mod.toCategorical([0, 2], 3);
  assert.deepStrictEqual(onehot.shape, [2, 3]);
  assert.deepStrictEqual(Array.from(onehot.data), [1, 0, 0, 0, 0, 1]);
  // A seed gives the same numbers in every release.
  assert.strictEqual(mod.seededRandom(42)(), 0.6011037519201636);
  assert.deepStrictEqual(Array.from(mod.permutation(4, 1)), Array.from(mod.permutation(4, 1)));
  assert.strictEqual(mod.sizeOf([2, 28, 28, 1]), 1568);
}
