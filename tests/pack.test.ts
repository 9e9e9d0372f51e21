// The pack test: every public package under packages/ is packed with `pnpm pack`, the tarballs
// are installed together with npm into a fresh project outside the workspace, and each package is
// then used the way a user would: imported as ESM, required as CJS, and type-checked with
// node16 resolution for both. Each package brings its own check in `test/pack-smoke.mjs`
// (`export default function smoke(mod, assert)`), run once on the ESM module object and once
// on the CJS one. The packages must already be built (the root `test` script builds them first).
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSuccess,
  freshProject,
  type Manifest,
  pack,
  publicPackages,
  ROOT,
  run,
  scratchDir,
} from './packing.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const SMOKE_FILE = join('test', 'pack-smoke.mjs');
/** Files every tarball must carry, besides those its manifest points to. */
const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE'];

/** Every file path a manifest points to (exports, main, module, types, bin), without `./`. */
function manifestFiles(manifest: Manifest): string[] {
  const found = new Set<string>();
  const add = (target: unknown) => {
    if (typeof target === 'string') {
      // Patterns (`./data/*`) and folder mappings (`./dist/`) are not single files.
      if (!target.includes('*') && !target.endsWith('/')) found.add(target.replace(/^\.\//, ''));
    } else if (Array.isArray(target)) {
      for (const item of target) add(item);
    } else if (target !== null && typeof target === 'object') {
      for (const item of Object.values(target)) add(item);
    }
  };
  add(manifest.exports);
  add(manifest.main);
  add(manifest.module);
  add(manifest.types);
  add(manifest.typings);
  add(manifest.bin);
  return [...found].sort();
}

/** A property access that stays valid TypeScript for any export name. */
function member(object: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name)
    ? `${object}.${name}`
    : `${object}[${JSON.stringify(name)}]`;
}

const PACKAGES = publicPackages();

describe('packed packages, installed with npm outside the workspace', () => {
  let work = '';
  let project = '';
  const tarballs = new Map<string, string>();
  const exportNames = new Map<string, Promise<string[]>>();

  beforeAll(async () => {
    work = scratchDir('cnnlab-pack-');
    const packed = await Promise.all(
      PACKAGES.map(
        async (pkg) =>
          [pkg.manifest.name, await pack(pkg, join(work, 'tarballs', pkg.slug))] as const,
      ),
    );
    for (const [name, file] of packed) tarballs.set(name, file);

    project = freshProject(join(work, 'project'), 'cnnlab-pack-check');
    // All tarballs in one install, so that a `workspace:*` dependency (a plain version once packed)
    // resolves to its sibling tarball rather than to the registry.
    expectSuccess(
      await run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.values()],
        project,
      ),
      'npm install of the tarballs',
    );
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('finds the public packages', () => {
    expect(PACKAGES.length).toBeGreaterThan(0);
  });

  for (const pkg of PACKAGES) {
    const { name } = pkg.manifest;

    /** Copies the package's smoke check into the project, or fails saying what is missing. */
    const smokeFile = (): string => {
      const source = join(pkg.dir, SMOKE_FILE);
      if (!existsSync(source)) {
        throw new Error(
          `${name} has no ${relative(ROOT, source)}. Every package must ship one: an ES module whose ` +
            '`export default function smoke(mod, assert)` calls one function of the package and ' +
            'checks its result with assert (see CONTRIBUTING.md, "Pack smoke check").',
        );
      }
      const target = `smoke-${pkg.slug}.mjs`;
      cpSync(source, join(project, target));
      return target;
    };

    /** The export names of the installed package, as `import` or as `require` sees them. */
    const names = (format: 'esm' | 'cjs'): Promise<string[]> => {
      const key = `${name} ${format}`;
      let pending = exportNames.get(key);
      if (!pending) {
        pending = (async () => {
          const file = join(project, `names-${pkg.slug}.${format === 'esm' ? 'mjs' : 'cjs'}`);
          const load =
            format === 'esm'
              ? `await import(${JSON.stringify(name)})`
              : `require(${JSON.stringify(name)})`;
          writeFileSync(file, `console.log(JSON.stringify(Object.keys(${load})));\n`);
          // Without require(esm), so that an ESM file behind the `require` condition fails here.
          const flags = format === 'cjs' ? ['--no-experimental-require-module'] : [];
          const result = await run(process.execPath, [...flags, file], project);
          expectSuccess(result, format === 'esm' ? `import('${name}')` : `require('${name}')`);
          const last = result.stdout.trim().split('\n').at(-1) ?? '[]';
          return (JSON.parse(last) as string[]).filter((key) => key !== '__esModule').sort();
        })();
        exportNames.set(key, pending);
      }
      return pending;
    };

    describe(name, () => {
      it('ships test/pack-smoke.mjs', () => {
        smokeFile();
      });

      it('tarball holds package.json, README.md, LICENSE and every file its manifest names', async () => {
        const tarball = tarballs.get(name) as string;
        const listing = await run('tar', ['tzf', tarball], project);
        expectSuccess(listing, `tar tzf ${tarball}`);
        const entries = new Set(
          listing.stdout
            .split('\n')
            .filter(Boolean)
            .map((line) => line.replace(/^package\//, '')),
        );
        const wanted = [...REQUIRED_FILES, ...manifestFiles(pkg.manifest)];
        const missing = wanted.filter((file) => !entries.has(file));
        expect(missing, `files missing from ${name}'s tarball`).toEqual([]);

        const packed = readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8');
        expect(packed, 'a workspace: range left in the packed package.json').not.toContain(
          'workspace:',
        );
      });

      // A prebuilt addon is a .node file: require() loads it, import() cannot, and it has no
      // types, so only the checks that apply to it are made.
      const forJs = (title: string, check: () => Promise<void>) => {
        if (!pkg.addon) it(title, check);
      };

      if (pkg.addon) {
        it('is an addon that needs only the C/C++ runtime of the system', async () => {
          const file = join(project, 'node_modules', name, pkg.manifest.main as string);
          const ldd = await run('ldd', [file], project);
          expectSuccess(ldd, `ldd ${file}`);
          const needs = ldd.stdout
            .split('\n')
            .map((line) => line.trim().split(/\s+/)[0])
            .filter(Boolean)
            .map((lib) => lib.replace(/^.*\//, ''));
          const foreign = needs.filter(
            (lib) =>
              !/^(linux-vdso|ld-linux|libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl)\b/.test(lib),
          );
          expect(foreign, `${name} needs libraries a user may not have`).toEqual([]);
          expect(needs.some((lib) => lib.startsWith('libc.so'))).toBe(true);
        });
      }

      forJs('imports as ESM and passes its smoke check', async () => {
        const smoke = smokeFile();
        const file = join(project, `esm-${pkg.slug}.mjs`);
        writeFileSync(
          file,
          [
            "import assert from 'node:assert/strict';",
            `import * as mod from ${JSON.stringify(name)};`,
            `import smoke from './${smoke}';`,
            '',
            'await smoke(mod, assert);',
            "console.log('smoke ok');",
            '',
          ].join('\n'),
        );
        const result = await run(process.execPath, [file], project);
        expectSuccess(result, `the ESM smoke check of ${name}`);
        expect(result.stdout).toContain('smoke ok');
      });

      it('requires as CJS and passes its smoke check', async () => {
        const smoke = smokeFile();
        const file = join(project, `cjs-${pkg.slug}.cjs`);
        writeFileSync(
          file,
          [
            "const assert = require('node:assert/strict');",
            `const mod = require(${JSON.stringify(name)});`,
            '',
            `import('./${smoke}')`,
            '  .then(({ default: smoke }) => smoke(mod, assert))',
            "  .then(() => console.log('smoke ok'))",
            '  .catch((error) => {',
            '    console.error(error);',
            '    process.exitCode = 1;',
            '  });',
            '',
          ].join('\n'),
        );
        const result = await run(
          process.execPath,
          ['--no-experimental-require-module', file],
          project,
        );
        expectSuccess(result, `the CJS smoke check of ${name}`);
        expect(result.stdout).toContain('smoke ok');
      });

      forJs('exposes the same export names to import and require', async () => {
        const esm = await names('esm');
        const cjs = await names('cjs');
        expect(esm.length, `${name} exports nothing`).toBeGreaterThan(0);
        expect(cjs, `require('${name}') and import('${name}') differ`).toEqual(esm);
      });

      forJs(
        'type-checks every export for import (.mts) and require (.cts) with node16 resolution',
        async () => {
          const esm = await names('esm');
          const mts = join(project, `check-${pkg.slug}.mts`);
          const cts = join(project, `check-${pkg.slug}.cts`);
          const uses = (object: string) => esm.map((key) => `  ${member(object, key)},`).join('\n');
          writeFileSync(
            mts,
            `import * as pkg from ${JSON.stringify(name)};\n\nexport const all: unknown[] = [\n${uses('pkg')}\n];\n`,
          );
          writeFileSync(
            cts,
            `import pkg = require(${JSON.stringify(name)});\n\nexport const all: unknown[] = [\n${uses('pkg')}\n];\n`,
          );
          const result = await run(
            process.execPath,
            [
              TSC,
              '--module',
              'node16',
              '--moduleResolution',
              'node16',
              '--target',
              'es2022',
              '--strict',
              '--noEmit',
              '--skipLibCheck',
              'false',
              mts,
              cts,
            ],
            project,
          );
          // Third-party declarations are not ours to fix (tfjs-layers 4.22's own .d.ts files do not
          // compile under --strict), so only errors in our packages or the check files count.
          const ours = `${result.stdout}\n${result.stderr}`
            .split('\n')
            .filter((line) => /error TS\d+/.test(line))
            .filter(
              (line) =>
                !line.startsWith('node_modules/') || line.startsWith('node_modules/@cnnlab/'),
            );
          if (
            result.code !== 0 &&
            ours.length === 0 &&
            !/error TS\d+/.test(result.stdout + result.stderr)
          ) {
            expectSuccess(result, `tsc on ${name}'s check.mts / check.cts`);
          }
          expect(ours, `tsc errors in ${name}'s types or their use`).toEqual([]);
        },
      );
    });
  }
});
