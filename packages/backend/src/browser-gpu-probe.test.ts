import { describe, expect, it } from 'vitest';
import { type ProbeCanvas, type ProbeGpu, probeWebGl, probeWebGpu } from './browser-gpu-probe.js';
import { BackendError } from './errors.js';

const SWIFTSHADER =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';

/** A canvas whose contexts answer like a browser's: the versions it offers, masked or not. */
function fakeCanvas(options: { versions: ('webgl2' | 'webgl')[]; unmasked?: string }) {
  const lost: string[] = [];
  const make = (): ProbeCanvas => ({
    getContext: (kind) => {
      if (!options.versions.includes(kind)) return null;
      return {
        RENDERER: 0x1f01,
        getParameter: (name: number) =>
          name === 0x9246 ? options.unmasked : name === 0x1f01 ? 'WebKit WebGL' : undefined,
        getExtension: (name: string) => {
          if (name === 'WEBGL_debug_renderer_info') return options.unmasked ? {} : null;
          if (name === 'WEBGL_lose_context') return { loseContext: () => lost.push(kind) };
          return null;
        },
      };
    },
  });
  return { make, lost };
}

describe('probeWebGl', () => {
  it('reads the unmasked renderer of WebGL 2 and releases the context', () => {
    const canvas = fakeCanvas({ versions: ['webgl2', 'webgl'], unmasked: SWIFTSHADER });
    expect(probeWebGl(canvas.make)).toEqual({ version: 2, renderer: SWIFTSHADER, masked: false });
    expect(canvas.lost).toEqual(['webgl2']);
  });

  it('falls back to WebGL 1, and to the masked renderer without the debug extension', () => {
    const canvas = fakeCanvas({ versions: ['webgl'] });
    expect(probeWebGl(canvas.make)).toEqual({ version: 1, renderer: 'WebKit WebGL', masked: true });
    expect(canvas.lost).toEqual(['webgl']);
  });

  it('says so when there is no WebGL context', () => {
    const canvas = fakeCanvas({ versions: [] });
    expect(() => probeWebGl(canvas.make)).toThrow(BackendError);
    expect(() => probeWebGl(canvas.make)).toThrow(
      'no WebGL context (WebGL is disabled or unsupported in this browser)',
    );
  });

  it('needs a canvas: Node has none', () => {
    expect(() => probeWebGl()).toThrow(/no canvas here/);
  });
});

describe('probeWebGpu', () => {
  const gpu = (adapter: Awaited<ReturnType<ProbeGpu['requestAdapter']>>): ProbeGpu => ({
    requestAdapter: async () => adapter,
  });

  it('reads GPUAdapter.info, fallback flag included', async () => {
    const facts = await probeWebGpu(
      gpu({ info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true } }),
    );
    expect(facts).toEqual({
      isFallbackAdapter: true,
      vendor: 'google',
      architecture: 'swiftshader',
      device: undefined,
      description: undefined,
    });
  });

  it('uses the older requestAdapterInfo() and GPUAdapter.isFallbackAdapter', async () => {
    const facts = await probeWebGpu(
      gpu({
        isFallbackAdapter: false,
        requestAdapterInfo: async () => ({ vendor: 'nvidia', architecture: 'ampere' }),
      }),
    );
    expect(facts.isFallbackAdapter).toBe(false);
    expect(facts.vendor).toBe('nvidia');
  });

  it('says why there is none', async () => {
    await expect(probeWebGpu(undefined)).rejects.toThrow(
      'no WebGPU in this browser (navigator.gpu is missing)',
    );
    await expect(probeWebGpu(gpu(null))).rejects.toThrow(BackendError);
  });
});
