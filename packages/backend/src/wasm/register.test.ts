import { readdirSync, readFileSync } from 'node:fs';
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../../test/wasm-helpers.js';
import { registerWasmTrainingKernels, wasmTrainingKernelConfigs } from './register.js';

const expectedNames = ['BatchMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad'];

describe('registerWasmTrainingKernels', () => {
  it('registers the training kernels for wasm and names them', () => {
    expect(registerWasmTrainingKernels().sort()).toEqual(expectedNames);
    for (const config of wasmTrainingKernelConfigs) {
      expect(config.backendName).toBe('wasm');
      expect(getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
  });

  it('is idempotent', () => {
    const first = registerWasmTrainingKernels();
    expect(registerWasmTrainingKernels()).toEqual(first);
    for (const config of wasmTrainingKernelConfigs) {
      expect(getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
  });

  it('takes a kernel back when something registered over it', () => {
    registerWasmTrainingKernels();
    const ours = getKernel('MaxPoolGrad', 'wasm');
    unregisterKernel('MaxPoolGrad', 'wasm');
    const stranger = () => ({ dataId: {}, shape: [], dtype: 'float32' as const });
    registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: stranger });
    registerWasmTrainingKernels();
    expect(getKernel('MaxPoolGrad', 'wasm')?.kernelFunc).toBe(ours?.kernelFunc);
  });

  it('works when registered after the wasm backend started', async () => {
    await useBackend('wasm');
    expect(registerWasmTrainingKernels().sort()).toEqual(expectedNames);
  });

  it('keeps the wasm sources browser-safe: no Node built-ins outside tests', () => {
    const dir = new URL('.', import.meta.url);
    const sources = [
      ...readdirSync(dir).map((f) => `./${f}`),
      ...readdirSync(new URL('kernels/', dir)).map((f) => `./kernels/${f}`),
    ].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources).toContain('./register.ts');
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/from '(node:|fs'|path'|os'|url'|worker_threads')/);
    }
  });
});
