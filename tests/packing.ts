// What the root tests share: the public packages, packing them, and running npm, pnpm and node in
// scratch projects outside the workspace with the user's environment (not pnpm's or vitest's).
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  module?: string;
  types?: string;
  typings?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  os?: string[];
  [field: string]: unknown;
}

export interface Pkg {
  dir: string;
  manifest: Manifest;
  /** A file-name-safe form of the package name: `@cnnlab/datasets` → `cnnlab-datasets`. */
  slug: string;
  /** A prebuilt-addon package (`@cnnlab/backend-<platform>`): its main is a .node file. */
  addon: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** This machine as a platform-package suffix, as @cnnlab/backend's loader names it. */
export function hostPlatform(): string {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } };
    return `linux-${arch}-${report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  }
  return platform === 'win32' ? `win32-${arch}-msvc` : `${platform}-${arch}`;
}

/**
 * The non-private packages under packages/ (or under `folder`: `apps` for the published CLI), by
 * name. Platform packages of other platforms are left out: their addon is built (and tested) on
 * their own platform by the release workflow.
 */
export function publicPackages(folder = 'packages'): Pkg[] {
  const base = join(ROOT, folder);
  const pkgs: Pkg[] = [];
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    const dir = join(base, entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, 'package.json'))) continue;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    if (manifest.private === true) continue;
    const addon = manifest.os !== undefined;
    if (addon && manifest.name !== `@cnnlab/backend-${hostPlatform()}`) continue;
    const slug = manifest.name.replace(/^@/, '').replace(/[^\w.-]+/g, '-');
    pkgs.push({ dir, manifest, slug, addon });
  }
  return pkgs.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/**
 * What `pnpm run`, its bin shims and vitest put in the environment for their own use; the scratch
 * projects get none of it. NODE_PATH above all: the shims point it at the workspace's hoisted
 * node_modules, where every package of ours resolves whether it was installed or not.
 */
const RUNNER_ENV =
  /^(npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_user_agent$)|pnpm_config_|PNPM_|VITEST|NODE_PATH$)/;

/** The environment of the child processes: the user's, with its registry settings kept. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (RUNNER_ENV.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export function run(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, env: childEnv(extraEnv), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr || (error?.message ?? '')) });
      },
    );
  });
}

/** Fails with the command, its exit code and its output. */
export function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited with code ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
}

/** A fresh folder in the system temp folder, refused if that lies inside the workspace. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const fromRoot = relative(ROOT, dir);
  if (!fromRoot.startsWith('..') && !isAbsolute(fromRoot)) {
    throw new Error(`the temp folder ${dir} is inside the workspace ${ROOT}; set TMPDIR elsewhere`);
  }
  return dir;
}

/** `pnpm pack`s one package into `dest` (made if needed) and returns the tarball's path. */
export async function pack(pkg: Pkg, dest: string): Promise<string> {
  mkdirSync(dest, { recursive: true });
  expectSuccess(
    await run('pnpm', ['pack', '--pack-destination', dest], pkg.dir),
    `pnpm pack in ${relative(ROOT, pkg.dir)}`,
  );
  const files = readdirSync(dest).filter((file) => file.endsWith('.tgz'));
  if (files.length !== 1) {
    throw new Error(`pnpm pack of ${pkg.manifest.name} left ${files.length} tarballs in ${dest}`);
  }
  return join(dest, files[0]);
}

/**
 * A fresh project folder with a private package.json, ready for `npm install` or `pnpm add`;
 * `fields` are added to its package.json (`devDependencies`, npm's `overrides`).
 */
export function freshProject(
  dir: string,
  name: string,
  fields: Record<string, unknown> = {},
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name, version: '0.0.0', private: true, ...fields }, null, 2)}\n`,
  );
  return dir;
}

/** Whether the package can be packed as published: a platform package only once its addon is built. */
export function isBuilt(pkg: Pkg): boolean {
  return !pkg.addon || existsSync(join(pkg.dir, String(pkg.manifest.main)));
}

/** The package.json a tarball holds: what the registry would serve (`workspace:^` made `^0.0.0`). */
export async function packedManifest(tarball: string): Promise<Manifest> {
  const result = await run('tar', ['-xzOf', tarball, 'package/package.json'], dirname(tarball));
  expectSuccess(result, `tar -xzOf ${tarball} package/package.json`);
  return JSON.parse(result.stdout) as Manifest;
}

export interface Packed {
  pkg: Pkg;
  tarball: string;
  /** The packed package.json. */
  manifest: Manifest;
}

/** Packs the packages at once, each into its own folder under `dest`, by name. */
export async function packAll(pkgs: Pkg[], dest: string): Promise<Map<string, Packed>> {
  const packed = await Promise.all(
    pkgs.map(async (pkg): Promise<Packed> => {
      const tarball = await pack(pkg, join(dest, pkg.slug));
      return { pkg, tarball, manifest: await packedManifest(tarball) };
    }),
  );
  return new Map(packed.map((entry) => [entry.pkg.manifest.name, entry]));
}

/**
 * The packages of `packed` that installing `name` brings, itself first: its dependencies, peer and
 * optional dependencies on them, transitively, as the packed manifests list them. Siblings that
 * are not in `packed` (the platform packages of other platforms) are left to the registry.
 */
export function siblingClosure(name: string, packed: Map<string, Packed>): string[] {
  const found = [name];
  for (let i = 0; i < found.length; i++) {
    const { manifest } = packed.get(found[i]) as Packed;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const dep of Object.keys((manifest[field] as Record<string, string>) ?? {})) {
        if (packed.has(dep) && !found.includes(dep)) found.push(dep);
      }
    }
  }
  return found;
}
