/**
 * The two headers that make a page cross-origin isolated. Only an isolated page gets
 * SharedArrayBuffer, and so WebAssembly threads: tfjs-backend-wasm loads its threaded SIMD build
 * there and its single-threaded SIMD build everywhere else. `vite dev` and `vite preview` send
 * them; whatever serves the built site must too (README.md, "Deploying").
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
