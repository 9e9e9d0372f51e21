import { describe, expect, it } from 'vitest';
import { requireNative } from '../../test/native-helpers.js';
import { describeBlas } from './blas-kernels.js';
import { registerNativeBackend } from './register.js';

describe('describeBlas', () => {
  it("names OpenBLAS's version and the kernel set it chose", () => {
    expect(
      describeBlas(
        'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64',
        undefined,
      ),
    ).toBe('OpenBLAS 0.3.21, Cooperlake kernels');
    expect(
      describeBlas('OpenBLAS 0.3.26  USE64BITINT NO_AFFINITY SKYLAKEX MAX_THREADS=128 ', ''),
    ).toBe('OpenBLAS 0.3.26, SKYLAKEX kernels');
  });

  it('says when OPENBLAS_CORETYPE made the choice', () => {
    expect(
      describeBlas(
        'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64',
        'Haswell',
      ),
    ).toBe('OpenBLAS 0.3.21, Haswell kernels (OPENBLAS_CORETYPE=Haswell)');
  });

  it('passes any other BLAS through as it names itself', () => {
    expect(describeBlas('Accelerate', undefined)).toBe('Accelerate');
    expect(describeBlas('OpenBLAS', undefined)).toBe('OpenBLAS');
    expect(describeBlas('  ', undefined)).toBe('unknown BLAS');
  });

  it("is what the native backend's registration reports, from the addon itself", () => {
    const load = requireNative();
    const registration = registerNativeBackend();
    expect(registration.ok).toBe(true);
    if (!registration.ok) return;
    expect(registration.blas).toBe(describeBlas(load.blasConfig(), process.env.OPENBLAS_CORETYPE));
    // OpenBLAS (Linux, Windows) names its version and kernels; Accelerate (macOS) only itself.
    if (load.blasConfig().startsWith('OpenBLAS')) {
      expect(registration.blas).toMatch(/^OpenBLAS \d+\.\d+\.\d+, \w+ kernels/);
    } else {
      expect(registration.blas).toBe(load.blasConfig().trim());
    }
  });
});
