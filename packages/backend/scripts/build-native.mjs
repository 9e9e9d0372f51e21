#!/usr/bin/env node
// Builds the native addon with node-gyp. Never run at install: users get the addon prebuilt in
// @cnnlab/backend-<platform>; this script is how those packages are made, and how anyone builds
// from source.
//
//   node scripts/build-native.mjs                 a build from source: csrc/build/Release/
//                                                 cnnlab_native.node, linked to the system's OpenBLAS
//   node scripts/build-native.mjs --prebuilt DIR  the platform package in DIR (its `pnpm build`):
//                                                 BLAS linked in, the CPU baseline its package.json
//                                                 names; on another platform it only says so
//   node scripts/build-native.mjs --check DIR     before publishing DIR: fails unless its addon is
//                                                 there (built on its own platform)
//   --verbose                                     the compiler's output
//
// Environment:
//   CNNLAB_SKIP_NATIVE=1   skip the build (exit 0)
//   CNNLAB_BLAS_LIB=<file> the static BLAS library to link into a prebuilt addon (Linux: found in
//                          the usual places; Windows: OpenBLAS's .lib, e.g. from vcpkg)
//   CNNLAB_BLAS_INCLUDE    the folder of cblas.h (default: searched)
//   CXX                    the C++ compiler (default c++, then g++, then clang++)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const prebuiltAt = args.includes('--prebuilt') ? args[args.indexOf('--prebuilt') + 1] : null;
const checkAt = args.includes('--check') ? args[args.indexOf('--check') + 1] : null;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// binding.gyp lives in csrc/, not at the package root, where npm and pnpm would run node-gyp
// at install on their own.
const csrcDir = path.join(root, 'csrc');
const tag = '@cnnlab/backend:';

/** Libraries a prebuilt addon may need from the system: the C runtime, nothing else. */
const SYSTEM_LIBRARIES = /^(linux-vdso|ld-linux|libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl)\b/;

function finish(message, code = 0) {
  (code === 0 ? console.log : console.error)(`${tag} ${message}`);
  process.exit(code);
}

