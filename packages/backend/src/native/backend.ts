import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { backend_util, DataType } from '@tensorflow/tfjs-core';
import { BufferPool } from './buffer-pool.js';

type DataId = object;

/**
 * The 'cnnlab-native' backend: the cpu backend's storage (plain typed arrays in JS memory),
 * whose heavy kernels, registered under this backend's name, run in the OpenBLAS addon.
 * It adds one thing: a pool that recycles the kernels' large output arrays (see BufferPool),
 * fed by watching what is stored, read out and disposed.
 */
export class NativeBackend extends MathBackendCPU {
  readonly pool = new BufferPool();

  constructor() {
    super();
    // The cpu backend advises installing tfjs-node on first use; that advice is for the slow
    // JavaScript kernels, not for this backend.
    // biome-ignore lint/complexity/useLiteralKeys: firstUse is private to MathBackendCPU; element access is TypeScript's checked way in (a rename in tfjs fails to compile), dot access does not compile
    this['firstUse'] = false;
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    this.pool.stored(values);
    return super.write(values, shape, dtype);
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    this.pool.stored(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    this.pool.escaped(values);
    return values;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const disposed = super.disposeData(dataId, force);
    if (disposed) this.pool.release(values);
    return disposed;
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}
