import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireNative, useBackend } from '../../test/native-helpers.js';
import { NativeBackend } from './backend.js';
import { cnnlabKernelConfigs, nativeKernelConfigs, registerNativeBackend } from './register.js';

describe('registerNativeBackend', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('registers cnnlab-native and says how many threads it uses', () => {
    requireNative();
    const result = registerNativeBackend();
    expect(result).toEqual({
      ok: true,
      name: 'cnnlab-native',
      threads: expect.any(Number),
      source: expect.stringMatching(/^prebuilt @cnnlab\/backend-|^build from source$/),
      blas: expect.stringMatching(/^(OpenBLAS|Accelerate)/),
    });
    if (result.ok) expect(result.threads).toBeGreaterThanOrEqual(1);
  });

  it('is idempotent', () => {
    expect(registerNativeBackend()).toBe(registerNativeBackend());
  });

  it("re-registers every cpu kernel, the heavy ones replaced by the native ones, plus cnnlab's own", () => {
    requireNative();
    const own = cnnlabKernelConfigs.map((config) => config.kernelName);
    expect(own).toEqual(['CnnlabRMSPropUpdate', 'CnnlabConv2DBackpropFilterBias']);
    const cpu = [...tf.getKernelsForBackend('cpu').map((k) => k.kernelName), ...own].sort();
    const native = tf
      .getKernelsForBackend('cnnlab-native')
      .map((k) => k.kernelName)
      .sort();
    expect(native).toEqual(cpu);
    for (const config of nativeKernelConfigs) {
      expect(tf.getKernel(config.kernelName, 'cnnlab-native')?.kernelFunc).toBe(config.kernelFunc);
      expect(tf.getKernel(config.kernelName, 'cpu')?.kernelFunc).not.toBe(config.kernelFunc);
    }
    expect(nativeKernelConfigs.map((k) => k.kernelName).sort()).toEqual(
      [
        '_FusedMatMul',
        'Add',
        'BatchMatMul',
        'Conv2D',
        'Conv2DBackpropFilter',
        'Conv2DBackpropInput',
        'Floor',
        'FusedConv2D',
        'GatherV2',
        'LeakyRelu',
        'MaxPool',
        'MaxPoolGrad',
        'Multiply',
        'RealDiv',
        'Relu',
        'Relu6',
        'Softmax',
        'Sqrt',
        'Square',
        'Step',
        'Sub',
        'Sum',
      ].sort(),
    );
  });

  it('gives a backend built on the cpu backend', async () => {
    await useBackend('cnnlab-native');
    expect(tf.getBackend()).toBe('cnnlab-native');
    expect(tf.backend()).toBeInstanceOf(NativeBackend);
    expect(tf.backend()).toBeInstanceOf(MathBackendCPU);
  });

  it('says why, in one line, when the addon is missing', async () => {
    const missing = path.join(tmpdir(), 'no-such-dir', 'cnnlab_native.node');
    vi.stubEnv('CNNLAB_NATIVE_ADDON', missing);
    const fresh = await import('./register.js');
    const result = fresh.registerNativeBackend();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(`CNNLAB_NATIVE_ADDON=${missing}: ${missing} does not exist`);
      expect(result.reason).not.toContain('\n');
    }
  });

  it('says why, in one line, when the addon does not load', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cnnlab-native-'));
    const bogus = path.join(dir, 'cnnlab_native.node');
    writeFileSync(bogus, 'not a shared library\n');
    vi.stubEnv('CNNLAB_NATIVE_ADDON', bogus);
    const fresh = await import('./register.js');
    const result = fresh.registerNativeBackend();
    rmSync(dir, { recursive: true, force: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/^CNNLAB_NATIVE_ADDON=.* failed to load \(.+\)$/);
      expect(result.reason).not.toContain('\n');
    }
  });
});
