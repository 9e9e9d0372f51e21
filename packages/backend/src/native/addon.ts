import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  hostPlatform,
  missingCpuFlags,
  PREBUILT_PLATFORMS,
  platformPackage,
  readCpuinfo,
} from './platform.js';

/** The functions of the C++ addon (csrc/addon.cc); every array is read or written in place. */
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
  /** dw and db of relu(conv(x, w) + b) given dy, y its output (null: no activation). */
  conv2dBackpropFilterBias(
    x: Float32Array,
    dy: Float32Array,
    y: Float32Array | null,
    dw: Float32Array,
    db: Float32Array,
    geometry: Int32Array,
  ): void;
  maxPool(x: Float32Array, y: Float32Array, geometry: Int32Array): void;
  /** `y` is maxPool's output for `x` (each window's maximum, which the gradient is routed to). */
  maxPoolGradWithOutput(
    x: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    geometry: Int32Array,
  ): void;
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
  softmax(x: Float32Array, rows: number, cols: number, y: Float32Array): void;
  rmspropUpdate(
    variable: Float32Array,
    gradient: Float32Array,
    meanSquare: Float32Array,
    moment: Float32Array,
    variableOut: Float32Array,
    meanSquareOut: Float32Array,
    momentOut: Float32Array,
    learningRate: number,
    decay: number,
    oneMinusDecay: number,
    momentum: number,
    epsilon: number,
  ): void;
}

export type AddonLoad =
  | { ok: true; addon: NativeAddon; file: string; source: string }
  | { ok: false; reason: string };

const PACKAGE_NAME = '@cnnlab/backend';
const ADDON_FILE = path.join('csrc', 'build', 'Release', 'cnnlab_native.node');

/**
 * The directory of this module: from import.meta.url in ESM (and vitest); in the CJS build, where
 * it is empty, `__dirname`. Not `__dirname` first: `node -e` defines a global one, '.'.
 */
export function moduleDir(): string {
  const url = import.meta.url;
  if (url) return path.dirname(fileURLToPath(url));
  return __dirname;
}

/**
 * Walks up from `fromDir` (src/native, dist) to the package root, where a build from source
 * (`scripts/build-native.mjs`) puts csrc/build/Release/cnnlab_native.node.
 */
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

interface PlatformManifest {
  main?: string;
  cnnlab?: { march?: string; cpuFlags?: string[] };
}

/** Where the addon may come from, and what to look at. Tests pass their own. */
export interface AddonSearch {
  /** `CNNLAB_NATIVE_ADDON`: a .node file to load and nothing else. */
  explicit?: string;
  /** A build from source, if one was made. */
  sourceBuild: string | null;
  /** The platform-package suffix of this machine (hostPlatform()). */
  platform: string;
  /** Resolves a package's package.json from @cnnlab/backend, or throws. */
  resolve: (specifier: string) => string;
  /** /proc/cpuinfo, or '' where there is none. */
  cpuinfo: string;
}

/**
 * Finds and loads the addon: `CNNLAB_NATIVE_ADDON` alone when set; otherwise a build from source
 * (someone built it on purpose), then the prebuilt `@cnnlab/backend-<platform>` package. The
 * reason of a failure names every place looked at and why it did not serve.
 */
export function searchAddon(search: AddonSearch): AddonLoad {
  if (search.explicit) return loadFile(search.explicit, `CNNLAB_NATIVE_ADDON=${search.explicit}`);
  const reasons: string[] = [];
  if (search.sourceBuild && existsSync(search.sourceBuild)) {
    const load = loadFile(search.sourceBuild, 'build from source');
    if (load.ok) return load;
    reasons.push(load.reason);
  }
  const name = platformPackage(search.platform);
  if (!(PREBUILT_PLATFORMS as readonly string[]).includes(search.platform)) {
    reasons.push(
      `no prebuilt addon exists for ${search.platform} (only ${PREBUILT_PLATFORMS.join(', ')}); ` +
        'build it from source with `node node_modules/@cnnlab/backend/scripts/build-native.mjs`',
    );
    return { ok: false, reason: reasons.join('; ') };
  }
  let manifestFile: string;
  try {
    manifestFile = search.resolve(`${name}/package.json`);
  } catch {
    reasons.push(
      `${name} is not installed (an optional dependency of @cnnlab/backend, left out by ` +
        '--omit=optional / --no-optional or by a lockfile made on another platform)',
    );
    return { ok: false, reason: reasons.join('; ') };
  }
  let manifest: PlatformManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as PlatformManifest;
  } catch (error) {
    reasons.push(`${name}'s package.json is unreadable (${firstLine(error)})`);
    return { ok: false, reason: reasons.join('; ') };
  }
  const missing = missingCpuFlags(manifest.cnnlab?.cpuFlags ?? [], search.cpuinfo);
  if (missing.length > 0) {
    reasons.push(
      `this CPU lacks ${missing.join(', ')}, which ${name} (built for ` +
        `${manifest.cnnlab?.march ?? 'a newer CPU'}) needs`,
    );
    return { ok: false, reason: reasons.join('; ') };
  }
  const file = path.join(path.dirname(manifestFile), manifest.main ?? 'cnnlab_native.node');
  const load = loadFile(file, `prebuilt ${name}`);
  if (!load.ok) reasons.push(load.reason);
  return load.ok ? load : { ok: false, reason: reasons.join('; ') };
}

/**
 * The addon functions added last (with them came unary op 6, floor): an addon that has them has
 * every kernel this version registers.
 */
const NEWEST_FUNCTIONS = [
  'softmax',
  'rmspropUpdate',
  'maxPoolGradWithOutput',
  'conv2dBackpropFilterBias',
] as const satisfies readonly (keyof NativeAddon)[];

function loadFile(file: string, source: string): AddonLoad {
  if (!existsSync(file)) return { ok: false, reason: `${source}: ${file} does not exist` };
  try {
    const addon = createRequire(file)(file) as NativeAddon;
    if (typeof addon.conv2d !== 'function' || typeof addon.threads !== 'function') {
      return { ok: false, reason: `${source}: ${file} is not cnnlab's addon` };
    }
    // An addon built before a kernel this version registers (a stale build from source, an
    // older platform package) is refused whole, so that no kernel fails in the middle of training.
    const lacking = NEWEST_FUNCTIONS.filter((name) => typeof addon[name] !== 'function');
    if (lacking.length > 0) {
      return {
        ok: false,
        reason: `${source}: ${file} is older than this @cnnlab/backend (it lacks ${lacking.join(', ')}); rebuild or update it`,
      };
    }
    return { ok: true, addon, file, source };
  } catch (error) {
    return { ok: false, reason: `${source} failed to load (${firstLine(error)})` };
  }
}

let loaded: AddonLoad | undefined;

/** Loads the addon once (see searchAddon for where it looks). Never throws. */
export function loadAddon(): AddonLoad {
  if (loaded) return loaded;
  loaded = tryLoad();
  return loaded;
}

function tryLoad(): AddonLoad {
  if (typeof process === 'undefined' || !process.versions?.node) {
    return { ok: false, reason: 'the native backend needs Node.js' };
  }
  try {
    const here = moduleDir();
    const require = createRequire(path.join(here, 'noop.js'));
    return searchAddon({
      explicit: process.env.CNNLAB_NATIVE_ADDON || undefined,
      sourceBuild: findAddonFile(here),
      platform: hostPlatform(),
      resolve: (specifier) => require.resolve(specifier),
      cpuinfo: readCpuinfo(),
    });
  } catch (error) {
    return { ok: false, reason: `native addon not found (${firstLine(error)})` };
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
