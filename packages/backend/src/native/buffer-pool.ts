/**
 * Recycles the large output arrays of the native kernels. Every fresh multi-megabyte
 * Float32Array costs the kernel page faults (the allocator maps new zeroed pages), which on
 * the workshop CNN took longer than the arithmetic; a training step frees and needs the same
 * sizes again, so freed arrays are kept by length and handed out again.
 *
 * Only arrays this pool allocated are ever recycled, and only while nothing else can see them:
 * an array (or a view of its buffer) that is written under a second tensor, or read out by the
 * user (dataSync, data, bufferSync), is forgotten for good.
 */
export class BufferPool {
  /** Arrays below this many elements are cheap to allocate and not worth keeping. */
  static readonly minLength = 1 << 14;

  private readonly free = new Map<number, Float32Array[]>();
  private readonly owned = new WeakSet<ArrayBuffer>();
  private readonly unwritten = new WeakSet<ArrayBuffer>();
  private pooledBytes = 0;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  /** An array of `length` elements with arbitrary contents: the caller overwrites all of it. */
  take(length: number): Float32Array {
    if (length < BufferPool.minLength) return new Float32Array(length);
    const stack = this.free.get(length);
    const reused = stack?.pop();
    if (reused) this.pooledBytes -= reused.byteLength;
    const array = reused ?? new Float32Array(length);
    this.owned.add(array.buffer as ArrayBuffer);
    this.unwritten.add(array.buffer as ArrayBuffer);
    return array;
  }

  /**
   * Called for every array stored under a tensor: the first store of a taken array is its own
   * output tensor; any other store of its buffer shares it, so it may never be recycled.
   */
  stored(values: unknown): void {
    const buffer = bufferOf(values);
    if (!buffer || !this.owned.has(buffer)) return;
    if (this.unwritten.has(buffer)) {
      this.unwritten.delete(buffer);
    } else {
      this.owned.delete(buffer);
    }
  }

  /** Called when values leave the backend (read by the user): never recycle them. */
  escaped(values: unknown): void {
    const buffer = bufferOf(values);
    if (buffer) this.owned.delete(buffer);
  }

  /** Called when the tensor holding `values` is gone: keep the array for a later take(). */
  release(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const buffer = values.buffer as ArrayBuffer;
    if (
      !this.owned.has(buffer) ||
      values.byteOffset !== 0 ||
      values.byteLength !== buffer.byteLength
    ) {
      return;
    }
    if (this.pooledBytes + values.byteLength > this.maxBytes) {
      // Full: drop this one and let the garbage collector have it.
      this.owned.delete(buffer);
      return;
    }
    // Pooled arrays are not owned until taken again, so a second release is a no-op.
    this.owned.delete(buffer);
    let stack = this.free.get(values.length);
    if (!stack) {
      stack = [];
      this.free.set(values.length, stack);
    }
    stack.push(values);
    this.pooledBytes += values.byteLength;
  }

  /** Drops every pooled array (the backend is being disposed). */
  clear(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }
}

function bufferOf(values: unknown): ArrayBuffer | null {
  return ArrayBuffer.isView(values) ? (values.buffer as ArrayBuffer) : null;
}
