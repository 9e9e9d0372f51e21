import * as tf from '@tensorflow/tfjs-core';

/** What decides which of its three binaries tfjs-backend-wasm loads, and with how many threads. */
export interface WasmBuildFacts {
  /** WebAssembly SIMD works here (tfjs's WASM_HAS_SIMD_SUPPORT). */
  simd: boolean;
  /** WebAssembly threads work here (WASM_HAS_MULTITHREAD_SUPPORT): needs SharedArrayBuffer. */
  threads: boolean;
  /** globalThis.crossOriginIsolated; undefined outside browsers. */
  crossOriginIsolated: boolean | undefined;
  /** Node, where tfjs always loads a single-threaded build. */
  node: boolean;
}

/**
 * One phrase on the binary tfjs-backend-wasm loads and why: the threaded SIMD build needs both
 * SIMD and threads, and browsers give threads (SharedArrayBuffer) only to a cross-origin isolated
 * page, one served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`.
 */
export function describeWasmBuild(facts: WasmBuildFacts): string {
  if (facts.simd && facts.threads) return 'threaded SIMD build';
  const build = facts.simd ? 'SIMD build' : 'plain build (no WebAssembly SIMD here)';
  if (facts.node) return `${build}, single-threaded (tfjs runs wasm on one thread in Node)`;
  if (facts.crossOriginIsolated === false) {
    return `${build}, single-threaded: the page is not cross-origin isolated (COOP/COEP headers)`;
  }
  if (!facts.threads) return `${build}, single-threaded: no WebAssembly threads in this browser`;
  return `${build}, single-threaded: the threaded build needs SIMD as well`;
}

async function flag(name: string): Promise<boolean> {
  try {
    return Boolean(await tf.env().getAsync(name));
  } catch {
    // Not registered: tfjs-backend-wasm is not imported, so it loads nothing.
    return false;
  }
}

/** The facts as tfjs-backend-wasm (imported by the app) will see them when it initialises. */
export async function wasmBuildFacts(): Promise<WasmBuildFacts> {
  const [simd, threads] = await Promise.all([
    flag('WASM_HAS_SIMD_SUPPORT'),
    flag('WASM_HAS_MULTITHREAD_SUPPORT'),
  ]);
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return {
    simd,
    threads,
    crossOriginIsolated: typeof isolated === 'boolean' ? isolated : undefined,
    node: tf.env().getBool('IS_NODE'),
  };
}
