// Every published package's tarball, as `pnpm pack` makes it, checked by publint (package.json
// fields, exports and the files they point to: no error, no warning) and by Are the Types Wrong
// (`attw --profile node16`: the types of every entry point resolve, and match the JavaScript
// beside them, under node16 from CJS, node16 from ESM and bundler resolution; an ESM-only package
// is checked with the esm-only profile). Both come from the registry as root devDependencies.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSuccess,
  isBuilt,
  type Manifest,
  type Packed,
  packAll,
  publicPackages,
  ROOT,
  run,
  scratchDir,
} from './packing.js';

const PUBLINT = join(ROOT, 'node_modules', 'publint', 'src', 'cli.js');
const ATTW = join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');

// The libraries and the CLI. The host's platform package is checked once its addon is built
// (publint refuses a `main` that is missing), which CNNLAB_SKIP_NATIVE=1 skips.
const PACKAGES = [...publicPackages(), ...publicPackages('apps')].filter(isBuilt);

/** Whether any entry point offers CommonJS (a `require` condition, or a `.cjs` main). */
function offersCjs(manifest: Manifest): boolean {
  return (
    JSON.stringify(manifest.exports ?? {}).includes('"require"') ||
    String(manifest.main ?? '').endsWith('.cjs')
  );
}

describe.concurrent('published packages: publint and attw on the packed tarballs', () => {
  let work = '';
  let packed = new Map<string, Packed>();

  beforeAll(async () => {
    work = scratchDir('cnnlab-lint-');
    packed = await packAll(PACKAGES, join(work, 'tarballs'));
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const pkg of PACKAGES) {
    const { name } = pkg.manifest;
    const tarball = () => (packed.get(name) as Packed).tarball;

    describe(name, () => {
      it('publint: no errors, no warnings', async () => {
        const result = await run(
          process.execPath,
          [PUBLINT, 'run', tarball(), '--level', 'warning', '--strict'],
          work,
          { NO_COLOR: '1' },
        );
        expectSuccess(result, `publint ${name}`);
        expect(result.stdout).not.toMatch(/^(Errors|Warnings):/m);
      });

      // An addon package is a .node file for require(), with no types to check.
      if (!pkg.addon) {
        const profile = offersCjs(pkg.manifest) ? 'node16' : 'esm-only';
        const what =
          profile === 'node16' ? 'node16 (CJS, ESM) and bundler' : 'node16 ESM and bundler';
        it(`attw --profile ${profile}: types right for ${what}`, async () => {
          const result = await run(
            process.execPath,
            [
              ATTW,
              tarball(),
              '--profile',
              profile,
              '--format',
              'ascii',
              '--no-color',
              '--no-emoji',
            ],
            work,
          );
          // attw exits 1 on any problem the profile does not ignore, and says which.
          expectSuccess(result, `attw ${name} --profile ${profile}`);
        });
      }
    });
  }
});
