import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { afterAll, describe, expect, it } from 'vitest';
import { relativeError, seededValues } from '../../test/native-helpers.js';
import { type AddonSearch, findAddonFile, loadAddon, moduleDir, searchAddon } from './addon.js';
import { hostPlatform, missingCpuFlags } from './platform.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, '../..');
const sourceBuild = path.join(packageRoot, 'csrc/build/Release/cnnlab_native.node');
// The workspace links the platform packages; the one for this machine holds the prebuilt addon.
const prebuiltDir = path.resolve(packageRoot, '..', `backend-${hostPlatform()}`);
const addonFile = path.join(prebuiltDir, 'cnnlab_native.node');

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** A directory laid out like an installed @cnnlab/backend, under a path that needs escaping. */
function fakePackage(): string {
  const root = path.join(temporaryDir('cnnlab addon #1 %20 '), 'backend');
  mkdirSync(path.join(root, 'csrc/build/Release'), { recursive: true });
  mkdirSync(path.join(root, 'dist'));
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: '@cnnlab/backend', type: 'module' }),
  );
  return root;
}

describe('finding the addon', () => {
  it('knows the directory of its own module under vitest', () => {
    expect(moduleDir()).toBe(here);
  });

  it('looks for a build from source under the package root from src/native', () => {
    expect(findAddonFile(here)).toBe(sourceBuild);
  });

  it('finds it from dist/, through spaces, # and %', () => {
    const root = fakePackage();
    expect(findAddonFile(path.join(root, 'dist'))).toBe(
      path.join(root, 'csrc/build/Release/cnnlab_native.node'),
    );
  });

  it('finds nothing outside the package', () => {
    expect(findAddonFile(temporaryDir('elsewhere-'))).toBeNull();
  });

  it('loads the prebuilt platform package here', () => {
    const load = loadAddon();
    expect(load.ok ? load.file : load.reason).toBe(addonFile);
    expect(load.ok && load.source).toBe(`prebuilt @cnnlab/backend-${hostPlatform()}`);
  });

  it('loads it from bundled ESM and CJS (tsup, as the package builds) in a path that needs escaping', async () => {
    const root = fakePackage();
    copyFileSync(addonFile, path.join(root, 'csrc/build/Release/cnnlab_native.node'));
    await build({
      entry: { addon: path.join(here, 'addon.ts') },
      format: ['esm', 'cjs'],
      outDir: path.join(root, 'dist'),
      shims: false,
      target: 'es2022',
      platform: 'node',
      silent: true,
      config: false,
    });
    // Loads one bundle in a fresh node and prints what loadAddon() found.
    const probe = (specifier: string, load: string) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = ${load}(${JSON.stringify(specifier)}); const r = m.loadAddon(); ` +
            'console.log(r.ok ? r.file : r.reason);',
        ],
        { encoding: 'utf8', env: { ...process.env, CNNLAB_NATIVE_ADDON: '' } },
      ).trim();
    const expected = path.join(root, 'csrc/build/Release/cnnlab_native.node');
    const esm = path.join(root, 'dist/addon.js');
    const cjs = path.join(root, 'dist/addon.cjs');
    expect(probe(pathToFileURL(esm).href, 'await import')).toBe(expected);
    expect(probe(cjs, "(await import('node:module')).createRequire(import.meta.url)")).toBe(
      expected,
    );
  }, 60_000);
});

describe('where the addon comes from, and why not', () => {
  const resolvePrebuilt = (specifier: string) => {
    if (specifier !== `@cnnlab/backend-${hostPlatform()}/package.json`) throw new Error('nope');
    return path.join(prebuiltDir, 'package.json');
  };
  const search = (over: Partial<AddonSearch>): ReturnType<typeof searchAddon> =>
    searchAddon({
      sourceBuild: null,
      platform: hostPlatform(),
      resolve: resolvePrebuilt,
      cpuinfo: '',
      ...over,
    });
  const reason = (load: ReturnType<typeof searchAddon>) =>
    load.ok ? `loaded ${load.file}` : load.reason;

  it('says the platform package is missing, and how that happens', () => {
    const load = search({
      resolve: () => {
        throw new Error('MODULE_NOT_FOUND');
      },
    });
    expect(reason(load)).toMatch(
      new RegExp(`^@cnnlab/backend-${hostPlatform()} is not installed .*--omit=optional`),
    );
  });

  it('says when no prebuilt addon exists for the platform', () => {
    expect(reason(search({ platform: 'freebsd-x64' }))).toMatch(
      /^no prebuilt addon exists for freebsd-x64 \(only linux-x64-gnu, .*\); build it from source/,
    );
  });

  it('names the CPU features the prebuilt addon needs and this CPU lacks', () => {
    const cpuinfo = 'processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt avx\n';
    const manifest = JSON.parse(readFileSync(path.join(prebuiltDir, 'package.json'), 'utf8'));
    const needed: string[] = manifest.cnnlab?.cpuFlags ?? [];
    if (needed.length === 0) return; // a platform package without a CPU baseline to check
    expect(reason(search({ cpuinfo }))).toBe(
      `this CPU lacks ${needed.filter((f) => f !== 'avx').join(', ')}, which ` +
        `@cnnlab/backend-${hostPlatform()} (built for ${manifest.cnnlab.march}) needs`,
    );
  });

  it('gives the load error of a file that is not an addon, with where it came from', () => {
    const dir = temporaryDir('not-an-addon-');
    const file = path.join(dir, 'broken.node');
    writeFileSync(file, 'this is not a shared library');
    expect(reason(search({ explicit: file }))).toMatch(
      new RegExp(`^CNNLAB_NATIVE_ADDON=${file} failed to load \\(.+\\)$`),
    );
  });

  it('refuses an addon built before the newest kernels, naming what it lacks', () => {
    const dir = temporaryDir('stale-addon-');
    const file = path.join(dir, 'stale.cjs');
    // The functions an older build has, and none of the newest.
    writeFileSync(file, 'module.exports = { conv2d() {}, threads() { return 1; } };');
    expect(reason(search({ explicit: file }))).toBe(
      `CNNLAB_NATIVE_ADDON=${file}: ${file} is older than this @cnnlab/backend (it lacks softmax, rmspropUpdate, maxPoolGradWithOutput, conv2dBackpropFilterBias); rebuild or update it`,
    );
    // The release before: everything but the fused convolution's filter and bias gradient.
    const before = path.join(dir, 'before.cjs');
    writeFileSync(
      before,
      'module.exports = { conv2d() {}, threads() { return 1; }, softmax() {}, rmspropUpdate() {}, maxPoolGradWithOutput() {} };',
    );
    expect(reason(search({ explicit: before }))).toMatch(/\(it lacks conv2dBackpropFilterBias\);/);
  });

  it('prefers a build from source, and falls back to the prebuilt one when it does not load', () => {
    const dir = temporaryDir('source-build-');
    const broken = path.join(dir, 'cnnlab_native.node');
    writeFileSync(broken, 'half a build');
    const load = search({ sourceBuild: broken });
    expect(load.ok && load.source).toBe(`prebuilt @cnnlab/backend-${hostPlatform()}`);
    copyFileSync(addonFile, broken);
    const fromSource = search({ sourceBuild: broken });
    expect(fromSource.ok && fromSource.source).toBe('build from source');
  });
});

describe('CPU features', () => {
  it('reads the first flags line of /proc/cpuinfo', () => {
    const cpuinfo = 'processor : 0\nflags : sse avx2 fma\nprocessor : 1\nflags : sse\n';
    expect(missingCpuFlags(['avx2', 'fma', 'bmi2'], cpuinfo)).toEqual(['bmi2']);
    expect(missingCpuFlags(['avx2'], '')).toEqual([]);
  });
});

describe('the addon itself', () => {
  it('throws instead of touching memory it was not given', () => {
    const load = loadAddon();
    if (!load.ok) throw new Error(load.reason);
    const { addon } = load;
    expect(() => addon.unary(0, new Float32Array(4), new Float32Array(3), 0)).toThrow(
      /y has 3 elements, expected 4/,
    );
    const geometry = Int32Array.from([1, 4, 4, 1, 2, 2, 1, 3, 3, 1, 1, 1, 1, 0, 0]);
    expect(() =>
      addon.conv2d(
        new Float32Array(16),
        new Float32Array(9),
        null,
        new Float32Array(3),
        geometry,
        0,
        0,
      ),
    ).toThrow(/y has 3 elements, expected 4/);
    expect(() =>
      addon.conv2d(
        // @ts-expect-error: a Float64Array on purpose, to see the addon reject it
        new Float64Array(16),
        new Float32Array(9),
        null,
        new Float32Array(4),
        geometry,
        0,
        0,
      ),
    ).toThrow(/x must be a Float32Array/);
    expect(() =>
      addon.maxPool(new Float32Array(16), new Float32Array(4), new Int32Array(3)),
    ).toThrow(/geometry/);
  });

  it('refuses sizes whose product overflows, instead of matching an empty buffer', () => {
    const load = loadAddon();
    if (!load.ok) throw new Error(load.reason);
    const { addon } = load;
    const none = new Float32Array(0);
    // 2^16 four times is 2^64: in 64-bit arithmetic that wraps to 0, the length of `none`.
    const huge = Int32Array.from([65536, 65536, 65536, 65536, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(() => addon.conv2d(none, new Float32Array(65536), null, none, huge, 0, 0)).toThrow(
      /x: the sizes given overflow/,
    );
    expect(() => addon.maxPool(none, none, huge)).toThrow(/overflow|channel/);
    const pool = Int32Array.from([65536, 65536, 65536, 65536, 0, 0, 65536, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(() => addon.maxPool(none, none, pool)).toThrow(/x: the sizes given overflow/);
    expect(() =>
      addon.batchMatMul(
        new Float32Array(2 ** 21),
        new Float32Array(2 ** 22),
        none,
        2 ** 21,
        2 ** 21,
        2 ** 22,
        1,
        false,
        false,
        0,
        0,
        null,
        0,
        0,
      ),
    ).toThrow(/out: the sizes given overflow/);
    expect(() => addon.sum(none, 2 ** 32, 2 ** 32, 1, none)).toThrow(/x: the sizes given overflow/);
    expect(() =>
      addon.binary(0, none, new Float32Array(1), false, 2 ** 32, 1, 2 ** 32, none),
    ).toThrow(/big: the sizes given overflow/);
    // Windows too far apart for the kernels' int arithmetic.
    const far = Int32Array.from([1, 4, 4, 1, 2, 2, 1, 3, 3, 2 ** 31 - 1, 1, 1, 1, 0, 0]);
    expect(() => addon.maxPool(new Float32Array(16), new Float32Array(4), far)).toThrow(
      /geometry too large/,
    );
    const negativePad = Int32Array.from([1, 4, 4, 1, 2, 2, 1, 3, 3, 1, 1, 1, 1, -5, 0]);
    expect(() =>
      addon.conv2d(
        new Float32Array(16),
        new Float32Array(9),
        null,
        new Float32Array(4),
        negativePad,
        0,
        0,
      ),
    ).toThrow(/invalid convolution geometry/);
  });

  it('gives the same results on any number of threads', () => {
    const load = loadAddon();
    if (!load.ok) throw new Error(load.reason);
    const { addon } = load;
    const original = addon.threads();
    // 8 images of 13x13x32, 3x3 filter to 64 channels: the workshop's second convolution.
    const geometry = Int32Array.from([8, 13, 13, 32, 11, 11, 64, 3, 3, 1, 1, 1, 1, 0, 0]);
    const x = seededValues(8 * 13 * 13 * 32, 1);
    const w = seededValues(3 * 3 * 32 * 64, 2);
    const dy = seededValues(8 * 11 * 11 * 64, 3);
    const run = (threads: number) => {
      expect(addon.setThreads(threads)).toBe(threads);
      const y = new Float32Array(dy.length);
      const dx = new Float32Array(x.length);
      const dw = new Float32Array(w.length);
      addon.conv2d(x, w, null, y, geometry, 1, 0);
      addon.conv2dBackpropInput(dy, w, dx, geometry);
      addon.conv2dBackpropFilter(x, dy, dw, geometry);
      return { y, dx, dw };
    };
    try {
      const one = run(1);
      for (const threads of [2, 3, 5]) {
        const many = run(threads);
        // Rows and images are computed whole by one thread: bit-identical.
        expect(many.y).toEqual(one.y);
        expect(many.dx).toEqual(one.dx);
        // The filter gradient adds per-thread partial sums: equal up to rounding.
        expect(relativeError(many.dw, one.dw)).toBeLessThan(1e-5);
      }
    } finally {
      addon.setThreads(original);
    }
  });

  it('says which BLAS it runs on and how many threads it uses', () => {
    const load = loadAddon();
    if (!load.ok) throw new Error(load.reason);
    expect(load.addon.blasConfig()).toMatch(/OpenBLAS/);
    expect(load.addon.threads()).toBeGreaterThanOrEqual(1);
  });
});
