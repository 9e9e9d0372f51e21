import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions of the C++ addon (native/addon.cc); every array is read or written in place. */
export interface NativeAddon {
  threads(): number;
  setThreads(threads: number): number;
  blasConfig(): string;
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    geometry: Int32Array,
    activation: number,
    alpha: number,
  ): void;
  conv2dBackpropInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    geometry: Int32Array,
  ): void;
  conv2dBackpropFilter(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    geometry: Int32Array,
  ): void;
  batchMatMul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    aStride: number,
    bStride: number,
    bias: Float32Array | null,
    activation: number,
    alpha: number,
  ): void;
  maxPool(x: Float32Array, y: Float32Array, geometry: Int32Array): void;
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number): void;
  binary(
    op: number,
    big: Float32Array,
    small: Float32Array,
    smallFirst: boolean,
    outer: number,
    mid: number,
    inner: number,
    out: Float32Array,
  ): void;
  sum(x: Float32Array, outer: number, reduce: number, inner: number, out: Float32Array): void;
}

export type AddonLoad =
  | { ok: true; addon: NativeAddon; file: string }
  | { ok: false; reason: string };

const PACKAGE_NAME = '@cnnlab/backend';
const ADDON_FILE = path.join('build', 'Release', 'cnnlab_native.node');

/**
 * The directory of this module: `__dirname` where it exists (CJS, whose tsup import.meta.url
 * shim does not percent-encode paths, and vitest), else decoded from import.meta.url (ESM).
 */
export function moduleDir(): string {
  if (typeof __dirname === 'string' && __dirname !== '') return __dirname;
  return path.dirname(fileURLToPath(import.meta.url));
}

/** Walks up from `fromDir` (src/native, dist) to the package root: the addon lies below it. */
export function findAddonFile(fromDir: string): string | null {
  let dir = path.resolve(fromDir);
  for (let depth = 0; depth < 6; depth++) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
        if (name === PACKAGE_NAME) return path.join(dir, ADDON_FILE);
      } catch {
        // an unreadable manifest is not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

let loaded: AddonLoad | undefined;

/**
 * Loads the addon once. `CNNLAB_NATIVE_ADDON` may name the .node file directly; otherwise it is
 * build/Release/cnnlab_native.node under the package root. Never throws.
 */
export function loadAddon(): AddonLoad {
  if (loaded) return loaded;
  loaded = tryLoad();
  return loaded;
}

function tryLoad(): AddonLoad {
  if (typeof process === 'undefined' || !process.versions?.node) {
    return { ok: false, reason: 'the native backend needs Node.js' };
  }
  let file: string | null;
  try {
    file = process.env.CNNLAB_NATIVE_ADDON || findAddonFile(moduleDir());
  } catch (error) {
    return { ok: false, reason: `native addon not found (${firstLine(error)})` };
  }
  if (!file || !existsSync(file)) {
    return {
      ok: false,
      reason:
        'native addon not built (libopenblas-dev or a compiler was missing at install; ' +
        'run `pnpm build:native` in @cnnlab/backend)',
    };
  }
  try {
    const addon = createRequire(file)(file) as NativeAddon;
    if (typeof addon.conv2d !== 'function' || typeof addon.threads !== 'function') {
      return { ok: false, reason: `native addon ${file} is not cnnlab_native` };
    }
    return { ok: true, addon, file };
  } catch (error) {
    return { ok: false, reason: `native addon failed to load (${firstLine(error)})` };
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
