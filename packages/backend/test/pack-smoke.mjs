// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default async function smoke(mod, assert) {
  assert.deepStrictEqual(
    mod.NODE_CANDIDATES.map((c) => c.id),
    ['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'],
  );
  const choice = await mod.initBackend({ prefer: 'cpu' });
  assert.strictEqual(choice.id, 'cpu');
  assert.strictEqual(choice.backend, 'cpu');
  assert.match(choice.reason, /\(preferred by prefer\)$/);
  // The prebuilt addon of this platform was installed with the tarballs: it loads.
  const native = mod.registerNativeBackend();
  assert.ok(native.ok, native.reason);
  assert.match(native.source, /^prebuilt @cnnlab\/backend-/);
}
