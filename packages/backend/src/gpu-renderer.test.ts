import { describe, expect, it } from 'vitest';
import { softwareAdapter, softwareRenderer } from './gpu-renderer.js';

// Renderer strings as browsers report them (WEBGL_debug_renderer_info's UNMASKED_RENDERER_WEBGL).
const SOFTWARE: [string, string][] = [
  // Debian's Chromium 156 with --disable-gpu, headless.
  [
    'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
    'SwiftShader',
  ],
  [
    'ANGLE (Google, Vulkan 1.1.0 (SwiftShader Device (LLVM 10.0.0) (0x0000C0DE)), SwiftShader driver-5.0.0)',
    'SwiftShader',
  ],
  ['Google SwiftShader', 'SwiftShader'],
  // Linux without a GPU driver (VMs, containers, remote desktops): Mesa.
  [
    'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6)',
    'llvmpipe',
  ],
  ['llvmpipe (LLVM 15.0.7, 256 bits)', 'llvmpipe'],
  ['Gallium 0.4 on llvmpipe (LLVM 3.4, 128 bits)', 'llvmpipe'],
  ['Gallium 0.4 on softpipe', 'softpipe'],
  ['Software Rasterizer', 'Mesa software rasterizer'],
  ['Mesa DRI swrast', 'swrast'],
  // Windows without a GPU driver: WARP, and the OpenGL 1.1 fallback.
  [
    'ANGLE (Microsoft, Microsoft Basic Render Driver (0x0000008C) Direct3D11 vs_5_0 ps_5_0, D3D11)',
    'Microsoft Basic Render Driver',
  ],
  ['Microsoft Basic Render Driver', 'Microsoft Basic Render Driver'],
  ['GDI Generic', 'GDI Generic'],
  // macOS.
  ['Apple Software Renderer', 'Apple Software Renderer'],
];

const HARDWARE = [
  'ANGLE (Intel, Intel(R) UHD Graphics 620 (0x00005917) Direct3D11 vs_5_0 ps_5_0, D3D11)',
  'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)',
  'ANGLE (AMD, AMD Radeon(TM) Graphics (0x00001638) Direct3D11 vs_5_0 ps_5_0, D3D11)',
  // Mesa's hardware drivers mention LLVM too: radeonsi compiles shaders with it.
  'ANGLE (AMD, AMD Radeon RX 6800 XT (radeonsi, navi21, LLVM 15.0.7, DRM 3.49, 6.1.0-13-amd64), OpenGL 4.6 (Core Profile) Mesa 23.1.2)',
  'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6 (Core Profile) Mesa 22.3.6)',
  'ANGLE (NVIDIA Corporation, NVIDIA GeForce GTX 1080/PCIe/SSE2, OpenGL 4.5.0 NVIDIA 470.82.01)',
  'ANGLE (Apple, ANGLE Metal Renderer: Apple M1 Pro, Unspecified Version)',
  'Apple GPU',
  'Mali-G78',
  'Adreno (TM) 650',
  'Intel Iris OpenGL Engine',
  // A paravirtual GPU backed by the host's.
  'SVGA3D; build: RELEASE; LLVM;',
  // Masked: says nothing, so it is not refused.
  'WebKit WebGL',
  '',
];

describe('softwareRenderer', () => {
  it.each(SOFTWARE)('names the software rasteriser in %j', (renderer, name) => {
    expect(softwareRenderer(renderer)).toBe(name);
  });

  it.each(HARDWARE)('finds none in %j', (renderer) => {
    expect(softwareRenderer(renderer)).toBeUndefined();
  });
});

describe('softwareAdapter', () => {
  it("refuses Chrome's SwiftShader WebGPU adapter by its info", () => {
    expect(
      softwareAdapter({
        vendor: 'google',
        architecture: 'swiftshader',
        device: '',
        description: 'SwiftShader Device (Subzero)',
      }),
    ).toBe('SwiftShader');
  });

  it('trusts the fallback-adapter flag, naming the rasteriser when the info does', () => {
    expect(softwareAdapter({ isFallbackAdapter: true })).toBe('a fallback adapter');
    expect(
      softwareAdapter({ isFallbackAdapter: true, description: 'Microsoft Basic Render Driver' }),
    ).toBe('Microsoft Basic Render Driver, a fallback adapter');
  });

  it('takes real adapters, including ones that say little', () => {
    expect(
      softwareAdapter({ isFallbackAdapter: false, vendor: 'nvidia', architecture: 'ampere' }),
    ).toBeUndefined();
    expect(
      softwareAdapter({ vendor: 'apple', architecture: 'metal-3', description: '' }),
    ).toBeUndefined();
    expect(softwareAdapter({})).toBeUndefined();
  });
});