function runs(command, argv) {
  return spawnSync(command, argv, { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/** This machine as a platform-package suffix: linux-x64-gnu, darwin-arm64, win32-x64-msvc, … */
function hostPlatform() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  return platform === 'win32' ? `win32-${arch}-msvc` : `${platform}-${arch}`;
}

function findFile(candidates) {
  return candidates.find((file) => file && existsSync(file)) ?? null;
}

function findCblasInclude() {
  if (process.env.CNNLAB_BLAS_INCLUDE) return process.env.CNNLAB_BLAS_INCLUDE;
  const header = findFile([
    '/usr/include/x86_64-linux-gnu/cblas.h',
    '/usr/include/aarch64-linux-gnu/cblas.h',
    '/usr/include/openblas/cblas.h',
    '/usr/include/cblas.h',
    '/usr/local/include/cblas.h',
    '/usr/local/include/openblas/cblas.h',
    '/opt/homebrew/opt/openblas/include/cblas.h',
    '/usr/local/opt/openblas/include/cblas.h',
  ]);
  return header ? path.dirname(header) : null;
}

function findStaticOpenblas() {
  return findFile([
    process.env.CNNLAB_BLAS_LIB,
    '/usr/lib/x86_64-linux-gnu/libopenblas.a',
    '/usr/lib/aarch64-linux-gnu/libopenblas.a',
    '/usr/lib64/libopenblas.a',
    '/usr/lib/libopenblas.a',
    '/usr/local/lib/libopenblas.a',
  ]);
}

function findCompiler() {
  const candidates = [process.env.CXX, 'c++', 'g++', 'clang++'].filter(Boolean);
  return candidates.find((cxx) => runs(cxx, ['--version'])) ?? null;
}

// Headers of the running Node, so node-gyp downloads nothing where they are installed.
function findNodeDir() {
  const beside = path.resolve(process.execPath, '../..');
  for (const dir of [beside, '/usr', '/usr/local']) {
    if (existsSync(path.join(dir, 'include/node/node_api.h'))) return dir;
  }
  return null;
}

/** node-gyp from our devDependencies, from the npm running us, or the copy npm bundles. */
function findNodeGyp() {
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('node-gyp/package.json')), 'bin/node-gyp.js');
  } catch {
    return findFile([
      process.env.npm_config_node_gyp,
      path.resolve(
        process.execPath,
        '../../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
      ),
      path.resolve(process.execPath, '../node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    ]);
  }
}

/** The build settings for this run, or a reason it cannot happen here. */
function plan() {
  if (!prebuiltAt) {
    const include = findCblasInclude();
    if (!include) {
      return {
        fail: 'cblas.h not found: install OpenBLAS (Debian/Ubuntu: apt-get install libopenblas-dev)',
      };
    }
    return { cwd: csrcDir, env: { CNNLAB_BLAS: 'openblas', CNNLAB_BLAS_INCLUDE: include } };
  }
  const dir = path.resolve(prebuiltAt);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const target = manifest.name.replace('@cnnlab/backend-', '');
  const host = hostPlatform();
  if (target !== host) return { skip: `${manifest.name} is built on ${target}; this is ${host}` };
  const cpu = manifest.cnnlab?.march ?? '';
  const out = path.join(dir, manifest.main);
  // node-gyp builds in a copy, so a prebuilt build never replaces a build from source.
  const cwd = path.join(dir, '.build');
  if (process.platform === 'darwin') {
    return { cwd, out, env: { CNNLAB_BLAS: 'accelerate', CNNLAB_CPU: cpu } };
  }
  const lib = findStaticOpenblas();
  const include = findCblasInclude();
  if (!lib || !include) {
    return {
      fail:
        'a static OpenBLAS (libopenblas.a and cblas.h) is needed to build a prebuilt addon ' +
        '(Debian/Ubuntu: apt-get install libopenblas-dev; elsewhere set CNNLAB_BLAS_LIB and CNNLAB_BLAS_INCLUDE)',
    };
  }
  return {
    cwd,
    out,
    env: {
      CNNLAB_BLAS: 'static',
      CNNLAB_BLAS_LIB: lib,
      CNNLAB_BLAS_INCLUDE: include,
      CNNLAB_CPU: cpu,
    },
  };
}

/** The shared libraries a Linux addon needs that are not the C/C++ runtime. */
function foreignLibraries(file) {
  const ldd = spawnSync('ldd', [file], { encoding: 'utf8' });
  if (ldd.status !== 0) return [];
  return ldd.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => name && !SYSTEM_LIBRARIES.test(path.basename(name)));
}

if (checkAt) {
  const manifest = JSON.parse(readFileSync(path.join(checkAt, 'package.json'), 'utf8'));
  const file = path.join(checkAt, manifest.main);
  if (!existsSync(file) || statSync(file).size < 4096) {
    finish(`${manifest.name}: ${manifest.main} is missing; build it on its own platform first`, 1);
  }
  finish(`${manifest.name}: ${manifest.main} present (${statSync(file).size} bytes)`);
}
if (process.env.CNNLAB_SKIP_NATIVE === '1') finish('native addon skipped (CNNLAB_SKIP_NATIVE=1)');
const settings = plan();
if (settings.skip) finish(`native addon not built: ${settings.skip}`);
if (settings.fail) finish(`native addon not built: ${settings.fail}`, 1);
const compiler = process.platform === 'win32' ? 'msvc' : findCompiler();
if (!compiler) finish('native addon not built: no C++ compiler found (install g++ and make)', 1);
if (!runs(process.env.PYTHON ?? 'python3', ['--version']) && !runs('python', ['--version'])) {
  finish('native addon not built: node-gyp needs python3', 1);
}
const nodeGyp = findNodeGyp();
if (!nodeGyp) finish('native addon not built: node-gyp not found (npm i -g node-gyp)', 1);

if (settings.cwd !== csrcDir) {
  rmSync(settings.cwd, { recursive: true, force: true });
  mkdirSync(path.dirname(settings.cwd), { recursive: true });
  cpSync(csrcDir, settings.cwd, {
    recursive: true,
    filter: (source) => !source.startsWith(path.join(csrcDir, 'build')),
  });
}
const gypArgs = [nodeGyp, 'rebuild'];
const nodeDir = findNodeDir();
if (nodeDir) gypArgs.push(`--nodedir=${nodeDir}`);
if (verbose) gypArgs.push('--verbose');
const started = Date.now();
const env = { ...process.env, ...settings.env };
if (compiler !== 'msvc') env.CXX = compiler;
const result = spawnSync(process.execPath, gypArgs, {
  cwd: settings.cwd,
  env,
  stdio: verbose ? 'inherit' : 'pipe',
  encoding: 'utf8',
  timeout: 900_000,
});
if (result.status !== 0) {
  const why = result.error
    ? result.error.message
    : `node-gyp exited with ${result.status ?? result.signal}`;
  if (!verbose) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  finish(`native addon build failed (${why})`, 1);
}
const built = path.join(settings.cwd, 'build', 'Release', 'cnnlab_native.node');
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (!settings.out)
  finish(`native addon built from source in ${seconds} s (${path.relative(root, built)})`);

if (process.platform === 'linux') {
  const foreign = foreignLibraries(built);
  if (foreign.length > 0) {
    finish(`prebuilt addon needs ${foreign.join(', ')}: it must need only the C/C++ runtime`, 1);
  }
}
// Into place in one rename, so an interrupted build never leaves half a .node file.
const partial = `${settings.out}.partial`;
cpSync(built, partial);
renameSync(partial, settings.out);
rmSync(settings.cwd, { recursive: true, force: true });
finish(
  `prebuilt addon built in ${seconds} s (${path.basename(settings.out)}, ${settings.env.CNNLAB_BLAS} BLAS)`,
);
