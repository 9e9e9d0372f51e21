#!/usr/bin/env node
// Builds the optional native addon (build/Release/cnnlab_native.node) with node-gyp.
// Run by the package's install script and by `pnpm build:native` (which adds --verbose).
// It never fails: without OpenBLAS or a compiler the package still works on its other
// backends, so it prints one line saying what happened and exits 0.
//
// Environment:
//   CNNLAB_SKIP_NATIVE=1     do not build
//   CNNLAB_CBLAS_H=<file>    the cblas.h to use instead of searching the usual places
//                            (point it at a missing file to see the "skipped" path)
//   CXX                      the C++ compiler (default c++, then g++, then clang++)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const verbose = process.argv.includes('--verbose');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = '@cnnlab/backend:';

function done(message) {
  console.log(`${tag} ${message}`);
  process.exit(0);
}

function runs(command, args) {
  const r = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  return r.status === 0;
}

function findCblasHeader() {
  if (process.env.CNNLAB_CBLAS_H) {
    return existsSync(process.env.CNNLAB_CBLAS_H) ? process.env.CNNLAB_CBLAS_H : null;
  }
  const candidates = [
    '/usr/include/x86_64-linux-gnu/cblas.h',
    '/usr/include/aarch64-linux-gnu/cblas.h',
    '/usr/include/openblas/cblas.h',
    '/usr/include/cblas.h',
    '/usr/local/include/cblas.h',
    '/usr/local/include/openblas/cblas.h',
    '/opt/homebrew/opt/openblas/include/cblas.h',
    '/usr/local/opt/openblas/include/cblas.h',
  ];
  return candidates.find((file) => existsSync(file)) ?? null;
}

function findOpenblasLibrary() {
  const dirs = [
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
    '/opt/homebrew/opt/openblas/lib',
    '/usr/local/opt/openblas/lib',
  ];
  for (const dir of dirs) {
    try {
      if (readdirSync(dir).some((f) => f.startsWith('libopenblas.'))) return dir;
    } catch {
      // a directory that is not there
    }
  }
  return null;
}

function findCompiler() {
  const candidates = [process.env.CXX, 'c++', 'g++', 'clang++'].filter(Boolean);
  return candidates.find((cxx) => runs(cxx, ['--version'])) ?? null;
}

// Headers of the running Node, so node-gyp downloads nothing.
function findNodeDir() {
  const beside = path.resolve(process.execPath, '../..');
  for (const dir of [beside, '/usr', '/usr/local']) {
    if (existsSync(path.join(dir, 'include/node/node_api.h'))) return dir;
  }
  return null;
}

function findNodeGyp() {
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('node-gyp/package.json')), 'bin/node-gyp.js');
  } catch {
    // npm and pnpm tell install scripts where their bundled node-gyp is
    const bundled = process.env.npm_config_node_gyp;
    return bundled && existsSync(bundled) ? bundled : null;
  }
}

if (process.env.CNNLAB_SKIP_NATIVE === '1') {
  done('native addon skipped (CNNLAB_SKIP_NATIVE=1)');
}
const header = findCblasHeader();
if (!header) {
  done(
    'native addon skipped: cblas.h not found (install libopenblas-dev, then run `pnpm build:native`)',
  );
}
if (!findOpenblasLibrary()) {
  done(
    'native addon skipped: libopenblas not found (install libopenblas-dev, then run `pnpm build:native`)',
  );
}
const compiler = findCompiler();
if (!compiler) {
  done(
    'native addon skipped: no C++ compiler found (install g++ and make, then run `pnpm build:native`)',
  );
}
if (!runs(process.env.PYTHON ?? 'python3', ['--version']) && !runs('python', ['--version'])) {
  done('native addon skipped: node-gyp needs python3 (install it, then run `pnpm build:native`)');
}
const nodeGyp = findNodeGyp();
if (!nodeGyp) {
  done('native addon skipped: node-gyp not found');
}

const args = [nodeGyp, 'rebuild'];
const nodeDir = findNodeDir();
if (nodeDir) args.push(`--nodedir=${nodeDir}`);
if (verbose) args.push('--verbose');
const started = Date.now();
const result = spawnSync(process.execPath, args, {
  cwd: root,
  env: { ...process.env, CNNLAB_CBLAS_INCLUDE: path.dirname(header), CXX: compiler },
  stdio: verbose ? 'inherit' : 'pipe',
  encoding: 'utf8',
  timeout: 600_000,
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (result.status === 0) {
  done(`native addon built in ${seconds} s (build/Release/cnnlab_native.node, OpenBLAS)`);
}
const why = result.error
  ? result.error.message
  : `node-gyp exited with ${result.status ?? result.signal}`;
done(
  `native addon build failed (${why}); the other backends still work — run \`pnpm build:native\` for the compiler output`,
);
