// Docs as tests: each public package is installed alone, the way its README says — the README's
// own `npm install …` line, with our packages replaced by their tarballs and the sibling
// tarballs they need standing in for the registry — into a fresh project outside the workspace,
// once with `npm --engine-strict --ignore-scripts` and once with pnpm's defaults (strict
// node_modules, build scripts blocked and fatal). The README's first js/ts code block is then
// run verbatim as ESM (TypeScript compiled by tsc, strict, with nodenext resolution); it must exit
// 0 and print the values its comments promise. In the pnpm project the example is type-checked
// with bundler resolution too (JavaScript with checkJs), where a package's root entry has the
// browser build's types: Node-only APIs must come from its /node entry.
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSuccess,
  freshProject,
  isBuilt,
  type Packed,
  packAll,
  publicPackages,
  ROOT,
  type RunResult,
  run,
  scratchDir,
  siblingClosure,
} from './packing.js';
import {
  type Example,
  firstExample,
  type InstallLine,
  importedPackages,
  installLine,
  missingOutputs,
  packageName,
  promisedOutputs,
} from './readme.js';

/** What a fresh project adds to compile a TypeScript example: what a user of Node 20 would. */
const TS_DEV_DEPENDENCIES = { typescript: '5.9.3', '@types/node': '^20.19.0' };
const NPM_FLAGS = [
  '--engine-strict',
  '--ignore-scripts',
  '--prefer-offline',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
];
const TSC_COMMON = ['--target', 'es2022', '--skipLibCheck', '--types', 'node'];
/** One install and one run of an example: the slowest (the trainer's) trains two epochs. */
const STEP_TIMEOUT = 300_000;

/** Pure packages stay light: what installing one alone may weigh on disk (issue 17). */
const LIGHT: Record<string, number> = { '@cnnlab/kernels': 1 << 20, '@cnnlab/core': 1 << 20 };

