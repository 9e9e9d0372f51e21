/**
 * Software rasterisers that browsers fall back to when there is no usable GPU (a blocklisted
 * driver, `--disable-gpu`, a virtual machine, a remote desktop). WebGL and WebGPU still work on
 * them, but every shader runs on the CPU, far slower than tfjs's wasm backend. Each pattern names
 * the rasteriser as it appears in WebGL's unmasked renderer string or a WebGPU adapter's info.
 */
const SOFTWARE_RASTERISERS: readonly { name: string; pattern: RegExp }[] = [
  // Chrome's own: "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)".
  { name: 'SwiftShader', pattern: /swiftshader/i },
  // Mesa's: "llvmpipe (LLVM 15.0.6, 256 bits)" (also lavapipe's device name), "softpipe", "swrast".
  { name: 'llvmpipe', pattern: /\bllvmpipe\b/i },
  { name: 'lavapipe', pattern: /\blavapipe\b/i },
  { name: 'softpipe', pattern: /\bsoftpipe\b/i },
  { name: 'swrast', pattern: /\bswrast\b/i },
  { name: 'Mesa software rasterizer', pattern: /\bsoftware rasterizer\b/i },
  { name: 'Mesa OffScreen', pattern: /\bmesa offscreen\b/i },
  // Windows: WARP ("Microsoft Basic Render Driver") and the OpenGL 1.1 fallback ("GDI Generic").
  { name: 'Microsoft Basic Render Driver', pattern: /\bbasic render\b/i },
  { name: 'WARP', pattern: /\bWARP\b/ },
  { name: 'GDI Generic', pattern: /\bgdi generic\b/i },
  // macOS.
  { name: 'Apple Software Renderer', pattern: /\bapple software renderer\b/i },
];

/**
 * The software rasteriser a renderer string names (WebGL's `UNMASKED_RENDERER_WEBGL`, or any text
 * describing a GPU), or undefined when it names none: a real GPU, or a masked string such as
 * "WebKit WebGL" that says nothing either way.
 */
export function softwareRenderer(renderer: string): string | undefined {
  return SOFTWARE_RASTERISERS.find(({ pattern }) => pattern.test(renderer))?.name;
}

/** What a WebGPU adapter says about itself (GPUAdapterInfo, plus the older adapter flag). */
export interface GpuAdapterFacts {
  /** GPUAdapterInfo.isFallbackAdapter, or the older GPUAdapter.isFallbackAdapter. */
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/**
 * Why a WebGPU adapter is software, or undefined when it is a real GPU: the browser's own
 * fallback-adapter flag, or a software rasteriser named in its info (Chrome's SwiftShader adapter
 * reports architecture "swiftshader").
 */
export function softwareAdapter(facts: GpuAdapterFacts): string | undefined {
  const text = [facts.description, facts.device, facts.architecture, facts.vendor]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(' ');
  const named = softwareRenderer(text);
  if (facts.isFallbackAdapter) return named ? `${named}, a fallback adapter` : 'a fallback adapter';
  return named;
}
