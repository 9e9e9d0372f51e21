import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { describeWasmBuild, wasmBuildFacts } from './browser-wasm-build.js';

const browser = { node: false, crossOriginIsolated: true };

describe('describeWasmBuild', () => {
  it('names the threaded SIMD build where both work', () => {
    expect(describeWasmBuild({ ...browser, simd: true, threads: true })).toBe(
      'threaded SIMD build',
    );
  });

  it('blames a page that is not cross-origin isolated for running on one thread', () => {
    expect(
      describeWasmBuild({ ...browser, crossOriginIsolated: false, simd: true, threads: false }),
    ).toBe(
      'SIMD build, single-threaded: the page is not cross-origin isolated (COOP/COEP headers)',
    );
  });

  it('blames the browser when the page is isolated but has no threads, or no SIMD', () => {
    expect(describeWasmBuild({ ...browser, simd: true, threads: false })).toBe(
      'SIMD build, single-threaded: no WebAssembly threads in this browser',
    );
    expect(describeWasmBuild({ ...browser, simd: false, threads: true })).toBe(
      'plain build (no WebAssembly SIMD here), single-threaded: the threaded build needs SIMD as well',
    );
  });

  it('says Node runs one thread', () => {
    expect(describeWasmBuild({ ...browser, node: true, simd: true, threads: false })).toMatch(
      /^SIMD build, single-threaded \(tfjs runs wasm on one thread in Node\)$/,
    );
  });
});

describe('wasmBuildFacts', () => {
  it("reads tfjs-backend-wasm's own flags (Node: SIMD, one thread, no isolation)", async () => {
    const facts = await wasmBuildFacts();
    expect(facts).toEqual({
      simd: true,
      threads: false,
      crossOriginIsolated: undefined,
      node: true,
    });
  });
});
