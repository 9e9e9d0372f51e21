// The browser candidates, run in Node: a stand-in 'webgl' backend (tfjs's cpu under that name)
// and a stand-in OffscreenCanvas whose WebGL context names the renderer under test.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BROWSER_CANDIDATES } from './browser-backends.js';
import { chooseBackend } from './init-backend.js';

let renderer = '';

class FakeOffscreenCanvas {
  getContext() {
    return {
      RENDERER: 0x1f01,
      getParameter: (name: number) => (name === 0x9246 ? renderer : 'WebKit WebGL'),
      getExtension: (name: string) =>
        name === 'WEBGL_debug_renderer_info' ? {} : { loseContext: () => {} },
    };
  }
}

beforeAll(() => {
  vi.stubGlobal('OffscreenCanvas', FakeOffscreenCanvas);
  const cpu = tf.findBackendFactory('cpu');
  if (!cpu) throw new Error('test setup: tfjs cpu is not registered');
  tf.registerBackend('webgl', cpu, 0);
});

afterAll(() => {
  vi.unstubAllGlobals();
  tf.removeBackend('webgl');
});

const SWIFTSHADER =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const INTEL =
  'ANGLE (Intel, Intel(R) UHD Graphics 620 (0x00005917) Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe('BROWSER_CANDIDATES', () => {
  it('are tried fastest first, software WebGL after wasm', () => {
    expect(BROWSER_CANDIDATES.map((c) => c.id)).toEqual([
      'webgpu',
      'webgl',
      'wasm',
      'webgl-software',
      'cpu',
    ]);
  });

  it('take WebGL on a real GPU', async () => {
    renderer = INTEL;
    const choice = await chooseBackend(BROWSER_CANDIDATES, {}, undefined);
    expect(choice.id).toBe('webgl');
    expect(choice.reason).toBe(
      `WebGL 2 on ${INTEL} (skipped webgpu: not registered (import '@tensorflow/tfjs-backend-webgpu' in the app))`,
    );
  });

  it('refuse software-rendered WebGL, saying why, and fall through to wasm', async () => {
    renderer = SWIFTSHADER;
    const choice = await chooseBackend(BROWSER_CANDIDATES, {}, undefined);
    expect(choice.id).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.tried[1]).toEqual({
      id: 'webgl',
      ok: false,
      reason: 'WebGL is software-rendered (SwiftShader): wasm is faster',
    });
    expect(choice.reason).toMatch(
      /^wasm \(XNNPACK, SIMD build, single-threaded .*\) with 4 cnnlab training kernels \(skipped webgpu: .*; webgl: WebGL is software-rendered \(SwiftShader\): wasm is faster\)$/,
    );
  });

  it('still take software WebGL when asked for by webgl-software', async () => {
    renderer = SWIFTSHADER;
    const choice = await chooseBackend(BROWSER_CANDIDATES, { prefer: 'webgl-software' }, undefined);
    expect(choice.id).toBe('webgl-software');
    expect(choice.backend).toBe('webgl');
    expect(choice.tried).toEqual([
      {
        id: 'webgl-software',
        ok: true,
        reason: 'WebGL 2, software-rendered (SwiftShader): slower than wasm, faster than tfjs cpu',
      },
    ]);
  });

  it('a masked renderer names no software rasteriser, so WebGL is taken', async () => {
    renderer = '';
    const choice = await chooseBackend(BROWSER_CANDIDATES, { prefer: 'webgl' }, undefined);
    expect(choice.id).toBe('webgl');
    expect(choice.tried.at(-1)?.reason).toBe('WebGL 2 on a GPU the browser does not name');
  });
});