/** Bytes of files under `dir`, links not followed. */
function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += diskBytes(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** What the package brought into node_modules: all of it but the example's TypeScript tools. */
function installedBytes(project: string): number {
  const modules = join(project, 'node_modules');
  return readdirSync(modules)
    .filter((name) => !['typescript', '@types', '.bin', '.package-lock.json'].includes(name))
    .reduce((sum, name) => sum + diskBytes(join(modules, name)), 0);
}

const ALL = publicPackages();
// A platform package's README has no example (nobody installs it by hand): @cnnlab/backend's
// docs test brings it, packed only once its addon is built (not with CNNLAB_SKIP_NATIVE=1).
const DOCUMENTED = ALL.filter((pkg) => !pkg.addon);

interface Docs {
  install: InstallLine;
  example: Example;
}

/** The README's install line and first example, or an error saying what the README lacks. */
function readDocs(dir: string, name: string): Docs {
  const file = join(dir, 'README.md');
  if (!existsSync(file)) throw new Error(`${name} has no ${relative(ROOT, file)}`);
  const markdown = readFileSync(file, 'utf8');
  const install = installLine(markdown);
  if (!install) {
    throw new Error(`${relative(ROOT, file)} has no \`npm install …\` line in a \`\`\`sh block`);
  }
  const example = firstExample(markdown);
  if (!example) throw new Error(`${relative(ROOT, file)} has no \`\`\`js or \`\`\`ts example`);
  return { install, example };
}

/** The tsc of a project, run on its example with the given resolution. */
function tsc(project: string, file: string, args: string[]): Promise<RunResult> {
  const bin = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  return run(process.execPath, [bin, ...TSC_COMMON, ...args, file], project);
}

/** Fails with tsc's errors (it prints them on stdout). */
function expectCompiles(result: RunResult, what: string): void {
  if (result.code !== 0) {
    throw new Error(`${what} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

describe.concurrent('README examples, each package installed alone', () => {
  let work = '';
  let packed = new Map<string, Packed>();

  beforeAll(async () => {
    work = scratchDir('cnnlab-readme-');
    packed = await packAll(ALL.filter(isBuilt), join(work, 'tarballs'));
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('finds the documented packages', () => {
    expect(DOCUMENTED.length).toBeGreaterThan(0);
  });

  for (const pkg of DOCUMENTED) {
    const { name } = pkg.manifest;

    /**
     * The install line with our packages replaced by their tarballs, and the tarballs of the
     * siblings they bring, which the registry would otherwise serve.
     */
    const plan = (docs: Docs) => {
      const specs = docs.install.specs.map(
        (spec) => packed.get(packageName(spec))?.tarball ?? spec,
      );
      const named = new Set(docs.install.specs.map(packageName));
      const brought = new Set<string>();
      for (const spec of docs.install.specs) {
        if (packed.has(packageName(spec))) {
          for (const sibling of siblingClosure(packageName(spec), packed)) brought.add(sibling);
        }
      }
      const tarballOf = (sibling: string) => `file:${(packed.get(sibling) as Packed).tarball}`;
      return {
        specs,
        // npm refuses an override of a direct dependency that differs from it: only the others.
        npmOverrides: Object.fromEntries(
          [...brought].filter((s) => !named.has(s)).map((s) => [s, tarballOf(s)]),
        ),
        pnpmOverrides: Object.fromEntries([...brought].map((s) => [s, tarballOf(s)])),
      };
    };

    /**
     * Writes the example into the project as example.mjs (TypeScript: example.mts, compiled by
     * tsc with nodenext resolution), runs it with node and checks the outputs it promises.
     * `bundler`: also type-check it with `moduleResolution: "bundler"`, which sees the browser
     * build's types at a package's root: Node-only APIs must come from the package's /node entry.
     */
    const runExample = async (project: string, example: Example, how: string, bundler: boolean) => {
      const file = join(project, 'example.mjs');
      const bundlerArgs = ['--noEmit', '--module', 'esnext', '--moduleResolution', 'bundler'];
      if (example.kind === 'ts') {
        const source = join(project, 'example.mts');
        writeFileSync(source, example.code);
        expectCompiles(
          await tsc(project, source, [
            '--strict',
            '--module',
            'nodenext',
            '--moduleResolution',
            'nodenext',
          ]),
          `${how}: tsc --module nodenext --strict on ${name}'s README example`,
        );
        if (bundler) {
          expectCompiles(
            await tsc(project, source, ['--strict', ...bundlerArgs]),
            `${how}: tsc --moduleResolution bundler --strict on ${name}'s README example`,
          );
        }
      } else {
        writeFileSync(file, example.code);
        if (bundler) {
          expectCompiles(
            await tsc(project, file, ['--allowJs', '--checkJs', ...bundlerArgs]),
            `${how}: tsc --checkJs --moduleResolution bundler on ${name}'s README example`,
          );
        }
      }
      const result = await run(process.execPath, [file], project);
      expectSuccess(result, `${how}: node example.mjs (${name}'s README example)`);
      expect(
        missingOutputs(promisedOutputs(example.code), result.stdout),
        `outputs ${name}'s README promises, missing from:\n${result.stdout}`,
      ).toEqual([]);
    };

    describe(name, () => {
      it('its install line names the package and every package its first example imports', () => {
        const { install, example } = readDocs(pkg.dir, name);
        const named = install.specs.map(packageName);
        expect(named, install.line).toContain(name);
        const missing = importedPackages(example.code).filter((dep) => !named.includes(dep));
        expect(missing, `imported by the example but not in \`${install.line}\``).toEqual([]);
      });

      describe('installed as its README says', () => {
        it(
          'npm install --engine-strict --ignore-scripts: the first example runs',
          async () => {
            const docs = readDocs(pkg.dir, name);
            const { specs, npmOverrides } = plan(docs);
            const project = freshProject(join(work, pkg.slug, 'npm'), `readme-npm-${pkg.slug}`, {
              ...(docs.example.kind === 'ts' ? { devDependencies: TS_DEV_DEPENDENCIES } : {}),
              overrides: npmOverrides,
            });
            expectSuccess(
              await run('npm', ['install', ...NPM_FLAGS, ...specs], project),
              `${docs.install.line} (npm, tarballs for our packages)`,
            );
            const limit = LIGHT[name];
            if (limit !== undefined) expect(installedBytes(project)).toBeLessThan(limit);
            await runExample(project, docs.example, 'npm', false);
          },
          STEP_TIMEOUT,
        );

        it(
          'pnpm add with its defaults: exit 0, no build script, the first example runs',
          async () => {
            const docs = readDocs(pkg.dir, name);
            const { specs, pnpmOverrides } = plan(docs);
            // typescript for the bundler-resolution check, of js examples too (checkJs).
            const project = freshProject(join(work, pkg.slug, 'pnpm'), `readme-pnpm-${pkg.slug}`, {
              devDependencies: TS_DEV_DEPENDENCIES,
            });
            // The registry's stand-in: our siblings resolve to their tarballs (JSON is YAML).
            writeFileSync(
              join(project, 'pnpm-workspace.yaml'),
              `overrides: ${JSON.stringify(pnpmOverrides)}\n`,
            );
            const added = await run('pnpm', ['add', ...specs], project);
            expectSuccess(added, `pnpm add ${docs.install.specs.join(' ')} (tarballs for ours)`);
            expect(`${added.stdout}${added.stderr}`).not.toMatch(
              /ignored build scripts|IGNORED_BUILDS/i,
            );
            await runExample(project, docs.example, 'pnpm', true);
          },
          STEP_TIMEOUT,
        );
      });
    });
  }
});
