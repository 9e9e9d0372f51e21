// Node only (worker_threads, files): reached through node-backends.ts, never from the browser
// entry. tfjs-backend-wasm 4.22 never gives Node its threaded build: its
// WASM_HAS_MULTITHREAD_SUPPORT flag answers false whenever IS_NODE, and forcing the flag true
// only moves the failure, since its init() hands Emscripten a Blob URL for the pthread worker
// script (Node's Worker rejects it with ERR_WORKER_PATH) and a Blob of its rollup-bundled
// factory as the workers' main script (whose source names bundle-only variables such as
// require$$0 and commonjsGlobal). This module starts the same threaded SIMD binary the way
// Emscripten supports in Node instead: real files for the factory and the .wasm, a data: URL
// module that starts each pthread worker, and Module.instantiateWasm to correct the core count
// that caps the thread pool.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';
import { reasonOf } from './init-backend.js';
import { moduleDir } from './native/addon.js';

/** What prepareNodeWasmThreads set up. */
export interface NodeWasmThreads {
  /** XNNPACK threads the 'wasm' backend will use, the calling thread included; 1 when unthreaded. */
  threads: number;
  /** One line: the build and thread count, or why wasm stays single-threaded here. */
  reason: string;
}

export interface NodeWasmThreadsOptions {
  /**
   * Threads to ask for, the calling thread included (default: os.availableParallelism(), at
   * most 8, the size of the worker pool the threaded build starts with).
   */
  threads?: number;
  /** How long the workers may take to load before giving up (default 30 s). */
  timeoutMs?: number;
}

