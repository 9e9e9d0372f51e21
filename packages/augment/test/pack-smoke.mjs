// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default function smoke(mod, assert) {
  // The workshop's hand translation: t[:24, 4:] = img[4:, :24] is translate(img, 4, -4).
  const img = { data: Uint8Array.from({ length: 28 * 28 }, (_, i) => i % 251), shape: [28, 28] };
  const t = mod.translate(img, 4, -4);
  assert.strictEqual(t.data[0 * 28 + 4], img.data[4 * 28 + 0]);
  assert.strictEqual(t.data[27 * 28 + 27], 0);
  const gen = new mod.ImageDataGenerator({
    rotationRange: 40,
    widthShiftRange: 0.2,
    heightShiftRange: 0.2,
  });
  const batch = gen
    .flow({ data: img.data, shape: [1, 28, 28, 1] }, [3], { batchSize: 1, seed: 1 })
    .batch(0);
  assert.deepStrictEqual(batch.xs.shape, [1, 28, 28, 1]);
  assert.deepStrictEqual(Array.from(batch.ys.data), [3]);
}
