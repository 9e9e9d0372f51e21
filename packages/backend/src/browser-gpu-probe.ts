import { BackendError } from './errors.js';
import type { GpuAdapterFacts } from './gpu-renderer.js';

/** What renders WebGL in this browser, as far as the browser tells. */
export interface WebGlRenderer {
  /** WebGL 2 or 1: the version tfjs's webgl backend would take. */
  version: 1 | 2;
  /** The unmasked renderer (WEBGL_debug_renderer_info) where offered, else gl.RENDERER. */
  renderer: string;
  /** True when only the masked renderer (e.g. "WebKit WebGL") could be read: it names no GPU. */
  masked: boolean;
}

/** The part of a canvas the probe uses: an HTMLCanvasElement or an OffscreenCanvas. */
export interface ProbeCanvas {
  getContext(kind: 'webgl2' | 'webgl', attributes?: WebGLContextAttributes): unknown;
}

// WEBGL_debug_renderer_info's UNMASKED_RENDERER_WEBGL.
const UNMASKED_RENDERER = 0x9246;

function defaultCanvas(): ProbeCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  if (typeof document !== 'undefined') return document.createElement('canvas');
  throw new BackendError(
    'no canvas here to create a WebGL context on (neither OffscreenCanvas nor document)',
  );
}

/**
 * Opens a throwaway WebGL context, reads which renderer stands behind it and releases it again.
 * Throws a BackendError saying why when this browser gives no WebGL context.
 */
export function probeWebGl(makeCanvas: () => ProbeCanvas = defaultCanvas): WebGlRenderer {
  for (const version of [2, 1] as const) {
    const gl = makeCanvas().getContext(version === 2 ? 'webgl2' : 'webgl') as
      | WebGLRenderingContext
      | null
      | undefined;
    if (!gl) continue;
    try {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const unmasked = info ? gl.getParameter(UNMASKED_RENDERER) : undefined;
      if (typeof unmasked === 'string' && unmasked.length > 0) {
        return { version, renderer: unmasked, masked: false };
      }
      return { version, renderer: String(gl.getParameter(gl.RENDERER) ?? ''), masked: true };
    } finally {
      // Browsers cap live WebGL contexts; tfjs opens its own, so this one goes at once.
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  }
  throw new BackendError('no WebGL context (WebGL is disabled or unsupported in this browser)');
}

/** The part of navigator.gpu and its adapters the probe uses (WebGPU's types are not in lib.dom). */
export interface ProbeGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<{
    info?: GpuAdapterFacts;
    isFallbackAdapter?: boolean;
    requestAdapterInfo?: () => Promise<GpuAdapterFacts>;
  } | null>;
}

/**
 * Asks for the WebGPU adapter tfjs's webgpu backend would get (high-performance) and returns what
 * it says about itself. Throws a BackendError saying why when there is none.
 */
export async function probeWebGpu(
  gpu: ProbeGpu | undefined = (globalThis as { navigator?: { gpu?: ProbeGpu } }).navigator?.gpu,
): Promise<GpuAdapterFacts> {
  if (!gpu) throw new BackendError('no WebGPU in this browser (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter)
    throw new BackendError('no WebGPU adapter (navigator.gpu.requestAdapter gave none)');
  // GPUAdapter.info is the current API; requestAdapterInfo() and adapter.isFallbackAdapter the older.
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  return {
    isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
}