/** The worker pool tfjs's threaded build creates at start-up, and the most threads it uses. */
export const MAX_WASM_THREADS = 8;

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const FACTORY_FILE = path.join('wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
const WORKER_FILE = path.join('wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js');
const BINARY_FILE = path.join('dist', 'tfjs-backend-wasm-threaded-simd.wasm');
/** tfjs-backend-wasm registers 'wasm' with this priority; the replacement keeps it. */
const WASM_PRIORITY = 2;

/** The parts of an Emscripten pthread module this file touches. */
interface ThreadedModule {
  cwrap: (name: string, returns: string | null, args: string[]) => (...args: number[]) => number;
  PThread: {
    runningWorkers: { unref(): void }[];
    unusedWorkers: unknown[];
    terminateAllThreads(): void;
  };
  wasmMemory: WebAssembly.Memory;
  tfjs?: Record<string, (...args: number[]) => number>;
}

type WasmImports = Record<string, Record<string, unknown>>;

interface FactoryConfig {
  mainScriptUrlOrBlob: string;
  locateFile: (file: string) => string | URL;
  instantiateWasm: (
    imports: WasmImports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ) => Record<string, never>;
  onAbort: (what: unknown) => void;
  PThread?: ThreadedModule['PThread'];
}

type ThreadedFactory = (config: FactoryConfig) => Promise<ThreadedModule>;

interface WasmPackage {
  BackendWasm: new (module: ThreadedModule) => BackendWasm;
  setThreadsCount: (threads: number) => void;
  getThreadsCount: () => number;
}

let prepared: Promise<NodeWasmThreads> | null = null;

/**
 * The thread count to ask for: `requested` when given (a whole number ≥ 1), else the cores
 * Node reports; never more than the threaded build's pool of 8.
 */
export function wasmThreadsFor(requested: number | undefined, cores: number): number {
  const wanted = requested ?? cores;
  if (!Number.isFinite(wanted) || wanted < 1) return 1;
  return Math.min(Math.floor(wanted), MAX_WASM_THREADS);
}

/**
 * Makes tfjs's 'wasm' backend, not yet initialised, start as its threaded SIMD build with
 * XNNPACK running on worker threads. Call it before `tf.setBackend('wasm')` (it imports
 * '@tensorflow/tfjs-backend-wasm' itself); the training kernels (registerWasmTrainingKernels)
 * work on either build. The module is started and checked here, so a failure leaves tfjs's own
 * single-threaded backend in place: this never throws for "not possible here", it says why in
 * `reason` with `threads: 1`. The pthread workers are unref'd, so they never keep the process
 * alive. Once threads are set up, every later call answers the same.
 */
export function prepareNodeWasmThreads(
  options: NodeWasmThreadsOptions = {},
): Promise<NodeWasmThreads> {
  if (prepared) return prepared;
  const attempt = prepare(options);
  prepared = attempt;
  // Only a threaded result is final; "not here" is cheap to ask again (with other options).
  attempt.then((result) => {
    if (result.threads < 2 && prepared === attempt) prepared = null;
  });
  return attempt;
}

async function prepare(options: NodeWasmThreadsOptions): Promise<NodeWasmThreads> {
  const single = (why: string): NodeWasmThreads => ({
    threads: 1,
    reason: `single-threaded wasm: ${why}`,
  });
  if (typeof process === 'undefined' || !process.versions?.node) {
    return single('wasm threads here need Node.js worker_threads');
  }
  const cores = availableParallelism();
  const threads = wasmThreadsFor(options.threads, cores);
  if (threads < 2) return single(`${threads} thread asked for (cores: ${cores})`);
  if (!sharedMemoryWorks()) {
    return single('this Node has no shared WebAssembly memory (SharedArrayBuffer)');
  }
  let wasmPackage: WasmPackage;
  try {
    wasmPackage = (await import(WASM_PACKAGE)) as WasmPackage;
  } catch (error) {
    return single(`${WASM_PACKAGE} did not load: ${reasonOf(error)}`);
  }
  const engine = tf.engine();
  if (engine.registryFactory.wasm === undefined) {
    return single(`'wasm' is not registered after importing ${WASM_PACKAGE}`);
  }
  if (engine.registry.wasm !== undefined) {
    return single("the 'wasm' backend was already initialised (call this before tf.setBackend)");
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    const files = locateFiles();
    const start = async (): Promise<BackendWasm> => {
      const module = await buildThreadedModule(files, threads, timeoutMs);
      wasmPackage.setThreadsCount(threads);
      // The constructor makes XNNPACK's thread pool, starting threads - 1 pthreads.
      const backend = new wasmPackage.BackendWasm(module);
      // A running pthread's worker is ref'd, so an idle pool would keep Node from exiting.
      for (const worker of module.PThread.runningWorkers) worker.unref();
      return backend;
    };
    const first = await start();
    const actual = wasmPackage.getThreadsCount();
    if (actual < 2) {
      first.dispose();
      return single(`the threaded build started ${actual} thread`);
    }
    let handedOut = false;
    tf.removeBackend('wasm');
    tf.registerBackend(
      'wasm',
      async () => {
        if (handedOut) return start(); // after tf.engine().reset() disposed the first one
        handedOut = true;
        return first;
      },
      WASM_PRIORITY,
    );
    return {
      threads: actual,
      reason: `threaded SIMD build, ${actual} XNNPACK threads on worker_threads`,
    };
  } catch (error) {
    return single(`the threaded build did not start: ${reasonOf(error)}`);
  }
}

function sharedMemoryWorks(): boolean {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

interface ThreadedFiles {
  factory: string;
  worker: string;
  binary: string;
}

/** The threaded build's files inside the installed tfjs-backend-wasm; throws naming a missing one. */
function locateFiles(): ThreadedFiles {
  const require = createRequire(path.join(moduleDir(), 'noop.js'));
  const root = path.dirname(require.resolve(`${WASM_PACKAGE}/package.json`));
  const files = {
    factory: path.join(root, FACTORY_FILE),
    worker: path.join(root, WORKER_FILE),
    binary: path.join(root, BINARY_FILE),
  };
  for (const file of Object.values(files)) {
    if (!existsSync(file)) throw new BackendError(`${WASM_PACKAGE} has no ${file}`);
  }
  return files;
}

/**
 * The source of each pthread worker, as an ES module in a data: URL: Node's Worker takes a file
 * or a data: URL, and tfjs ships the worker script only as a string exported from a CommonJS
 * file. The module gives that script the CommonJS globals it expects and evaluates it globally.
 */
function workerBootstrap(workerFile: string): URL {
  const source = [
    "import { createRequire } from 'node:module';",
    `const require = createRequire(${JSON.stringify(pathToFileURL(workerFile).href)});`,
    `Object.assign(globalThis, { require, __filename: ${JSON.stringify(workerFile)} });`,
    // The string was a template literal, so its "\n" escapes arrived as real line breaks inside
    // string literals; put them back before evaluating it.
    `const script = require(${JSON.stringify(workerFile)}).wasmWorkerContents.replace(/\\n/g, '\\\\n');`,
    '(0, eval)(script);',
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** Checks the worker script parses, so that a changed tfjs fails here and not inside a worker. */
function checkWorkerScript(workerFile: string): void {
  const require = createRequire(workerFile);
  const { wasmWorkerContents } = require(workerFile) as { wasmWorkerContents?: unknown };
  if (typeof wasmWorkerContents !== 'string') {
    throw new BackendError(`${workerFile} no longer exports wasmWorkerContents`);
  }
  new vm.Script(wasmWorkerContents.replace(/\n/g, '\\n'), { filename: workerFile });
}

/**
 * Starts tfjs's threaded Emscripten module from its files: the factory is the CommonJS file
 * itself (also the workers' main script, loaded by path), the binary is read here, and the
 * "logical cores" import reads 2 × threads, since tfjs's C++ caps its pool at half the logical
 * cores (it assumes two hyperthreads a core; Node reports cores, so a 2-core machine got one).
 */
async function buildThreadedModule(
  files: ThreadedFiles,
  threads: number,
  timeoutMs: number,
): Promise<ThreadedModule> {
  checkWorkerScript(files.worker);
  const require = createRequire(files.factory);
  const factory = require(files.factory) as ThreadedFactory;
  const binary = await readFile(files.binary);
  const bootstrap = workerBootstrap(files.worker);
  let abort: (why: unknown) => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    abort = (why) => reject(new BackendError(`wasm aborted: ${reasonOf(why)}`));
  });
  // Emscripten may abort after start-up too; that rejection must not count as unhandled.
  aborted.catch(() => {});
  const config: FactoryConfig = {
    mainScriptUrlOrBlob: files.factory,
    locateFile: (file) => (file.endsWith('.worker.js') ? bootstrap : files.binary),
    instantiateWasm: (imports, receive) => {
      const env = imports.env;
      if (typeof env?.emscripten_num_logical_cores !== 'function') {
        throw new BackendError('the threaded build no longer imports emscripten_num_logical_cores');
      }
      const patched = {
        ...imports,
        env: { ...env, emscripten_num_logical_cores: () => 2 * threads },
      };
      WebAssembly.instantiate(binary, patched as WebAssembly.Imports).then(
        (result) => receive(result.instance, result.module),
        (error: unknown) => abort(error),
      );
      return {};
    },
    onAbort: (what) => abort(what),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BackendError(`its workers did not load within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    const module = await Promise.race([factory(config), aborted, timeout]);
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    return module;
  } catch (error) {
    // Emscripten used the config object as its Module, so the pool it started hangs off it.
    config.PThread?.terminateAllThreads();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
