// Run by the workspace's pack test against the installed tarball, as ESM and as CJS.
export default async function smoke(mod, assert) {
  // 32 channels of 2×2 at 16 a row: 2 rows of cells, 4×32 pixels.
  const data = new Float32Array(2 * 2 * 32).map((_, i) => i % 5);
  const grid = mod.activationGrid({ data, shape: [1, 2, 2, 32] });
  assert.deepStrictEqual(grid.shape, [4, 32, 4]);
  assert.strictEqual(grid.data.length, 4 * 32 * 4);
  assert.deepStrictEqual(Array.from(mod.colormap('viridis').slice(0, 4)), [0x44, 0x01, 0x54, 255]);
  // The Node build: a PNG decodes back to the same pixels, and a figure renders to SVG.
  const png = mod.encodePng(grid);
  const back = mod.decodePng(png);
  assert.deepStrictEqual(Array.from(back.data), Array.from(grid.data));
  // Checked before decoding: the header's size, and the image data for truncation.
  assert.strictEqual(mod.readPngHeader(png.subarray(0, mod.PNG_HEADER_BYTES)).width, 32);
  assert.throws(() => mod.decodePng(png.subarray(0, png.length - 12)), /truncated/);
  const svg = mod.figureToSvg(mod.activationFigure({ data, shape: [1, 2, 2, 32] }, { layer: 'c' }));
  assert.match(svg, /^<svg/);
  assert.match(svg, />c · 2×2×32<\/text>/);
  // Chart rendering (and its optional vega peers) lives in @cnnlab/viz/charts, not here.
  assert.strictEqual(mod.toSvg, undefined);
}
